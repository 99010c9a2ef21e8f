"""How the alumni feature joins the app: its tables, blueprints and hooks (called by elearn.create_app)."""
from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """Import the models (their tables join the metadata), register the blueprints, install the hooks."""
    from elearn.alumni import models  # noqa: F401  (its tables join the metadata)
    from elearn.alumni.panel import install as install_panel
    from elearn.alumni.views import bp

    app.register_blueprint(bp)
    install_panel(app)
