"""Helpers for notification tests: the outbox, calendar attachments read back, a real SMTP server."""
from __future__ import annotations

from base64 import b64decode

import pytest
from icalendar import Calendar
from sqlalchemy import select

from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from tests.helpers import run_jobs
from tests.mail.conftest import smtp_server  # noqa: F401  (the loopback SMTP server fixture)


def outbox(to: str | None = None, kind: str | None = None) -> list[OutboxMessage]:
    """The outbox once the background worker has run (an activity's change is mailed by a job)."""
    run_jobs()
    statement = select(OutboxMessage).order_by(OutboxMessage.id)
    if to is not None:
        statement = statement.where(OutboxMessage.to_address == to)
    if kind is not None:
        statement = statement.where(OutboxMessage.kind == kind)
    db.session.expire_all()
    return list(db.session.scalars(statement))


def last_mail(to: str) -> OutboxMessage:
    messages = outbox(to)
    assert messages, f"no mail to {to}"
    return messages[-1]


def calendars(message: OutboxMessage) -> list[tuple[dict, Calendar]]:
    """Each calendar attachment of a queued message, parsed back with icalendar."""
    return [(a, Calendar.from_ical(b64decode(a["content"]))) for a in message.attachments
            if a["content_type"].startswith("text/calendar")]


def only_calendar(message: OutboxMessage) -> Calendar:
    found = calendars(message)
    assert len(found) == 1, f"expected one calendar in {message.kind}, found {len(found)}"
    return found[0][1]


def events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


@pytest.fixture
def feed_uids(client):
    """The UIDs the public feed of an activity gives its sessions, in order."""

    def read(activity_id: int) -> list[str]:
        response = client.get(f"/activities/{activity_id}.ics")
        assert response.status_code == 200
        return [str(e["UID"]) for e in sorted(Calendar.from_ical(response.data).walk("VEVENT"),
                                              key=lambda e: e.decoded("DTSTART").isoformat())]

    return read
