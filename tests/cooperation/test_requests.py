"""Needs requests: a focal point asks, trainers triage, the parliament is told by mail at each step."""
import re

import pytest
from sqlalchemy import func, select

from elearn.cooperation import services
from elearn.cooperation.models import NeedsRequest, RequestStatus, SupportKind
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.topics import Topic, seed_topics
from tests import factories
from tests.cooperation.factories import make_request
from tests.helpers import post_form, text
from tests.people import form_on, outbox, submit
from tests.scheduling.factories import make_activity, make_programme

EQUIPMENT_WORDS = "it cannot pay for equipment"


@pytest.fixture
def focal(login_as):
    return login_as("focal_point")


@pytest.fixture
def trainer(login_as):
    return login_as("trainer")


def test_a_focal_point_submits_a_request_for_their_parliament(people, focal):
    seed_topics()
    committee_work = db.session.scalar(select(Topic).where(Topic.slug == "committee-work"))
    page = text(focal.get("/cooperation/requests/new"))
    assert "National Assembly of The Gambia" in page and "Parliament 1" not in page
    response = submit(focal, "/cooperation/requests/new", {
        "kind": "training", "title": "Hearings in committees", "need": "Our clerks need practice with hearings.",
        "topic_ids": [str(committee_work.id)], "audience": "staff", "services": "Committee secretariat",
        "preferred_modality": "training_workshop", "preferred_from": "2027-01-10", "preferred_to": "2027-03-10",
        "language": "en"}, follow_redirects=True)
    page = text(response)
    assert "The request is sent." in page and "Hearings in committees" in page and "Received" in page
    needs_request = db.session.scalar(select(NeedsRequest))
    assert (needs_request.parliament_id, needs_request.status, needs_request.submitted_by_id) == (
        people["focal_point"].parliament_id, RequestStatus.RECEIVED, people["focal_point"].id)
    assert [t.slug for t in needs_request.topics] == ["committee-work"]
    [mail] = outbox("focal@example.org")
    assert mail.subject == "Request received: Hearings in committees"
    assert "/cooperation/requests/" in mail.body_text


def test_an_equipment_request_is_recorded_but_flagged_with_the_explanation(people, focal):
    response = submit(focal, "/cooperation/requests/new", {
        "kind": "equipment", "title": "Microphones for the chamber", "need": "The sound system fails."},
        follow_redirects=True)
    page = text(response)
    assert "The request is sent." in page
    assert "Outside what the unit can fund" in page and EQUIPMENT_WORDS in page
    assert db.session.scalar(select(NeedsRequest)).status == RequestStatus.RECEIVED  # accepted for triage
    assert EQUIPMENT_WORDS in outbox("focal@example.org")[0].body_text
    listing = text(focal.get("/cooperation/requests"))
    assert "outside what the unit funds" in listing
    ordinary = make_request(people["focal_point"], kind=SupportKind.ADVICE)
    assert EQUIPMENT_WORDS not in text(focal.get(f"/cooperation/requests/{ordinary.id}"))


def test_a_focal_point_cannot_submit_for_another_parliament(people, focal):
    other = factories.make_parliament(name_en="Other Assembly")
    response = submit(focal, "/cooperation/requests/new", {
        "parliament_id": str(other.id), "kind": "training", "title": "Sneaky", "need": "Not ours."})
    assert "Not a valid choice" in text(response)
    with pytest.raises(services.CooperationError):
        make_request(people["focal_point"], parliament=other)
    assert db.session.scalar(select(func.count(NeedsRequest.id))) == 0


def test_focal_points_see_only_their_parliaments_requests(people, focal, trainer):
    other_focal = factories.make_person(factories.Role.FOCAL_POINT, email="other-focal@example.org")
    ours = make_request(people["focal_point"], title="Our own request")
    theirs = make_request(other_focal, title="Their request")
    listing = text(focal.get("/cooperation/requests"))
    assert "Our own request" in listing and "Their request" not in listing
    assert focal.get(f"/cooperation/requests/{theirs.id}").status_code == 404
    assert focal.get(f"/cooperation/parliaments/{theirs.parliament_id}").status_code == 404
    assert focal.get(f"/cooperation/requests/{ours.id}").status_code == 200
    everything = text(trainer.get("/cooperation/requests"))
    assert "Our own request" in everything and "Their request" in everything
    filtered = text(trainer.get(f"/cooperation/requests?parliament={theirs.parliament_id}&status=received"))
    assert "Our own request" not in filtered and "Their request" in filtered


