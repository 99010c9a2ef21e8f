"""How the mentoring feature joins the app: its tables, blueprints and hooks (called by elearn.create_app)."""
from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    from elearn.mentoring import (
        models,  # noqa: F401  (its tables join the metadata)
        panel,
        participation,
        staff_views,  # noqa: F401  (the staff's routes join the `mentoring` blueprint)
    )

    # With the meetings' views come their services (a pair that stops being active calls off its meetings).
    from elearn.mentoring.meetings_views import bp as meetings_bp
    from elearn.mentoring.views import bp as pairs_bp

    app.register_blueprint(pairs_bp)
    app.register_blueprint(meetings_bp)
    panel.install(app)
    participation.install(app)
