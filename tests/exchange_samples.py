"""The peer exchange features' sample objects for the access matrix (tests/test_access.py): a mentoring pair
with meetings, a placement, library resources (one of a stranger's pair) and an alumni entry."""
from __future__ import annotations

import io
from datetime import date

from elearn.access import Role
from elearn.assistance import services as assistance
from elearn.assistance.attachments import FileInput
from elearn.extensions import db
from elearn.library.services import publish
from elearn.mentoring import meetings as mentoring_meetings
from elearn.mentoring import pairs as mentoring
from elearn.mentoring.models import MentoringPair
from elearn.placements import services as placements
from elearn.placements.models import DayPart, PlacementStatus
from elearn.topics import Topic
from tests.alumni.factories import make_alumnus
from tests.factories import make_parliament, make_person
from tests.mentoring.meetings_helpers import make_pair, meeting_input, past_meeting


def peer_exchange_samples(people) -> dict:
    meeting_pair = make_pair(mentee=people["learner"], trainer=people["trainer"])
    sample_meeting = mentoring_meetings.schedule(meeting_pair, meeting_input(), meeting_pair.mentor)
    meeting_to_cancel = mentoring_meetings.schedule(meeting_pair, meeting_input(), meeting_pair.mentor)
    held_meeting = past_meeting(meeting_pair)
    alumni_entry = make_alumnus(show_parliament=True)
    host = make_parliament(gives_assistance=True, receives_assistance=False)
    placement = placements.save_placement(placements.PlacementInput(
        person_email=people["learner"].email, tutor_email=make_person(parliament=host).email,
        host_parliament_id=host.id, service="Table Office", starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 6),
        timezone="Europe/Paris", status=PlacementStatus.UNDER_WAY), people["admin"])
    placement_entry = placements.add_entry(placement, placements.EntryInput(date(2026, 3, 2), DayPart.DAY, "Sitting"))
    stranger_pair = MentoringPair(mentor=make_person(), mentee=make_person(), trainer=make_person(Role.TRAINER))
    db.session.add(stranger_pair)
    db.session.flush()
    library_resource = publish(title="Guide", summary="", body="", kind="guide", language="en", topic_id=None,
                               access="network", added_by=None)
    library_resource.external_url = "https://example.org/guide"
    pair_resource = publish(title="Pair notes", summary="", body="", kind="document", language="en", topic_id=None,
                            access="pair", pair_id=stranger_pair.id, added_by=None)
    mentor = make_person(parliament=make_parliament(gives_assistance=True, receives_assistance=False))
    mentoring_pair = mentoring.propose(mentor=mentor, mentee=people["learner"], trainer=people["trainer"],
                                       agreement=mentoring.AgreementInput(purpose="Budget", objectives=("Read",)),
                                       actor=people["trainer"])
    mentoring.accept(mentoring_pair, mentor)
    mentoring.accept(mentoring_pair, people["learner"])
    # Remote assistance: a question of a colleague of the learner's parliament, with a file.
    topic = Topic(slug="budget", name_en="Budget", name_fr="Budget")
    db.session.add(topic)
    db.session.flush()
    colleague = make_person(parliament=people["learner"].parliament)
    question = assistance.ask(colleague, assistance.QuestionInput(
        title="Quorum", body="How is it counted?", topic_id=topic.id,
        files=[FileInput("rules.pdf", io.BytesIO(b"%PDF-1.7\n%%EOF\n"))]))
    db.session.commit()
    return {"assistance_question": question.id, "assistance_attachment": question.attachments[0].id,
            "mentoring_pair": mentoring_pair.id, "mentoring_objective": mentoring_pair.objectives[0].id,
            "library_resource": library_resource.id, "pair_resource": pair_resource.id,
            "placement": placement.id, "placement_entry": placement_entry.id,
            "meeting_pair": meeting_pair.id, "meeting": sample_meeting.id, "meeting_to_cancel": meeting_to_cancel.id,
            "past_meeting": held_meeting.id, "alumni_entry": alumni_entry.id}
