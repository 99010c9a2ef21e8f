"""Check-in at the door: a ticket's code, scanned or typed, marks its holder present at the session under way.

Every scan is stored (`CheckInScan`, whatever its outcome) under the scanner's own id, so a scan sent twice
(an offline queue resent after a lost answer) is answered with its first result and never counted again.
Two scanners at once never write two attendance rows: the row is inserted with ON CONFLICT DO NOTHING on
`uq_attendance_once` and read back, and the loser reports "already"; the scan row is inserted the same way on
its unique scan id, and a loser there rolls its whole transaction back and answers with the winner's result.
The reads come first; the transaction's first statement is a write (on SQLite it takes the write lock then,
waiting for another writer, never failing on a stale read snapshot).
"""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import select, update

from elearn.database import conflict_insert, utcnow
from elearn.extensions import db
from elearn.onsite import wording
from elearn.onsite.models import CheckInScan, ScanOutcome, Ticket
from elearn.onsite.tickets import CODE_LENGTH, normalise_code
from elearn.onsite.wording import Reason
from elearn.people.models import Parliament, Person
from elearn.scheduling.events import attendance_recorded
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Registration,
    RegistrationState,
)


@dataclass(frozen=True)
class Scan:
    scan_id: str
    code: str
    scanned_at: datetime


@dataclass(frozen=True)
class CheckInResult:
    scan_id: str
    outcome: ScanOutcome
    reason: str
    message: str
    name: str = ""
    parliament: str = ""
    session: str = ""
    at: datetime | None = None  # when the person was checked in (recorded or already)
    replayed: bool = False

    def as_json(self) -> dict:
        return {"scan_id": self.scan_id, "outcome": self.outcome.value, "reason": self.reason,
                "message": self.message, "name": self.name, "parliament": self.parliament, "session": self.session,
                "checked_in_at": self.at.isoformat() if self.at else None, "replayed": self.replayed}


@dataclass(frozen=True)
class _Holder:
    """What a ticket's code says: its registration and the person holding it."""
    ticket_id: int
    live: bool
    registration_id: int
    activity_id: int
    state: RegistrationState
    name: str
    parliament: str


@dataclass(frozen=True)
class _Context:
    """What every scan of one request reads once: the activity, its sessions, the scanner."""
    activity_id: int
    status: ActivityStatus
    activity_zone: ZoneInfo
    slots: tuple[ActivitySession, ...]
    scanner_id: int | None
    scanner_zone: ZoneInfo
    locale: str


@dataclass
class _Verdict:
    outcome: ScanOutcome
    reason: Reason = Reason.NONE
    holder: _Holder | None = None
    slot: ActivitySession | None = None
    at: datetime | None = None
    scanned_at: datetime | None = None


def new_scan_id() -> str:
    """For scans typed into the page's form: the server makes the id the scanner's script would have made."""
    return str(uuid.uuid4())


def check_in(activity: Activity, code: str, *, scanned_by: Person | None, scan_id: str, scanned_at: datetime,
             now: datetime | None = None) -> CheckInResult:
    """Check in the holder of `code` at the session under way at `scanned_at` (the scanner's clock)."""
    return check_in_many(activity, [Scan(scan_id, code, scanned_at)], scanned_by=scanned_by, now=now)[0]


def check_in_many(activity: Activity, scans: Sequence[Scan], *, scanned_by: Person | None,
                  now: datetime | None = None) -> list[CheckInResult]:
    """Each scan in its own transaction (one conflict never undoes the others), answered in order."""
    now = now or utcnow()
    with _kept_loaded():
        context = _context(activity, scanned_by)
        db.session.commit()  # the caller's work is its own; each scan is a fresh transaction
        known = _stored({scan.scan_id for scan in scans})
        seen: set[str] = set()
        results = []
        for scan in scans:
            stored = known.get(scan.scan_id)
            if stored is None and scan.scan_id in seen:  # twice in one batch: the second copy is a replay
                stored = _stored({scan.scan_id}).get(scan.scan_id)
            results.append(_replay(context, stored) if stored is not None else _check(context, scan, now))
            seen.add(scan.scan_id)
    return results


def result_of(activity: Activity, scan: CheckInScan, scanned_by: Person | None) -> CheckInResult:
    """A stored scan's result again, as its scanner reads it (the page's last result, a replay)."""
    return _replay(_context(activity, scanned_by), scan, replayed=False)


def session_under_way(slots: Sequence, at: datetime, doors_open: timedelta):
    """The session under way at `at`: from `doors_open` before its start until its end. One that has started
    comes before one whose doors have opened (a late arrival to the morning is for the morning)."""
    candidates = [slot for slot in slots if slot.starts_at - doors_open <= at < slot.ends_at]
    started = [slot for slot in candidates if slot.starts_at <= at]
    if started:
        return max(started, key=lambda slot: slot.starts_at)
    return min(candidates, key=lambda slot: slot.starts_at, default=None)


