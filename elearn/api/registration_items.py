"""Registrations as the caller's own list and a focal point's list show them: one shape, ranks read in one query."""
from __future__ import annotations

from flask import abort
from marshmallow import Schema, fields
from sqlalchemy.orm import joinedload

from elearn.api.schemas import Instant
from elearn.extensions import db
from elearn.scheduling import services
from elearn.scheduling.models import Activity, ActivityStatus, Registration, RegistrationState


class RegisteredActivitySchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)


class RegistrationItemSchema(Schema):
    id = fields.Integer(required=True)
    activity = fields.Nested(RegisteredActivitySchema, required=True)
    state = fields.String(required=True, metadata={"enum": [state.value for state in RegistrationState]})
    waitlist_position = fields.Integer(allow_none=True, required=True, metadata={
        "description": "1 for the first person waiting, as the web pages say it; null for someone not waiting"})
    nominated = fields.Boolean(required=True, metadata={"description": "Registered by their focal point"})
    created_at = Instant(required=True)
    updated_at = Instant(required=True)


def registration_loading():
    """What an item shows, loaded with the page (no statement per item)."""
    return joinedload(Registration.activity).load_only(Activity.id, Activity.title)


def registration_items(registrations: list[Registration], more_fields=None) -> list[dict]:
    """Items of a page; `more_fields(registration)` adds fields (a focal point's list names the person)."""
    waiting = [r for r in registrations if r.state == RegistrationState.WAITLISTED]
    ranks = services.waitlist_ranks_among(sorted({r.activity_id for r in waiting}), [r.id for r in waiting])
    return [{**registration_data(registration, ranks.get(registration.id)),
             **(more_fields(registration) if more_fields else {})} for registration in registrations]


def registration_data(registration: Registration, rank: int | None = None) -> dict:
    return {"id": registration.id,
            "activity": {"id": registration.activity.id, "title": registration.activity.title},
            "state": registration.state.value, "waitlist_position": rank,
            "nominated": registration.nominated_by_id is not None,
            "created_at": registration.created_at, "updated_at": registration.updated_at}


def one_registration_data(registration: Registration) -> dict:
    return registration_data(registration, services.waitlist_rank(registration))


def visible_activity_or_404(activity_id: int) -> Activity:
    """An activity the web would show: a draft does not exist for anyone outside its staff."""
    activity = db.session.get(Activity, activity_id)
    if activity is None or activity.status == ActivityStatus.DRAFT:
        abort(404)
    return activity
