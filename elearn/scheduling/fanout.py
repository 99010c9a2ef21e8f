"""Mail everyone registered at an activity that changed or was cancelled: the edit queues one job, a worker mails.

The edit's transaction holds the activity's seat lock; mailing thousands of
people inside it made registrations wait for seconds. So the edit only saves
what changed in a job (`jobs.queue_job`, same transaction), and `flask jobs
run` / `flask mail send` expands it into outbox mails, a batch of registrations
per transaction with the cursor saved alongside (resumable, never twice).

Who is mailed: the registrations that existed at the edit (id up to `upto`)
and are still active when their batch runs; someone who withdrew meanwhile is
not told of a change they no longer care about. A job overtaken by events
mails nobody: a change to an activity cancelled since, a cancellation undone
since (the later job tells everyone what holds).
"""
from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from elearn.extensions import db
from elearn.jobs.services import Step, queue_job, register_job_handler
from elearn.scheduling import notices
from elearn.scheduling.display import Place
from elearn.scheduling.models import Activity, ActivitySession, ActivityStatus, Registration
from elearn.scheduling.notices import ActivityChanges, Span
from elearn.scheduling.seats import ACTIVE_STATES

CHANGED, CANCELLED = "activity_changed", "activity_cancelled"


def _dump_value(value: str | Place):
    return {"place": [value.venue, value.address, value.city, value.country]} if isinstance(value, Place) else value


def _load_value(value) -> str | Place:
    return Place(*value["place"]) if isinstance(value, dict) else value


def _dump_span(span: Span) -> dict:
    return {"starts_at": span.starts_at.isoformat(), "ends_at": span.ends_at.isoformat(), "all_day": span.all_day,
            "title": span.title}


def _load_span(data: dict) -> Span:
    return Span(datetime.fromisoformat(data["starts_at"]), datetime.fromisoformat(data["ends_at"]),
                data["all_day"], data["title"])


def _dump_session(session: ActivitySession) -> dict:
    # A removed session is deleted by the edit: keep what its CANCEL needs (UID from the id, raised SEQUENCE).
    return {**_dump_span(Span.of(session)), "id": session.id, "activity_id": session.activity_id,
            "sequence": session.sequence, "updated_at": session.updated_at.isoformat()}


def _load_session(data: dict) -> ActivitySession:
    # Transient, never added to the database session: it only feeds the calendar builder.
    span = _load_span(data)
    return ActivitySession(id=data["id"], activity_id=data["activity_id"], starts_at=span.starts_at,
                           ends_at=span.ends_at, all_day=span.all_day, title=span.title, sequence=data["sequence"],
                           updated_at=datetime.fromisoformat(data["updated_at"]))


def dump_changes(changes: ActivityChanges) -> dict:
    return {"details": [[what, _dump_value(old), _dump_value(new)] for what, old, new in changes.details],
            "moved": [[_dump_span(old), _dump_span(new)] for old, new in changes.moved],
            "added": [_dump_span(span) for span in changes.added],
            "removed": [_dump_session(session) for session in changes.removed],
            "reinstated": changes.reinstated}


def load_changes(data: dict) -> ActivityChanges:
    return ActivityChanges(
        details=[(what, _load_value(old), _load_value(new)) for what, old, new in data["details"]],
        moved=[(_load_span(old), _load_span(new)) for old, new in data["moved"]],
        added=[_load_span(span) for span in data["added"]],
        removed=[_load_session(session) for session in data["removed"]],
        reinstated=data["reinstated"])


def _payload(activity: Activity) -> dict:
    upto = db.session.scalar(select(func.max(Registration.id)).where(Registration.activity_id == activity.id))
    return {"activity_id": activity.id, "upto": upto or 0, "after": 0, "mailed": 0}


def queue_changed(activity: Activity, changes: ActivityChanges) -> None:
    """In the edit's transaction: one job that will tell everyone registered what changed."""
    queue_job(CHANGED, {**_payload(activity), "changes": dump_changes(changes)})


def queue_cancelled(activity: Activity) -> None:
    """In the cancellation's transaction: one job that will tell everyone registered."""
    queue_job(CANCELLED, _payload(activity))


def _next_batch(payload: dict, size: int) -> list[Registration]:
    return db.session.scalars(
        select(Registration)
        .where(Registration.activity_id == payload["activity_id"], Registration.id > payload["after"],
               Registration.id <= payload["upto"], Registration.state.in_(ACTIVE_STATES))
        .order_by(Registration.id).limit(size)
        .options(joinedload(Registration.person))).all()


def _run(payload: dict, size: int, mail, *, superseded) -> Step:
    activity = db.session.get(Activity, payload["activity_id"])
    if activity is None or superseded(activity):
        return Step(payload=payload, done=True)
    batch = _next_batch(payload, size)
    link = notices.activity_link(activity)
    for registration in batch:
        mail(registration, link)
    if batch:
        payload = {**payload, "after": batch[-1].id, "mailed": payload["mailed"] + len(batch)}
    return Step(payload=payload, done=len(batch) < size)


def run_changed(payload: dict, size: int) -> Step:
    """Mail one batch about a change; none if the activity was cancelled since (that mail says enough)."""
    changes = load_changes(payload["changes"])
    return _run(payload, size, lambda registration, link: notices.mail_changed(registration, changes, link),
                superseded=lambda activity: activity.status == ActivityStatus.CANCELLED)


def run_cancelled(payload: dict, size: int) -> Step:
    """Mail one batch about a cancellation; none if the activity was published again since."""
    return _run(payload, size, notices.mail_cancelled,
                superseded=lambda activity: activity.status != ActivityStatus.CANCELLED)


def install(app: Flask) -> None:
    """Have the job workers run scheduling's fan-outs (called by create_app)."""
    register_job_handler(app, CHANGED, run_changed)
    register_job_handler(app, CANCELLED, run_cancelled)