def next_session(slots: Sequence, at: datetime):
    return min((slot for slot in slots if slot.starts_at > at), key=lambda slot: slot.starts_at, default=None)


# Reading -------------------------------------------------------------------------------------------------

def _context(activity: Activity, scanned_by: Person | None) -> _Context:
    zone = activity.zone
    scanner_zone = zone
    if scanned_by is not None and scanned_by.timezone:
        try:
            scanner_zone = ZoneInfo(scanned_by.timezone)
        except (KeyError, ValueError):
            pass
    return _Context(activity.id, activity.status, zone, tuple(activity.sessions),
                    scanned_by.id if scanned_by is not None else None, scanner_zone, str(get_locale() or "en"))


@contextmanager
def _kept_loaded():
    """Commits that leave loaded rows loaded: each scan commits, and the activity, its sessions and the scanner
    (written by none of them: scans and marks are written with Core statements) would otherwise be read again
    after every one. The caller's setting comes back at the end."""
    session = db.session()
    previous, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = previous


def _stored(scan_ids: set[str]) -> dict[str, CheckInScan]:
    if not scan_ids:
        return {}
    return {scan.scan_id: scan for scan in db.session.scalars(
        select(CheckInScan).where(CheckInScan.scan_id.in_(scan_ids)))}


def _holder(context: _Context, *condition) -> _Holder | None:
    row = db.session.execute(
        select(Ticket.id, Ticket.revoked_at, Registration.id, Registration.activity_id, Registration.state,
               Person.full_name, Parliament.name_column(context.locale))
        .join(Registration, Registration.id == Ticket.registration_id)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Parliament, Parliament.id == Person.parliament_id)
        .where(*condition)).first()
    if row is None:
        return None
    ticket_id, revoked_at, registration_id, activity_id, state, name, parliament = row
    return _Holder(ticket_id, revoked_at is None, registration_id, activity_id, state, name, parliament or "")


def _judge(context: _Context, code: str, scanned_at: datetime, now: datetime) -> _Verdict:
    config = current_app.config
    refused = ScanOutcome.REFUSED
    if scanned_at > now + config["CHECK_IN_CLOCK_SKEW"]:
        return _Verdict(refused, Reason.CLOCK_AHEAD)
    if scanned_at < now - config["CHECK_IN_MAX_AGE"]:
        return _Verdict(refused, Reason.STALE)
    if context.status == ActivityStatus.CANCELLED:
        return _Verdict(refused, Reason.CANCELLED)
    if context.status == ActivityStatus.DRAFT:
        return _Verdict(refused, Reason.NOT_PUBLISHED)
    holder = _holder(context, Ticket.code == code) if len(code) == CODE_LENGTH else None
    if holder is None:
        return _Verdict(refused, Reason.UNKNOWN)
    if holder.activity_id != context.activity_id:
        return _Verdict(refused, Reason.OTHER_ACTIVITY, holder)
    if not holder.live:
        return _Verdict(refused, Reason.REVOKED, holder)
    if holder.state != RegistrationState.CONFIRMED:
        return _Verdict(refused, Reason.NOT_CONFIRMED, holder)
    slot = session_under_way(context.slots, scanned_at, config["CHECK_IN_DOORS_OPEN"])
    if slot is None:
        return _Verdict(refused, Reason.NO_SESSION, holder)
    return _Verdict(ScanOutcome.RECORDED, Reason.NONE, holder, slot)


# Writing -------------------------------------------------------------------------------------------------

def _mark_present(holder: _Holder, slot: ActivitySession, scanned_at: datetime) -> tuple[ScanOutcome, Reason, datetime]:
    """Insert the PRESENT row, or find it there already, or turn an absent or excused mark into PRESENT."""
    table = Attendance.__table__
    # RETURNING tells whether the row went in (with psycopg, such an INSERT reports a rowcount of -1).
    inserted = db.session.execute(conflict_insert(db.session, table).values(
        registration_id=holder.registration_id, session_id=slot.id, status=AttendanceStatus.PRESENT,
        recorded_at=scanned_at).on_conflict_do_nothing(index_elements=["registration_id", "session_id"])
        .returning(table.c.id)).first()
    if inserted is not None:
        return ScanOutcome.RECORDED, Reason.NONE, scanned_at
    for _attempt in range(3):
        mark_id, status, recorded_at = db.session.execute(select(table.c.id, table.c.status, table.c.recorded_at).where(
            table.c.registration_id == holder.registration_id, table.c.session_id == slot.id)).one()
        if status == AttendanceStatus.PRESENT:
            return ScanOutcome.ALREADY, Reason.NONE, recorded_at
        # Only if nobody changed it meanwhile: of two scanners turning one absent mark, one records.
        changed = db.session.execute(update(table).where(table.c.id == mark_id, table.c.status == status).values(
            status=AttendanceStatus.PRESENT, recorded_at=scanned_at))
        if changed.rowcount:
            previous = Reason.WAS_ABSENT if status == AttendanceStatus.ABSENT else Reason.WAS_EXCUSED
            return ScanOutcome.RECORDED, previous, scanned_at
    raise RuntimeError("the attendance mark kept changing under the check-in")  # pragma: no cover


