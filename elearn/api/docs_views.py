"""The API's browsable documentation: Swagger UI (vendored under static/vendor/swagger-ui) over openapi.json."""
from __future__ import annotations

from flask import Blueprint, render_template

from elearn.access import public

bp = Blueprint("api_docs", __name__)


@bp.get("/api/v1/docs")
@public
def docs():
    return render_template("api/docs.html")
