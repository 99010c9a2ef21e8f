"""Errors as RFC 9457 problem documents (application/problem+json) on every address under /api/.

Bad input gives 422 with the messages field by field ({"errors": {"query": {"limit": ["..."]}}}); the other
errors give their status with a title and, where the app has one, a sentence saying what went wrong.
"""
from __future__ import annotations

import json
from http import HTTPStatus

from flask import current_app, request
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from elearn.audit.models import AuditAction
from elearn.audit.services import record_refusal

PROBLEM_TYPE = "application/problem+json"
API_PREFIX = "/api/"


class ProblemSchema(Schema):
    type = fields.String(metadata={"description": "A URI naming the kind of problem; about:blank for plain HTTP ones"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(),
                         metadata={"description": "Bad input, by location then field: a list of messages each"})


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem(status: int, *, detail: str | None = None, errors: dict | None = None, headers: dict | None = None):
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype=PROBLEM_TYPE)
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _detail(error: BaseException, code: int) -> str | None:
    if isinstance(error, CSRFError):
        return "A call made with the browser's session must carry the page's CSRF token in an X-CSRFToken header."
    description = getattr(error, "description", None)
    if code >= 500 or not isinstance(description, str):
        return None
    return description


def respond(error: BaseException, code: int):
    """The error responder hook (elearn.main.errors): a problem document for API addresses."""
    if not is_api_request():
        return None
    data = getattr(error, "data", None) or {}
    errors = data.get("messages") if isinstance(data, dict) else None
    headers = dict(data.get("headers") or {}) if isinstance(data, dict) else {}
    if code == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="hemicycle"')
    if code == 429:
        headers.setdefault("Retry-After", "60")
    return problem(code, detail=_detail(error, code), errors=errors, headers=headers)


def handle_http_exception(error: HTTPException):
    """Codes the site's error pages do not handle (401, 409, 412, 422, ...): problem documents under /api/."""
    if not is_api_request():
        return error
    code = error.code or 500
    if code == 304:  # not a problem: an empty answer confirming the caller's copy (api.auth.cache_control)
        return current_app.response_class(status=304)
    if code in (401, 412):
        record_refusal(AuditAction.API_CALL_REFUSED)
    return respond(error, code)


def handle_scope_refused(error):
    """No identity: 401 (audited as a refused call); an identity without the scope: 403, audited as theirs."""
    if error.code == 403:
        record_refusal(AuditAction.ACCESS_REFUSED, actor=error.caller.person)
        return problem(403, detail="This operation needs a scope the caller does not hold.")
    record_refusal(AuditAction.API_CALL_REFUSED)
    return problem(401, detail="This operation needs a personal access token.",
                   headers={"WWW-Authenticate": 'Bearer realm="hemicycle"'})


def handle_invalid_token(_error):
    record_refusal(AuditAction.API_CALL_REFUSED)
    return problem(401, detail="The token is unknown, expired or revoked.",
                   headers={"WWW-Authenticate": 'Bearer realm="hemicycle", error="invalid_token"'})
