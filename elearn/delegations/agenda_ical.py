"""Agenda items as calendar events: one VEVENT builder for the personal feeds and the mailed invitations (iTIP).

Built on scheduling.ical (VTIMEZONEs, the iTIP frame, the same organiser and
attendee), so an item has the same UID, SEQUENCE, LOCATION and DESCRIPTION in
a feed and in a mail, and its UID (`agenda-item-<id>@host`) never meets a
session's (`session-<id>@host`). Nothing here reads the clock or the request.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Callable, Iterable

from icalendar import Calendar, Event, vCalAddress, vText, vUri
from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from elearn.delegations.agenda_models import AgendaItem, Institution, agenda_item_participant, item_uid
from elearn.extensions import db
from elearn.scheduling.display import Wording
from elearn.scheduling.ical import CANCEL, ITIP_PRODID, REQUEST, Invitation, add_events, timed_event
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Registration,
    RegistrationState,
    activity_trainer,
)
from elearn.scheduling.queries import LISTED_STATUSES


@dataclass(frozen=True)
class ItemEvent:
    """What a calendar shows of one item: taken from the row, or kept in a job after the row is deleted."""

    item_id: int
    activity_id: int
    activity_title: str
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    location: str
    host: str
    briefing: str
    sequence: int
    changed_at: datetime
    cancelled: bool = False

    @classmethod
    def of(cls, item: AgendaItem, activity: Activity | None = None) -> "ItemEvent":
        """`activity`: given when the item's session is being taken out of it."""
        activity = activity or item.session.activity
        changed = max(item.updated_at, activity.updated_at,
                      item.institution.updated_at if item.institution else item.updated_at)
        return cls(item_id=item.id, activity_id=activity.id, activity_title=activity.title, title=item.title,
                   starts_at=item.starts_at, ends_at=item.ends_at, timezone=activity.timezone,
                   location=item.location, host=item.host, briefing=item.briefing_md.strip(),
                   sequence=item.sequence, changed_at=changed, cancelled=activity.status == ActivityStatus.CANCELLED)

    def dump(self) -> dict:
        return {**asdict(self), "starts_at": self.starts_at.isoformat(), "ends_at": self.ends_at.isoformat(),
                "changed_at": self.changed_at.isoformat()}

    @classmethod
    def load(cls, data: dict) -> "ItemEvent":
        times = {name: datetime.fromisoformat(data[name]) for name in ("starts_at", "ends_at", "changed_at")}
        return cls(**{**data, **times})


def build_item_event(event_data: ItemEvent, *, host: str, page: str, wording: Wording,
                     stamp: datetime | None = None) -> Event:
    """The VEVENT of one item. `page`: the activity's page; `stamp`: DTSTAMP of an iTIP message."""
    title = f"{event_data.activity_title}: {event_data.title}"
    event = timed_event(uid=item_uid(event_data.item_id, host), changed_at=event_data.changed_at, stamp=stamp,
                        sequence=event_data.sequence,
                        summary=f"{wording.cancelled_prefix} {title}" if event_data.cancelled else title,
                        starts_at=event_data.starts_at, ends_at=event_data.ends_at, zone_name=event_data.timezone,
                        cancelled=event_data.cancelled)
    if event_data.location:
        event.add("location", event_data.location)
    event.add("url", vUri(page))
    lines = [line for line in (event_data.host, event_data.briefing) if line]
    event.add("description", "\n\n".join([*lines, f"{wording.details} {page}"]))
    return event


def build_item_itip(events: Iterable[ItemEvent], invitation: Invitation) -> bytes:
    """One iTIP message (REQUEST or CANCEL) for one attendee, one VEVENT per item."""
    if invitation.method not in (REQUEST, CANCEL):
        raise ValueError(f"unknown iTIP method {invitation.method!r}")
    calendar = Calendar()
    calendar.add("prodid", ITIP_PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", invitation.method)
    built = []
    for event_data in events:
        event = build_item_event(event_data, host=invitation.host, page=invitation.page, wording=invitation.wording,
                                 stamp=invitation.now)
        if invitation.method == CANCEL:
            event["STATUS"] = vText("CANCELLED")  # the meeting is off for this attendee (deleted or not theirs)
        event.add("organizer", vCalAddress(f"mailto:{invitation.organizer_address}"),
                  parameters={"CN": vText(invitation.organizer_name)})
        attendee = {"CN": vText(invitation.attendee_name), "ROLE": "REQ-PARTICIPANT", "CUTYPE": "INDIVIDUAL"}
        if invitation.method == REQUEST:
            attendee.update(PARTSTAT="ACCEPTED", RSVP="FALSE")
        event.add("attendee", vCalAddress(f"mailto:{invitation.attendee_address}"), parameters=attendee)
        event.add("transp", "OPAQUE")
        built.append(event)
    return add_events(calendar, built).to_ical()


def _personal(statement: Select, person_id: int, since: datetime | None, until: datetime | None) -> Select:
    """Items of listed activities the person teaches, or is confirmed at and concerned by."""
    teaching = exists().where(activity_trainer.c.activity_id == Activity.id, activity_trainer.c.person_id == person_id)
    confirmed = exists().where(Registration.activity_id == Activity.id, Registration.person_id == person_id,
                               Registration.state == RegistrationState.CONFIRMED)
    named = exists().where(agenda_item_participant.c.agenda_item_id == AgendaItem.id,
                           agenda_item_participant.c.registration_id == Registration.id,
                           Registration.person_id == person_id)
    statement = (statement.join(AgendaItem.session).join(ActivitySession.activity)
                 .where(Activity.status.in_(LISTED_STATUSES),
                        or_(teaching, and_(confirmed, or_(AgendaItem.for_everyone, named)))))
    if since is not None:
        statement = statement.where(AgendaItem.ends_at >= since)
    if until is not None:
        statement = statement.where(AgendaItem.starts_at < until)
    return statement.order_by(AgendaItem.starts_at, AgendaItem.id)


def personal_rows(person_id: int, since: datetime | None, until: datetime | None) -> list[tuple]:
    """What a personal feed's items depend on, for the feed cache's fingerprint (one query)."""
    statement = select(AgendaItem.id, AgendaItem.sequence, AgendaItem.updated_at, Institution.updated_at,
                       Activity.status, Activity.updated_at).select_from(AgendaItem).outerjoin(AgendaItem.institution)
    return [tuple(row) for row in db.session.execute(_personal(statement, person_id, since, until))]


def personal_events(person_id: int, since: datetime | None, until: datetime | None, *, host: str,
                    wording: Wording, activity_url: Callable[[int], str]) -> list[Event]:
    """The VEVENTs of a person's agenda items, for their personal feed."""
    statement = _personal(select(AgendaItem).options(
        contains_eager(AgendaItem.session).contains_eager(ActivitySession.activity),
        joinedload(AgendaItem.institution)), person_id, since, until)
    return [build_item_event(ItemEvent.of(item), host=host, page=activity_url(item.session.activity_id),
                             wording=wording) for item in db.session.scalars(statement).unique()]
