"""Accounts under attack: audit rows for refusals, fresh sign-in for sensitive changes, feed addresses
retired with the password, the same work for unknown and wrong credentials, mass assignment."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people import services as account_services
from elearn.people.models import PersonKind, PoliticalSide, TokenPurpose
from elearn.scheduling.models import Registration, RegistrationState
from tests import factories
from tests.helpers import frozen_clock, post_form, sign_in, text
from tests.people import submit
from tests.scheduling.factories import make_activity


def audit_rows(action: AuditAction) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# Audit rows for what an attacker tries

def test_failed_sign_ins_are_audited_without_keeping_what_was_typed_as_a_password(client, people):
    sign_in(client, people["learner"].email, "a wrong password")
    sign_in(client, "nobody@example.org", "whatever it is")
    sign_in(client, "correct horse battery", "typed in the wrong box")

    known, unknown, garbage = audit_rows(AuditAction.LOGIN_FAILED)
    assert (known.object_id, known.details) == (people["learner"].id, {"email": "learner@example.org"})
    assert (unknown.object_id, unknown.details) == (None, {"email": "nobody@example.org"})
    assert (garbage.object_id, garbage.details) == (None, {})  # it may be a password: not kept
    assert {row.ip_address for row in (known, unknown, garbage)} == {"127.0.0.1"}
    assert all(row.actor_id is None for row in (known, unknown, garbage))

    sign_in(client, people["learner"].email, factories.PASSWORD)
    assert len(audit_rows(AuditAction.LOGIN_FAILED)) == 3  # a success adds no failure


def test_a_refused_page_is_audited_with_who_and_where(login_as, people):
    login_as("learner").get("/admin/people")

    [row] = audit_rows(AuditAction.ACCESS_REFUSED)
    assert (row.actor_id, row.ip_address, row.details) == (
        people["learner"].id, "127.0.0.1", {"method": "GET", "path": "/admin/people"})


def test_a_form_without_its_security_token_is_refused_and_audited(login_as, people):
    learner = login_as("learner")
    response = learner.post("/account/profile", data={"full_name": "Changed By A Forged Form"})

    assert response.status_code == 400
    assert people["learner"].full_name != "Changed By A Forged Form"
    [row] = audit_rows(AuditAction.CSRF_REFUSED)
    assert (row.actor_id, row.details) == (people["learner"].id, {"method": "POST", "path": "/account/profile"})


def test_role_changes_are_audited_and_shown_in_the_audit_log(admin_client, people):
    learner = people["learner"]
    submit(admin_client, f"/admin/people/{learner.id}", {"role": "trainer"})
    submit(admin_client, "/admin/people/new", {"email": "new.trainer@example.org", "full_name": "New Trainer",
                                              "kind": "staff", "role": "trainer", "send_invitation": None})

    changed, created = audit_rows(AuditAction.ROLE_CHANGED)
    assert (changed.actor_id, changed.object_id, changed.details) == (
        people["admin"].id, learner.id, {"from": "learner", "to": "trainer"})
    assert created.details == {"from": None, "to": "trainer"}
    page = text(admin_client.get("/admin/audit/?action=role_changed"))
    assert "2 events" in page and "from Learner to Trainer" in page and "from none to Trainer" in page


# Sensitive changes need a recently typed password

def test_a_role_or_email_change_needs_a_password_typed_in_the_last_fifteen_minutes(app, people):
    admin, learner = app.test_client(), people["learner"]
    start = utcnow()
    with frozen_clock(start):
        sign_in(admin, people["admin"].email, factories.PASSWORD)
    with frozen_clock(start + timedelta(minutes=20)):
        page = text(admin.get(f"/admin/people/{learner.id}"))
        assert "Your own password" in page

        refused = submit(admin, f"/admin/people/{learner.id}", {"role": "admin"})
        assert refused.status_code == 200 and "type your own password" in text(refused)
        wrong = submit(admin, f"/admin/people/{learner.id}", {"role": "admin", "your_password": "not mine at all"})
        assert "type your own password" in text(wrong)
        assert learner.role == Role.LEARNER and audit_rows(AuditAction.ROLE_CHANGED) == []
        assert [row.object_id for row in audit_rows(AuditAction.LOGIN_FAILED)] == [people["admin"].id]

        # Other changes do not ask for it.
        assert submit(admin, f"/admin/people/{learner.id}", {"position": "Clerk"}).status_code == 302
        assert learner.position == "Clerk"
        email_refused = submit(admin, f"/admin/people/{learner.id}", {"email": "elsewhere@example.org"})
        assert "type your own password" in text(email_refused) and learner.email == "learner@example.org"

        saved = submit(admin, f"/admin/people/{learner.id}",
                       {"role": "admin", "your_password": factories.PASSWORD})
        assert saved.status_code == 302 and learner.role == Role.ADMIN
    with frozen_clock(start + timedelta(minutes=30)):
        # The password typed ten minutes ago still counts.
        assert submit(admin, f"/admin/people/{learner.id}", {"role": "trainer"}).status_code == 302
        assert learner.role == Role.TRAINER


def test_a_session_restored_from_a_remember_me_cookie_is_not_fresh(app, people):
    admin = app.test_client()
    sign_in(admin, people["admin"].email, factories.PASSWORD, remember=True)
    with admin.session_transaction() as session:  # the browser was closed: only the remember-me cookie is left
        session.clear()
    assert "Your own password" in text(admin.get(f"/admin/people/{people['learner'].id}"))
    submit(admin, f"/admin/people/{people['learner'].id}", {"role": "admin"})
    assert people["learner"].role == Role.LEARNER


# Calendar addresses go with the password

def test_changing_or_resetting_the_password_retires_the_private_calendar_address(app, login_as, people, client):
    from elearn.feeds import services as feed_services

    learner = people["learner"]
    secret = feed_services.issue_token(learner)
    assert client.get(f"/feeds/{secret}.ics").status_code == 200

    signed_in = login_as("learner")
    response = post_form(signed_in, "/account/password", {"current": factories.PASSWORD,
                                                          "password": "a brand new passphrase",
                                                          "confirm": "a brand new passphrase"},
                         token_from="/account/password", follow_redirects=True)
    assert "private calendar address has stopped working" in text(response)
    retired = client.get(f"/feeds/{secret}.ics")
    never_issued = client.get(f"/feeds/{'x' * 43}.ics")
    assert retired.status_code == never_issued.status_code == 404
    assert retired.get_data() == never_issued.get_data()  # nothing tells a retired address from a made-up one

    second = feed_services.issue_token(learner)
    reset = account_services.issue_token(learner, TokenPurpose.PASSWORD_RESET)
    db.session.commit()
    post_form(client, f"/account/reset/{reset}", {"password": "another new passphrase",
                                                  "confirm": "another new passphrase"},
              token_from=f"/account/reset/{reset}")
    assert client.get(f"/feeds/{second}.ics").status_code == 404


# The same work for an unknown account and a wrong password

def test_unknown_account_and_wrong_password_cost_one_hash_check_each(app, people, monkeypatch):
    calls, made = [], []
    real_check, real_make = account_services.check_password_hash, account_services.generate_password_hash

    def counting_check(stored, password):
        calls.append(stored.split("$")[0])
        return real_check(stored, password)

    def counting_make(password, **options):
        made.append(password)
        return real_make(password, **options)

    monkeypatch.setattr(account_services, "check_password_hash", counting_check)
    monkeypatch.setattr(account_services, "generate_password_hash", counting_make)
    monkeypatch.setattr(account_services, "_DUMMY_HASH", {})
    for _ in range(3):
        assert account_services.authenticate("nobody@example.org", "a guess") is None
        assert account_services.authenticate(people["learner"].email, "a guess") is None
    # Both paths run one check with the configured method: no cheap early return to time.
    assert calls == [app.config["PASSWORD_HASH_METHOD"]] * 6
    # The stand-in hash for unknown accounts is made once, not on each attempt (bench/login_timing.py
    # measured 1.94x the time of a wrong password while it was).
    assert len(made) == 1


def test_the_refusal_message_is_the_same_for_unknown_account_and_wrong_password(client, people):
    unknown = text(sign_in(client, "nobody@example.org", "a guess"))
    wrong = text(sign_in(client, people["learner"].email, "a guess"))
    message = "The email or password is not correct, or the account is not active."
    assert message in unknown and message in wrong


# Mass assignment: extra fields are ignored

EXTRA_FIELDS = {"role": "admin", "parliament_id": "999", "political_side": "ruling", "is_active": "n",
                "state": "confirmed", "person_id": "1", "waitlist_position": "1", "email": "taken@example.org"}


def test_registering_with_extra_fields_changes_nothing_but_the_registration(login_as, people):
    learner = people["learner"]
    activity = make_activity(approval_required=True)
    client = login_as("learner")

    post_form(client, f"/activities/{activity.id}/register", EXTRA_FIELDS, token_from=f"/activities/{activity.id}")

    [registration] = db.session.scalars(select(Registration).where(Registration.activity_id == activity.id))
    assert registration.person_id == learner.id
    assert registration.state == RegistrationState.REQUESTED  # not the "confirmed" posted
    assert (learner.role, learner.parliament_id, learner.political_side, learner.is_active, learner.email) == (
        Role.LEARNER, people["learner"].parliament_id, None, True, "learner@example.org")


def test_a_nomination_with_extra_fields_or_a_foreign_nominee_changes_nothing_else(login_as, people):
    focal = people["focal_point"]
    colleague = factories.make_person(full_name="Colleague", parliament=focal.parliament, kind=PersonKind.MP)
    foreigner = factories.make_person(full_name="Foreign Member", parliament=factories.make_parliament())
    activity = make_activity(approval_required=True)
    client = login_as("focal_point")
    url = f"/activities/{activity.id}/nominate"

    post_form(client, url, {**EXTRA_FIELDS, "person_id": str(colleague.id)}, token_from=url)
    refused = post_form(client, url, {"person_id": str(foreigner.id)}, token_from=url)

    registrations = db.session.scalars(select(Registration).where(Registration.activity_id == activity.id)).all()
    assert [(r.person_id, r.state) for r in registrations] == [(colleague.id, RegistrationState.REQUESTED)]
    assert "Not a valid choice" in text(refused)
    assert (colleague.role, colleague.parliament_id, colleague.political_side, colleague.is_active) == (
        Role.LEARNER, focal.parliament_id, None, True)
    assert (focal.role, focal.is_active) == (Role.FOCAL_POINT, True)


@pytest.mark.parametrize("extra", [{"role": "admin"}, {"parliament_id": "999"}, {"is_active": "n"},
                                   {"email": "other@example.org"}, {"kind": "mp", "political_side": "ruling"}])
def test_the_profile_form_ignores_fields_a_person_may_not_set(login_as, people, extra):
    learner = people["learner"]
    before = (learner.role, learner.parliament_id, learner.is_active, learner.email, learner.kind,
              learner.political_side)
    response = submit(login_as("learner"), "/account/profile", {**extra, "position": "Clerk"})
    assert response.status_code == 302 and learner.position == "Clerk"
    assert (learner.role, learner.parliament_id, learner.is_active, learner.email, learner.kind,
            learner.political_side) == before
    assert PoliticalSide.RULING != learner.political_side


@pytest.mark.parametrize("changes", [{"full_name": "Learner\r\nBcc: someone@example.org"},
                                     {"position": "Clerk\tof the\u2028House"}])
def test_the_profile_refuses_line_breaks_and_control_characters(login_as, people, changes):
    learner = people["learner"]
    before = (learner.full_name, learner.position)

    response = submit(login_as("learner"), "/account/profile", changes, follow_redirects=True)

    assert "A name or position cannot hold a line break, a tab or another control character." in text(response)
    db.session.refresh(learner)
    assert (learner.full_name, learner.position) == before


def test_people_imported_with_a_role_above_learner_are_audited(admin_client, people):
    from tests.people.test_import import confirm, upload
    raw = (b"email,full_name,role\n"
           b"new.trainer@example.org,New Trainer,trainer\n"
           b"new.learner@example.org,New Learner,\n")

    confirm(admin_client, upload(admin_client, raw))

    [row] = audit_rows(AuditAction.ROLE_CHANGED)
    trainer = account_services.find_by_email("new.trainer@example.org")
    assert (row.actor_id, row.object_id, row.details) == (people["admin"].id, trainer.id,
                                                          {"from": None, "to": "trainer"})


def test_an_import_giving_a_role_above_learner_needs_a_recent_password(app, people):
    from tests.people import form_on
    from tests.people.test_import import upload
    raw = (b"email,full_name,role\n"
           b"new.admin@example.org,New Admin,admin\n"
           b"new.learner@example.org,New Learner,\n")
    admin, start = app.test_client(), utcnow()
    with frozen_clock(start):
        sign_in(admin, people["admin"].email, factories.PASSWORD)
    with frozen_clock(start + timedelta(minutes=20)):
        preview = text(upload(admin, raw))
        assert "Your own password" in preview and "<strong>Administrator</strong>" in preview
        confirm = "/admin/people/import/confirm"
        values = form_on(preview, confirm)

        refused = admin.post(confirm, data=values)
        wrong = admin.post(confirm, data={**values, "your_password": "not mine at all"})
        assert refused.status_code == wrong.status_code == 200
        assert "type your own password to import them" in text(wrong)
        assert account_services.find_by_email("new.admin@example.org") is None
        assert account_services.find_by_email("new.learner@example.org") is None  # all or nothing
        assert [row.object_id for row in audit_rows(AuditAction.LOGIN_FAILED)] == [people["admin"].id]

        saved = admin.post(confirm, data={**values, "your_password": factories.PASSWORD})
        assert saved.status_code == 302
        assert account_services.find_by_email("new.admin@example.org").role == Role.ADMIN


def test_an_import_of_learners_only_needs_no_password(app, people):
    from tests.people import form_on
    from tests.people.test_import import upload
    admin, start = app.test_client(), utcnow()
    with frozen_clock(start):
        sign_in(admin, people["admin"].email, factories.PASSWORD)
    with frozen_clock(start + timedelta(minutes=20)):
        preview = text(upload(admin, b"email,full_name\nplain@example.org,Plain Learner\n"))
        assert "Your own password" not in preview
        saved = admin.post("/admin/people/import/confirm", data=form_on(preview, "/admin/people/import/confirm"))
        assert saved.status_code == 302 and account_services.find_by_email("plain@example.org") is not None


# Found by review: what a refusal records, and guessing through a stolen session

def test_a_refused_post_to_a_secret_link_does_not_put_the_link_in_the_audit_log(client, people):
    reset = account_services.issue_token(people["learner"], TokenPurpose.PASSWORD_RESET)
    db.session.commit()

    response = client.post(f"/account/reset/{reset}", data={"password": "x" * 12, "confirm": "x" * 12})

    assert response.status_code == 400
    [row] = audit_rows(AuditAction.CSRF_REFUSED)
    assert row.details == {"method": "POST", "path": "/account/reset/[redacted]"}
    assert all(reset not in str(event.details) for event in db.session.scalars(select(AuditEvent)))


def test_refusals_from_one_address_are_audited_up_to_a_limit(make_app, people):
    app = make_app(AUDIT_REFUSALS_PER_ADDRESS=5)
    with app.app_context():
        client = app.test_client()
        answers = [client.post("/account/login", data={"email": "x@example.org"}).status_code for _ in range(8)]
        assert answers == [400] * 8  # every forged post is still refused
        assert len(audit_rows(AuditAction.CSRF_REFUSED)) == 5  # the rest went to the log only


def test_a_stale_admin_session_cannot_keep_guessing_the_password(app, people):
    admin, learner, start = app.test_client(), people["learner"], utcnow()
    with frozen_clock(start):
        sign_in(admin, people["admin"].email, factories.PASSWORD)
    with frozen_clock(start + timedelta(minutes=20)):
        for attempt in range(app.config["WRONG_PASSWORDS_PER_ACCOUNT"]):
            submit(admin, f"/admin/people/{learner.id}", {"role": "admin", "your_password": f"guess {attempt}"})
        refused = submit(admin, f"/admin/people/{learner.id}", {"role": "admin", "your_password": factories.PASSWORD})

        assert "Too many wrong passwords: wait ten minutes and try again." in text(refused)
        assert learner.role == Role.LEARNER
        failed = audit_rows(AuditAction.LOGIN_FAILED)
        assert len(failed) == app.config["WRONG_PASSWORDS_PER_ACCOUNT"]
        assert {row.actor_id for row in failed} == {people["admin"].id}  # who typed them is known
    with frozen_clock(start + timedelta(minutes=31)):
        saved = submit(admin, f"/admin/people/{learner.id}", {"role": "admin", "your_password": factories.PASSWORD})
        assert saved.status_code == 302 and learner.role == Role.ADMIN


def test_the_current_password_on_the_password_page_cannot_be_guessed_on_and_on(app, login_as, people):
    learner = login_as("learner")
    for attempt in range(app.config["WRONG_PASSWORDS_PER_ACCOUNT"]):
        post_form(learner, "/account/password", {"current": f"guess {attempt}", "password": "a new passphrase here",
                                                 "confirm": "a new passphrase here"}, token_from="/account/password")
    page = post_form(learner, "/account/password", {"current": factories.PASSWORD, "password": "a new passphrase here",
                                                    "confirm": "a new passphrase here"}, token_from="/account/password")

    assert "Too many wrong passwords: wait ten minutes and try again." in text(page)
    assert account_services.authenticate(people["learner"].email, factories.PASSWORD) is not None


def test_a_session_seen_from_another_browser_is_no_longer_fresh(app, people):
    admin, learner = app.test_client(), people["learner"]
    sign_in(admin, people["admin"].email, factories.PASSWORD)
    admin.environ_base["HTTP_USER_AGENT"] = "Another browser/1.0"  # Flask-Login marks the session stale

    submit(admin, f"/admin/people/{learner.id}", {"role": "admin"})

    assert learner.role == Role.LEARNER
    saved = submit(admin, f"/admin/people/{learner.id}", {"role": "admin", "your_password": factories.PASSWORD})
    assert saved.status_code == 302 and learner.role == Role.ADMIN
