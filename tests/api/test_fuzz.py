"""Every operation fuzzed with schemathesis: no server error for any input, every status documented, the
content type and the body as described. Writes too. Bounded and derandomized, so CI runs the same cases.

Each operation gets its own database (the test is parametrized by operation), seeded with samples of every
kind, and is called with a token holding every scope an administrator may hold; then once more with the
samples' ids in the path, so that the answers about real objects (200 and their bodies) are checked too.
"""
from __future__ import annotations

import re
from functools import cache

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from elearn.api.scopes import allowed_scopes
from tests.api.helpers import bearer, token_for
from tests.api.operations import collection_app, operation_ids
from tests.api.samples import seed_api_samples

EXAMPLES = 8
# What the issue asks of every answer. Not schemathesis's positive_data_acceptance: a schema-valid request may
# still be refused for what the schema cannot say (a cursor this list never gave, a full activity: 409/422).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, negative_data_rejection]

FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck), print_blob=True)


@pytest.fixture
def admin_headers(app, people):
    # schemathesis sends requests' Accept-Encoding (gzip, deflate…) but its WSGI transport does not decode the
    # answer: ask for it plain (compression of the API is tests/test_compression.py's).
    return {**bearer(token_for(people["admin"], *allowed_scopes(people["admin"]))), "Accept-Encoding": "identity"}


@cache
def loaded_schema():
    """The description, loaded once: it is the same for every test's app (only the database differs)."""
    app = collection_app()
    with app.app_context():
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def schema_operation(app, operation_id: str):
    method, path = operation_id.split(" ", 1)
    schema = loaded_schema()
    schema.app = app  # calls go to this test's app, on its own database
    return schema[path][method]


@pytest.mark.parametrize("operation_id", operation_ids())
def test_operation_answers_as_described_whatever_it_is_sent(app, people, admin_headers, operation_id):
    samples = seed_api_samples(people)
    operation = schema_operation(app, operation_id)
    cases = operation.as_strategy()

    @FUZZ_SETTINGS
    @given(case=cases)
    def random_inputs(case):
        case.call_and_validate(headers=admin_headers, checks=CHECKS)

    random_inputs()

    @FUZZ_SETTINGS
    @given(case=cases)
    def sample_objects(case):
        names = re.findall(r"{([^}]+)}", operation.path)
        missing = [name for name in names if name not in samples]
        assert not missing, f"{operation_id}: no sample for {missing} in tests/api/samples.py"
        case.path_parameters = {**(case.path_parameters or {}), **{name: samples[name] for name in names}}
        case.call_and_validate(headers=admin_headers, checks=CHECKS)

    sample_objects()