def _check(context: _Context, scan: Scan, now: datetime) -> CheckInResult:
    code = normalise_code(scan.code)
    verdict = _judge(context, code, scan.scanned_at, now)
    verdict.scanned_at = scan.scanned_at
    if verdict.outcome != ScanOutcome.REFUSED:
        verdict.outcome, verdict.reason, verdict.at = _mark_present(verdict.holder, verdict.slot, scan.scanned_at)
    row = {"scan_id": scan.scan_id, "activity_id": context.activity_id,
           "session_id": verdict.slot.id if verdict.slot else None,
           "ticket_id": verdict.holder.ticket_id if verdict.holder else None, "code": code,
           "scanned_by_id": context.scanner_id, "scanned_at": scan.scanned_at, "received_at": now,
           "outcome": verdict.outcome, "reason": verdict.reason.value}
    table = CheckInScan.__table__
    statement = conflict_insert(db.session, table).values(**row).on_conflict_do_nothing(index_elements=["scan_id"])
    stored = db.session.execute(statement.returning(table.c.id)).first()
    if stored is None:
        # The same scan id arrived at the same moment from elsewhere and was stored first: its result stands.
        db.session.rollback()
        return _replay(context, _stored({scan.scan_id})[scan.scan_id])
    if verdict.outcome == ScanOutcome.RECORDED:
        # As record_attendance does: the webhooks add their deliveries to this transaction.
        attendance_recorded.send(verdict.slot, registration_ids=[verdict.holder.registration_id])
    db.session.commit()
    return _result(context, scan.scan_id, verdict)


# Answering -----------------------------------------------------------------------------------------------

def _replay(context: _Context, scan: CheckInScan, *, replayed: bool = True) -> CheckInResult:
    """The stored scan's first result, rebuilt from what it recorded; nothing is evaluated again."""
    if scan.activity_id != context.activity_id:
        return CheckInResult(scan.scan_id, ScanOutcome.REFUSED, Reason.SCAN_ID_TAKEN.value,
                             wording.message(Reason.SCAN_ID_TAKEN, ScanOutcome.REFUSED))
    verdict = _Verdict(scan.outcome, Reason(scan.reason), scanned_at=scan.scanned_at)
    if scan.ticket_id is not None:
        verdict.holder = _holder(context, Ticket.id == scan.ticket_id)
    if scan.session_id is not None:
        verdict.slot = next((slot for slot in context.slots if slot.id == scan.session_id), None)
    if scan.outcome == ScanOutcome.RECORDED:
        verdict.at = scan.scanned_at
    elif scan.outcome == ScanOutcome.ALREADY and verdict.holder and verdict.slot:
        verdict.at = db.session.scalar(select(Attendance.recorded_at).where(
            Attendance.registration_id == verdict.holder.registration_id, Attendance.session_id == verdict.slot.id))
    return _result(context, scan.scan_id, verdict, replayed=replayed)


def _result(context: _Context, scan_id: str, verdict: _Verdict, *, replayed: bool = False) -> CheckInResult:
    holder, slot = verdict.holder, verdict.slot
    # Another activity's ticket: neither its holder nor (unless the scanner may see it) its activity is named.
    shows_holder = holder is not None and verdict.reason != Reason.OTHER_ACTIVITY
    name = holder.name if shows_holder else ""
    details = {"name": name, "zone": context.scanner_zone, "at": verdict.at}
    if verdict.reason == Reason.OTHER_ACTIVITY and holder is not None:
        details["activity_title"] = _title_if_visible(holder.activity_id, context.scanner_id)
    if verdict.reason == Reason.NO_SESSION and verdict.scanned_at is not None:
        details["next_slot"] = next_session(context.slots, verdict.scanned_at)
        details["doors_open"] = current_app.config["CHECK_IN_DOORS_OPEN"]
    return CheckInResult(
        scan_id=scan_id, outcome=verdict.outcome, reason=verdict.reason.value,
        message=wording.message(verdict.reason, verdict.outcome, **details),
        name=name, parliament=holder.parliament if shows_holder else "",
        session=wording.session_label(slot, context.activity_zone, context.scanner_zone) if slot else "",
        at=verdict.at, replayed=replayed)


def _title_if_visible(activity_id: int, scanner_id: int | None) -> str:
    from elearn.onsite.helpers import may_check_in

    scanner = db.session.get(Person, scanner_id) if scanner_id is not None else None
    if scanner is None or not may_check_in(scanner, activity_id):
        return ""
    return db.session.scalar(select(Activity.title).where(Activity.id == activity_id)) or ""
