"""How the placements feature joins the app: its tables, blueprints and hooks (called by elearn.create_app)."""
from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """Import the models (their tables join the metadata), register the blueprints, install the hooks."""
    from elearn.placements import models, panel, participation  # noqa: F401  (models: its tables join the metadata)
    from elearn.placements.views import bp

    app.register_blueprint(bp)
    panel.install(app)
    participation.install(app)
