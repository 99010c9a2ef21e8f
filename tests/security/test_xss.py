"""Stored XSS sweep: a hostile payload in every text column, then every page, mail, feed and export checked.

The text columns come from the models themselves (every String, Text and JSON
column of every mapper): a new one fails `test_every_text_column_is_seeded_or_excluded`
until the seeding below writes the payload into it or EXCLUDED says why it
cannot hold user text. Pages are every GET rule of the URL map, its arguments
filled from the seeded rows, visited as each role.
"""
from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from base64 import b64decode
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import url_for
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import JSON, Enum, String, Text, func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from elearn.access import Role
from elearn.cooperation import services as cooperation
from elearn.cooperation.models import CommitmentOwner, CommitmentStatus, RequestStatus
from elearn.delegations import agenda, institutions
from elearn.delegations.agenda_models import InstitutionKind
from elearn.extensions import db
from elearn.feeds import services as feed_services
from elearn.learning.enrolling import enrol_people
from elearn.learning.importing import import_path
from elearn.learning.lookups import active_lessons, active_questions, enrolment_for
from elearn.learning.models import Certificate, Course, CourseAsset, QuizAttempt
from elearn.learning.progress import mark_lesson_done
from elearn.learning.quizzes import submit_quiz
from elearn.mail import services as mail_services
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.notifications.digest import send_digests
from elearn.notifications.models import OptionalMail
from elearn.notifications.reminders import send_reminders
from elearn.notifications.services import unsubscribe_token
from elearn.people import services as people_services
from elearn.people.affiliations import PoliticalAffiliation
from elearn.people.importing import ImportFileError, import_people
from elearn.people.models import Person, PersonKind, PoliticalSide, TokenPurpose
from elearn.scheduling import services as scheduling
from elearn.scheduling.models import ActivityStatus, Modality, Registration
from elearn.topics import Topic, seed_topics
from tests import factories
from tests.cooperation.factories import make_plan, make_request
from tests.feeds.helpers import icaljs, lines, values
from tests.helpers import csrf_token, run_jobs, sign_in
from tests.scheduling.factories import make_programme, one_session
from tests.security.xss_exchange import seed_peer_exchange

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
CRLF = "\r\nX-Injected: alert(1)\r\n"
# Every part in the middle of the text, so that .strip() keeps it all.
HOSTILE = SCRIPT + CRLF + IMG + "'"
MARKER = "alert(1)"
MARKDOWN = (f"Intro {SCRIPT}\n\n{IMG}\n\n[click](javascript:alert(1)) "
            f"<a href=\"javascript:alert(1)\">raw</a>\n\n<iframe src=\"javascript:alert(1)\"></iframe>\n")
# The course checker refuses an <img> written as HTML in a lesson (images are Markdown, next to the lesson),
# so a lesson carries the same attack in an element it lets through to the sanitiser.
LESSON_MARKDOWN = MARKDOWN.replace(IMG, '"><svg onload=alert(1)>')
# A link is possible in the online address: the services only take http(s) without spaces, so the payload
# rides in it with slashes where spaces would be (HTML reads `<img/src=x/onerror=...>` as attributes).
HOSTILE_URL = 'https://meet.example/join?x="><img/src=x/onerror=alert(1)>'
# A webhook's address must resolve (to loopback, allowed in tests) without a network: an address literal.
HOSTILE_HOOK_URL = 'https://127.0.0.1/join?x="><img/src=x/onerror=alert(1)>'
# A spreadsheet formula as well, for the exports.
FORMULA = '=HYPERLINK("http://evil.example","alert(1)")'

