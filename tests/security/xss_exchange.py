"""The peer exchange's part of the stored XSS sweep (tests/security/test_xss.py): mentoring pairs and meetings,
a placement, library resources, a remote assistance question and an alumni entry, hostile in every text they
keep, written through the features' own services so that each of their mails goes.

`seed_peer_exchange` returns the URL argument values (by name, and by (endpoint, name) where a name is
already taken by another feature) that make every new page part of the sweep.
"""
from __future__ import annotations

import io
from datetime import time, timedelta

from elearn.alumni import services as alumni
from elearn.assistance import services as assistance
from elearn.assistance.attachments import FileInput
from elearn.database import utcnow
from elearn.documents.services import Upload
from elearn.library import services as library
from elearn.library.models import ResourceAccess, ResourceKind
from elearn.mentoring import meetings, pair_log, pairs
from elearn.mentoring.models import ObjectiveStatus
from elearn.placements import services as placements
from elearn.placements.models import DayPart, PlacementStatus
from tests import factories


def _agreement(hostile: str, topic_id: int, programme_id: int | None = None) -> pairs.AgreementInput:
    return pairs.AgreementInput(purpose=hostile, objectives=(hostile, hostile + " 2"), topic_id=topic_id,
                                programme_id=programme_id)


def _meeting(day, hours: tuple[int, int], hostile: str, hostile_url: str) -> meetings.MeetingInput:
    return meetings.MeetingInput(day=day, start_time=time(hours[0]), end_time=time(hours[1]), timezone="UTC",
                                 online_url=hostile_url, place=hostile, agenda=hostile)


def seed_mentoring(people, assisting, topic, programme, hostile, hostile_url) -> tuple[dict, dict]:
    learner, trainer, focal = people["learner"], people["trainer"], people["focal_point"]
    mentor = factories.make_person(email="mentor@example.org", full_name=hostile, parliament=assisting)
    today = utcnow().date()
    # An active pair (proposed, then accepted by both: mentoring_proposed, mentoring_started) with a meeting to
    # come (mentoring_meeting, a REQUEST) and one called off (a CANCEL), and a line of its log.
    active = pairs.propose(mentor=mentor, mentee=learner, trainer=trainer, actor=trainer,
                           agreement=_agreement(hostile, topic.id, programme.id))
    pairs.accept(active, mentor)
    pairs.accept(active, learner)
    coming = meetings.schedule(active, _meeting(today + timedelta(days=7), (10, 11), hostile, hostile_url), mentor)
    meetings.cancel(meetings.schedule(active, _meeting(today + timedelta(days=8), (10, 11), hostile, hostile_url),
                                      learner), learner)
    pair_log.add_note(active, learner, hostile, meeting_id=coming.id)
    # An ended pair (mentoring_ended) with a meeting held, its log, its objectives marked and both reviews.
    ended = pairs.propose(mentor=mentor, mentee=learner, trainer=trainer, actor=trainer,
                          agreement=_agreement(hostile, topic.id))
    pairs.accept(ended, mentor)
    pairs.accept(ended, learner)
    held = meetings.schedule(ended, _meeting(today - timedelta(days=3), (9, 10), hostile, hostile_url), learner)
    meetings.mark_held(held, learner)
    pair_log.add_note(ended, trainer, hostile, meeting_id=held.id)
    pair_log.add_note(ended, mentor, hostile)
    pair_log.set_objective(ended, ended.objectives[0].id, ObjectiveStatus.ACHIEVED, learner)
    pairs.end(ended, trainer)
    for person in (mentor, learner):
        pair_log.submit_review(ended, person, rating=4, what_worked=hostile, what_to_change=hostile)
    # A proposal the mentee declined (mentoring_declined, to the trainer); a focal point's request waiting.
    declined = pairs.propose(mentor=mentor, mentee=learner, trainer=trainer, actor=trainer,
                             agreement=_agreement(hostile, topic.id))
    pairs.decline(declined, learner)
    pairs.request_mentor(mentee=learner, focal_point=focal, agreement=_agreement(hostile, topic.id))
    # The ended pair's page shows the most (reviews, log, objectives, past meetings); the meetings pages and
    # the agreement's form are the active pair's.
    ids = {"pair_id": ended.id, "meeting_id": coming.id}
    by_endpoint = {(endpoint, "pair_id"): active.id for endpoint in (
        "mentoring_meetings.meetings", "mentoring_meetings.schedule", "mentoring.edit")}
    return ids, by_endpoint


