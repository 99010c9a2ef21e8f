"""The forgot-password form does the same work for every address, and one account gets few reset mails."""
import multiprocessing
import os
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.mail.services import send_due
from elearn.people.models import PasswordResetRequest
from elearn.people.resets import ask_for_reset, process_reset_requests
from tests import factories
from tests.helpers import count_queries, csrf_token, frozen_clock, text
from tests.test_rate_limit import redis_available

FORGOT_REPLY = "If an account uses that address, a link to choose a new password is on its way."


def ask(client, email: str):
    token = csrf_token(client, "/account/forgot")
    return client.post("/account/forgot", data={"csrf_token": token, "email": email})


def mails_to(address: str) -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_address == address))


def waiting() -> int:
    return db.session.scalar(select(func.count(PasswordResetRequest.id)))


def statements_of_a_request(client, email: str) -> list[str]:
    token = csrf_token(client, "/account/forgot")
    with count_queries() as counter:
        response = client.post("/account/forgot", data={"csrf_token": token, "email": email})
    assert response.status_code == 302
    # The same statements with other values: compare their text without the parameters.
    return [re.sub(r"\s+", " ", statement) for statement in counter.statements]


def test_the_form_runs_the_same_statements_for_known_unknown_and_deactivated_addresses(app, client, people):
    factories.make_person(email="former@example.org", is_active=False)
    known = statements_of_a_request(client, "learner@example.org")
    unknown = statements_of_a_request(client, "nobody@example.org")
    deactivated = statements_of_a_request(client, "former@example.org")

    assert known == unknown == deactivated
    assert mails_to("learner@example.org") == 0  # nothing is looked up or mailed on the request's time

    send_due(sender_id="test")  # the mail sender makes the one mail due
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage))] == ["learner@example.org"]
    assert waiting() == 0  # the unknown address typed is not kept


def test_the_answer_is_the_same_for_any_address(client, people):
    for email in ("learner@example.org", "nobody@example.org"):
        response = client.get(ask(client, email).headers["Location"])
        assert FORGOT_REPLY in text(response)


def test_requests_for_one_address_are_limited_whether_or_not_it_has_an_account(client, people):
    statuses = {email: [ask(client, email).status_code for _ in range(4)]
                for email in ("learner@example.org", "nobody@example.org")}

    assert statuses == {"learner@example.org": [302, 302, 302, 429], "nobody@example.org": [302, 302, 302, 429]}
    assert "Too many attempts" in text(ask(client, "learner@example.org"))
    assert ask(client, "trainer@example.org").status_code == 302  # another address is not held up
    process_reset_requests()
    assert mails_to("learner@example.org") == 1  # three requests waiting together make one mail


def test_the_sender_mails_one_account_no_more_links_than_the_limit(app, people):
    """Requests that got past the form's limit (say, each to a worker counting in its own memory) still make
    no more than RESET_LIMIT_PER_ACCOUNT mails an hour."""
    start = utcnow()
    with frozen_clock(start):
        for _ in range(30):
            ask_for_reset("learner@example.org")
            process_reset_requests()
    assert mails_to("learner@example.org") == 3
    with frozen_clock(start + timedelta(minutes=61)):
        ask_for_reset("learner@example.org")
        process_reset_requests()
    assert mails_to("learner@example.org") == 4


def forgot_attempts(config: dict, email: str, count: int) -> list[int]:
    """Run in a separate process, like a gunicorn worker: one app, its own memory."""
    from elearn import create_app

    app = create_app(config)
    with app.app_context():
        client = app.test_client()
        return [ask(client, email).status_code for _ in range(count)]


def in_a_worker(config: dict, email: str, count: int) -> list[int]:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(forgot_attempts, (config, email, count))


def test_reset_requests_are_counted_across_workers_with_redis(app, people):
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    config = {**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "PASSWORD_HASH_METHOD",
                                             "SQLALCHEMY_DATABASE_URI", "SITE_URL")},
              "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
              "RATELIMIT_KEY_PREFIX": f"hemicycle-test-{uuid.uuid4().hex}",
              "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": False}

    assert in_a_worker(config, "learner@example.org", 3) == [302, 302, 302]
    # The next request reaches another worker, which knows about the first three.
    assert in_a_worker(config, "learner@example.org", 1) == [429]