# Text columns that cannot hold text a user or trainer writes, with the reason.
EXCLUDED = {
    ("Activity", "description_html"): "derived: sanitised HTML the services render from description_md (seeded)",
    ("Activity", "languages"): "language codes checked against the language table (elearn/languages.py)",
    ("Activity", "venue_country"): "a two-letter country code from a select list",
    ("Activity", "timezone"): "an IANA zone name checked against zoneinfo",
    ("AuditEvent", "ip_address"): "the request's remote address",
    ("AuditEvent", "object_type"): "a fixed word chosen by the code",
    ("Certificate", "code"): "generated from a fixed alphabet",
    ("CostLine", "currency"): "checked against the ISO 4217 codes (delegations/costs.py)",
    ("InvitationLetter", "language"): "a language code checked against the letter's languages",
    ("InvitationLetter", "code"): "generated from a fixed alphabet",
    ("InvitationLetter", "place"): "made from the activity's venue and city (seeded)",
    ("InvitationLetter", "funder_name"): "a copy of the programme's funders (seeded)",
    ("Logistics", "per_diem_currency"): "checked against the ISO 4217 codes (delegations/logistics.py)",
    ("Logistics", "passport_country"): "checked against the ISO 3166 codes (delegations/logistics.py)",
    ("Call", "standard_questions"): "keys of the standard questions, from a fixed list (delegations/calls_models.py)",
    ("MissionReport", "findings_html"): "derived: sanitised HTML the services render from findings_md (seeded)",
    ("AgendaItem", "briefing_html"): "derived: sanitised HTML the services render from briefing_md (seeded)",
    ("Institution", "country"): "a two-letter country code checked by the directory's service",
    ("Institution", "contact_email"): "checked as an email address by the directory's service",
    ("Response", "id"): "a random key made by the application",
    ("Answer", "response_id"): "a random key made by the application",
    ("Questionnaire", "default_for_modalities"): "modality values from a select list",
    ("Questionnaire", "slug"): "made from the title by the service: letters, digits and hyphens only",
    ("Course", "slug"): "checked against SLUG_RE by the course loader",
    ("Course", "topics"): "topic slugs checked against the reference topics",
    ("Course", "languages"): "language codes checked by the course loader",
    ("Course", "content_hash"): "a SHA-256",
    ("CourseAsset", "content_type"): "guessed by mimetypes from the file suffix (an allowed list)",
    ("CourseAsset", "sha256"): "a SHA-256",
    ("FeedCache", "key"): "a SHA-256",
    ("FeedCache", "validator"): "a SHA-256",
    ("FeedCache", "fingerprint"): "a SHA-256",
    ("FeedCache", "etag"): "a SHA-256",
    ("FeedVersion", "scope"): "`public` or `person:<id>`, made by the application",
    ("FeedToken", "token_hash"): "a SHA-256",
    ("Lesson", "slug"): "checked against LESSON_FILE_RE by the course loader",
    ("NeedsRequest", "language"): "a language code from a select list",
    ("NotificationPreference", "languages"): "language codes from a select list",
    ("OneTimeToken", "token_hash"): "a SHA-256",
    ("OutboxMessage", "kind"): "a template name chosen by the code",
    ("OutboxMessage", "headers"): "written by the code (List-Unsubscribe); checked in the mail sweep",
    ("OutboxMessage", "attachments"): "calendar files the code builds; checked in the mail sweep",
    ("OutboxMessage", "claimed_by"): "the sender's host name and process id",
    ("Job", "kind"): "a job kind chosen by the code; no page shows jobs",
    ("Job", "locked_by"): "the worker's host name and process id; no page shows jobs",
    ("Job", "last_error"): "an exception's text in the worker's log; no page shows jobs",
    ("Parliament", "country_code"): "a two-letter country code from a select list",
    ("PasswordResetRequest", "email"): "checked by ValidEmail in the form; never shown, deleted by the mail sender",
    ("Parliament", "working_languages"): "language codes from a select list",
    ("Person", "password_hash"): "a password hash",
    ("ExpertLanguage", "language"): "a code of elearn.languages.WORKING_LANGUAGES, checked by missions/roster.py",
    ("Person", "preferred_language"): "a language code checked against LANGUAGES",
    ("Person", "timezone"): "an IANA zone name checked against zoneinfo",
    ("Person", "session_key"): "a random token",
    ("RecoveryCode", "code_hash"): "a SHA-256",
    ("SignInDevice", "secret_hash"): "a SHA-256",
    ("SignInDevice", "session_key"): "a copy of Person.session_key",
    ("TwoFactorCredential", "secret"): "a base32 secret made by pyotp",
    ("Programme", "slug"): "checked as a slug by the programme form",
    ("QuizAnswer", "chosen"): "option keys checked against the quiz",
    ("QuizOption", "key"): "checked against SLUG_RE by the course loader",
    ("QuizQuestion", "key"): "checked against SLUG_RE by the course loader",
    ("SentReminder", "kind"): "a fixed word chosen by the code",
    ("TermsVersion", "changed_fields"): "names of TERMS_FIELDS chosen by the code (elearn/missions/terms.py)",
    ("Topic", "slug"): "reference data from elearn/topics.py",
    ("Document", "content_type"): "sniffed from the file's bytes, from a fixed list (documents/sniffing.py)",
    ("Document", "sha256"): "a SHA-256",
    ("Document", "storage_key"): "a random key made by the storage",
    ("MentoringPair", "language"): "a code of WORKING_LANGUAGES, checked by mentoring/pairs.py",
    ("MentoringMeeting", "timezone"): "one of the IANA zones offered, checked by mentoring/meetings.py",
    ("Placement", "timezone"): "an IANA zone name checked against zoneinfo",
    ("LibraryResource", "language"): "a code of WORKING_LANGUAGES, checked by library/services.py",
    ("LibraryResource", "content_type"): "sniffed from the file's bytes, from a fixed list (documents/sniffing.py)",
    ("LibraryResource", "sha256"): "a SHA-256",
    ("LibraryResource", "storage_key"): "a random key made by the storage",
    ("AssistanceAttachment", "content_type"): "sniffed from the file's bytes, from a fixed list (documents/sniffing.py)",
    ("AssistanceAttachment", "sha256"): "a SHA-256",
    ("AssistanceAttachment", "storage_key"): "a random key made by the storage",
    ("ApiToken", "prefix"): "the first characters of the token's random secret",
    ("ApiToken", "secret_hash"): "a SHA-256",
    ("ApiToken", "scopes"): "values of elearn.api.scopes.Scope, checked against the person's role",
    ("WebhookSubscription", "secret"): "a random signing secret made by the application (shown once)",
    ("WebhookSubscription", "events"): "values of WebhookEvent from a checkbox list",
    ("WebhookDelivery", "event_id"): "a random id made by the application",
    ("WebhookDelivery", "payload"): "built by the code from ids, states and times (webhooks/receivers.py); no page "
                                    "shows it",
    ("WebhookDelivery", "claimed_by"): "the sender's host name and process id",
    ("Ticket", "code"): "generated from a fixed alphabet (onsite/tickets.py)",
    ("CheckInScan", "scan_id"): "a scanner's id, letters, digits and . _ : - only (onsite/checkin_views.py); no page "
                                "shows it",
    ("CheckInScan", "code"): "normalised to digits and capitals before it is stored (onsite/tickets.py); no page "
                             "shows it",
    ("CheckInScan", "reason"): "a word of onsite.wording.Reason; pages show its translated label",
}

ROLES = ("anonymous", "learner", "focal_point", "trainer", "admin")


def toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a TOML basic string


