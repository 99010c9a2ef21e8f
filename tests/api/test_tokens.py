"""Personal access tokens: made on a page and shown once, kept hashed, limited to the role's scopes, expiring,
revocable at once, audited; calls refused for a dead token or a missing scope; one rate limit across workers."""
from __future__ import annotations

import hashlib
import os
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.api.models import ApiToken
from elearn.api.scopes import Scope
from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.extensions import db
from tests.api.helpers import TokenClient, bearer, token_for
from tests.helpers import post_form, text
from tests.test_rate_limit import redis_available

PAGE = "/account/api-tokens/"
PUBLIC_READ = "/api/v1/parliaments/"


def make_on_page(client, *scopes: str, name: str = "HR system", days: int = 30):
    return post_form(client, PAGE, {"name": name, "scopes": list(scopes), "expires_in_days": str(days)},
                     token_from=PAGE)


def actions() -> list[AuditAction]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_page_shows_a_new_token_once_and_keeps_only_its_hash(app, login_as, people):
    client = login_as("learner")
    response = make_on_page(client, "read:public", "read:self")
    assert response.status_code == 201
    secret = re.search(r'id="new-token"[^>]*value="(hmc_[^"]+)"', text(response)).group(1)
    assert text(response).count(secret) == 1
    token = db.session.scalars(select(ApiToken)).one()
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.secret_hash, token.scopes}
    assert token.scopes == "read:public read:self"
    assert secret not in text(client.get(PAGE))  # never again
    assert TokenClient(app, secret).get(PUBLIC_READ).status_code == 200
    assert AuditAction.API_TOKEN_CREATED in actions()


def test_the_form_offers_only_the_roles_scopes_and_refuses_others(login_as):
    client = login_as("learner")
    page = text(client.get(PAGE))
    assert 'value="read:self"' in page and 'value="read:reports"' not in page
    response = make_on_page(client, "read:self", "read:reports")
    assert response.status_code == 422
    assert db.session.scalars(select(ApiToken)).first() is None
    assert 'value="read:reports"' in text(login_as("trainer").get(PAGE))


