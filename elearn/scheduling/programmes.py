"""Programmes: the long-term cooperation frames activities belong to."""
from __future__ import annotations

from elearn.extensions import db
from elearn.scheduling.models import Programme


def create_programme(**values) -> Programme:
    programme = Programme(**values)
    db.session.add(programme)
    db.session.commit()
    return programme
