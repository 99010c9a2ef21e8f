"""Remembered devices: remember-me and "no code here" are bounded, rotated on use and revocable."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.sign_in_models import SignInDevice
from tests import factories
from tests.helpers import csrf_token, frozen_clock, post_form, sign_in, text
from tests.people import signed_in_as
from tests.people.two_factor_helpers import code_at, enrol, give_code

START = utcnow().replace(microsecond=0)
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def only_cookie(app, value: str):
    """A browser holding nothing but this device cookie (its session ended, or a thief's copy)."""
    browser = app.test_client()
    browser.set_cookie("device_token", value)
    return browser


def test_remember_me_restores_a_session_and_replaces_the_cookie(app, client, people):
    with frozen_clock(START):
        sign_in(client, people["learner"].email, factories.PASSWORD, remember=True)
    first = client.get_cookie("device_token").value
    with frozen_clock(START + timedelta(days=2)):
        owner = only_cookie(app, first)
        assert signed_in_as(owner) == people["learner"].full_name
        second = owner.get_cookie("device_token").value
        assert second != first
        # A copy of the first cookie, taken before the owner used it, is worth nothing now.
        assert signed_in_as(only_cookie(app, first)) is None
        assert signed_in_as(only_cookie(app, second)) == people["learner"].full_name


def test_remember_me_ends_when_its_time_is_up_whatever_the_browser_keeps(app, client, people):
    with frozen_clock(START):
        sign_in(client, people["learner"].email, factories.PASSWORD, remember=True)
    cookie = client.get_cookie("device_token").value
    with frozen_clock(START + timedelta(days=14, minutes=1)):
        assert signed_in_as(only_cookie(app, cookie)) is None


def test_devices_are_listed_and_a_revoked_one_no_longer_signs_in(app, people):
    phone = app.test_client()
    with frozen_clock(START):
        sign_in(phone, people["learner"].email, factories.PASSWORD, remember=True)
        restored = only_cookie(app, phone.get_cookie("device_token").value)
        assert signed_in_as(restored) == people["learner"].full_name  # the session lives on this browser
        laptop = app.test_client()
        laptop.environ_base["HTTP_USER_AGENT"] = FIREFOX
        sign_in(laptop, people["learner"].email, factories.PASSWORD, remember=True)
        page = text(laptop.get("/account/devices"))
        assert "Firefox on Windows" in page and "This device" in page and page.count("Forget this device") == 2
        phone_device = db.session.scalars(select(SignInDevice).order_by(SignInDevice.id)).first()
        response = post_form(laptop, f"/account/devices/{phone_device.id}/revoke", token_from="/account/devices",
                             follow_redirects=True)
        assert "is forgotten" in text(response)
        assert text(response).count("Forget this device") == 1
        # The revoked device's restored session ends at once, and its cookie cannot start another.
        assert signed_in_as(restored) is None
        assert signed_in_as(only_cookie(app, restored.get_cookie("device_token").value)) is None
        assert signed_in_as(laptop) == people["learner"].full_name


def test_nobody_else_can_forget_my_device(app, client, people, login_as):
    sign_in(client, people["learner"].email, factories.PASSWORD, remember=True)
    device = db.session.scalar(select(SignInDevice))
    trainer = login_as("trainer")
    assert post_form(trainer, f"/account/devices/{device.id}/revoke", token_from="/account/devices").status_code == 404
    db.session.refresh(device)
    assert device.revoked_at is None
    assert "Forget this device" not in text(trainer.get("/account/devices"))


def test_signing_out_ends_remember_me_on_every_device(app, people):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, people["learner"].email, factories.PASSWORD, remember=True)
    sign_in(phone, people["learner"].email, factories.PASSWORD, remember=True)
    phone_cookie = phone.get_cookie("device_token").value
    laptop.post("/account/logout", data={"csrf_token": csrf_token(laptop, "/dashboard")})
    assert signed_in_as(only_cookie(app, phone_cookie)) is None


