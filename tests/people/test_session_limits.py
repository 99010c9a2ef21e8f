"""Sessions end after an idle hour or twelve hours in all; remember-me skips the idle limit."""
from datetime import timedelta

from elearn.database import utcnow
from tests.factories import PASSWORD
from tests.helpers import frozen_clock, sign_in, text


def test_an_idle_session_expires(app, client, people):
    start = utcnow()
    with frozen_clock(start):
        sign_in(client, people["learner"].email, PASSWORD)
        assert client.get("/dashboard").status_code == 200
    with frozen_clock(start + timedelta(minutes=50)):
        assert client.get("/dashboard").status_code == 200   # activity resets the idle clock
    with frozen_clock(start + timedelta(minutes=100)):
        assert client.get("/dashboard").status_code == 200
    with frozen_clock(start + timedelta(minutes=100) + timedelta(hours=1, minutes=1)):
        response = client.get("/dashboard", follow_redirects=True)
        assert "Your session has expired" in text(response)
        assert "/account/login" in response.request.path


def test_a_busy_session_still_ends_after_twelve_hours(app, client, people):
    start = utcnow()
    with frozen_clock(start):
        sign_in(client, people["learner"].email, PASSWORD)
    for hour in range(1, 12):
        with frozen_clock(start + timedelta(hours=hour)):
            assert client.get("/dashboard").status_code == 200
    with frozen_clock(start + timedelta(hours=12, minutes=5)):
        assert client.get("/dashboard").status_code == 302


def test_remember_me_survives_idleness(app, client, people):
    start = utcnow()
    with frozen_clock(start):
        sign_in(client, people["learner"].email, PASSWORD, remember=True)
    with frozen_clock(start + timedelta(hours=3)):
        assert client.get("/dashboard").status_code == 200


def test_the_session_id_changes_at_sign_in(app, client, people):
    client.get("/account/login")
    before = client.get_cookie("session").value
    sign_in(client, people["learner"].email, PASSWORD)
    after = client.get_cookie("session").value
    assert before != after
    with client.session_transaction() as session:
        assert "signed_in_at" in session and "csrf_token" not in session
