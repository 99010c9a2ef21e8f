"""Every operation of the JSON API, read from the app's routes, for the generic tests (spec, access, fuzzing).

An operation is a (method, route) whose view is an ApiView: marked with api.auth.API_ACCESS_RULE, each
method carrying the scope its @requires names. Nothing here lists resources by hand, so an operation added
later is tested the moment its module joins RESOURCE_MODULES.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from elearn.api.auth import API_ACCESS_RULE
from elearn.api.scopes import Scope

API_PREFIX = "/api/v1/"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Operation:
    method: str
    rule: str  # Flask's: /api/v1/parliaments/<int:parliament_id>
    path: str  # OpenAPI's: /api/v1/parliaments/{parliament_id}
    endpoint: str
    scope: Scope
    parameters: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, samples: dict[str, int]) -> str:
        """The operation's address with each path parameter's sample; fails naming what has none."""
        missing = [name for name in self.parameters if name not in samples]
        assert not missing, (f"{self.id}: no sample for {', '.join(missing)}: add it to "
                             "tests/api/samples.py (seed_api_samples)")
        return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda match: str(samples[match.group(1)]), self.rule)


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def api_operations(app) -> list[Operation]:
    operations = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not rule.rule.startswith(API_PREFIX) or getattr(view, "access_rule", None) != API_ACCESS_RULE:
            continue
        for method in sorted(rule.methods - IGNORED_METHODS):
            handler = getattr(view.view_class, method.lower())
            operations.append(Operation(method=method, rule=rule.rule, path=openapi_path(rule.rule),
                                        endpoint=rule.endpoint, scope=handler.required_scope,
                                        parameters=tuple(sorted(rule.arguments))))
    return sorted(operations, key=lambda operation: (operation.path, operation.method))


@cache
def collection_app():
    """An app for listing operations while pytest collects (no database is opened for that)."""
    from elearn import create_app
    from tests.conftest import BASE_CONFIG

    return create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def operation_ids() -> list[str]:
    return [operation.id for operation in api_operations(collection_app())]
