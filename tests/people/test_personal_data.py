"""Personal data: what a person can download about themselves, and what an administrator's erasure leaves."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime

import pytest
from sqlalchemy import JSON, Enum, String, func, select

from elearn import sql_dates as sql
from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.cooperation.models import Commitment
from elearn.database import utcnow
from elearn.extensions import db
from elearn.feeds.models import FeedToken
from elearn.feeds.services import issue_token
from elearn.learning.models import Certificate, Enrolment, QuizAttempt
from elearn.mail.models import OutboxMessage
from elearn.notifications.services import PreferenceInput, save_preferences
from elearn.people import erasure, personal_data
from elearn.people.affiliations import record_change
from elearn.people.holdings import HOLDINGS, Erasure, is_secret
from elearn.people.models import Gender, OneTimeToken, Person, PersonKind, PoliticalSide
from elearn.people.services import authenticate, record_failed_login, request_password_reset
from elearn.reports.aggregates import attendance_facts, completion_facts
from elearn.reports.facts import ReportFilters
from elearn.reports.queries import programmes_by_id
from elearn.scheduling.models import Attendance, AttendanceStatus, Registration
from tests import factories
from tests.cooperation.factories import make_plan, make_request
from tests.helpers import csrf_token, sign_in, text
from tests.learning.factories import complete_course, make_course
from tests.reports.factories import attend, make_held_activity

NAME, EMAIL = "Awa Njie-Cissé", "awa.njie@example.org"
OTHER_NAME, OTHER_EMAIL = "Omar Otherperson", "omar.other@example.org"
NOW = datetime(2026, 6, 1, 12).astimezone()


@pytest.fixture
def world(app, people):
    """Awa, a focal point and member of parliament, with something in every kind of table; Omar beside her."""
    parliament = people["focal_point"].parliament
    awa = factories.make_person(Role.FOCAL_POINT, email=EMAIL, full_name=NAME, kind=PersonKind.MP,
                                gender=Gender.WOMAN, parliament=parliament, position="Whip")
    omar = factories.make_person(email=OTHER_EMAIL, full_name=OTHER_NAME, kind=PersonKind.MP, gender=Gender.MAN,
                                 parliament=parliament)
    record_change(awa, PoliticalSide.RULING, date(2025, 1, 1), actor=people["admin"], note=f"{NAME} joined")
    record_change(awa, PoliticalSide.OPPOSITION, date(2026, 3, 1), actor=people["admin"], today=date(2026, 6, 1))
    record_change(omar, PoliticalSide.RULING, date(2025, 1, 1), actor=people["admin"])
    seminar = make_held_activity([(datetime(2026, 2, 10, 9), datetime(2026, 2, 10, 16, 30))],
                                 title="Seminar on oversight")
    visit = make_held_activity([(datetime(2026, 4, 10, 9), datetime(2026, 4, 10, 17))], title="Exchange visit")
    for activity in (seminar, visit):
        attend(activity, awa, AttendanceStatus.PRESENT)
        mine = attend(activity, omar, AttendanceStatus.PRESENT)
    mine.nominated_by_id = awa.id  # Awa put Omar's name down for the visit
    course = make_course(lessons=2, questions=1)
    complete_course(awa, course)
    complete_course(omar, course)
    issue_token(awa)
    issue_token(omar)
    request_password_reset(EMAIL)
    request_password_reset(OTHER_EMAIL)
    save_preferences(awa, PreferenceInput(reminders=False, digest=True, languages=("fr",)))
    record_failed_login(EMAIL)
    make_request(awa, title="Help with committee minutes")
    plan = make_plan(seminar, parliament)
    plan.commitments[0].responsible = f"{NAME.upper()} ({EMAIL.upper()})"  # found in any case
    db.session.commit()
    return {"awa": awa, "omar": omar, "seminar": seminar, "visit": visit}


def awa_client(app):
    client = app.test_client()
    assert sign_in(client, EMAIL, factories.PASSWORD).status_code == 302
    return client


def test_every_reference_to_a_person_is_described_with_a_reason(app):
    """A new table that refers to a person (or to a row of theirs) fails here until people/holdings.py says
    how it is shown and what erasure does with it."""
    missing = personal_data.undescribed()
    assert missing == [], f"describe {missing} in HOLDINGS (elearn/people/holdings.py): label, own, erase, reason"
    for (table, column), holding in HOLDINGS.items():
        assert column in db.metadata.tables[table].c, f"{table}.{column} is described but does not exist"
        assert holding.reason and str(holding.label)
        assert set(holding.shown) <= set(db.metadata.tables[table].c.keys()), table
        assert all(not is_secret(name) for name in holding.shown)
    # A row that goes takes the rows that depend on it: nothing kept may hang on something deleted.
    for (table, column), holding in HOLDINGS.items():
        parent = next(iter(db.metadata.tables[table].c[column].foreign_keys)).column.table.name
        parent_holdings = [h for (t, _c), h in HOLDINGS.items() if t == parent and h.own]
        if any(h.erase == Erasure.DELETE for h in parent_holdings):
            assert holding.erase == Erasure.DELETE, f"{table} is kept but its {parent} row is deleted"


def test_secrets_are_recognised_by_their_column_names(app):
    secrets = {f"{table.name}.{column.name}" for table in db.metadata.tables.values()
               for column in table.columns if is_secret(column.name)}
    assert {"person.password_hash", "person.session_key", "one_time_token.token_hash",
            "feed_token.token_hash"} <= secrets
    for name in ("totp_secret", "recovery_code_hash", "remember_token", "api_key"):
        assert is_secret(name)
    assert not any(is_secret(name) for name in ("full_name", "email", "gender", "political_side", "state"))


def test_your_data_holds_every_kind_of_row_about_you_and_nothing_of_another_person(app, world):
    client = awa_client(app)
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.get_data(as_text=True))
    assert document["person"]["email"] == EMAIL and document["person"]["full_name"] == NAME
    counts = Counter()
    for section in document["sections"]:
        counts[f"{section['table']}.{section['via']}"] += len(section["rows"])
    assert counts["registration.person_id"] == 2
    assert counts["attendance.registration_id"] == 2
    assert counts["enrolment.person_id"] == 1
    assert counts["quiz_attempt.enrolment_id"] == 1 and counts["quiz_answer.attempt_id"] == 1
    assert counts["certificate.enrolment_id"] == 1 and counts["lesson_progress.enrolment_id"] == 2
    assert counts["political_affiliation.person_id"] == 2
    assert counts["feed_token.person_id"] == 1 and counts["one_time_token.person_id"] == 1
    assert counts["notification_preference.person_id"] == 1
    assert counts["needs_request.submitted_by_id"] == 1
    assert counts["registration.nominated_by_id"] == 1
    assert counts["audit_event.object_id"] >= 3  # two changes of side and a failed sign-in
    assert counts["outbox_message.to_address"] >= 1  # the reset mail
    raw = response.get_data(as_text=True)
    assert OTHER_NAME not in raw and OTHER_EMAIL not in raw
    secrets = [person.password_hash for person in (world["awa"], world["omar"])] + [world["awa"].session_key]
    secrets += list(db.session.scalars(select(FeedToken.token_hash))) + list(
        db.session.scalars(select(OneTimeToken.token_hash)))
    assert not [secret for secret in secrets if secret in raw]
    assert "password_hash" not in raw and "token_hash" not in raw and "session_key" not in raw


def test_the_page_reads_by_section_with_labels_and_links_the_download(app, world):
    client = awa_client(app)
    assert "/account/data" in text(client.get("/account/profile"))
    response = client.get("/account/data")
    assert response.headers["Cache-Control"] == "no-store"
    page = text(response)
    for words in ("Your data", "Download (JSON)", "Registrations", "Seminar on oversight", "Attendance",
                  "Quiz attempts", "Calendar addresses", "Political side over time", "Opposition",
                  "Requests you submitted", "Help with committee minutes", "Audit log entries about you",
                  "Failed sign-in", "Mail sent to you"):
        assert words in page, words
    assert OTHER_NAME not in page and OTHER_EMAIL not in page
    assert "another person" in page  # Omar's registration that Awa made: named by nothing of his
    client.post("/language", data={"language": "fr", "next": "/account/data",
                                   "csrf_token": csrf_token(client)})
    page = text(client.get("/account/data"))
    assert "Vos données" in page and "Inscriptions" in page and "Télécharger (JSON)" in page


def test_each_export_is_audited_with_who_read_whose_data(app, world, people, admin_client):
    awa_client(app).get("/account/data.json")
    admin_client.get(f"/admin/people/{world['awa'].id}/data")
    events = db.session.execute(select(AuditEvent.actor_id, AuditEvent.object_id, AuditEvent.details).where(
        AuditEvent.action == AuditAction.PERSONAL_DATA_EXPORTED).order_by(AuditEvent.id)).all()
    assert [(actor, subject) for actor, subject, _details in events] == [
        (world["awa"].id, world["awa"].id), (people["admin"].id, world["awa"].id)]
    assert [details for *_rest, details in events] == [{"format": "json"}, {"format": "page"}]


@pytest.mark.parametrize("role", ["learner", "focal_point", "trainer"])
def test_only_administrators_see_or_erase_another_persons_data(app, world, login_as, role):
    client = login_as(role)
    awa = world["awa"].id
    for path in (f"/admin/people/{awa}/data", f"/admin/people/{awa}/data.json", f"/admin/people/{awa}/erase"):
        assert client.get(path).status_code == 403, path
    response = client.post(f"/admin/people/{awa}/erase",
                           data={"csrf_token": csrf_token(client), "your_password": factories.PASSWORD})
    assert response.status_code == 403
    assert db.session.get(Person, awa).erased_at is None
    # Their own data is theirs: the same address for everyone, never another's.
    assert NAME not in text(client.get("/account/data"))


def report_facts() -> Counter:
    """Every participation and completion as reports count them, without who: before and after must match."""
    columns = ("activity_id", "day", "parliament_id", "kind", "gender", "side", "days", "hours")
    sql.install()  # the report's SQL functions on this connection, as the report does
    _held, attended = attendance_facts(ReportFilters(), programmes_by_id(), NOW.astimezone())
    rows = db.session.execute(select(*(attended.c[name] for name in columns))).all()
    completed = completion_facts(ReportFilters())
    if completed is not None:
        rows += db.session.execute(select(*(completed.c[name] for name in columns))).all()
    return Counter(tuple(row) for row in rows)


def text_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, JSON) or (isinstance(column.type, String) and
                                                 not isinstance(column.type, Enum)):
                yield table, column


def rows_mentioning(*needles: str) -> list[str]:
    """table.column of every value holding one of `needles`, in any case, JSON included (read in Python, every row)."""
    wanted = [needle.casefold() for needle in needles]
    found = []
    for table, column in text_columns():
        for value in db.session.scalars(select(column).where(column.is_not(None))):
            written = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            if any(needle in written.casefold() for needle in wanted):
                found.append(f"{table.name}.{column.name}")
                break
    return found


def test_erasure_keeps_report_figures_and_removes_the_name_and_address_everywhere(app, world, people):
    awa, admin = world["awa"], people["admin"]
    before = report_facts()
    assert sum(before.values()) == 6  # 2 participations each, 1 completion each
    assert rows_mentioning(NAME, EMAIL)  # the test looks where the data is
    from elearn.people.models import PasswordResetRequest
    from elearn.people.sign_in_models import RecoveryCode

    db.session.add_all([PasswordResetRequest(email=EMAIL, requested_at=utcnow()),
                        RecoveryCode(person_id=awa.id, code_hash="0" * 64)])
    db.session.commit()
    erasure.erase(awa, actor=admin)
    db.session.expire_all()
    assert report_facts() == before
    assert rows_mentioning(NAME, EMAIL) == []
    assert rows_mentioning(OTHER_NAME, OTHER_EMAIL)  # nothing of Omar's went
    erased = db.session.get(Person, awa.id)
    assert erased.erased_at and not erased.is_active and erased.password_hash is None and erased.role == Role.LEARNER
    assert (erased.parliament_id, erased.kind, erased.gender) == (world["omar"].parliament_id, PersonKind.MP,
                                                                  Gender.WOMAN)
    registrations = db.session.scalars(select(Registration.id).where(Registration.person_id == awa.id)).all()
    assert len(registrations) == 2
    assert db.session.scalar(select(func.count(Attendance.id)).where(
        Attendance.registration_id.in_(registrations))) == 2
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.person_id == awa.id))
    assert enrolment.completed_at is not None
    for model, condition in ((QuizAttempt, QuizAttempt.enrolment_id == enrolment.id),
                             (Certificate, Certificate.enrolment_id == enrolment.id),
                             (FeedToken, FeedToken.person_id == awa.id),
                             (OneTimeToken, OneTimeToken.person_id == awa.id),
                             (OutboxMessage, OutboxMessage.to_address == EMAIL),
                             (PasswordResetRequest, PasswordResetRequest.email == EMAIL),
                             (RecoveryCode, RecoveryCode.person_id == awa.id)):
        assert db.session.scalar(select(func.count()).select_from(model).where(condition)) == 0, model
    responsible = db.session.scalars(select(Commitment.responsible)).all()
    assert "[erased] ([erased])" in responsible
    # Omar keeps everything.
    assert db.session.scalar(select(func.count(FeedToken.id)).where(FeedToken.person_id == world["omar"].id)) == 1


def test_an_erased_person_cannot_sign_in_and_their_address_is_free_again(app, world, people):
    erasure.erase(world["awa"], actor=people["admin"])
    assert authenticate(EMAIL, factories.PASSWORD) is None
    client = app.test_client()
    sign_in(client, EMAIL, factories.PASSWORD)
    assert client.get("/dashboard").status_code == 302
    newcomer = factories.make_person(email=EMAIL, full_name="Awa Again")
    assert newcomer.id != world["awa"].id
    assert authenticate(EMAIL, factories.PASSWORD).id == newcomer.id


def stale(client) -> None:
    with client.session_transaction() as session:
        session["password_entered_at"] = 0


def test_erasure_over_http_is_confirmed_needs_the_password_and_is_audited(app, world, people, admin_client):
    awa = world["awa"]
    path = f"/admin/people/{awa.id}/erase"
    assert path in text(admin_client.get(f"/admin/people/{awa.id}"))
    page = text(admin_client.get(path))
    assert "Kept without the name" in page and "Registrations: 2" in page and "Deleted:" in page
    assert "Calendar addresses: 1" in page and "cannot be undone" in page
    stale(admin_client)
    refused = admin_client.post(path, data={"csrf_token": csrf_token(admin_client, path)})
    assert refused.status_code == 200 and "type your own password" in text(refused)
    wrong = admin_client.post(path, data={"csrf_token": csrf_token(admin_client, path), "your_password": "nope"})
    assert wrong.status_code == 200
    assert db.session.get(Person, awa.id).erased_at is None
    done = admin_client.post(path, data={"csrf_token": csrf_token(admin_client, path),
                                         "your_password": factories.PASSWORD})
    assert done.status_code == 302
    assert db.session.get(Person, awa.id).erased_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.PERSON_ERASED))
    assert (event.actor_id, event.object_id) == (people["admin"].id, awa.id)
    assert event.details["kept"]["registration.person_id"] == 2 and event.details["deleted"]["feed_token.person_id"] == 1
    recorded = json.dumps(event.details)
    assert NAME not in recorded and EMAIL not in recorded
    # Done once: the page no longer offers it, and a second attempt is refused.
    assert path not in text(admin_client.get(f"/admin/people/{awa.id}"))
    again = admin_client.get(path, follow_redirects=True)
    assert "already erased" in text(again)


def test_an_erasure_without_a_csrf_token_changes_nothing(app, world, admin_client):
    response = admin_client.post(f"/admin/people/{world['awa'].id}/erase", data={"your_password": factories.PASSWORD})
    assert response.status_code == 400
    assert db.session.get(Person, world["awa"].id).erased_at is None


def test_an_administrator_cannot_erase_themselves(app, people, admin_client):
    path = f"/admin/people/{people['admin'].id}/erase"
    response = admin_client.get(path, follow_redirects=True)
    assert "You cannot erase your own account" in text(response)
    with pytest.raises(erasure.ErasureError):
        erasure.erase(people["admin"], actor=people["admin"])


def test_an_erased_person_gives_up_their_seats_at_coming_activities(app, world, people):
    from elearn.scheduling.models import RegistrationState
    from elearn.scheduling.services import register
    from tests.scheduling.factories import make_activity

    coming = make_activity(capacity=1, title="Coming workshop")
    register(coming.id, world["awa"])
    register(coming.id, world["omar"])
    states = dict(db.session.execute(select(Registration.person_id, Registration.state)
                                     .where(Registration.activity_id == coming.id)).all())
    assert states == {world["awa"].id: RegistrationState.CONFIRMED, world["omar"].id: RegistrationState.WAITLISTED}
    erasure.erase(world["awa"], actor=people["admin"])
    db.session.expire_all()
    states = dict(db.session.execute(select(Registration.person_id, Registration.state)
                                     .where(Registration.activity_id == coming.id)).all())
    assert states == {world["awa"].id: RegistrationState.WITHDRAWN, world["omar"].id: RegistrationState.CONFIRMED}
    assert rows_mentioning(NAME, EMAIL) == []


def test_a_long_section_shows_its_latest_rows_and_the_download_holds_them_all(app, people, admin_client):
    from elearn.database import utcnow
    from elearn.people.personal_data_display import PAGE_ROWS

    admin = people["admin"]
    db.session.add_all(AuditEvent(action=AuditAction.POLITICAL_SIDE_READ, actor_id=admin.id, object_type="person",
                                  object_id=people["learner"].id, occurred_at=utcnow()) for _ in range(PAGE_ROWS + 5))
    db.session.commit()
    page = text(admin_client.get("/account/data"))
    assert f"The latest {PAGE_ROWS} of {PAGE_ROWS + 5} are shown here" in page
    document = admin_client.get("/account/data.json").get_json()
    actions = next(s for s in document["sections"] if s["table"] == "audit_event" and s["via"] == "actor_id")
    assert len(actions["rows"]) >= PAGE_ROWS + 5


def test_the_erased_row_keeps_only_what_reports_count(app, world, people):
    """Every other column of the person row is emptied, so a column added later is erased too."""
    from elearn.people.holdings import PERSON_KEPT

    table = Person.__table__
    before = dict(db.session.execute(select(table).where(table.c.id == world["awa"].id)).mappings().one())
    erasure.erase(world["awa"], actor=people["admin"])
    after = dict(db.session.execute(select(table).where(table.c.id == world["awa"].id)).mappings().one())
    assert {name: after[name] for name in PERSON_KEPT} == {name: before[name] for name in PERSON_KEPT}
    for name in set(after) - set(PERSON_KEPT):
        assert after[name] != before[name] or after[name] in (None, "", False, "en", "UTC"), name
