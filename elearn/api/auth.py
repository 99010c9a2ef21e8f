"""Who is calling: a personal access token (Authorization: Bearer), the signed-in browser, or nobody.

Every API view checks one scope (`requires`). A token carries the scopes it was made with, less those the
person's current role no longer allows; a signed-in browser holds every scope of its role, but may write
only with the page's CSRF token in an `X-CSRFToken` header, so that another site cannot make it write.
"""
from __future__ import annotations

import hashlib
from copy import deepcopy
from dataclasses import dataclass
from functools import wraps

from flask import abort, g, request
from flask.views import MethodView
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from elearn.api.models import ApiToken
from elearn.api.scopes import Scope, allowed_scopes
from elearn.api.tokens import effective_scopes, find_usable, note_use

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_ACCESS_RULE = "api-scope"  # the route's rule for check_every_route_has_a_rule: each method names its scope


class InvalidToken(Exception):
    """An Authorization header that names no live token: 401, never treated as anonymous."""


class ScopeRefused(Exception):
    """A caller without the operation's scope: 401 with no identity, 403 with one (audited as theirs)."""

    def __init__(self, caller: "Caller"):
        super().__init__()
        self.caller = caller
        self.code = 401 if caller.person is None else 403


@dataclass(frozen=True)
class Caller:
    person: object | None
    scopes: frozenset[Scope]
    token: ApiToken | None = None

    @property
    def by_session(self) -> bool:
        return self.person is not None and self.token is None


ANONYMOUS = Caller(person=None, scopes=frozenset({Scope.READ_PUBLIC}))


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    kind, _, secret = header.partition(" ")
    if kind.lower() != "bearer" or not secret.strip():
        raise InvalidToken()
    return secret.strip()


def identify() -> Caller:
    """The caller of this request, worked out once."""
    if "api_caller" in g:
        return g.api_caller
    secret = bearer_secret()
    if secret is not None:
        token = _live_token(secret)
        if token is None:
            raise InvalidToken()
        note_use(token)
        caller = Caller(person=token.person, scopes=effective_scopes(token), token=token)
    elif current_user.is_authenticated:
        caller = Caller(person=current_user._get_current_object(), scopes=frozenset(allowed_scopes(current_user)))
    else:
        caller = ANONYMOUS
    g.api_caller = caller
    return caller


def current_caller() -> Caller:
    return identify()


def rate_limit_key() -> str:
    """Per live token (a token's own budget wherever it calls from), per address otherwise: calls with
    unknown tokens, however spelt, share their address's budget, so guessing tokens is throttled too."""
    try:
        secret = bearer_secret()
    except InvalidToken:
        secret = None
    if secret is not None and _live_token(secret) is not None:
        return "token:" + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return "address:" + (request.remote_addr or "")


def _live_token(secret: str) -> ApiToken | None:
    """find_usable, once per request (the limiter and identify() both ask)."""
    if "api_token_lookup" not in g:
        g.api_token_lookup = (secret, find_usable(secret))
    cached_secret, token = g.api_token_lookup
    return token if cached_secret == secret else find_usable(secret)


def check_csrf_for_session_writes(caller: Caller) -> None:
    if caller.by_session and request.method in WRITE_METHODS:
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except ValidationError as error:
            raise CSRFError(str(error)) from None


def requires(scope: Scope):
    """Mark an API method with the one scope it needs; 401 for a caller without any, 403 for one without it."""

    def decorator(method):
        @wraps(method)
        def guarded(*args, **kwargs):
            caller = identify()
            if scope not in caller.scopes:
                raise ScopeRefused(caller)
            check_csrf_for_session_writes(caller)
            return method(*args, **kwargs)

        guarded.required_scope = scope
        _document(guarded, scope)
        return guarded

    return decorator


def _document(view, scope: Scope) -> None:
    """The scope, the security requirement and the refusals, in the operation's OpenAPI description."""
    doc = view._apidoc = deepcopy(getattr(view, "_apidoc", {}))
    responses = doc.setdefault("response", {}).setdefault("responses", {})
    refusals = [(429, "TOO_MANY_REQUESTS")]
    if scope != Scope.READ_PUBLIC:
        refusals += [(401, "UNAUTHORIZED"), (403, "FORBIDDEN")]
    if scope.value.startswith("write:"):
        refusals += [(400, "BAD_REQUEST")]  # a browser's call without its CSRF token
    for status, name in refusals:
        responses.setdefault(status, []).append(name)
    security = [{"bearerAuth": []}, {"browserSession": []}]
    if scope == Scope.READ_PUBLIC:
        security.append({})  # anonymous callers too
    manual = doc.setdefault("manual_doc", {})
    manual["security"] = security
    manual["x-scope"] = scope.value


def _mark_api_view(view):
    view.access_rule = API_ACCESS_RULE
    view.keeps_cache_control = True  # set by cache_control below, per caller
    return view


def cache_control(response):
    """After an API resource: a browser session's answers are never stored (as the site's pages); a token's
    are private to its client and revalidated with their ETag; anonymous public reads are revalidated."""
    caller = g.get("api_caller")
    if caller is None:
        return response
    response.vary.update(("Authorization", "Cookie"))  # the answer depends on who asks, even a refusal
    if "Cache-Control" in response.headers:  # a problem document: never stored
        return response
    if caller.by_session:
        response.headers["Cache-Control"] = "no-store"
    elif caller.person is not None:
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response


class ApiView(MethodView):
    """Base of every API resource: its route is marked as scope-checked method by method."""

    decorators = [_mark_api_view]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        unguarded = [name for name in ("get", "post", "put", "patch", "delete")
                     if hasattr(cls, name) and not hasattr(getattr(cls, name), "required_scope")]
        if unguarded:
            raise TypeError(f"{cls.__name__}: {', '.join(unguarded)} without @requires(scope)")


def person_or_404(caller: Caller):
    if caller.person is None:
        abort(401)
    return caller.person