def write_hostile_course(root: Path, slug: str) -> None:
    """A course folder as trainers write them, hostile in every text it has."""
    folder = root / slug
    (folder / "assets").mkdir(parents=True)
    (folder / "course.toml").write_text("\n".join([
        f'slug = "{slug}"', "version = 1", 'audience = "both"', 'topics = ["committee-work"]',
        "estimated_minutes = 30", 'languages = ["en"]', "pass_mark = 50", "self_enrolment = true",
        "induction = true", "",
        "[title]", f"en = {toml_string(HOSTILE)}", "", "[summary]", f"en = {toml_string(HOSTILE)}", ""]),
        encoding="utf-8")
    for number in (1, 2):
        (folder / f"0{number}-lesson-{number}.en.md").write_text(
            f"+++\ntitle = {toml_string(HOSTILE)}\nminutes = 5\n+++\n\n{LESSON_MARKDOWN}", encoding="utf-8")
    (folder / "quiz.en.toml").write_text(
        f'[[questions]]\nid = "q1"\nkind = "single"\nprompt = {toml_string(HOSTILE)}\n'
        f"explanation = {toml_string(HOSTILE)}\n"
        f'  [[questions.options]]\n  id = "a"\n  text = {toml_string(HOSTILE)}\n  correct = true\n'
        f'  [[questions.options]]\n  id = "b"\n  text = {toml_string(HOSTILE)}\n  correct = false\n',
        encoding="utf-8")
    # A file name may carry the payload too (no slash in a file name). Its content is a plain drawing: the
    # checker refuses an SVG with a script (tests/learning/test_content.py), and the asset test below checks
    # that a served SVG could run none anyway.
    (folder / "assets" / f"x{IMG}.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>',
        encoding="utf-8")


def seed_api_tokens_and_webhooks(people: dict):
    """Everyone's API token and webhook subscription hostile in its name (the address too, where the check of
    addresses lets the payload ride in the query); the learner's has a failed delivery whose receiver answered
    with hostile text. The learner's subscription is returned (its log page)."""
    from elearn.api.scopes import allowed_scopes
    from elearn.api.tokens import create_token
    from elearn.webhooks.models import DeliveryStatus, WebhookEvent
    from elearn.webhooks.receivers import queue_delivery
    from elearn.webhooks.subscriptions import create_subscription

    subscriptions = {}
    for role, person in people.items():
        create_token(person, HOSTILE, allowed_scopes(person), 30)
        subscriptions[role] = create_subscription(person, HOSTILE, HOSTILE_HOOK_URL, list(WebhookEvent))
    delivery = queue_delivery(subscriptions["learner"], WebhookEvent.ACTIVITY_CHANGED, {"activity_id": 1})
    delivery.status, delivery.attempts, delivery.last_status_code = DeliveryStatus.FAILED, 8, 500
    delivery.last_error = HOSTILE
    db.session.commit()
    return subscriptions["learner"]


@dataclass
class World:
    people: dict
    ids: dict = field(default_factory=dict)        # URL argument name -> value
    by_endpoint: dict = field(default_factory=dict)  # (endpoint, argument) -> value
    mail_templates: set = field(default_factory=set)


def seed_questionnaire(main, learner, other):
    """A hostile questionnaire on the hostile activity: the learner attended (invited, then reminded); another
    person answered with hostile text, and with hostile choices the service would refuse, stored directly."""
    from elearn.evaluation import attaching, responding, sending
    from elearn.evaluation import questionnaires as evaluation
    from elearn.evaluation.models import Answer, QuestionKind
    from elearn.scheduling.models import Attendance, AttendanceStatus

    both = {"en": HOSTILE, "fr": HOSTILE + " FR"}
    questionnaire = evaluation.create_questionnaire(evaluation.QuestionnaireInput(title=both, intro=both))
    for kind, extra in ((QuestionKind.RATING, dict(scale_points=2, scale_labels={"en": [HOSTILE, HOSTILE]})),
                        (QuestionKind.SINGLE, dict(option_labels={"en": [HOSTILE, HOSTILE + "2"]})),
                        (QuestionKind.MULTIPLE, dict(option_labels={"en": [HOSTILE, HOSTILE + "2"]}, required=False)),
                        (QuestionKind.TEXT, {}), (QuestionKind.SESSION_RATING, dict(scale_points=3))):
        evaluation.add_question(questionnaire, evaluation.QuestionInput(kind, both, **extra))
    attached = attaching.attach(main, questionnaire.id)
    seat = db.session.scalar(select(Registration).where(Registration.activity_id == main.id,
                                                        Registration.person_id == learner.id))
    db.session.add(Attendance(registration_id=seat.id, session_id=main.sessions[0].id,
                              status=AttendanceStatus.PRESENT))
    db.session.commit()
    sending.send_due(main.ends_at + timedelta(hours=1))
    sending.send_due(main.ends_at + timedelta(days=8))
    rating, single, multiple, free, per_session = questionnaire.questions
    response = responding.submit(attached, other, [
        responding.AnswerInput(rating.id, rating=2), responding.AnswerInput(single.id, choices=("o1",)),
        responding.AnswerInput(free.id, text=FORMULA + HOSTILE),
        responding.AnswerInput(per_session.id, main.sessions[0].id, rating=3)], main.ends_at + timedelta(days=2))
    db.session.add(Answer(response_id=response.id, question_id=multiple.id, choices=[HOSTILE]))
    db.session.commit()
    return questionnaire