def test_a_token_expires(app, people):
    secret = token_for(people["learner"], Scope.READ_SELF, days=7)
    token = db.session.scalars(select(ApiToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert TokenClient(app, secret).get(PUBLIC_READ).status_code == 401


def test_revoking_stops_calls_at_once_and_is_audited(app, login_as):
    client = login_as("learner")
    secret = re.search(r'value="(hmc_[^"]+)"', text(make_on_page(client, "read:public"))).group(1)
    api = TokenClient(app, secret)
    assert api.get(PUBLIC_READ).status_code == 200
    token = db.session.scalars(select(ApiToken)).one()
    response = post_form(client, f"{PAGE}{token.id}/revoke", token_from=PAGE)
    assert response.status_code == 302
    refused = api.get(PUBLIC_READ)
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert AuditAction.API_TOKEN_REVOKED in actions()


def test_someone_elses_token_cannot_be_revoked(app, login_as, people):
    token_for(people["trainer"], Scope.READ_PUBLIC)
    token = db.session.scalars(select(ApiToken)).one()
    response = post_form(login_as("learner"), f"{PAGE}{token.id}/revoke", token_from=PAGE)
    assert response.status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_a_deactivated_persons_token_is_refused(app, people):
    api = TokenClient(app, token_for(people["learner"], Scope.READ_PUBLIC))
    people["learner"].is_active = False
    db.session.commit()
    assert api.get(PUBLIC_READ).status_code == 401


def test_refused_calls_are_audited(app, people):
    bad = app.test_client().get(PUBLIC_READ, headers=bearer("hmc_not-a-token"))
    assert bad.status_code == 401
    assert actions()[-1] == AuditAction.API_CALL_REFUSED
    lacking = TokenClient(app, token_for(people["learner"], Scope.READ_SELF)).get(PUBLIC_READ)
    assert lacking.status_code == 403 and lacking.mimetype == "application/problem+json"
    assert actions()[-1] == AuditAction.ACCESS_REFUSED


def test_last_use_is_written_at_most_once_a_minute(app, people):
    api = TokenClient(app, token_for(people["learner"], Scope.READ_PUBLIC))
    api.get(PUBLIC_READ)
    token = db.session.scalars(select(ApiToken)).one()
    first = token.last_used_at
    assert first is not None
    api.get(PUBLIC_READ)
    db.session.refresh(token)
    assert token.last_used_at == first
    token.last_used_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    api.get(PUBLIC_READ)
    db.session.refresh(token)
    assert token.last_used_at > first - timedelta(seconds=1)


@pytest.fixture
def redis_prefix():
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    import redis

    prefix = f"hemicycle-test-{uuid.uuid4().hex}"
    yield prefix
    connection = redis.Redis(host="127.0.0.1", port=6379, db=15)
    keys = list(connection.scan_iter(match=f"{prefix}*"))  # only the keys this test made
    if keys:
        connection.delete(*keys)
    connection.close()


def test_the_rate_limit_is_shared_by_workers_through_redis(make_app, app, people, redis_prefix):
    settings = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15", "RATELIMIT_KEY_PREFIX": redis_prefix,
                "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": False, "API_RATE_LIMIT": "5 per minute"}
    workers = [make_app(**settings), make_app(**settings)]  # two create_app calls, as two gunicorn workers
    headers = bearer(token_for(people["learner"], Scope.READ_PUBLIC))
    statuses = [workers[n % 2].test_client().get(PUBLIC_READ, headers=headers).status_code for n in range(5)]
    assert statuses == [200] * 5
    sixth = workers[1].test_client().get(PUBLIC_READ, headers=headers)
    assert sixth.status_code == 429
    assert sixth.mimetype == "application/problem+json" and sixth.get_json()["status"] == 429
    assert sixth.headers["Retry-After"]


def test_a_token_spelt_differently_still_spends_its_one_budget(make_app, app, people):
    limited = make_app(API_RATE_LIMIT="3 per minute", RATELIMIT_KEY_PREFIX=f"spelling-{uuid.uuid4().hex}")
    secret = token_for(people["learner"], Scope.READ_PUBLIC)
    spellings = [f"Bearer {secret}", f"bearer {secret}", f"BEARER  {secret}", f"Bearer {secret} "]
    statuses = [limited.test_client().get(PUBLIC_READ, headers={"Authorization": spelt}).status_code
                for spelt in spellings]
    assert statuses == [200, 200, 200, 429]


def test_guessed_tokens_are_throttled_by_address(make_app, app):
    limited = make_app(API_RATE_LIMIT="3 per minute", RATELIMIT_KEY_PREFIX=f"guess-{uuid.uuid4().hex}")
    statuses = [limited.test_client().get(PUBLIC_READ, headers=bearer(f"hmc_guess{n}")).status_code
                for n in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_refused_token_calls_name_the_tokens_person_and_stop_filling_the_log(make_app, app, people):
    capped = make_app(AUDIT_REFUSALS_PER_ADDRESS=3)
    lacking = TokenClient(capped, token_for(people["learner"], Scope.READ_SELF))
    assert lacking.get(PUBLIC_READ).status_code == 403
    refusal = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert refusal.action == AuditAction.ACCESS_REFUSED and refusal.actor_id == people["learner"].id
    for n in range(10):
        capped.test_client().get(PUBLIC_READ, headers=bearer(f"hmc_flood{n}"))
    refused = db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.in_(
        (AuditAction.ACCESS_REFUSED, AuditAction.API_CALL_REFUSED))))
    assert refused == 3


def test_a_focal_points_token_stops_reading_parliaments_after_a_move(app, people):
    from tests import factories

    focal = people["focal_point"]
    api = TokenClient(app, token_for(focal, Scope.READ_PARLIAMENT))
    assert api.get("/api/v1/parliament/people/").status_code == 200
    focal.parliament = factories.make_parliament(name_en="Another assembly", country_code="QZ")
    db.session.commit()
    assert api.get("/api/v1/parliament/people/").status_code == 403
