"""Joins the API to the app: flask-smorest's Api, its resources, the token pages, errors, limits, CSRF."""
from __future__ import annotations

from functools import wraps

from flask import current_app

from elearn.access import PUBLIC
from elearn.api import problems
from elearn.api.auth import InvalidToken, ScopeRefused, cache_control, rate_limit_key
from elearn.api.spec import HemicycleApi, configure
from elearn.errors import add_error_responder
from elearn.extensions import csrf, limiter

# Each resource module owns a flask_smorest Blueprint named `blp` (url_prefix under /api/v1).
RESOURCE_MODULES = (
    "elearn.api.parliaments",
    "elearn.api.me",
    "elearn.api.me_learning",
    "elearn.api.parliament",
    "elearn.api.rosters",
    "elearn.api.figures",
    "elearn.api.cooperation",
    "elearn.api.programmes",
    "elearn.api.activities",
    "elearn.api.courses",
)


def _resource_blueprints():
    from importlib import import_module

    return [import_module(name).blp for name in RESOURCE_MODULES]


SPEC_ENDPOINT = "api-docs.openapi_json"


def _public_spec(view):
    """flask-smorest's view of openapi.json (a bound method), wrapped to carry the site's access rule."""

    @wraps(view)
    def openapi_json():
        return view()

    openapi_json.access_rule = PUBLIC
    return openapi_json


def _api_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def install(app) -> None:
    from elearn.api import docs_views, token_views

    configure(app)
    api = HemicycleApi(app)
    app.extensions["hemicycle_api"] = api
    for blueprint in _resource_blueprints():
        # Token calls carry no cookie to forge; a browser's session writes are checked in api.auth instead.
        csrf.exempt(blueprint)
        limiter.limit(_api_limit, key_func=rate_limit_key)(blueprint)
        api.register_blueprint(blueprint)
    app.view_functions[SPEC_ENDPOINT] = _public_spec(app.view_functions[SPEC_ENDPOINT])
    app.register_blueprint(docs_views.bp)
    app.register_blueprint(token_views.bp)
    add_error_responder(app, problems.respond)
    from werkzeug.exceptions import HTTPException

    app.register_error_handler(HTTPException, problems.handle_http_exception)
    app.register_error_handler(InvalidToken, problems.handle_invalid_token)
    app.register_error_handler(ScopeRefused, problems.handle_scope_refused)
    app.after_request(cache_control)
