"""Demo: a 30 % opposition target on the West African programme, so its nominations, selections and report check it."""
from __future__ import annotations

from sqlalchemy import select

from elearn.extensions import db
from elearn.scheduling.models import Programme

WEST_AFRICA = "west-africa-2027"
OPPOSITION_TARGET = 30


def seed_balance() -> None:
    """Set the target where it is missing; a value changed since (by a trainer) is kept."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == WEST_AFRICA))
    if programme is None or programme.opposition_target_percent is not None:
        return
    programme.opposition_target_percent = OPPOSITION_TARGET
    db.session.commit()