def seed_mission(activity_values: dict, trainer, parliament):
    """A hostile mission whose head has a hostile name: the mission hub shows both."""
    from elearn.missions import team
    from elearn.missions.models import ExpertProfile, TeamRole

    mission = scheduling.create_activity(scheduling.ActivityInput(
        title=HOSTILE + " mission", sessions=one_session(days_ahead=40),
        **{**activity_values, "modality": Modality.TECHNICAL_ASSISTANCE_MISSION}), created_by=trainer)
    scheduling.set_status(mission, ActivityStatus.PUBLISHED)
    head = factories.make_person(Role.LEARNER, email="mission.head@example.org", full_name=HOSTILE,
                                 parliament=parliament)
    db.session.add(ExpertProfile(person=head))
    db.session.commit()
    team.add_member(mission, head, TeamRole.HEAD, actor=trainer)
    return mission


@pytest.fixture
def world(app, monkeypatch, client):
    """Seed the payload everywhere, through the services where they exist (so every mail goes)."""
    rendered = set()
    real_render = mail_services.render_template

    def spy(name, **context):
        rendered.add(name)
        return real_render(name, **context)

    monkeypatch.setattr(mail_services, "render_template", spy)

    seed_topics()
    topic = Topic(slug="hostile-topic", name_en=HOSTILE, name_fr=HOSTILE, name_es=HOSTILE, name_pt=HOSTILE,
                  name_ar=HOSTILE)
    db.session.add(topic)
    parliament = factories.make_parliament(name_en=HOSTILE + " EN", name_fr=HOSTILE + " FR", name_es=HOSTILE + " ES",
                                           name_pt=HOSTILE + " PT", name_ar=HOSTILE + " AR",
                                           chamber_name=HOSTILE, country_code="GM")
    people = {
        "learner": factories.make_person(Role.LEARNER, email="learner@example.org", full_name=HOSTILE,
                                         position=FORMULA + HOSTILE, parliament=parliament, kind=PersonKind.MP,
                                         political_side=PoliticalSide.RULING),
        "focal_point": factories.make_person(Role.FOCAL_POINT, email="focal@example.org", full_name=HOSTILE,
                                             parliament=parliament),
        "trainer": factories.make_person(Role.TRAINER, email="trainer@example.org", full_name=HOSTILE),
        "admin": factories.make_person(Role.ADMIN, email="admin@example.org", full_name=HOSTILE),
    }
    # An address the sign-up checks let through, shown on the admin pages.
    odd = factories.make_person(Role.LEARNER, email="<script>alert(1)</script>@evil.example", full_name=HOSTILE,
                                parliament=parliament)
    # A member elected last month, not enrolled: invited to the (hostile) induction course.
    factories.make_person(Role.LEARNER, email="newcomer@example.org", full_name=HOSTILE, parliament=parliament,
                          kind=PersonKind.MP, term_started_on=date.today() - timedelta(days=30))
    db.session.add(PoliticalAffiliation(person_id=people["learner"].id, side=PoliticalSide.RULING,
                                        effective_from=date(2020, 1, 1), note=HOSTILE))
    programme = make_programme(slug="hostile-programme", title=HOSTILE, funders=[HOSTILE], partners=[parliament])

    with tempfile.TemporaryDirectory() as folder:
        write_hostile_course(Path(folder), "hostile-course")
        import_path(Path(folder))
    course = db.session.scalar(select(Course).where(Course.slug == "hostile-course"))

    trainer, learner, focal = people["trainer"], people["learner"], people["focal_point"]
    activity_values = dict(
        modality=Modality.SEMINAR, timezone="Europe/Paris", description_md=MARKDOWN, venue_name=HOSTILE,
        venue_address=HOSTILE, venue_city=HOSTILE, venue_country="FR", online_url=HOSTILE_URL,
        programme_id=programme.id, topic_ids=(topic.id,), trainer_ids=(trainer.id,),
        host_parliament_id=parliament.id, course_id=course.id, languages=("en",))
    sessions = (scheduling.SessionInput(start_date=one_session()[0].start_date, start_time=one_session()[0].start_time,
                                        end_time=one_session()[0].end_time, title=HOSTILE),)
    main = scheduling.create_activity(scheduling.ActivityInput(title=HOSTILE, sessions=sessions, capacity=1,
                                                               **activity_values), created_by=trainer)
    scheduling.set_status(main, ActivityStatus.PUBLISHED)
    approval = scheduling.create_activity(scheduling.ActivityInput(
        title=HOSTILE + " approval", sessions=one_session(days_ahead=30), approval_required=True,
        **activity_values), created_by=trainer)
    scheduling.set_status(approval, ActivityStatus.PUBLISHED)
    doomed = scheduling.create_activity(scheduling.ActivityInput(
        title=HOSTILE + " cancelled", sessions=one_session(days_ahead=40), **activity_values), created_by=trainer)
    scheduling.set_status(doomed, ActivityStatus.PUBLISHED)

    # Registrations: confirmed, waitlisted, nominated (requested), declined with a message, withdrawn, promoted.
    scheduling.register(main.id, learner)
    scheduling.register(main.id, odd)
    scheduling.nominate(approval.id, learner, focal)
    requested = db.session.scalar(select(Registration).where(Registration.activity_id == approval.id))
    scheduling.decide(requested, False, HOSTILE)
    scheduling.register(approval.id, odd)
    scheduling.register(doomed.id, learner)
    scheduling.register(doomed.id, odd)
    odd_seat = db.session.scalar(select(Registration).where(Registration.activity_id == doomed.id,
                                                            Registration.person_id == odd.id))
    scheduling.withdraw(odd_seat)
    scheduling.update_activity(doomed, scheduling.activity_input(doomed, venue_name=HOSTILE + " moved"))
    # The worker writes the change mails before the cancellation: a change to an activity cancelled since is not sent.
    run_jobs()
    scheduling.set_status(doomed, ActivityStatus.CANCELLED)
    run_jobs()

    # The visit agenda: a hostile institution and an item for everyone (its invitation mail goes to the learner).
    institution = institutions.save_institution(institutions.InstitutionInput(
        name=HOSTILE, kind=InstitutionKind.OTHER, address=HOSTILE, city=HOSTILE, country="FR", contact_name=HOSTILE,
        contact_phone=HOSTILE[:40]))
    first = main.sessions[0]
    agenda_item = agenda.create_item(main, agenda.AgendaItemInput(
        session_id=first.id, day=first.local_start.date(), start_time=first.local_start.time(),
        end_time=first.local_end.time(), title=HOSTILE, institution_id=institution.id, host=HOSTILE, room=HOSTILE,
        briefing_md=MARKDOWN))
    run_jobs()

    # Courses: enrolment by a trainer (mail), then completed with a certificate.
    enrol_people(course, [learner], by=trainer)
    enrolment = enrolment_for(learner, course)
    for lesson in active_lessons(course):
        mark_lesson_done(enrolment, lesson)
    form = {f"question-{q.id}": str(next(o.id for o in q.options if o.is_correct))
            for q in active_questions(course)}
    attempt = submit_quiz(enrolment, form)

    # Cooperation: a request answered, a plan with commitments and reviews.
    needs = make_request(focal, title=HOSTILE, need=HOSTILE, services=HOSTILE)
    cooperation.change_status(needs, RequestStatus.UNDER_ASSESSMENT, actor=trainer, answer=HOSTILE)
    today = date.today()
    plan = make_plan(main, parliament, actor=trainer, agreed_on=today - timedelta(days=1), commitments=(
        cooperation.CommitmentInput(description=HOSTILE, owner=CommitmentOwner.PARTNER,
                                    due_on=today + timedelta(days=1), responsible=HOSTILE),
        cooperation.CommitmentInput(description=HOSTILE, owner=CommitmentOwner.ASSISTING,
                                    due_on=today + timedelta(days=1), responsible=HOSTILE)))
    plan.summary = HOSTILE
    db.session.commit()
    cooperation.update_commitment(plan.commitments[0], CommitmentStatus.IN_PROGRESS, HOSTILE, focal)
    held = cooperation.schedule_review(plan, today - timedelta(days=1))
    cooperation.write_review(held, held_on=today, notes=HOSTILE, actor=trainer)
    due = cooperation.schedule_review(plan, today + timedelta(days=1))

    # Accounts: a password reset and an invitation; a failed sign-in audited with what was typed.
    people_services.request_password_reset(learner.email)
    people_services.send_invitation(odd, trainer)
    sign_in(client, "<script>alert(1)</script>@evil.example", "wrong password")
    invitation_secret = people_services.issue_token(odd, TokenPurpose.INVITATION)
    reset_secret = people_services.issue_token(learner, TokenPurpose.PASSWORD_RESET)
    db.session.commit()

    # Reminders (the day before the first session) and the weekly digest.
    send_reminders()  # commitments and reviews due tomorrow
    send_reminders(now=main.starts_at - timedelta(hours=23))
    send_digests()
    # A delivery failure as an SMTP server may word it, shown on the outbox page.
    db.session.add(OutboxMessage(kind="test", to_address=odd.email, subject=HOSTILE, body_text=HOSTILE,
                                 body_html=HOSTILE, status=OutboxStatus.FAILED, last_error=HOSTILE))
    # A device named from a hostile User-Agent, on everyone's "Your devices" page.
    from elearn.database import utcnow
    from elearn.people.sign_in_models import SignInDevice

    for n, person in enumerate(people.values()):
        db.session.add(SignInDevice(person=person, secret_hash=f"{n:064d}", label=HOSTILE[:100],
                                    trusted_until=utcnow() + timedelta(days=1)))
    db.session.commit()

    # A cost line of the hostile activity (its programme and funder are hostile too), for the cost pages and exports.
    from elearn.delegations import costs

    cost_line = costs.add_line(main, costs.CostInput(category="venue", payer="ministry", planned_amount="10",
                                                     currency="EUR", description=FORMULA + HOSTILE), trainer)
    # An indicator of the hostile programme, hostile in its title, unit, description and the note of its value.
    from elearn.evaluation import indicators as indicator_service

    indicator = indicator_service.save_indicator(programme, indicator_service.IndicatorInput(
        title=HOSTILE, measure="manual", target_value=5, unit=MARKER, description=FORMULA + HOSTILE), actor=trainer)
    indicator_service.record_value(indicator, indicator_service.ValueInput(
        date(date.today().year, 1, 1), date(date.today().year, 12, 31), "1", FORMULA + HOSTILE), actor=trainer)
    # The learner's travel, stay and passport on the hostile activity, and the visa letter made from them.
    from elearn.delegations import letters
    from elearn.delegations.logistics_models import Logistics, Payer

    seat = db.session.scalar(select(Registration).where(Registration.activity_id == main.id,
                                                        Registration.person_id == learner.id))
    db.session.add(Logistics(registration=seat, travel_paid_by=Payer.PROGRAMME, stay_paid_by=Payer.MINISTRY,
                             arrival_reference=HOSTILE[:40], arrival_place=HOSTILE[:120],
                             departure_reference=HOSTILE[:40], departure_place=HOSTILE[:120],
                             hotel_name=FORMULA + HOSTILE, hotel_address=HOSTILE, per_diem_currency="EUR",
                             dietary_needs=HOSTILE, accessibility_needs=HOSTILE, passport_number=HOSTILE[:40],
                             passport_country="GM", visa_needed=True, arrival_at=main.starts_at - timedelta(hours=20),
                             departure_at=main.ends_at + timedelta(hours=3),
                             check_in_on=(main.starts_at - timedelta(hours=20)).date(),
                             check_out_on=(main.ends_at + timedelta(days=1)).date(),
                             per_diem_amount=10, per_diem_days=2))
    db.session.commit()
    letter = letters.issue(seat, "en", trainer)
    from elearn.onsite import ticketing

    ticketing.reissue(seat, trainer)  # the new ticket's mail, with the hostile name and title
    from elearn.documents import services as documents

    document = documents.add_document(main, documents.Upload(HOSTILE, HOSTILE + ".txt", io.BytesIO(b"Notes.\n")),
                                      trainer)
    # A call on the hostile activity with its own question; an application answered and declined with hostile text.
    from elearn.database import utcnow as now_utc
    from elearn.delegations import calls, selection
    from elearn.delegations.calls_models import ApplicationStatus

    call = calls.save_call(main, calls.CallInput(opens_at=now_utc() - timedelta(days=1),
                                                 deadline=main.starts_at - timedelta(hours=1), intro=HOSTILE,
                                                 standard_questions=("motivation",), custom_questions=(HOSTILE,)),
                           calls.TargetInput(), actor=trainer)
    application = calls.apply(call, odd, {key: FORMULA + HOSTILE for key, _text in calls.questions(call)})
    selection.decide(application, ApplicationStatus.DECLINED, HOSTILE, actor=trainer)
    mission = seed_mission(activity_values, trainer, parliament)
    feed_secret = feed_services.issue_token(learner, include_tentative=True)
    db.session.commit()
    questionnaire = seed_questionnaire(main, learner, odd)
    certificate = db.session.scalar(select(Certificate))
    asset = db.session.scalar(select(CourseAsset))
    lesson = active_lessons(course)[0]
    from elearn.evaluation import gain
    gain.set_test(main, course.quiz.id, None)  # the hostile quiz as the activity's learning test
    # A hostile mission's terms in two versions (the focal point is mailed each), agreed (its managers are mailed).
    from elearn.missions import terms as mission_terms

    mission = scheduling.create_activity(scheduling.ActivityInput(
        title=HOSTILE + " mission", sessions=one_session(days_ahead=50),
        **{**activity_values, "modality": Modality.NEEDS_ASSESSMENT_MISSION}), created_by=trainer)
    hostile_terms = mission_terms.TermsInput(objectives=HOSTILE, expected_outputs=HOSTILE,
                                             counterpart_institution=HOSTILE[:200], counterpart_contacts=HOSTILE,
                                             body_md=MARKDOWN)
    mission_terms.save_terms(mission, hostile_terms, trainer)
    mission_terms.save_terms(mission, mission_terms.TermsInput(**{**hostile_terms.__dict__,
                                                                  "body_md": MARKDOWN + "\n" + HOSTILE}), trainer)
    mission_terms.agree(mission, focal, 2)
    # An expert of an assisting parliament, hostile in every free text of the profile (roster pages).
    from elearn.missions.models import ExpertAvailability, ExpertLanguage, ExpertProfile, LanguageLevel

    expert = factories.make_person(full_name=HOSTILE[:200], parliament=factories.make_parliament(
        gives_assistance=True))
    profile = ExpertProfile(person_id=expert.id, summary=HOSTILE, keywords=[HOSTILE[:40], MARKER],
                            travel_note=HOSTILE[:300])
    profile.languages = [ExpertLanguage(language="fr", level=LanguageLevel.FLUENT)]
    profile.availability = [ExpertAvailability(starts_on=date.today(), ends_on=date.today() + timedelta(days=30),
                                               note=HOSTILE[:200])]
    db.session.add(profile)
    # A mission that began yesterday, headed by the (hostile) learner: a validated hostile report whose
    # recommendations led to the hostile request, a commitment of the hostile plan and the hostile programme.
    from elearn.missions import reports as mission_reports
    from elearn.missions.models import MissionTeamMember, TeamRole
    from elearn.missions.report_models import Priority

    mission = scheduling.create_activity(scheduling.ActivityInput(
        title=HOSTILE + " mission", sessions=one_session(days_ahead=-1),
        **{**activity_values, "modality": Modality.NEEDS_ASSESSMENT_MISSION}), created_by=trainer)
    scheduling.set_status(mission, ActivityStatus.PUBLISHED)
    db.session.add(MissionTeamMember(activity_id=mission.id, person_id=learner.id, role=TeamRole.HEAD))
    db.session.commit()
    mission_reports.save_findings(mission, learner, MARKDOWN)
    hostile_recs = [mission_reports.add_recommendation(mission, learner, HOSTILE, Priority.HIGH) for _ in range(3)]
    mission_reports.submit(mission, learner)
    mission_reports.validate(mission, trainer)
    hostile_recs[0].needs_request_id = needs.id
    hostile_recs[1].commitment_id = plan.commitments[0].id
    hostile_recs[2].programme_id = programme.id
    db.session.commit()
    subscription = seed_api_tokens_and_webhooks(people)
    exchange_ids, exchange_endpoints = seed_peer_exchange(people, topic, programme, main, hostile=HOSTILE,
                                                          hostile_url=HOSTILE_URL)  # tests/security/xss_exchange.py
    seeded = World(people=people)
    seeded.ids = {"phase": "pre", "activity_id": main.id, "parliament_id": parliament.id, "person_id": learner.id,
                  "plan_id": plan.id, "request_id": needs.id, "review_id": due.id,
                  "session_id": main.sessions[0].id, "programme_id": programme.id, "lesson_slug": lesson.slug,
                  "attempt_id": attempt.id, "code": certificate.code, "line_id": cost_line.id, "letter_id": letter.id,
                  "call_id": call.id, "application_id": application.id, "item_id": agenda_item.id,
                  "institution_id": institution.id, "path": asset.path, "slug": course.slug,
                  "questionnaire_id": questionnaire.id, "question_id": questionnaire.questions[0].id,
                  "indicator_id": indicator.id, "profile_id": profile.id, "document_id": document.id,
                  # The learner's seat on the hostile activity: its withdrawal and removal questions.
                  "registration_id": db.session.scalar(select(Registration.id).where(
                      Registration.activity_id == main.id, Registration.person_id == learner.id)),
                  "course_id": course.id, "subscription_id": subscription.id,
                  **exchange_ids}
    seeded.by_endpoint = {
        ("mission_reports.report", "activity_id"): mission.id,
        ("feeds.programme_ics", "slug"): programme.slug,
        ("feeds.personal_ics", "token"): feed_secret,
        ("mission_team.mission", "activity_id"): mission.id,
        ("accounts.accept_invitation", "token"): invitation_secret,
        ("accounts.reset_password", "token"): reset_secret,
        ("notifications.unsubscribe_page", "token"): unsubscribe_token(learner.id, OptionalMail.DIGEST),
        **{(endpoint, "activity_id"): mission.id
           for endpoint in ("mission_terms.terms", "mission_terms.edit", "mission_terms.versions")},
        **exchange_endpoints,
    }
    seeded.mail_templates = rendered
    assert isinstance(attempt, QuizAttempt) and enrolment.completed_at is not None
    return seeded


