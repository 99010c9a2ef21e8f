"""Every API operation × every kind of caller: who is refused (401/403/400) and who gets through.

The operations are read from the routes (tests/api/operations.py), their path parameters filled from
tests/api/samples.py; an operation whose parameter has no sample fails here by name. Only the boundary is
asserted: an allowed caller gets anything but 401/403 (what they get depends on the object: 200, 404, 409…).
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from elearn.api.auth import WRITE_METHODS
from elearn.api.scopes import Scope, allowed_scopes
from elearn.api.tokens import create_token
from elearn.database import utcnow
from elearn.extensions import db
from tests.api.helpers import bearer, token_for
from tests.api.operations import Operation, api_operations, collection_app, operation_ids
from tests.api.samples import seed_api_samples

ROLES = ("learner", "focal_point", "trainer", "admin")
REFUSED = (401, 403)


def find(app, operation_id: str) -> Operation:
    return next(operation for operation in api_operations(app) if operation.id == operation_id)


def call(client, operation: Operation, url: str, headers: dict | None = None):
    body = {"json": {}} if operation.method in WRITE_METHODS else {}
    return client.open(url, method=operation.method, headers=headers or {}, **body)


def holder_of(people, scope: Scope):
    """Someone whose role allows `scope` (a focal point for the parliament scopes, an admin otherwise)."""
    return next(people[role] for role in ("admin", "focal_point", "trainer", "learner")
                if scope in allowed_scopes(people[role]))


def dead_tokens(person, scope: Scope) -> dict[str, str]:
    revoked = create_token(person, "revoked", [scope], 30)
    revoked.token.revoked_at = utcnow()
    expired = create_token(person, "expired", [scope], 30)
    expired.token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    return {"a revoked token": revoked.secret, "an expired token": expired.secret}


class Verdicts:
    def __init__(self, operation: Operation):
        self.operation = operation
        self.wrong: list[str] = []

    def expect(self, caller: str, response, status: int | None = None) -> None:
        """`status` given: exactly that refusal, as a problem document; None: let through (not 401/403)."""
        got = response.status_code
        if status is None and got in REFUSED:
            self.wrong.append(f"{caller}: refused with {got}, should be allowed")
        elif status is not None and got != status:
            self.wrong.append(f"{caller}: {got}, should be {status}")
        elif status is not None and response.mimetype != "application/problem+json":
            self.wrong.append(f"{caller}: {status} as {response.mimetype}, not a problem document")
        elif got >= 500:
            self.wrong.append(f"{caller}: server error {got}")

    def check(self) -> None:
        assert not self.wrong, f"{self.operation.id} (needs {self.operation.scope.value}):\n" + "\n".join(self.wrong)


@pytest.mark.parametrize("operation_id", operation_ids())
def test_each_caller_is_refused_or_let_through_by_the_operations_scope(app, people, login_as, operation_id):
    operation = find(app, operation_id)
    url = operation.url(seed_api_samples(people))
    client, verdicts, scope = app.test_client(), Verdicts(operation), operation.scope

    verdicts.expect("anonymous", call(client, operation, url), None if scope == Scope.READ_PUBLIC else 401)
    for role in ROLES:
        may = scope in allowed_scopes(people[role])
        verdicts.expect(f"{role}'s token with every scope of the role",
                        call(client, operation, url, bearer(token_for(people[role]))), None if may else 403)

    holder = holder_of(people, scope)
    others = [other for other in allowed_scopes(holder) if other != scope]
    verdicts.expect("a token with every other scope", call(client, operation, url, bearer(token_for(holder, *others))),
                    403)
    for caller, secret in dead_tokens(holder, scope).items():
        verdicts.expect(caller, call(client, operation, url, bearer(secret)), 401)

    session = login_as(next(role for role in ROLES if people[role] is holder))
    if operation.method in WRITE_METHODS:
        verdicts.expect("a signed-in browser without its CSRF token", call(session, operation, url), 400)
    else:
        verdicts.expect("a signed-in browser", call(session, operation, url))
    verdicts.check()


def test_every_operation_is_in_the_matrix():
    """The matrix is parametrized from the routes: at least the skeleton's operations are there."""
    assert {"GET /api/v1/parliaments/", "GET /api/v1/parliaments/{parliament_id}"} <= set(operation_ids())
    assert all(operation.scope in Scope for operation in api_operations(collection_app()))
