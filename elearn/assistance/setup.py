"""How the assistance feature joins the app: its tables, blueprints and hooks (called by elearn.create_app)."""
from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """Import the models (their tables join the metadata), register the blueprints, install the hooks."""
    from elearn.assistance import models  # noqa: F401  (its tables join the metadata)
