"""Object-level access (IDOR): an id that belongs to someone else, or to another parliament, is refused.

Every route a learner or focal point can reach that names an object in its URL is either checked
here with another person's or parliament's object (on GET and POST, with nothing written and
nothing of the object shown), or listed in SHARED_OBJECTS with why anyone may reach it.
"""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import current_app, url_for
from sqlalchemy import select

from elearn.access import AUTHENTICATED, PUBLIC, Role
from elearn.audit.models import AuditEvent
from elearn.database import utcnow
from elearn.documents import services as documents
from elearn.extensions import db
from elearn.people.models import PersonKind
from elearn.people.sign_in_models import SignInDevice
from elearn.scheduling.models import ActivityStatus, Registration, RegistrationState
from tests import factories
from tests.cooperation.factories import make_plan, make_request
from tests.helpers import csrf_token, text
from tests.learning.factories import complete_course, make_course, png_bytes
from tests.scheduling.factories import make_activity

REFUSED = (403, 404)


class Case:
    def __init__(self, endpoint, method, roles, foreign, own, *, data=None, refused=REFUSED):
        """`roles` try the foreign object; the last of them owns `own`."""
        self.endpoint, self.method, self.roles = endpoint, method, roles
        self.foreign, self.own, self.data, self.refused = foreign, own, data or {}, refused

    def __repr__(self):
        return self.endpoint


# URL arguments name keys of the `world` fixture: "foreign_*" belong to the other parliament or person.
OWNED_OBJECTS = [
    Case("scheduling.confirm_withdraw", "GET", ("focal_point", "learner"),
         {"registration_id": "foreign_registration"}, {"registration_id": "own_registration"}),
    Case("scheduling.withdraw", "POST", ("focal_point", "learner"),
         {"registration_id": "foreign_registration"}, {"registration_id": "own_registration"}),
    # A ticket's code checks its holder in: another person's is a 404, and opening it issues nothing.
    Case("tickets.ticket", "GET", ("focal_point", "learner"),
         {"registration_id": "foreign_registration"}, {"registration_id": "own_registration"}),
    Case("learning.attempt", "GET", ("focal_point", "learner"),
         {"slug": "course", "attempt_id": "foreign_attempt"}, {"slug": "course", "attempt_id": "own_attempt"}),
    Case("cooperation.request_detail", "GET", ("focal_point",),
         {"request_id": "foreign_request"}, {"request_id": "own_request"}),
    Case("cooperation.plan", "GET", ("focal_point",), {"plan_id": "foreign_plan"}, {"plan_id": "own_plan"}),
    Case("cooperation.update_commitment", "POST", ("focal_point",),
         {"commitment_id": "foreign_commitment"}, {"commitment_id": "own_commitment"},
         data={"status": "done", "progress_note": "Written through a tampered id"}),
    Case("cooperation.parliament", "GET", ("focal_point",),
         {"parliament_id": "foreign_parliament"}, {"parliament_id": "own_parliament"}),
    Case("two_factor.revoke_device", "POST", ("focal_point", "learner"),
         {"device_id": "foreign_device"}, {"device_id": "own_device"}),
    # A mission's terms: the focal point of the host parliament reads and agrees; another parliament's are refused.
    Case("mission_terms.terms", "GET", ("learner", "focal_point"),
         {"activity_id": "foreign_mission"}, {"activity_id": "own_mission"}),
    Case("mission_terms.versions", "GET", ("learner", "focal_point"),
         {"activity_id": "foreign_mission"}, {"activity_id": "own_mission"}),
    Case("mission_terms.agree", "POST", ("focal_point",), {"activity_id": "foreign_mission"},
         {"activity_id": "own_mission"}, data={"version": "1"}),
    # The activity is open to all; the person nominated is the foreign object (a form choice, refused in place).
    # A document of an activity the learner is not confirmed at; the control is one of their own activity.
    Case("documents.activity_documents", "GET", ("focal_point", "learner"),
         {"activity_id": "foreign_activity"}, {"activity_id": "activity"}),
    Case("documents.download", "GET", ("focal_point", "learner"),
         {"document_id": "foreign_document"}, {"document_id": "own_document"}),
    # An alumni card not listed: only its owner sees it (the listed ones are seen by anyone signed in).
    Case("alumni.card", "GET", ("focal_point", "learner"),
         {"entry_id": "foreign_alumni_entry"}, {"entry_id": "own_alumni_entry"}),
    # Remote assistance: another parliament's question (and its file) is a 404; the control is the learner's own.
    Case("assistance.question", "GET", ("focal_point", "learner"),
         {"question_id": "foreign_question"}, {"question_id": "own_question"}),
    Case("assistance.attachment", "GET", ("focal_point", "learner"),
         {"attachment_id": "foreign_attachment"}, {"attachment_id": "own_attachment"}),
    Case("assistance.reply", "POST", ("focal_point", "learner"), {"question_id": "foreign_question"},
         {"question_id": "own_question"}, data={"body": "Written through a tampered id"}),
    Case("assistance.close", "POST", ("focal_point", "learner"),
         {"question_id": "foreign_question"}, {"question_id": "own_question"}),
    # A person's API tokens and webhooks are theirs alone: anyone else's id is a 404 (administrators read a log,
    # tests/webhooks; the roles here are not administrators).
    Case("api_tokens.revoke", "POST", ("focal_point", "learner"),
         {"token_id": "foreign_api_token"}, {"token_id": "own_api_token"}),
    Case("webhooks.log", "GET", ("focal_point", "learner"),
         {"subscription_id": "foreign_webhook"}, {"subscription_id": "own_webhook"}),
    Case("webhooks.send_again", "POST", ("focal_point", "learner"),
         {"delivery_id": "foreign_webhook_delivery"}, {"delivery_id": "own_webhook_delivery"}),
    Case("webhooks.delete", "POST", ("focal_point", "learner"),
         {"subscription_id": "foreign_webhook"}, {"subscription_id": "own_webhook"}),
    Case("scheduling.nominate", "POST", ("focal_point",), {"activity_id": "activity"}, {"activity_id": "activity"},
         data={"person_id": "foreign_person"}, refused=(200, 403, 404)),
]

