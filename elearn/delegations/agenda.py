"""Agenda items: add, change and delete meetings within an activity's sessions, and read who each concerns.

Every change commits with the calendar mails it causes queued as a job
(agenda_notices): the participants concerned get a REQUEST when an item is
added, moved or re-placed, a CANCEL when it is deleted or they are no longer
concerned. SEQUENCE grows with each change a calendar must take.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from elearn.access import Role, has_role
from elearn.content import render_markdown
from elearn.database import utcnow
from elearn.delegations import agenda_notices
from elearn.delegations.agenda_models import AgendaItem, Institution
from elearn.errors import UserError
from elearn.extensions import db
from elearn.scheduling.models import Activity, ActivitySession, Registration, RegistrationState, session_days


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


def may_manage(person, activity: Activity) -> bool:
    """The activity's trainers and administrators manage its agenda."""
    if has_role(person, Role.ADMIN):
        return True
    return has_role(person, Role.TRAINER) and any(trainer.id == person.id for trainer in activity.trainers)


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


def concerned(item: AgendaItem) -> list[Registration]:
    """The confirmed registrations the item concerns, by id."""
    if not item.for_everyone:
        return sorted((r for r in item.participants if r.state == RegistrationState.CONFIRMED), key=lambda r: r.id)
    return list(db.session.scalars(
        select(Registration).where(Registration.activity_id == item.session.activity_id,
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
        .options(joinedload(AgendaItem.institution), selectinload(AgendaItem.participants)
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
