"""The OpenAPI description: valid, complete for every operation, and the same operations as the app's routes."""
from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from elearn.api.scopes import Scope
from tests.api.operations import api_operations

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
PROBLEM = "application/problem+json"
NOT_OPERATIONS = {"/api/v1/openapi.json", "/api/v1/docs"}  # the description and its browsable page


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def spec_operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method.upper(), operation


def resolve(spec: dict, response: dict) -> dict:
    while "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        response = spec["components"]["responses"][name]
    return response


def test_the_description_is_valid_openapi(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_every_operation_names_its_scope_security_and_refusals(spec):
    scopes = {scope.value for scope in Scope}
    problems = []
    for path, method, operation in spec_operations(spec):
        where = f"{method} {path}"
        scope = operation.get("x-scope")
        if scope not in scopes:
            problems.append(f"{where}: x-scope {scope!r}")
        if not isinstance(operation.get("security"), list) or not operation["security"]:
            problems.append(f"{where}: no security list")
        if not (operation.get("summary") or "").strip():
            problems.append(f"{where}: no summary (the method's docstring)")
        documented = set(operation.get("responses", {}))
        wanted = {"429"} if scope == Scope.READ_PUBLIC.value else {"401", "403", "429"}
        if missing := wanted - documented:
            problems.append(f"{where}: does not document {sorted(missing)}")
    assert not problems, "\n".join(problems)


def test_every_error_response_is_a_problem_document(spec):
    wrong = []
    for path, method, operation in spec_operations(spec):
        for status, response in operation.get("responses", {}).items():
            if status == "default" or int(status) >= 400:
                content = resolve(spec, response).get("content", {})
                if set(content) != {PROBLEM}:
                    wrong.append(f"{method} {path} {status}: {sorted(content)}")
    assert not wrong, "\n".join(wrong)


def test_the_description_and_the_routes_have_the_same_operations(app, spec):
    described = {(method, path) for path, method, _operation in spec_operations(spec)
                 if path not in NOT_OPERATIONS}
    routed = {(operation.method, operation.path) for operation in api_operations(app)}
    unrouted_api_rules = sorted(rule.rule for rule in app.url_map.iter_rules()
                                if rule.rule.startswith("/api/v1") and rule.rule not in NOT_OPERATIONS
                                and not any(rule.rule == operation.rule for operation in api_operations(app)))
    assert not unrouted_api_rules, f"routes under /api/v1 that are not ApiView operations: {unrouted_api_rules}"
    assert described - routed == set(), f"described but not routed: {sorted(described - routed)}"
    assert routed - described == set(), f"routed but not described: {sorted(routed - described)}"


def test_every_operation_is_in_the_spec_with_the_scope_its_view_checks(app, spec):
    for operation in api_operations(app):
        described = spec["paths"][operation.path][operation.method.lower()]
        assert described["x-scope"] == operation.scope.value, operation.id