def seed_placement(people, assisting, topic, programme, activity, hostile) -> dict:
    learner, trainer = people["learner"], people["trainer"]
    tutor = factories.make_person(email="tutor@example.org", full_name=hostile, parliament=assisting)
    today = utcnow().date()
    placement = placements.save_placement(placements.PlacementInput(
        person_email=learner.email, tutor_email=tutor.email, host_parliament_id=assisting.id, service=hostile,
        starts_on=today - timedelta(days=2), ends_on=today + timedelta(days=3), timezone="Europe/Paris",
        status=PlacementStatus.UNDER_WAY, objectives=hostile, activity_id=activity.id, programme_id=programme.id,
        topic_id=topic.id), trainer)
    for day, part in ((today - timedelta(days=1), DayPart.DAY), (today, DayPart.MORNING)):
        placements.add_entry(placement, placements.EntryInput(day, part, hostile, hostile, hostile))
    placements.save_report(placement, tutor, what_was_done=hostile, follow_up=hostile, submit=True)
    placements.save_report(placement, learner, what_was_done=hostile, follow_up=hostile, submit=False)  # a draft
    return {"placement_id": placement.id}


def seed_library(people, topic, programme, activity, hostile, hostile_url) -> tuple[dict, dict]:
    trainer = people["trainer"]
    values = dict(title=hostile, summary=hostile, body=hostile, keywords=(hostile,), topic_id=topic.id,
                  activity_id=activity.id, programme_id=programme.id)
    link = library.save_resource(None, library.ResourceInput(
        **values, kind=ResourceKind.GUIDE, access=ResourceAccess.PUBLIC, external_url=hostile_url), None, trainer)
    stored = library.save_resource(None, library.ResourceInput(**values, kind=ResourceKind.DOCUMENT),
                                   Upload(hostile, hostile + ".txt", io.BytesIO(b"Notes.\n")), trainer)
    # The link's page and the file's form and download.
    return {"resource_id": link.id}, {("library.edit", "resource_id"): stored.id,
                                      ("library.download", "resource_id"): stored.id}


def seed_assistance(people, assisting, topic, hostile) -> dict:
    """Asked by the focal point with a file, assigned (assistance_assigned), answered by the expert with a file
    and followed up by the asker (assistance_reply, each way); answered, not yet published."""
    focal, trainer = people["focal_point"], people["trainer"]
    expert = factories.make_person(email="expert@example.org", full_name=hostile, parliament=assisting)

    def files():
        return [FileInput(hostile + ".txt", io.BytesIO(b"Notes.\n"))]

    question = assistance.ask(focal, assistance.QuestionInput(title=hostile, body=hostile, topic_id=topic.id,
                                                              files=files()))
    assistance.assign(question, expert.id, trainer)
    assistance.reply(question, expert, hostile, files())
    assistance.reply(question, focal, hostile)
    # `question_id` is the questionnaire's already.
    return {("assistance.question", "question_id"): question.id, ("assistance.publish", "question_id"): question.id,
            ("assistance.attachment", "attachment_id"): question.attachments[0].id}


def seed_peer_exchange(people, topic, programme, activity, *, hostile: str, hostile_url: str) -> tuple[dict, dict]:
    """Seed the five peer exchange features; returns (ids, by_endpoint) for the World of the sweep.

    `activity` is one the learner attended (an alumnus then): the learner lists a hostile alumni card.
    """
    assisting = factories.make_parliament(name_en=hostile + " assisting", name_fr=hostile, chamber_name=hostile,
                                          country_code="FR", gives_assistance=True, receives_assistance=False)
    ids, by_endpoint = seed_mentoring(people, assisting, topic, programme, hostile, hostile_url)
    ids.update(seed_placement(people, assisting, topic, programme, activity, hostile))
    library_ids, library_endpoints = seed_library(people, topic, programme, activity, hostile, hostile_url)
    ids.update(library_ids)
    by_endpoint.update(library_endpoints)
    by_endpoint.update(seed_assistance(people, assisting, topic, hostile))
    entry = alumni.save_entry(people["learner"], alumni.EntryInput(
        listed=True, show_parliament=True, show_position=True, show_topics=True, show_activities=True, show_bio=True,
        show_email=True, bio=hostile, topic_ids=(topic.id,)))
    ids["entry_id"] = entry.id
    return ids, by_endpoint