def test_a_learner_cannot_reach_requests(login_as, people):
    learner = login_as("learner")
    assert learner.get("/cooperation/requests").status_code == 403
    assert learner.get("/cooperation/requests/new").status_code == 403


def test_trainers_triage_to_acceptance_and_the_focal_point_is_told_each_time(people, trainer, focal):
    needs_request = make_request(people["focal_point"], title="Committee hearings")
    programme = make_programme(title="West Africa 2027", partners=[people["focal_point"].parliament])
    activity = make_activity(title="Workshop on hearings")
    path = f"/cooperation/requests/{needs_request.id}"
    action = f"/manage/cooperation/requests/{needs_request.id}/status"

    submit(trainer, path, {"status": "under_assessment", "answer": "A mission will visit."}, action=action)
    assert needs_request.status == RequestStatus.UNDER_ASSESSMENT
    refused = text(submit(trainer, path, {"status": "accepted", "programme_id": ""}, action=action))
    assert "Choose the programme under which the request is answered." in refused
    assert db.session.get(NeedsRequest, needs_request.id).status == RequestStatus.UNDER_ASSESSMENT
    response = submit(trainer, path, {"status": "accepted", "programme_id": str(programme.id),
                                      "activity_ids": [str(activity.id)], "answer": "A workshop in March."},
                      action=action, follow_redirects=True)
    assert "The request is now accepted" in text(response)
    assert (needs_request.status, needs_request.programme_id, [a.id for a in needs_request.activities]) == (
        RequestStatus.ACCEPTED, programme.id, [activity.id])

    subjects = [m.subject for m in outbox("focal@example.org")]
    assert subjects == ["Request received: Committee hearings", "Your request is under assessment: Committee hearings",
                        "Your request is accepted: Committee hearings"]
    assert "A workshop in March." in outbox("focal@example.org")[-1].body_text
    page = text(focal.get(path))
    assert "Accepted" in page and "West Africa 2027" in page and "Workshop on hearings" in page
    assert "Triage" not in page  # the focal point reads, trainers decide


def test_declining_needs_a_reason_and_settled_requests_stay_settled(people, trainer):
    needs_request = make_request(people["focal_point"], kind=SupportKind.TEXT_EXPERTISE)
    path = f"/cooperation/requests/{needs_request.id}"
    action = f"/manage/cooperation/requests/{needs_request.id}/status"
    assert "Give the reason for declining" in text(submit(trainer, path, {"status": "declined"}, action=action))
    submit(trainer, path, {"status": "declined", "answer": "We do not advise on the content of a bill."},
           action=action)
    assert needs_request.status == RequestStatus.DECLINED
    assert "Reason for declining" in text(trainer.get(path))
    assert "Triage" not in text(trainer.get(path))
    response = post_form(trainer, action, {"status": "closed"}, follow_redirects=True)
    assert "This request is settled" in text(response), text(response)[text(response).find("<main"):][:800]
    with pytest.raises(services.CooperationError):
        services.change_status(needs_request, RequestStatus.ACCEPTED, actor=people["trainer"])


def test_a_request_cannot_skip_the_assessment(people):
    needs_request = make_request(people["focal_point"])
    with pytest.raises(services.CooperationError, match="cannot go from"):
        services.change_status(needs_request, RequestStatus.ACCEPTED, actor=people["trainer"],
                               programme_id=make_programme().id)


def test_focal_points_of_the_parliament_get_the_mail_when_a_trainer_submits(people):
    colleague = factories.make_person(factories.Role.FOCAL_POINT, email="colleague@example.org",
                                      parliament=people["focal_point"].parliament)
    make_request(people["trainer"], parliament=people["focal_point"].parliament)
    recipients = sorted(m.to_address for m in db.session.scalars(select(OutboxMessage)))
    assert recipients == ["colleague@example.org", "focal@example.org"]
    assert colleague.is_active


def test_trainers_link_activities_to_a_request_under_assessment(people, trainer):
    needs_request = make_request(people["focal_point"])
    services.change_status(needs_request, RequestStatus.UNDER_ASSESSMENT, actor=people["trainer"])
    mission = make_activity(title="Needs-assessment mission")
    path = f"/cooperation/requests/{needs_request.id}"
    submit(trainer, path, {"links-activity_ids": [str(mission.id)]},
           action=f"/manage/cooperation/requests/{needs_request.id}/links")
    assert [a.title for a in needs_request.activities] == ["Needs-assessment mission"]
    assert len(outbox("focal@example.org")) == 2  # linking is not a status change: no mail


