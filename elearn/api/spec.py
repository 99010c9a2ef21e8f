"""flask-smorest's Api, with problem documents for its errors and the two ways of calling in the description."""
from __future__ import annotations

import http

from flask_smorest import Api
from flask_smorest.utils import prepare_response

from elearn.api.problems import PROBLEM_TYPE, ProblemSchema

API_PREFIX = "/api/v1"

DESCRIPTION = """Hemicycle's data for partners' and funders' systems: programmes, activities and sessions,
courses, parliaments; a person's own registrations and progress; a focal point's parliament; a trainer's
rosters, attendance and figures.

Call with a personal access token (made on the "API tokens" page of your account) in an
`Authorization: Bearer` header. Each operation names the one scope it needs (`x-scope`); public reads need
none. Lists are paged by cursor (`limit`, `cursor`; `next_cursor` in the body and a `Link` header); reads
carry an `ETag` and answer `304` to `If-None-Match`. Errors are problem documents (RFC 9457). Times are
ISO 8601 with their offset (UTC)."""


class HemicycleApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """Errors are answered by elearn.api.problems for /api/ addresses only (see setup.install), never
        app-wide as flask-smorest would: the site's pages keep their own error pages."""

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as a problem document (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def configure(app) -> None:
    for name, value in {
        "API_TITLE": "Hemicycle API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": API_PREFIX,
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "info": {"description": DESCRIPTION},
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "A personal access token (hmc_...) with the operation's scope"},
                "browserSession": {"type": "apiKey", "in": "cookie", "name": "session",
                                   "description": "A signed-in browser: every scope of the person's role; "
                                                  "writes also need the page's CSRF token in X-CSRFToken"},
            }},
        },
    }.items():
        app.config.setdefault(name, value)