# Routes that name an object in their URL and that anyone (or anyone signed in) may reach, and why.
SHARED_OBJECTS = {
    "scheduling.activity": "a published activity is public; drafts are checked below",
    "scheduling.register": "anyone may register for a published activity; drafts are checked below",
    "feeds.activity_ics": "a published activity's calendar entry is public; drafts are checked below",
    "feeds.programme_ics": "a programme's calendar holds only published activities",
    "feeds.course_ics": "a course's calendar holds only published activities",
    "learning.course": "the course catalogue is public; unpublished courses are checked below",
    "learning.asset": "course images and PDFs are part of the published course",
    "learning.enrol": "the signed-in person enrols themselves",
    "learning.resume": "acts on the signed-in person's own enrolment",
    "learning.lesson": "acts on the signed-in person's own enrolment",
    "learning.mark_done": "acts on the signed-in person's own enrolment",
    "learning.quiz": "acts on the signed-in person's own enrolment",
    "learning_offline.manifest": "the signed-in person's own enrolment: a 403 unless enrolled (tests/learning/"
                                 "test_offline.py::test_only_enrolled_learners_get_a_manifest)",
    "learning_offline.record_progress": "marks the signed-in person's own enrolment, lessons of that course only "
                                        "(tests/learning/test_offline.py::test_people_not_enrolled_cannot_send_progress, "
                                        "test_a_lesson_of_another_course_is_refused_and_nothing_of_it_recorded)",
    "learning.certificate": "the signed-in person's own certificate",
    "learning.certificate_pdf": "the signed-in person's own certificate",
    "learning.verify_certificate": "the random code on a certificate is what a verifier is given",
    "feeds.personal_ics": "the secret address is the authority (tests/feeds)",
    "delegations_agenda.my_agenda": "the signed-in person's own agenda: a 404 unless they are confirmed at the "
                                    "activity (tests/delegations/test_agenda_pages.py)",
    "calls.apply": "anyone the activity is open to may apply to its published call; a draft's call is a 404 "
                   "(tests/delegations/test_calls_views.py)",
    "calls.propose": "a focal point proposes for a published call; the people offered are their parliament's",
    "calls.propose_person": "another parliament's person is a 404 (tests/delegations/test_calls_views.py::"
                            "test_another_parliaments_person_cannot_be_proposed)",
    "calls.withdraw": "acts on the signed-in person's own application: another's is a 404 "
                      "(tests/delegations/test_calls_views.py)",
    "delegation_letters.download": "the participant's own current letters only, else a 404 (tests/delegations/"
                                   "test_letters_views.py::test_the_participant_downloads_their_current_letters_only)",
    "delegation_letters.verify": "the random code on a letter is what a consulate is given; it shows a name and an "
                                 "activity, never passport data",
    "gain.take": "the signed-in person takes their own test: a 403 unless confirmed at the activity "
                 "(tests/evaluation/test_gain_views.py::test_people_not_confirmed_cannot_take_the_test)",
    "gain.mine": "the signed-in person's own scores only (tests/evaluation/test_gain_views.py::"
                 "test_one_participant_never_sees_anothers_score)",
    "evaluation_answer.answer": "the signed-in person's own answer: a 404 unless they attended that activity "
                                "(tests/evaluation/test_questionnaires_views.py::test_only_attendees_of_that_activity_may_answer)",
    **{f"mission_reports.{name}": "a mission's report is for its managers, its team and (once validated) the host's "
                                  "focal point; anyone else, another mission's head included, gets a 404 "
                                  "(tests/missions/test_reports_access.py)"
       for name in ("report", "save_findings", "add_recommendation", "edit_recommendation", "remove_recommendation",
                    "move_recommendation", "submit")},
    **{f"mentoring_meetings.{name}": "a mentoring pair's meetings are for its two people, its trainer and "
                                      "administrators; anyone else, another trainer or a focal point included, gets "
                                      "a 404 and nothing is written (tests/mentoring/test_meetings_views.py::"
                                      "test_whoever_does_not_see_the_pair_gets_a_404_and_changes_nothing)"
       for name in ("meetings", "schedule", "edit", "confirm_cancel", "cancel", "mark_held")},
    **{f"mentoring.{name}": "a pair is for its two people, its trainer and administrators (never its log for "
                            "them); anyone else, another trainer or a focal point included, gets a 404 and nothing "
                            "is written (tests/mentoring/test_pair_views.py::test_the_pair_writes_a_private_log_that_"
                            "only_it_and_its_trainer_read, test_nobody_else_writes_in_the_log, "
                            "test_the_pair_marks_its_objectives_and_no_one_else_does)"
       for name in ("pair", "accept", "decline", "objective", "add_note", "review")},
    **{f"placements.{name}": "a placement is for its placed person, tutor, the placed person's focal point and the "
                             "unit; anyone else gets a 404 (tests/placements/test_views.py::test_who_sees_a_placement_"
                             "and_who_gets_a_not_found, test_an_entry_of_another_placement_cannot_be_removed_through_"
                             "mine, test_a_draft_report_is_its_authors_alone_until_submitted)"
       for name in ("placement", "add_entry", "delete_entry", "copy_agenda", "report")},
    **{f"library.{name}": "a resource is open by its access (public, network, a parliament, a pair); a pair's is a "
                          "404 for anyone but the pair and its trainer (tests/library/test_pages.py::"
                          "test_a_pairs_resource_is_not_found_by_anyone_else_even_another_trainer)"
       for name in ("resource", "download")},
    **{f"check_in.{name}": "check-in is for the activity's trainers, administrators and its own helpers: anyone "
                           "else, a trainer or helper of another activity included, gets a 403 and nothing is "
                           "written (tests/onsite/test_check_in_access.py::test_people_without_a_part_in_the_"
                           "activity_are_refused_on_every_route)"
       for name in ("page", "scan", "scans", "helpers", "add", "remove")},
    "accounts.reset_password": "the one-time token is the authority (tests/people)",
    "accounts.accept_invitation": "the one-time token is the authority (tests/people)",
    "notifications.unsubscribe_page": "the signed token is the authority (tests/notifications)",
    "notifications.unsubscribe": "the signed token is the authority (tests/notifications)",
}

