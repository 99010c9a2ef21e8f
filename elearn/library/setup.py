"""How the library feature joins the app: its tables, blueprints and hooks (called by elearn.create_app)."""
from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    from elearn.library import (
        models,  # noqa: F401  (its tables join the metadata)
        panels,
        search,  # noqa: F401  (the full-text index follows the table and the flush)
    )
    from elearn.library.views import bp

    app.register_blueprint(bp)
    panels.install(app)
