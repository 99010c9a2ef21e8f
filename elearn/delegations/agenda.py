"""Agenda items: add, change and delete meetings within an activity's sessions, and read who each concerns.

Every change commits with the calendar mails it causes queued as a job
(agenda_notices): the participants concerned get a REQUEST when an item is
added, moved or re-placed, a CANCEL when it is deleted or they are no longer
concerned. SEQUENCE grows with each change a calendar must take.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timezone

from flask_babel import gettext as _
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from elearn.content import render_markdown
from elearn.database import utcnow
from elearn.delegations import agenda_notices
from elearn.delegations.agenda_ical import ItemEvent
from elearn.delegations.agenda_models import AgendaItem, Institution
from elearn.errors import UserError
from elearn.extensions import db
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Registration,
    RegistrationState,
    session_days,
)


class AgendaError(UserError):
    """An agenda item refused; `field` names the form field at fault."""


@dataclass(frozen=True)
class AgendaItemInput:
    """Times are the activity's local clock on `day`, a day of the session."""

    session_id: int
    day: date
    start_time: time
    end_time: time
    title: str
    institution_id: int | None = None
    host: str = ""
    room: str = ""
    briefing_md: str = ""
    for_everyone: bool = True
    registration_ids: tuple[int, ...] = field(default_factory=tuple)


def _session(activity: Activity, session_id: int) -> ActivitySession:
    session = db.session.get(ActivitySession, session_id)
    if session is None or session.activity_id != activity.id:
        raise AgendaError(_("Choose one of this activity's sessions."), "session_id")
    return session


def _instants(session: ActivitySession, data: AgendaItemInput) -> tuple[datetime, datetime]:
    zone = session.activity.zone
    if data.day not in session_days(session.starts_at, session.ends_at, session.all_day, zone):
        raise AgendaError(_("Choose a day of the session."), "day")
    if data.end_time <= data.start_time:
        raise AgendaError(_("The end must be after the start."), "end_time")
    starts_at = datetime.combine(data.day, data.start_time, zone).astimezone(timezone.utc)
    ends_at = datetime.combine(data.day, data.end_time, zone).astimezone(timezone.utc)
    if starts_at < session.starts_at:
        raise AgendaError(_("The item must start within its session's time."), "start_time")
    if ends_at > session.ends_at:
        raise AgendaError(_("The item must end within its session's time."), "end_time")
    return starts_at, ends_at


def _participants(activity: Activity, data: AgendaItemInput) -> list[Registration]:
    if data.for_everyone:
        return []
    if not data.registration_ids:
        raise AgendaError(_("Choose the participants concerned, or everyone."), "registration_ids")
    found = db.session.scalars(select(Registration).where(Registration.id.in_(data.registration_ids))).all()
    confirmed = [r for r in found if r.activity_id == activity.id and r.state == RegistrationState.CONFIRMED]
    if len(confirmed) != len(set(data.registration_ids)):
        raise AgendaError(_("Only participants confirmed at this activity can be chosen."), "registration_ids")
    return sorted(confirmed, key=lambda registration: registration.id)


def _institution(institution_id: int | None) -> Institution | None:
    if institution_id is None:
        return None
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        raise AgendaError(_("Choose an institution from the directory."), "institution_id")
    return institution


def _checked(activity: Activity, data: AgendaItemInput) -> dict:
    title = data.title.strip()
    if not title:
        raise AgendaError(_("Give the item a title."), "title")
    session = _session(activity, data.session_id)
    starts_at, ends_at = _instants(session, data)
    return dict(session=session, starts_at=starts_at, ends_at=ends_at, title=title,
                institution=_institution(data.institution_id), host=data.host.strip(), room=data.room.strip(),
                briefing_md=data.briefing_md, briefing_html=render_markdown(data.briefing_md),
                for_everyone=data.for_everyone, participants=_participants(activity, data))


def concerned(item: AgendaItem, activity: Activity | None = None) -> list[Registration]:
    """The confirmed registrations the item concerns, by id (`activity`: when its session is leaving it)."""
    if not item.for_everyone:
        return sorted((r for r in item.participants if r.state == RegistrationState.CONFIRMED), key=lambda r: r.id)
    return list(db.session.scalars(
        select(Registration).where(Registration.activity_id == (activity.id if activity else item.session.activity_id),
                                   Registration.state == RegistrationState.CONFIRMED).order_by(Registration.id)))


def create_item(activity: Activity, data: AgendaItemInput) -> AgendaItem:
    """Add an item; the participants concerned are sent an invitation (REQUEST). Commits."""
    item = AgendaItem(**_checked(activity, data))
    db.session.add(item)
    db.session.flush()
    agenda_notices.queue_request(item, [r.id for r in concerned(item)])
    db.session.commit()
    return item


def _moved(item: AgendaItem, values: dict) -> bool:
    """Time or place changed: what a calendar shows and must take again."""
    return (values["starts_at"] != item.starts_at or values["ends_at"] != item.ends_at
            or values["room"] != item.room or values["institution"] is not item.institution)