# Shared routes given an object not yet (or no longer) public: not found, or sent back with nothing written.
PARTNERS = ("learner", "focal_point")
HIDDEN_OBJECTS = [
    ("scheduling.activity", "GET", {"activity_id": "draft_activity"}, PARTNERS, (404,)),
    ("feeds.activity_ics", "GET", {"activity_id": "draft_activity"}, PARTNERS, (404,)),
    ("scheduling.register", "POST", {"activity_id": "draft_activity"}, PARTNERS, (302, 404)),
    ("scheduling.nominate", "GET", {"activity_id": "draft_activity"}, ("focal_point",), (404,)),
    ("learning.course", "GET", {"slug": "unpublished_course"}, PARTNERS, (404,)),
    ("learning.lesson", "GET", {"slug": "unpublished_course", "lesson_slug": "unpublished_lesson"}, PARTNERS, (404,)),
    ("learning.enrol", "POST", {"slug": "unpublished_course"}, PARTNERS, (404,)),
    ("learning.asset", "GET", {"slug": "unpublished_course", "path": "diagram.png"}, PARTNERS, (404,)),
    ("feeds.course_ics", "GET", {"slug": "unpublished_course"}, PARTNERS, (404,)),
    ("delegations_agenda.my_agenda", "GET", {"activity_id": "draft_activity"}, PARTNERS, (404,)),
]