# The seeding reaches every text column ------------------------------------------

def text_columns():
    for mapper in db.Model.registry.mappers:
        for column in mapper.columns:
            if isinstance(column.type, Enum) or not isinstance(column.type, (String, Text, JSON)):
                continue
            yield mapper.class_, column


def test_every_text_column_is_seeded_or_excluded(world):
    missing, seeded = [], 0
    columns = {(model.__name__, column.key) for model, column in text_columns()}
    for model, column in text_columns():
        if (model.__name__, column.key) in EXCLUDED:
            continue
        values = db.session.scalars(select(getattr(model, column.key))).all()
        if any(MARKER in (value if isinstance(value, str) else json.dumps(value)) for value in values):
            seeded += 1
        else:
            missing.append(f"{model.__name__}.{column.key}")
    assert not missing, f"text columns without the payload (seed them, or add them to EXCLUDED with a reason): {missing}"
    assert not set(EXCLUDED) - columns, f"EXCLUDED names columns that no longer exist: {set(EXCLUDED) - columns}"
    assert seeded >= 40


# What a page must not contain ------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class Scanner(HTMLParser):
    """Markup the payload would have made if it had gone through unescaped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().replace("\t", "").startswith(
                    ("javascript:", "vbscript:", "data:text/html")):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "iframe":
            self.found.append("<iframe>")
        self._script = tag == "script"

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script and MARKER in data:
            self.found.append(f"<script>{data[:40]}")


def unsafe_markup(html: str) -> list[str]:
    scanner = Scanner()
    scanner.feed(html)
    scanner.close()
    found = scanner.found
    for raw in ("<script>alert(1)", "onerror=alert(1)>"):
        if raw in html:
            found.append(f"raw {raw!r}")
    return found


# Every GET route, as every role ------------------------------------------------------

def route_urls(app, seeded: World, *, suffixes: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(endpoint, URL) for every GET rule, its arguments filled with the seeded rows."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if suffixes is not None and not rule.rule.endswith(suffixes):
            continue
        values = {}
        for argument in rule.arguments:
            value = seeded.by_endpoint.get((rule.endpoint, argument), seeded.ids.get(argument))
            assert value is not None, f"no seeded value for <{argument}> of {rule.rule}: add one to the world fixture"
            values[argument] = value
        with app.test_request_context():
            urls.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return sorted(urls)


@pytest.fixture
def clients(app, world):
    made = {"anonymous": app.test_client()}
    for role in ROLES[1:]:
        made[role] = app.test_client()
        assert sign_in(made[role], world.people[role].email, factories.PASSWORD).status_code == 302
    return made


def visit(clients, url):
    for role, client in clients.items():
        yield role, client.get(url)


def test_no_page_shows_the_payload_unescaped(app, world, clients):
    problems, pages, seen_payload = [], 0, 0
    urls = route_urls(app, world)
    for _endpoint, url in urls:
        for query in ("", "?" + "&".join(f"{k}=%3Cscript%3Ealert(1)%3C/script%3E" for k in ("q", "next", "sort"))):
            for role, response in visit(clients, url + query):
                assert response.status_code < 500, f"{url + query} as {role}: {response.status_code}"
                if response.mimetype != "text/html":
                    continue
                pages += 1
                html = response.get_data(as_text=True)
                seen_payload += MARKER in html
                for found in unsafe_markup(html):
                    problems.append(f"{url + query} as {role}: {found}")
    assert not problems, "\n".join(problems)
    # The sweep saw the payload (escaped) on many pages, as every role.
    assert pages >= 300 and seen_payload >= 150, (pages, seen_payload)


def test_a_course_asset_cannot_run_script(app, world, clients):
    response = clients["anonymous"].get(dict(route_urls(app, world))["learning.asset"])
    assert response.mimetype == "image/svg+xml"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# Mail ---------------------------------------------------------------------------------

MAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "mail"


def test_every_kind_of_mail_is_escaped_and_has_a_one_line_subject(app, world):
    kinds = {p.name.removesuffix(".subject.txt") for p in MAIL_TEMPLATES.glob("*.subject.txt")}
    sent = {name.removeprefix("mail/").removesuffix(".subject.txt") for name in world.mail_templates
            if name.endswith(".subject.txt")}
    assert kinds - sent == set(), f"the sweep sends no mail of these kinds: {kinds - sent}"
    messages = db.session.scalars(select(OutboxMessage)).all()
    problems, calendars = [], []
    for message in messages:
        if message.kind != "test":  # that one was stored as older versions queued it, with its line breaks
            assert "\r" not in message.subject and "\n" not in message.subject, f"{message.kind}: {message.subject!r}"
        if message.body_html and message.kind != "test":
            problems += [f"{message.kind}: {found}" for found in unsafe_markup(message.body_html)]
        email = mail_services.build_email(message, app.config["MAIL_DEFAULT_SENDER"])
        parsed = message_from_bytes(email.as_bytes(), policy=policy.default)
        assert parsed.get_all("Subject") == [mail_services.one_line(message.subject)]
        assert parsed["X-Injected"] is None, message.kind
        calendars += [b64decode(a["content"]) for a in message.attachments
                      if a["content_type"].startswith("text/calendar")]
    assert not problems, "\n".join(problems)
    assert MARKER in " ".join(m.subject for m in messages)
    assert len(messages) >= 15 and len(calendars) >= 4, (len(messages), len(calendars))
    for body in calendars:
        check_calendar(body)
    icaljs(*calendars)


# Feeds --------------------------------------------------------------------------------

def check_calendar(body: bytes) -> None:
    """Parses with icalendar; every line is a property, none made by the payload."""
    calendar = Calendar.from_ical(body)
    assert calendar.name == "VCALENDAR"
    for line in lines(body):
        name = re.split(r"[;:]", line, maxsplit=1)[0]
        assert name.upper() != "X-INJECTED", line
        assert re.fullmatch(r"[A-Za-z0-9-]+", name), f"not a property line: {line!r}"


def test_every_feed_parses_and_no_value_breaks_out(app, world, clients):
    urls = route_urls(app, world, suffixes=(".ics",))
    assert len(urls) >= 5
    bodies = []
    for endpoint, url in urls:
        response = clients["anonymous"].get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        assert response.mimetype == "text/calendar"
        check_calendar(response.data)
        bodies.append(response.data)
        # The names carry the payload, escaped as TEXT (a line break as the two characters \\n).
        if endpoint in ("feeds.activity_ics", "feeds.programme_ics", "feeds.course_ics"):
            for name in ("NAME", "X-WR-CALNAME", "X-WR-CALDESC", "DESCRIPTION"):
                value = values(response.data, name)[0]  # the calendar's, before any event's
                assert MARKER in value and "X-Injected: alert(1)\\n" in value, (name, value)
        calendar = Calendar.from_ical(response.data)
        for event in calendar.walk("VEVENT"):
            assert MARKER in str(event["SUMMARY"])
    for parsed in icaljs(*bodies):
        assert parsed["events"], parsed["name"]
        assert all(MARKER in event["summary"] for event in parsed["events"])


# Exports ------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@")


def test_exports_are_attachments_without_formulas(app, world, clients):
    urls = route_urls(app, world, suffixes=(".csv", ".xlsx"))
    assert len(urls) >= 4
    cells = 0
    for _endpoint, url in urls:
        response = clients["admin"].get(url)
        assert response.status_code == 200, url
        assert response.mimetype != "text/html"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        if url.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
            values = [value for row in rows for value in row]
        else:
            workbook = load_workbook(io.BytesIO(response.data))
            sheet_cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
            assert all(cell.data_type != "f" for cell in sheet_cells), url
            values = [cell.value for cell in sheet_cells if isinstance(cell.value, str)]
        hostile = [value for value in values if MARKER in value]
        assert hostile, f"{url} shows none of the seeded text"
        assert not [value for value in hostile if value.startswith(FORMULA_STARTS)], url
        cells += len(hostile)
    assert cells >= 10


# Importing people -------------------------------------------------------------------

def upload(client, raw: bytes):
    data = {"csrf_token": csrf_token(client, "/admin/people/import"),
            "file": FileStorage(io.BytesIO(raw), filename="people.csv", content_type="text/csv")}
    boundary, body = encode_multipart(data)
    return client.post("/admin/people/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_csv_import_refuses_control_characters_and_saves_nothing(admin_client):
    raw = ("email,full_name,position\n"
           "fine@example.org,Fine Person,Clerk\n"
           f'"crlf@example.org","Name{CRLF}",Clerk\n'
           '"tab\t@example.org",Tab Person,Clerk\n'
           '"vt@example.org","Vertical\x0bTab","Line\u2028Separator"\n'
           f'hostile@example.org,"{SCRIPT.replace(chr(34), chr(34) * 2)}",Clerk\n')
    before = db.session.scalar(select(func.count(Person.id)))

    page = upload(admin_client, raw.encode()).get_data(as_text=True)

    # A quoted value with a line break spans lines 3 to 5: the row is reported at its last line, as the csv module counts.
    for line, field_name in ((5, "full_name"), (6, "email"), (7, "full_name"), (7, "position")):
        assert f"line {line}, {field_name}: contains a control character, such as a line break or a tab" in page
    assert "Import these people" not in page
    assert "&lt;script&gt;alert(1)" in page and SCRIPT not in page  # a name with markup is text, shown escaped
    with pytest.raises(ImportFileError):
        import_people(raw, send_invitations=True)
    assert db.session.scalar(select(func.count(Person.id))) == before
    assert db.session.scalars(select(OutboxMessage)).all() == []