def test_an_old_flask_login_remember_cookie_is_refused_and_deleted(app, people):
    """Cookies made before devices replaced them carried no end: they must stop at once."""
    from flask_login.utils import encode_cookie

    with app.test_request_context():
        old = encode_cookie(people["learner"].get_id())
    browser = app.test_client()
    browser.set_cookie("remember_token", old)
    response = browser.get("/dashboard")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert browser.get_cookie("remember_token") is None


def test_a_trusted_device_skips_the_code_for_thirty_days_and_a_revoked_one_does_not(app, people):
    trainer = people["trainer"]
    browser = app.test_client()
    with frozen_clock(START):
        sign_in(browser, trainer.email, factories.PASSWORD)
        secret, _codes = enrol(browser)
    with frozen_clock(START + timedelta(minutes=1)):
        browser = only_cookie(app, "")
        sign_in(browser, trainer.email, factories.PASSWORD)
        assert give_code(browser, code_at(secret), trust=True).status_code == 302
        browser.post("/account/logout", data={"csrf_token": csrf_token(browser, "/dashboard")})
    with frozen_clock(START + timedelta(days=29)):
        response = sign_in(browser, trainer.email, factories.PASSWORD)
        assert response.headers["Location"].endswith("/dashboard")  # no code asked here
        # Another browser still needs one.
        other = app.test_client()
        assert sign_in(other, trainer.email, factories.PASSWORD).headers["Location"].endswith("/sign-in/code")
    with frozen_clock(START + timedelta(days=29, minutes=1)):
        device = db.session.scalar(select(SignInDevice))
        post_form(browser, f"/account/devices/{device.id}/revoke", token_from="/account/devices")
        assert signed_in_as(browser) == trainer.full_name  # this session was not remembered: it goes on
        browser.post("/account/logout", data={"csrf_token": csrf_token(browser, "/dashboard")})
        assert sign_in(browser, trainer.email, factories.PASSWORD).headers["Location"].endswith("/sign-in/code")


def test_trust_ends_after_thirty_days(app, people):
    trainer = people["trainer"]
    browser = app.test_client()
    with frozen_clock(START):
        sign_in(browser, trainer.email, factories.PASSWORD)
        secret, _codes = enrol(browser)
    with frozen_clock(START + timedelta(minutes=1)):
        browser = app.test_client()
        sign_in(browser, trainer.email, factories.PASSWORD)
        give_code(browser, code_at(secret), trust=True)
        browser.post("/account/logout", data={"csrf_token": csrf_token(browser, "/dashboard")})
    with frozen_clock(START + timedelta(days=30, minutes=2)):
        assert sign_in(browser, trainer.email, factories.PASSWORD).headers["Location"].endswith("/sign-in/code")


def test_a_new_password_forgets_every_trusted_device(app, people):
    trainer = people["trainer"]
    browser = app.test_client()
    with frozen_clock(START):
        sign_in(browser, trainer.email, factories.PASSWORD)
        secret, _codes = enrol(browser)
    with frozen_clock(START + timedelta(minutes=1)):
        browser = app.test_client()
        sign_in(browser, trainer.email, factories.PASSWORD)
        give_code(browser, code_at(secret), trust=True)
        post_form(browser, "/account/password", {"current": factories.PASSWORD, "password": "a-brand-new-passphrase",
                                                 "confirm": "a-brand-new-passphrase"})
        browser.post("/account/logout", data={"csrf_token": csrf_token(browser, "/dashboard")})
        assert sign_in(browser, trainer.email, "a-brand-new-passphrase").headers["Location"].endswith("/sign-in/code")


def test_the_device_cookie_is_http_only_same_site_and_bounded(client, people):
    response = sign_in(client, people["learner"].email, factories.PASSWORD, remember=True)
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("device_token="))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Max-Age=1209600" in header
    stored = db.session.scalar(select(SignInDevice))
    assert stored.secret_hash != header.split("=", 1)[1].split(";", 1)[0]  # only its hash is kept
