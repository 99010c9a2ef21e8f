"""Programmes: adding and changing them, with their partner and consortium parliaments."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.errors import UserError
from elearn.extensions import db
from elearn.people.models import Parliament
from elearn.scheduling.models import Programme, ProgrammeKind, ProgrammeStatus


class ProgrammeError(UserError):
    """A programme that cannot be saved."""


@dataclass(frozen=True)
class ProgrammeInput:
    title: str
    slug: str
    kind: ProgrammeKind
    status: ProgrammeStatus
    funders: tuple[str, ...] = ()
    starts_on: date | None = None
    ends_on: date | None = None
    women_target_percent: int | None = None
    opposition_target_percent: int | None = None
    partner_ids: tuple[int, ...] = ()
    consortium_ids: tuple[int, ...] = ()


def _parliaments(ids: tuple[int, ...]) -> list[Parliament]:
    return list(db.session.scalars(select(Parliament).where(Parliament.id.in_(ids))))


def save_programme(data: ProgrammeInput, programme: Programme | None = None) -> Programme:
    """Add a programme (or change `programme`); its short name is used in addresses, so it is unique."""
    programme = programme or Programme()
    duplicate = db.session.scalar(select(Programme.id).where(Programme.slug == data.slug,
                                                             Programme.id != (programme.id or 0)))
    if duplicate is not None:
        raise ProgrammeError(_("Another programme uses this short name."), field="slug")
    programme.title = data.title.strip()
    programme.slug = data.slug
    programme.kind, programme.status = data.kind, data.status
    programme.funders = [funder.strip() for funder in data.funders if funder.strip()]
    programme.starts_on, programme.ends_on = data.starts_on, data.ends_on
    programme.women_target_percent = data.women_target_percent
    programme.opposition_target_percent = data.opposition_target_percent
    programme.partners = _parliaments(data.partner_ids)
    programme.consortium = _parliaments(data.consortium_ids)
    db.session.add(programme)
    db.session.commit()
    return programme


def create_programme(**values) -> Programme:
    programme = Programme(**values)
    db.session.add(programme)
    db.session.commit()
    return programme
