"""The check-in service worker's address: /check-in/sw.js, so that its scope is /check-in/."""
from __future__ import annotations

from flask import Blueprint

from elearn.access import public
from elearn.onsite import client
from elearn.security import keeps_cache_control, sessionless

bp = Blueprint("check_in_client", __name__)


@bp.get("/check-in/sw.js")
@public
@sessionless
@keeps_cache_control
def service_worker():
    return client.service_worker()