def reachable_by_partners(rule) -> bool:
    return rule in (PUBLIC, AUTHENTICATED) or bool({"learner", "focal_point"} & set(rule))


def test_every_route_naming_an_object_is_checked_or_explained(app):
    naming_objects = {rule.endpoint for rule in app.url_map.iter_rules()
                      if rule.endpoint != "static" and rule.arguments
                      and reachable_by_partners(app.view_functions[rule.endpoint].access_rule)}
    covered = {case.endpoint for case in OWNED_OBJECTS} | SHARED_OBJECTS.keys()
    assert naming_objects - covered == set(), "add these routes to OWNED_OBJECTS or SHARED_OBJECTS"
    assert covered - naming_objects == set(), "these routes are gone or no longer open to partners"


@pytest.fixture
def world(app, people):
    home, foreign = people["learner"].parliament, factories.make_parliament(name_en="Distant Parliament",
                                                                            country_code="DP")
    foreign_member = factories.make_person(full_name="Zanele Farview", parliament=foreign, kind=PersonKind.MP)
    foreign_focal = factories.make_person(Role.FOCAL_POINT, full_name="Ines Farview", parliament=foreign)
    activity = make_activity(capacity=10, approval_required=True)
    registrations = {}
    for key, person in (("own", people["learner"]), ("foreign", foreign_member)):
        registrations[key] = Registration(activity=activity, person=person, state=RegistrationState.CONFIRMED)
        db.session.add(registrations[key])
    course = make_course(lessons=1, questions=1)
    _, own_attempt = complete_course(people["learner"], course)
    _, foreign_attempt = complete_course(foreign_member, course)
    own_plan, foreign_plan = make_plan(activity, home), make_plan(activity, foreign)
    hidden_course = make_course("unpublished-course", lessons=1, questions=0, extra="published = false",
                                assets={"diagram.png": png_bytes()})
    draft = make_activity(status=ActivityStatus.DRAFT, title="Draft seminar not yet announced")
    devices = {key: SignInDevice(person=person, secret_hash=key * 32, label=f"{person.full_name}'s phone",
                                 trusted_until=utcnow() + timedelta(days=1))
               for key, person in (("aa", people["learner"]), ("bb", foreign_member))}
    db.session.add_all(devices.values())
    db.session.commit()
    from elearn.missions import terms as mission_terms
    from elearn.scheduling.models import Modality

    missions = {key: make_activity(modality=Modality.NEEDS_ASSESSMENT_MISSION, host_parliament_id=parliament.id)
                for key, parliament in (("own", home), ("foreign", foreign))}
    for key, objectives in (("own", "Home library"), ("foreign", "Farview needs a library")):
        mission_terms.save_terms(missions[key], mission_terms.TermsInput(objectives=objectives), None)
    foreign_activity = make_activity(title="Seminar of the Distant Parliament")
    with current_app.test_request_context():
        own_document, foreign_document = (
            documents.add_document(owner, documents.Upload(title, "notes.txt", io.BytesIO(b"Notes.\n")), people["admin"])
            for owner, title in ((activity, "Our agenda"), (foreign_activity, "Distant Parliament budget")))
    from elearn.alumni.models import AlumniEntry

    alumni_entries = {key: AlumniEntry(person_id=person.id, listed=False, show_parliament=True, show_email=True)
                      for key, person in (("own", people["learner"]), ("foreign", foreign_member))}
    db.session.add_all(alumni_entries.values())
    db.session.commit()
    from elearn.assistance import services as assistance
    from elearn.assistance.attachments import FileInput
    from elearn.topics import Topic

    topic = Topic(slug="budget", name_en="Budget", name_fr="Budget")
    db.session.add(topic)
    db.session.flush()
    questions = {key: assistance.ask(person, assistance.QuestionInput(
        title=title, body="How is the quorum counted?", topic_id=topic.id,
        files=[FileInput(f"{key}.txt", io.BytesIO(b"Notes.\n"))]))
        for key, person, title in (("own", people["learner"], "Home question"),
                                   ("foreign", foreign_focal, "Farview needs a library"))}
    tokens, webhooks, deliveries = api_tokens_and_webhooks({"own": people["learner"], "foreign": foreign_member})
    return {
        **{f"{key}_api_token": token.id for key, token in tokens.items()},
        **{f"{key}_webhook": webhook.id for key, webhook in webhooks.items()},
        **{f"{key}_webhook_delivery": delivery.id for key, delivery in deliveries.items()},
        "foreign_activity": foreign_activity.id, "own_document": own_document.id,
        "foreign_document": foreign_document.id,
        "activity": activity.id, "course": course.slug,
        "own_registration": registrations["own"].id, "foreign_registration": registrations["foreign"].id,
        "own_attempt": own_attempt.id, "foreign_attempt": foreign_attempt.id,
        "own_request": make_request(people["focal_point"], title="Home request").id,
        "foreign_request": make_request(foreign_focal, title="Farview needs a library").id,
        "own_plan": own_plan.id, "foreign_plan": foreign_plan.id,
        "own_commitment": own_plan.commitments[0].id, "foreign_commitment": foreign_plan.commitments[0].id,
        "own_parliament": home.id, "foreign_parliament": foreign.id,
        "foreign_person": foreign_member.id,
        "own_device": devices["aa"].id, "foreign_device": devices["bb"].id,
        "draft_activity": draft.id, "unpublished_course": hidden_course.slug,
        "unpublished_lesson": hidden_course.lessons[0].slug,
        "own_mission": missions["own"].id, "foreign_mission": missions["foreign"].id,
        "own_alumni_entry": alumni_entries["own"].id, "foreign_alumni_entry": alumni_entries["foreign"].id,
        "own_question": questions["own"].id, "foreign_question": questions["foreign"].id,
        "own_attachment": questions["own"].attachments[0].id,
        "foreign_attachment": questions["foreign"].attachments[0].id,
    }


