"""A confirmed registration's ticket, the people who may check in at an activity, and every scan received."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, ActivitySession, Registration


class Ticket(db.Model):
    """What a participant shows at the door: a random code, never the registration's id.

    One row per registration; reissuing (a lost phone) replaces the code, and leaving the confirmed
    state revokes it, so an old screenshot no longer checks in.
    """
    __tablename__ = "ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    registration: Mapped[Registration] = relationship()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class CheckInHelper(db.Model):
    """Someone (often host parliament staff) allowed to check people in at one activity, and nothing else."""
    __tablename__ = "check_in_helper"
    __table_args__ = (UniqueConstraint("activity_id", "person_id", name="uq_check_in_helper_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    added_by: Mapped[Optional[Person]] = relationship(foreign_keys=[added_by_id])


class ScanOutcome(enum.StrEnum):
    RECORDED = "recorded"  # the person is now marked present at the session
    ALREADY = "already"  # they were already marked present: nothing changed
    REFUSED = "refused"  # see the reason


class CheckInScan(db.Model):
    """Each scan the server received, keyed by the scanner's own id so a resent offline queue counts once."""
    __tablename__ = "check_in_scan"
    # The last scans of an activity, newest first, read from the index's end whatever the activity's count.
    __table_args__ = (Index("ix_check_in_scan_activity_id_id", "activity_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[str] = mapped_column(String(64), unique=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    session_id: Mapped[Optional[int]] = mapped_column(ForeignKey("activity_session.id", ondelete="SET NULL"))
    ticket_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(String(64))  # as typed or decoded, normalised
    scanned_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the scanner's clock (offline scans come late)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[ScanOutcome] = mapped_column(string_enum(ScanOutcome, "scan_outcome"))
    reason: Mapped[str] = mapped_column(String(40), default="")  # a machine word; the page words it

    session: Mapped[Optional[ActivitySession]] = relationship()
    ticket: Mapped[Optional[Ticket]] = relationship()