def test_the_activities_a_trainer_may_link_say_which_are_drafts_or_cancelled(people, trainer):
    from elearn.scheduling.models import ActivityStatus

    needs_request = make_request(people["focal_point"])
    services.change_status(needs_request, RequestStatus.UNDER_ASSESSMENT, actor=people["trainer"])
    make_activity(title="Published seminar")
    make_activity(title="Planned mission", status=ActivityStatus.DRAFT)
    make_activity(title="Called-off visit", status=ActivityStatus.CANCELLED)
    page = text(trainer.get(f"/cooperation/requests/{needs_request.id}"))
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert any(label.startswith("Planned mission (") and label.endswith(", draft)") for label in labels), labels
    assert any(label.startswith("Called-off visit (") and label.endswith(", cancelled)") for label in labels)
    assert not any(label.startswith("Published seminar (") and "published" in label for label in labels)


def under_assessment(people, **request_values) -> NeedsRequest:
    needs_request = make_request(people["focal_point"], **request_values)
    services.change_status(needs_request, RequestStatus.UNDER_ASSESSMENT, actor=people["trainer"])
    return needs_request


def test_an_equipment_request_cannot_be_accepted_and_the_trainer_is_told_why(people, trainer):
    needs_request = under_assessment(people, kind=SupportKind.EQUIPMENT, title="Microphones for the chamber")
    partner_programme = make_programme(partners=[people["focal_point"].parliament])
    path = f"/cooperation/requests/{needs_request.id}"
    page = text(submit(trainer, path, {"status": "accepted", "programme_id": str(partner_programme.id)},
                       action=f"/manage/cooperation/requests/{needs_request.id}/status"))
    assert "A request for equipment cannot be accepted: the assisting parliament cannot fund equipment" in page
    assert db.session.get(NeedsRequest, needs_request.id).status == RequestStatus.UNDER_ASSESSMENT
    assert len(outbox("focal@example.org")) == 2  # received, under assessment: no "accepted" mail
    with pytest.raises(services.CooperationError, match="cannot fund equipment"):
        services.change_status(needs_request, RequestStatus.ACCEPTED, actor=people["trainer"],
                               programme_id=partner_programme.id, confirmed_programme_id=partner_programme.id)


def test_the_equipment_notice_speaks_to_whoever_reads_the_request(people, trainer, focal):
    needs_request = under_assessment(people, kind=SupportKind.EQUIPMENT, title="Microphones for the chamber")
    path = f"/cooperation/requests/{needs_request.id}"
    for_trainer, for_focal_point = text(trainer.get(path)), text(focal.get(path))
    assert "Decline it with a message" in for_trainer and "Your request is recorded" not in for_trainer
    assert "Your request is recorded all the same" in for_focal_point and "Decline it" not in for_focal_point


def test_accepting_under_a_programme_without_the_parliament_is_confirmed_first(people, trainer):
    needs_request = under_assessment(people, title="Committee hearings")
    elsewhere = make_programme(title="Pacific parliaments 2027")
    other = make_programme(title="Andean parliaments 2027")
    path = f"/cooperation/requests/{needs_request.id}"
    action = f"/manage/cooperation/requests/{needs_request.id}/status"

    warned = text(submit(trainer, path, {"status": "accepted", "programme_id": str(elsewhere.id),
                                         "answer": "A workshop in March."}, action=action))
    assert ("National Assembly of The Gambia is not a partner of the programme “Pacific parliaments 2027”"
            in warned) and "Accept anyway" in warned
    assert db.session.get(NeedsRequest, needs_request.id).status == RequestStatus.UNDER_ASSESSMENT
    values = form_on(warned, action)
    assert values["answer"][0].strip() == "A workshop in March." and "confirmed_programme" not in values
    # The confirmation holds for the programme it was given for only.
    again = text(trainer.post(action, data={**values, "programme_id": str(other.id),
                                            "confirmed_programme": str(elsewhere.id)}))
    assert "is not a partner of the programme “Andean parliaments 2027”" in again
    assert db.session.get(NeedsRequest, needs_request.id).status == RequestStatus.UNDER_ASSESSMENT

    [button_value] = re.findall(r'name="confirmed_programme" value="(\d+)"', warned)
    accepted = trainer.post(action, data={**values, "confirmed_programme": button_value}, follow_redirects=True)
    assert "The request is now accepted" in text(accepted)
    assert (needs_request.status, needs_request.programme_id) == (RequestStatus.ACCEPTED, elsewhere.id)
    assert outbox("focal@example.org")[-1].subject == "Your request is accepted: Committee hearings"