def api_tokens_and_webhooks(owners: dict) -> tuple[dict, dict, dict]:
    """For each owner: an API token, a webhook subscription and one failed delivery of it (which may be sent again)."""
    from elearn.api.scopes import Scope
    from elearn.api.tokens import create_token
    from elearn.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription

    tokens, webhooks, deliveries = {}, {}, {}
    for key, person in owners.items():
        label = f"{person.full_name} HR system"
        tokens[key] = create_token(person, label, [Scope.READ_SELF], 30).token
        webhooks[key] = WebhookSubscription(owner_id=person.id, name=label, url=f"https://hr.example.org/{key}",
                                            secret="whsec_c2VjcmV0", events="registration.confirmed")
        db.session.add(webhooks[key])
        db.session.flush()
        deliveries[key] = WebhookDelivery(subscription_id=webhooks[key].id, event=WebhookEvent.REGISTRATION_CONFIRMED,
                                          event_id=f"msg_{key}", payload={}, status=DeliveryStatus.FAILED, attempts=8)
        db.session.add(deliveries[key])
    db.session.commit()
    return tokens, webhooks, deliveries


def snapshot() -> dict[str, list]:
    """Every row of every table but the audit log (refusals are audited on purpose)."""
    db.session.commit()  # end the test's read transaction, so the requests' writes are visible
    return {table.name: sorted(map(tuple, db.session.execute(table.select()).all()), key=repr)
            for table in db.metadata.sorted_tables if table.name != AuditEvent.__tablename__}


