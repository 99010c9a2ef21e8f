"""Sign-in throttling is shared between worker processes through Redis, as in production."""
import multiprocessing
import os
import socket
import uuid

import pytest

from tests.factories import PASSWORD, make_person

REDIS = ("127.0.0.1", 6379)


def redis_available() -> bool:
    try:
        socket.create_connection(REDIS, timeout=0.5).close()
        return True
    except OSError:
        return False


def sign_in_attempts(config: dict, email: str, passwords: list[str]) -> list[int]:
    """Run in a separate process, like a gunicorn worker: one app, its own memory."""
    from elearn import create_app
    from tests.helpers import sign_in

    app = create_app(config)
    with app.app_context():
        client = app.test_client()
        return [sign_in(client, email, password).status_code for password in passwords]


def run_worker(config, email, passwords):
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(sign_in_attempts, (config, email, passwords))


@pytest.fixture
def worker_config(app):
    return {**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "PASSWORD_HASH_METHOD",
                                             "SQLALCHEMY_DATABASE_URI", "SITE_URL")},
            "RATELIMIT_KEY_PREFIX": f"hemicycle-test-{uuid.uuid4().hex}",
            "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": False,
            "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute", "LOGIN_LIMIT_PER_IP": "100 per minute"}


def test_failed_sign_ins_are_counted_across_workers_with_redis(worker_config):
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    config = {**worker_config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"}
    person = make_person(email="target@example.org")
    assert run_worker(config, person.email, ["wrong", "wrong", "wrong"]) == [200, 200, 200]
    # The next try reaches another worker, which knows about the three failures.
    assert run_worker(config, person.email, [PASSWORD]) == [429]


def test_memory_storage_is_per_process(worker_config):
    """The reason production needs Redis: with memory:// another worker starts from zero."""
    config = {**worker_config, "RATELIMIT_STORAGE_URI": "memory://"}
    person = make_person(email="target@example.org")
    assert run_worker(config, person.email, ["wrong", "wrong", "wrong", PASSWORD]) == [200, 200, 200, 429]
    assert run_worker(config, person.email, [PASSWORD]) == [302]
