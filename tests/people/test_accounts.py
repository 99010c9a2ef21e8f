"""Signing in and out, passwords, one-time links and the person's own profile, as people use them."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import OneTimeToken, PersonKind, PoliticalSide
from elearn.people.resets import process_reset_requests
from tests import factories
from tests.helpers import csrf_token, frozen_clock, post_form, sign_in, text
from tests.people import link_in, outbox, signed_in_as, submit

GENERIC_FAILURE = "The email or password is not correct, or the account is not active."
ALERT_RE = re.compile(r'<div class="error-summary" role="alert"><p>([^<]*)</p></div>')


def failure_message(response) -> str:
    match = ALERT_RE.search(text(response))
    assert match, "no sign-in error on the page"
    return match.group(1)


def sign_out(client):
    return client.post("/account/logout", data={"csrf_token": csrf_token(client, "/dashboard")})


# Signing in

def test_sign_in_accepts_the_email_in_any_case(client, people):
    response = sign_in(client, "  LEARNER@Example.ORG ", factories.PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(client) == people["learner"].full_name
    assert people["learner"].last_login_at is not None


def test_failed_sign_in_says_the_same_whatever_went_wrong(app, people):
    factories.make_person(email="gone@example.org", is_active=False)
    unknown = sign_in(app.test_client(), "nobody@example.org", factories.PASSWORD)
    wrong_password = sign_in(app.test_client(), "learner@example.org", "not-the-password")
    deactivated = sign_in(app.test_client(), "gone@example.org", factories.PASSWORD)

    messages = {failure_message(r) for r in (unknown, wrong_password, deactivated)}
    assert messages == {GENERIC_FAILURE}
    assert {r.status_code for r in (unknown, wrong_password, deactivated)} == {200}


def test_sign_out_is_a_post_and_a_get_signs_nobody_out(learner_client, people):
    response = learner_client.get("/account/logout")

    assert response.status_code == 405
    assert "This action is not allowed here" in text(response)
    assert signed_in_as(learner_client) == people["learner"].full_name


def test_after_sign_out_the_old_session_cookie_is_worthless(app, learner_client, people):
    old_session = learner_client.get_cookie("session").value

    response = sign_out(learner_client)
    assert response.status_code == 302
    assert signed_in_as(learner_client) is None

    replay = app.test_client()
    replay.set_cookie("session", old_session)
    assert signed_in_as(replay) is None


def test_sign_out_tells_the_browser_to_forget_what_the_site_kept_and_a_forged_one_does_not(learner_client, people):
    forged = learner_client.post("/account/logout")  # no CSRF token: nobody is signed out, nothing is cleared
    assert "Clear-Site-Data" not in forged.headers
    assert signed_in_as(learner_client) == people["learner"].full_name

    response = sign_out(learner_client)
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "cookies" not in response.headers["Clear-Site-Data"]  # the new session keeps the visitor's language


def test_after_sign_out_the_old_remember_me_cookie_is_worthless(app, client, people):
    sign_in(client, "learner@example.org", factories.PASSWORD, remember=True)
    remember_token = client.get_cookie("device_token").value  # the device cookie: bounded, rotated, revocable

    only_remembered = app.test_client()
    only_remembered.set_cookie("device_token", remember_token)
    assert signed_in_as(only_remembered) == people["learner"].full_name  # the cookie did work

    sign_out(client)
    replay = app.test_client()
    replay.set_cookie("device_token", remember_token)
    assert signed_in_as(replay) is None


def test_changing_the_password_signs_out_other_devices_but_not_this_one(login_as, people):
    laptop, phone = login_as("learner"), login_as("learner")

    response = submit(laptop, "/account/password", {
        "current": factories.PASSWORD, "password": "a-brand-new-passphrase",
        "confirm": "a-brand-new-passphrase"}, follow_redirects=True)

    assert "Your password is changed. Other devices have been signed out" in text(response)
    assert signed_in_as(laptop) == people["learner"].full_name
    assert signed_in_as(phone) is None


def test_changing_the_password_needs_the_current_one(learner_client, people):
    response = submit(learner_client, "/account/password", {
        "current": "a-wrong-guess-at-it", "password": "a-brand-new-passphrase",
        "confirm": "a-brand-new-passphrase"})

    assert "Your current password is not correct." in text(response)
    assert sign_in(learner_client.application.test_client(), "learner@example.org",
                   factories.PASSWORD).status_code == 302


def test_sign_in_returns_to_the_page_that_asked_for_it(client, people):
    asked = client.get("/account/profile")
    assert asked.status_code == 302
    login_url = asked.headers["Location"]
    assert "next=%2Faccount%2Fprofile" in login_url

    response = post_form(client, login_url, {"email": "learner@example.org", "password": factories.PASSWORD})

    assert response.headers["Location"] == "/account/profile"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_sign_in_never_sends_people_to_another_site(client, people, target):
    response = post_form(client, "/account/login", {"email": "learner@example.org",
                                                    "password": factories.PASSWORD},
                         query_string={"next": target})

    assert response.headers["Location"] == "/dashboard"


@pytest.fixture
def throttled_app(make_app, people):
    """The same database, with a per-account limit small enough to reach."""
    return make_app(LOGIN_LIMIT_PER_ACCOUNT="3 per hour")


def test_too_many_failures_block_the_account_even_with_the_right_password(throttled_app, people):
    attacker = throttled_app.test_client()
    for _ in range(3):
        assert failure_message(sign_in(attacker, "learner@example.org", "guess-number-n")) == GENERIC_FAILURE

    blocked = sign_in(attacker, "Learner@Example.org", factories.PASSWORD)

    assert blocked.status_code == 429
    assert "Too many attempts" in text(blocked)
    assert signed_in_as(attacker) is None


def test_the_per_account_limit_holds_from_every_address(throttled_app, people):
    attacker = throttled_app.test_client()
    for _ in range(3):
        sign_in(attacker, "learner@example.org", "guess-number-n")
    elsewhere = throttled_app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "203.0.113.9"

    response = sign_in(elsewhere, "learner@example.org", factories.PASSWORD)

    assert response.status_code == 429
    assert signed_in_as(elsewhere) is None
    # Another account from the first address is not held back by this one's limit.
    assert sign_in(attacker, "trainer@example.org", factories.PASSWORD).status_code == 302
    assert signed_in_as(attacker) == people["trainer"].full_name


def test_cookies_are_http_only_and_same_site_lax(client, people):
    response = sign_in(client, "learner@example.org", factories.PASSWORD, remember=True)

    cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    for name in ("session", "device_token"):
        assert "HttpOnly" in cookies[name], name
        assert "SameSite=Lax" in cookies[name], name


def test_create_admin_command_refuses_an_email_in_use(runner, people):
    result = runner.invoke(args=["users", "create-admin", "LEARNER@example.org", "--password", "a-long-passphrase"])

    assert result.exit_code == 1
    assert "email: already used by another account" in result.output
    assert people["learner"].role == Role.LEARNER


# Password reset

FORGOT_REPLY = "If an account uses that address, a link to choose a new password is on its way."


def ask_for_reset(client, email: str):
    """Ask for a reset, then let the mail sender make the mail (the form only queues the address)."""
    response = post_form(client, "/account/forgot", {"email": email}, follow_redirects=True)
    process_reset_requests()
    return response


def test_forgot_password_for_an_unknown_address_says_the_same_and_sends_nothing(client, people):
    unknown = ask_for_reset(client, "nobody@example.org")
    known = ask_for_reset(client, "learner@example.org")

    assert FORGOT_REPLY in text(unknown)
    assert FORGOT_REPLY in text(known)
    assert [m.to_address for m in outbox()] == ["learner@example.org"]


def test_reset_mail_is_in_the_persons_language_and_its_link_works(client, people):
    factories.make_person(email="francophone@example.org", full_name="Awa Ndiaye", preferred_language="fr")

    ask_for_reset(client, "Francophone@example.org")

    [mail] = outbox("francophone@example.org")
    assert 'lang="fr"' in mail.body_html
    assert "Bonjour Awa Ndiaye" in mail.body_text
    assert "mot de passe" in mail.subject
    link = link_in(mail)
    assert link.startswith("/account/reset/")

    response = submit(client, link, {"password": "a-fresh-passphrase", "confirm": "a-fresh-passphrase"},
                      follow_redirects=True)

    assert "Votre mot de passe est enregistré et votre session est ouverte." in text(response)
    assert signed_in_as(client) == "Awa Ndiaye"
    fresh = client.application.test_client()
    assert sign_in(fresh, "francophone@example.org", "a-fresh-passphrase").status_code == 302


def test_a_reset_link_works_once(app, client, people):
    ask_for_reset(client, "learner@example.org")
    link = link_in(outbox("learner@example.org")[0])
    submit(client, link, {"password": "a-fresh-passphrase", "confirm": "a-fresh-passphrase"})

    again = app.test_client().get(link)

    assert again.status_code == 404
    assert "This link no longer works" in text(again)


def test_an_expired_reset_link_fails(app, client, people):
    ask_for_reset(client, "learner@example.org")
    link = link_in(outbox("learner@example.org")[0])

    with frozen_clock(utcnow() + app.config["RESET_TOKEN_LIFETIME"] + timedelta(minutes=1)):
        late = app.test_client().get(link)

    assert late.status_code == 404
    assert "This link no longer works" in text(late)


@pytest.mark.parametrize("password, message", [
    ("short", "Use at least 10 characters."),
    ("qwertyuiop", "This password is too common; choose another."),
])
def test_a_weak_new_password_is_refused(client, people, password, message):
    ask_for_reset(client, "learner@example.org")
    link = link_in(outbox("learner@example.org")[0])

    response = submit(client, link, {"password": password, "confirm": password})

    assert message in text(response)
    assert signed_in_as(client) is None
    assert client.get(link).status_code == 200  # the link still works for a better try


def test_asking_twice_invalidates_the_first_link(client, people):
    ask_for_reset(client, "learner@example.org")
    ask_for_reset(client, "learner@example.org")
    first, second = (link_in(mail) for mail in outbox("learner@example.org"))

    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_a_reset_link_is_stored_only_as_a_hash(client, people):
    ask_for_reset(client, "learner@example.org")
    secret = link_in(outbox("learner@example.org")[0]).rsplit("/", 1)[1]

    [token] = db.session.scalars(select(OneTimeToken)).all()
    assert secret not in token.token_hash


# Invitation

def test_an_invited_person_chooses_a_password_once_and_can_sign_in(app, admin_client, people):
    response = submit(admin_client, "/admin/people/new", {
        "email": "Newcomer@Example.org", "full_name": "Tshering Wangmo", "kind": "staff", "role": "learner",
        "timezone": "Asia/Thimphu", "send_invitation": "y"}, follow_redirects=True)
    assert "Tshering Wangmo is added." in text(response)

    [mail] = outbox("newcomer@example.org")
    assert f"{people['admin'].full_name} has created a Hemicycle account for you." in mail.body_text
    link = link_in(mail)
    assert link.startswith("/account/invitation/")

    invitee = app.test_client()
    accepted = submit(invitee, link, {"password": "my-own-passphrase", "confirm": "my-own-passphrase"},
                      follow_redirects=True)
    assert "Your password is saved and you are signed in." in text(accepted)
    assert signed_in_as(invitee) == "Tshering Wangmo"

    later = app.test_client()
    assert later.get(link).status_code == 404
    assert sign_in(later, "newcomer@example.org", "my-own-passphrase").status_code == 302


# Profile

def test_a_learner_changes_timezone_and_language(learner_client, people):
    response = submit(learner_client, "/account/profile",
                      {"timezone": "Africa/Banjul", "preferred_language": "fr"}, follow_redirects=True)

    assert 'lang="fr"' in text(response)
    learner = people["learner"]
    assert (learner.timezone, learner.preferred_language) == ("Africa/Banjul", "fr")


def test_an_unknown_timezone_is_refused_and_nothing_is_saved(learner_client, people):
    response = submit(learner_client, "/account/profile",
                      {"timezone": "Mars/Olympus_Mons", "full_name": "Renamed Learner"})

    page = text(response)
    assert "Unknown timezone. Use a name such as Europe/Paris or Africa/Banjul." in page
    assert 'aria-invalid="true"' in page and '"None"' not in page
    assert people["learner"].timezone == "UTC"
    assert people["learner"].full_name != "Renamed Learner"


def test_the_profile_form_cannot_change_role_status_parliament_kind_or_email(learner_client, people):
    learner = people["learner"]
    gambia_id = learner.parliament_id
    other = factories.make_parliament()

    submit(learner_client, "/account/profile", {
        "role": "admin", "is_active": "0", "parliament_id": str(other.id), "kind": "mp",
        "email": "someone-else@example.org", "session_key": "chosen", "full_name": "Still Learner"})

    assert signed_in_as(learner_client) == "Still Learner"  # the form itself was accepted
    assert (learner.role, learner.is_active, learner.parliament_id, learner.kind, learner.email) == (
        Role.LEARNER, True, gambia_id, PersonKind.STAFF, "learner@example.org")


def test_political_side_is_saved_only_for_members_of_parliament(app, learner_client, people):
    mp = factories.make_person(email="mp@example.org", kind=PersonKind.MP)
    mp_client = app.test_client()
    sign_in(mp_client, "mp@example.org", factories.PASSWORD)

    page = text(mp_client.get("/account/profile"))
    assert "Political side" in page
    submit(mp_client, "/account/profile", {"political_side": "opposition", "term_started_on": "2024-06-01"})
    submit(learner_client, "/account/profile", {"political_side": "ruling", "term_started_on": "2024-06-01"})

    assert (mp.political_side, mp.term_started_on) == (PoliticalSide.OPPOSITION, date(2024, 6, 1))
    assert (people["learner"].political_side, people["learner"].term_started_on) == (None, None)
    assert "Political side" not in text(learner_client.get("/account/profile"))


def test_a_profile_change_without_a_csrf_token_is_refused(learner_client, people):
    response = learner_client.post("/account/profile", data={
        "full_name": "Forged Name", "preferred_language": "en", "timezone": "Europe/Paris", "gender": ""})

    assert response.status_code == 400
    assert "The form had expired or was sent from another site." in text(response)
    assert people["learner"].full_name != "Forged Name"
    assert people["learner"].timezone == "UTC"