def request(client, world, endpoint, method, arguments, data=None):
    with client.application.test_request_context():
        url = url_for(endpoint, **{name: world.get(value, value) for name, value in arguments.items()})
    if method == "GET":
        return client.get(url)
    form = {name: str(world.get(value, value)) for name, value in (data or {}).items()}
    form["csrf_token"] = csrf_token(client, "/account/forgot")
    return client.post(url, data=form)


FOREIGN_TEXTS = ("Zanele Farview", "Ines Farview", "Farview needs a library", "Distant Parliament")


@pytest.mark.parametrize("case", OWNED_OBJECTS, ids=repr)
def test_another_persons_or_parliaments_object_is_refused(login_as, world, case):
    for role in case.roles:
        client = login_as(role)
        before = snapshot()
        response = request(client, world, case.endpoint, case.method, case.foreign, case.data)
        assert response.status_code in case.refused, f"{role}: {case.endpoint} answered {response.status_code}"
        assert snapshot() == before, f"{role}: {case.endpoint} wrote something"
        page = text(response)
        assert not [name for name in FOREIGN_TEXTS if name in page], f"{role} saw the other parliament's data"


@pytest.mark.parametrize("case", OWNED_OBJECTS, ids=repr)
def test_the_same_route_works_with_ones_own_object(login_as, world, people, case):
    """The control: the refusal above is about whose object it is, not a broken URL."""
    role = case.roles[-1]
    data = {**case.data, "person_id": "own_member"} if "person_id" in case.data else case.data
    if "person_id" in case.data:
        world["own_member"] = factories.make_person(full_name="Home Colleague", kind=PersonKind.MP,
                                                    parliament=people["focal_point"].parliament).id
        db.session.commit()
    client = login_as(role)
    response = request(client, world, case.endpoint, case.method, case.own, data)
    assert response.status_code in (200, 302), f"{case.endpoint} with one's own object: {response.status_code}"


@pytest.mark.parametrize("endpoint, method, arguments, roles, answers", HIDDEN_OBJECTS,
                         ids=[f"{case[0]}" for case in HIDDEN_OBJECTS])
def test_objects_not_yet_public_are_not_found(login_as, world, endpoint, method, arguments, roles, answers):
    for role in roles:
        client = login_as(role)
        before = snapshot()
        response = request(client, world, endpoint, method, arguments)
        assert response.status_code in answers, f"{role}: {endpoint} answered {response.status_code}"
        assert snapshot() == before
        assert "Draft seminar not yet announced" not in text(response)


def test_a_focal_point_lists_only_their_own_parliaments_requests_and_plans(login_as, world):
    client = login_as("focal_point")
    for path in ("/cooperation/requests", "/cooperation/follow-up", "/my/schedule"):
        page = text(client.get(path))
        assert not [name for name in FOREIGN_TEXTS if name in page], path
    assert db.session.scalar(select(Registration.state).where(Registration.id == world["foreign_registration"])) \
        == RegistrationState.CONFIRMED


def test_trainers_still_preview_a_withdrawn_course_and_learners_keep_their_certificate(login_as, world, people):
    trainer = login_as("trainer")
    course_page = trainer.get(f"/courses/{world['unpublished_course']}")
    image = trainer.get(f"/courses/{world['unpublished_course']}/assets/diagram.png")
    assert course_page.status_code == 200 and image.status_code == 200
    assert image.headers["Cache-Control"].startswith("private")  # no shared cache may keep it

    from elearn.learning.models import Course
    course = db.session.scalar(select(Course).where(Course.slug == world["course"]))
    course.published = False
    db.session.commit()
    learner = login_as("learner")
    assert learner.get(f"/courses/{world['course']}").status_code == 404
    certificate = learner.get(f"/courses/{world['course']}/certificate")
    assert certificate.status_code == 200 and "Sample course sample-course" in text(certificate)
    my_learning = learner.get("/my-learning").get_data(as_text=True)
    assert "This course has been withdrawn." in my_learning
    assert f'href="/courses/{world["course"]}"' not in my_learning  # no link to a page that is gone
    assert f'href="/courses/{world["course"]}/certificate"' in my_learning