def update_item(item: AgendaItem, data: AgendaItemInput) -> AgendaItem:
    """Change an item. Those still concerned get an updated invitation if its time or place moved (those newly
    concerned always); those no longer concerned get a CANCEL. Commits."""
    values = _checked(item.session.activity, data)
    before = {r.id for r in concerned(item)}
    moved = _moved(item, values)
    for name, value in values.items():
        setattr(item, name, value)
    db.session.flush()
    after = [r.id for r in concerned(item)]
    dropped = sorted(before - set(after))
    told = after if moved else [rid for rid in after if rid not in before]
    if moved or dropped or told:
        item.sequence += 1  # a calendar ignores a changed event whose SEQUENCE did not grow
    item.updated_at = utcnow()
    db.session.flush()
    if dropped:
        agenda_notices.queue_cancel(item, dropped)
    if told:
        agenda_notices.queue_request(item, told)
    db.session.commit()
    return item


def delete_item(item: AgendaItem) -> None:
    """Delete an item; those it concerned get a CANCEL, built from what it was. Commits."""
    item.sequence += 1
    item.updated_at = utcnow()
    agenda_notices.queue_cancel(item, [r.id for r in concerned(item)])
    db.session.delete(item)
    db.session.commit()


def activity_items(activity: Activity) -> list[AgendaItem]:
    return list(db.session.scalars(
        select(AgendaItem).join(AgendaItem.session).where(ActivitySession.activity_id == activity.id)
        .options(contains_eager(AgendaItem.session), joinedload(AgendaItem.institution),
                 selectinload(AgendaItem.participants)
                 .joinedload(Registration.person))
        .order_by(AgendaItem.starts_at, AgendaItem.id)))


def registration_items(registration: Registration) -> list[AgendaItem]:
    """The items of one participant's agenda: those for everyone and those naming them."""
    if registration.state != RegistrationState.CONFIRMED:
        return []
    return [item for item in activity_items(registration.activity)
            if item.for_everyone or any(r.id == registration.id for r in item.participants)]


def by_day(items: list[AgendaItem]) -> list[tuple[date, list[AgendaItem]]]:
    """Items grouped by their local day, in order: one printed page each."""
    days: dict[date, list[AgendaItem]] = {}
    for item in items:
        days.setdefault(item.local_start.date(), []).append(item)
    return sorted(days.items())


def _status_change(activity: Activity) -> str | None:
    """"cancelled" or "reinstated" when this flush takes a published activity to cancelled or back."""
    history = inspect(activity).attrs.status.history
    if ActivityStatus.CANCELLED in history.added and ActivityStatus.PUBLISHED in history.deleted:
        return "cancelled"
    if ActivityStatus.PUBLISHED in history.added and ActivityStatus.CANCELLED in history.deleted:
        return "reinstated"
    return None


def _follow(item: AgendaItem, change: str | None) -> None:
    item.sequence += 1
    item.updated_at = utcnow()
    if change == "cancelled":
        agenda_notices.queue_cancel(item, [r.id for r in concerned(item)])
    elif change == "reinstated":
        agenda_notices.queue_request(item, [r.id for r in concerned(item)])


def _leave_with(item: AgendaItem, activity: Activity, session: Session) -> None:
    # Deleted by the ORM before its session (the database would cascade, but unseen by the calendars).
    event_data = replace(ItemEvent.of(item, activity), sequence=item.sequence + 1, cancelled=True)
    agenda_notices.queue_cancel(item, [r.id for r in concerned(item, activity)], event_data)
    session.delete(item)


# Status changes seen in this transaction, by activity id: set_status may flush the status before the
# sessions' SEQUENCE (reading the sessions autoflushes), so the two are matched up across flushes.
STATUS_CHANGES = "hemicycle.agenda_status_changes"


@event.listens_for(db.session, "before_flush")
def _follow_the_sessions(session: Session, flush_context, instances) -> None:
    """Scheduling raises a session's SEQUENCE when it moves or its activity is cancelled or published again:
    its items follow, and their calendars are told (CANCEL, or REQUEST when reinstated). A session removed
    from its activity takes its items with it, with a CANCEL. Scheduling knows nothing of agenda items."""
    changes = session.info.setdefault(STATUS_CHANGES, {})
    for obj in session.dirty:
        if isinstance(obj, Activity) and (change := _status_change(obj)):
            changes[obj.id] = change
    changed = {obj.id for obj in session.dirty if isinstance(obj, ActivitySession) and obj.id is not None
               and inspect(obj).attrs.sequence.history.has_changes()}
    # Session id -> its activity: deleted, or taken out of the activity's list (delete-orphan: deleted by this
    # flush, not yet in session.deleted, and no longer pointing at its activity).
    removed = {obj.id: obj.activity for obj in session.deleted
               if isinstance(obj, ActivitySession) and obj.id is not None and obj.activity is not None}
    removed |= {obj.id: activity for activity in session.dirty if isinstance(activity, Activity)
                for obj in inspect(activity).attrs.sessions.history.deleted if obj.id is not None}
    changed -= set(removed)
    if not changed and not removed:
        return
    items = session.scalars(select(AgendaItem).where(AgendaItem.session_id.in_([*changed, *removed]))).all()
    for item in items:
        if item.session_id in removed:
            _leave_with(item, removed[item.session_id], session)
        else:
            _follow(item, changes.get(item.session.activity_id))


@event.listens_for(db.session, "after_commit")
@event.listens_for(db.session, "after_soft_rollback")
def _forget_status_changes(session: Session, *args) -> None:
    session.info.pop(STATUS_CHANGES, None)
