"""Reference data a report needs besides its figures: the programmes and their funders."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from elearn.extensions import db
from elearn.scheduling.models import Programme


def programmes_by_id() -> dict[int, Programme]:
    return {p.id: p for p in db.session.scalars(select(Programme).order_by(Programme.title))}


def funders(programmes: Iterable[Programme]) -> list[str]:
    return sorted({name for programme in programmes for name in programme.funders}, key=str.lower)
