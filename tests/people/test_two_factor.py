"""Strong sign-in: enrolment, the code after the password, recovery codes, required roles, admin reset."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.sign_in_models import RecoveryCode, TwoFactorCredential
from tests import factories
from tests.helpers import frozen_clock, post_form, sign_in, text
from tests.people import signed_in_as
from tests.people.two_factor_helpers import SECRET_RE, code_at, enrol, give_code

START = utcnow().replace(microsecond=0)


def audit_actions(person) -> list[AuditAction]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "person", AuditEvent.object_id == person.id).order_by(AuditEvent.id)))


@pytest.fixture
def enrolled(app, people):
    """The trainer, enrolled at START; returns (secret, recovery codes)."""
    client = app.test_client()
    with frozen_clock(START):
        sign_in(client, people["trainer"].email, factories.PASSWORD)
        return enrol(client)


def test_enrolment_shows_a_qr_code_and_the_key_and_needs_a_real_code(app, login_as, people):
    trainer = login_as("trainer")
    page = text(trainer.get("/account/two-factor"))
    assert '<img src="data:image/svg+xml' in page and 'id="secret-key"' in page
    # No inline script (the CSP stays as it is): the only script is the site's own file.
    assert page.count("<script") == 1 and re.search(r'<script src="/static/js/site\.js\?v=\w+" defer></script>', page)

    response = post_form(trainer, "/account/two-factor", {"code": "123456"}, token_from="/account/two-factor")
    assert "This code is not right" in text(response)
    assert db.session.scalar(select(TwoFactorCredential)) is None

    shown = SECRET_RE.search(page).group(1).replace(" ", "")
    with trainer.session_transaction() as session:  # the session cookie can be read: it holds a nonce, not the key
        assert shown not in repr(dict(session)) and "enrolment_nonce" in session
    secret, codes = enrol(trainer)
    assert secret == shown  # the same key until confirmed, however often the page is shown
    assert len(set(codes)) == 10
    credential = db.session.scalar(select(TwoFactorCredential))
    assert credential.person_id == people["trainer"].id and credential.secret == secret
    # Only hashes are kept, and the codes are never shown again.
    stored = set(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not any(code.replace("-", "") in stored for code in codes)
    again = text(trainer.get("/account/two-factor"))
    assert "Recovery codes left" in again and codes[0] not in again
    assert AuditAction.TWO_FACTOR_ENABLED in audit_actions(people["trainer"])


def test_sign_in_asks_for_the_code_after_the_password(app, people, enrolled):
    secret, _codes = enrolled
    client = app.test_client()
    with frozen_clock(START + timedelta(minutes=5)):
        response = sign_in(client, people["trainer"].email, factories.PASSWORD)
        assert response.headers["Location"].endswith("/account/sign-in/code")
        assert signed_in_as(client) is None  # the password alone does not sign in

        wrong = give_code(client, "000000")
        assert "This code is not right" in text(wrong)
        assert audit_actions(people["trainer"])[-1] == AuditAction.LOGIN_FAILED

        assert give_code(client, code_at(secret)).status_code == 302
        assert signed_in_as(client) == people["trainer"].full_name


def test_a_code_is_refused_a_second_time_within_its_window(app, people, enrolled):
    secret, _codes = enrolled
    first, second = app.test_client(), app.test_client()
    with frozen_clock(START + timedelta(minutes=5)):
        sign_in(first, people["trainer"].email, factories.PASSWORD)
        sign_in(second, people["trainer"].email, factories.PASSWORD)
        code = code_at(secret)
        assert give_code(first, code).status_code == 302
        # Someone who saw it over the shoulder, in the same 30 seconds:
        assert "not right, or it was already used" in text(give_code(second, code))
    with frozen_clock(START + timedelta(minutes=5, seconds=30)):
        assert give_code(second, code_at(secret)).status_code == 302


def test_a_code_from_the_enrolment_cannot_sign_in(app, people, enrolled):
    secret, _codes = enrolled
    client = app.test_client()
    with frozen_clock(START):
        sign_in(client, people["trainer"].email, factories.PASSWORD)
        assert give_code(client, code_at(secret)).status_code == 200


def test_a_recovery_code_works_once(app, people, enrolled):
    _secret, codes = enrolled
    with frozen_clock(START + timedelta(minutes=5)):
        client = app.test_client()
        sign_in(client, people["trainer"].email, factories.PASSWORD)
        response = give_code(client, codes[3].upper().replace("-", " "), )  # as typed from paper
        assert response.status_code == 302
        assert signed_in_as(client) == people["trainer"].full_name
        assert AuditAction.RECOVERY_CODE_USED in audit_actions(people["trainer"])

        again = app.test_client()
        sign_in(again, people["trainer"].email, factories.PASSWORD)
        assert "not right, or it was already used" in text(give_code(again, codes[3]))
        assert signed_in_as(again) is None


def test_wrong_codes_count_with_wrong_passwords(make_app):
    app = make_app(WRONG_PASSWORDS_PER_ACCOUNT=3, LOGIN_LIMIT_PER_ACCOUNT="100 per hour")
    with app.app_context():
        trainer = factories.make_person(Role.TRAINER, email="t@example.org")
        client = app.test_client()
        with frozen_clock(START):
            sign_in(client, trainer.email, factories.PASSWORD)
            secret, _codes = enrol(client)
        attacker = app.test_client()
        with frozen_clock(START + timedelta(minutes=1)):
            sign_in(attacker, trainer.email, "a wrong password")
            sign_in(attacker, trainer.email, factories.PASSWORD)
            give_code(attacker, "111111")
            give_code(attacker, "222222")
            # Three failures in ten minutes: even the right code is not checked now.
            refused = give_code(attacker, code_at(secret))
            assert "Too many wrong passwords or codes" in text(refused)
            assert signed_in_as(attacker) is None


def test_passwords_and_codes_share_the_per_account_rate_limit(make_app):
    app = make_app(LOGIN_LIMIT_PER_ACCOUNT="3 per hour", WRONG_PASSWORDS_PER_ACCOUNT=100)
    with app.app_context():
        trainer = factories.make_person(Role.TRAINER, email="t@example.org")
        client = app.test_client()
        with frozen_clock(START):
            sign_in(client, trainer.email, factories.PASSWORD)
            secret, _codes = enrol(client)
        attacker = app.test_client()
        with frozen_clock(START + timedelta(minutes=1)):
            sign_in(attacker, trainer.email, factories.PASSWORD)  # 1
            give_code(attacker, "111111")  # 2
            give_code(attacker, "222222")  # 3
            assert give_code(attacker, code_at(secret)).status_code == 429


@pytest.fixture
def strict_app(make_app):
    app = make_app(TWO_FACTOR_REQUIRED_ROLES=("admin", "trainer", "focal_point"))
    with app.app_context():
        yield app


def test_a_required_role_can_do_nothing_but_enrol(strict_app):
    trainer = factories.make_person(Role.TRAINER, email="t@example.org")
    learner = factories.make_person(Role.LEARNER, email="l@example.org")
    client = strict_app.test_client()
    sign_in(client, trainer.email, factories.PASSWORD)
    for path in ("/dashboard", "/manage/activities", "/account/profile", "/account/devices", "/reports/participation"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/account/two-factor"), path
    assert "Your role requires two-step sign-in" in text(client.get("/account/two-factor"))
    enrol(client)
    assert client.get("/manage/activities").status_code == 200
    # Learners are not concerned.
    other = strict_app.test_client()
    sign_in(other, learner.email, factories.PASSWORD)
    assert other.get("/dashboard").status_code == 200


def test_a_required_role_cannot_turn_it_off(strict_app):
    trainer = factories.make_person(Role.TRAINER, email="t@example.org")
    client = strict_app.test_client()
    sign_in(client, trainer.email, factories.PASSWORD)
    enrol(client)
    response = post_form(client, "/account/two-factor/disable", {}, token_from="/account/two-factor",
                         follow_redirects=True)
    assert "Your role requires two-step sign-in: it cannot be turned off." in text(response)
    assert db.session.scalar(select(TwoFactorCredential)) is not None


def test_a_person_may_turn_it_off_when_not_required(app, login_as, people):
    trainer = login_as("trainer")
    enrol(trainer)
    response = post_form(trainer, "/account/two-factor/disable", {}, token_from="/account/two-factor",
                         follow_redirects=True)
    assert "Two-step sign-in is off" in text(response)
    assert db.session.scalar(select(TwoFactorCredential)) is None
    assert db.session.scalar(select(RecoveryCode)) is None
    assert AuditAction.TWO_FACTOR_DISABLED in audit_actions(people["trainer"])
    again = app.test_client()
    assert sign_in(again, people["trainer"].email, factories.PASSWORD).headers["Location"].endswith("/dashboard")


def test_new_recovery_codes_replace_the_old_ones(app, login_as, people):
    trainer = login_as("trainer")
    _secret, old_codes = enrol(trainer)
    response = post_form(trainer, "/account/two-factor/recovery-codes", {}, token_from="/account/two-factor")
    assert response.status_code == 200 and "shown only once" in text(response)
    assert old_codes[0] not in text(response)
    with frozen_clock(utcnow() + timedelta(minutes=2)):
        client = app.test_client()
        sign_in(client, people["trainer"].email, factories.PASSWORD)
        assert "not right" in text(give_code(client, old_codes[0]))


def test_an_administrator_resets_a_lost_authenticator(app, login_as, people, enrolled):
    trainer = people["trainer"]
    with frozen_clock(START + timedelta(minutes=1)):
        trainer_client = app.test_client()
        sign_in(trainer_client, trainer.email, factories.PASSWORD)
        give_code(trainer_client, code_at(enrolled[0]))
        assert signed_in_as(trainer_client) == trainer.full_name

        admin = app.test_client()
        sign_in(admin, people["admin"].email, factories.PASSWORD)
        page = text(admin.get(f"/admin/people/{trainer.id}"))
        assert "Reset two-step sign-in" in page
        response = post_form(admin, f"/admin/people/{trainer.id}/two-factor/reset", {}, follow_redirects=True)
        assert "is reset" in text(response)

        assert db.session.scalar(select(TwoFactorCredential)) is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.TWO_FACTOR_RESET))
        assert event.actor_id == people["admin"].id and event.object_id == trainer.id
        assert signed_in_as(trainer_client) is None  # signed out everywhere
        fresh = app.test_client()
        assert sign_in(fresh, trainer.email, factories.PASSWORD).headers["Location"].endswith("/dashboard")


def test_a_reset_needs_a_recent_password_and_an_administrator(app, login_as, people, enrolled):
    trainer = people["trainer"]
    with frozen_clock(START):
        admin = app.test_client()
        sign_in(admin, people["admin"].email, factories.PASSWORD)
    with frozen_clock(START + timedelta(minutes=30)):
        # Like a role change: a session whose password was typed long ago must type it again.
        response = post_form(admin, f"/admin/people/{trainer.id}/two-factor/reset", {}, follow_redirects=True)
        assert "Type your password to confirm it is you." in text(response)
        assert db.session.scalar(select(TwoFactorCredential)) is not None
        response = post_form(admin, f"/admin/people/{trainer.id}/two-factor/reset",
                             {"your_password": factories.PASSWORD}, follow_redirects=True)
        assert "is reset" in text(response)
    # Other roles are refused, and change nothing.
    with frozen_clock(START + timedelta(minutes=31)):
        focal = login_as("focal_point")
        learner = people["learner"]
        assert post_form(focal, f"/admin/people/{learner.id}/two-factor/reset", {}).status_code == 403


def test_an_administrator_cannot_reset_their_own(app, login_as, people):
    admin = login_as("admin")
    enrol(admin)
    response = post_form(admin, f"/admin/people/{people['admin'].id}/two-factor/reset", {}, follow_redirects=True)
    assert "Another administrator must reset your own two-step sign-in." in text(response)
    assert db.session.scalar(select(TwoFactorCredential)) is not None


def test_a_reset_link_does_not_get_past_the_code(app, people, enrolled):
    from elearn.people import services
    from elearn.people.models import TokenPurpose

    secret, _codes = enrolled
    with frozen_clock(START + timedelta(minutes=5)):
        token = services.issue_token(people["trainer"], TokenPurpose.PASSWORD_RESET)
        db.session.commit()
        client = app.test_client()
        response = post_form(client, f"/account/reset/{token}",
                             {"password": "a-brand-new-passphrase", "confirm": "a-brand-new-passphrase"},
                             token_from=f"/account/reset/{token}")
        assert response.headers["Location"].endswith("/account/sign-in/code")
        assert signed_in_as(client) is None
        assert give_code(client, code_at(secret)).status_code == 302
        assert signed_in_as(client) == people["trainer"].full_name


def test_the_code_page_without_a_password_sends_to_sign_in(client):
    response = client.get("/account/sign-in/code")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_a_pending_sign_in_expires(app, people, enrolled):
    secret, _codes = enrolled
    client = app.test_client()
    with frozen_clock(START + timedelta(minutes=5)):
        sign_in(client, people["trainer"].email, factories.PASSWORD)
    with frozen_clock(START + timedelta(minutes=11)):
        response = client.get("/account/sign-in/code")
        assert "/account/login" in response.headers["Location"]
