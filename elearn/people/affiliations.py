"""Members' political side over time, and the audit of every read and change of it.

Person.political_side is the side in force today; PoliticalAffiliation keeps
each change with the date it took effect, so a participation is counted with
the side its member held on the activity's date. Only administrators and the
person see an individual's side: every read of it and every change is audited.
"""
from __future__ import annotations

import bisect
from datetime import date, datetime
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Select, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from elearn.audit.models import AuditAction
from elearn.audit.services import record as audit
from elearn.database import UTCDateTime, rolls_back_on, string_enum, utcnow
from elearn.extensions import db
from elearn.people.models import Person, PersonKind, PoliticalSide


class AffiliationError(Exception):
    """A change of side that cannot be recorded; the message is for the user."""


class PoliticalAffiliation(db.Model):
    """From `effective_from` on, `person` sits with `side` (None: no side recorded any more)."""

    __tablename__ = "political_affiliation"
    __table_args__ = (UniqueConstraint("person_id", "effective_from", name="uq_political_affiliation_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    side: Mapped[Optional[PoliticalSide]] = mapped_column(string_enum(PoliticalSide, "political_side"))
    effective_from: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    note: Mapped[str] = mapped_column(String(200), default="")


def _value(side: PoliticalSide | None) -> str | None:
    return side.value if side else None


def _audit_change(person: Person, actor, old: PoliticalSide | None, new: PoliticalSide | None,
                  effective_from: date) -> None:
    audit(AuditAction.POLITICAL_SIDE_CHANGED, actor=actor, object_type="person", object_id=person.id,
          details={"from": _value(old), "to": _value(new), "effective_from": effective_from.isoformat()})


def _put(person: Person, side: PoliticalSide | None, effective_from: date, actor, note: str = "") -> None:
    row = db.session.scalar(select(PoliticalAffiliation).where(
        PoliticalAffiliation.person_id == person.id, PoliticalAffiliation.effective_from == effective_from))
    if row is None:
        row = PoliticalAffiliation(person_id=person.id, effective_from=effective_from)
        db.session.add(row)
    row.side, row.note, row.recorded_at = side, note, utcnow()
    row.recorded_by_id = getattr(actor, "id", None)


def set_current_side(person: Person, side: PoliticalSide | None, *, actor, today: date | None = None) -> None:
    """Make `side` the person's current side; a change is recorded as effective today and audited.

    Nothing is committed: the change is saved with the caller's.
    """
    if person.political_side == side:
        return
    if person.id is None:  # a new account: the history row and the audit event need its id
        db.session.add(person)
        db.session.flush()
    today = today or utcnow().date()
    old, person.political_side = person.political_side, side
    _put(person, side, today, actor)
    _audit_change(person, actor, old, side, today)


@rolls_back_on(AffiliationError)
def record_change(person: Person, side: PoliticalSide | None, effective_from: date, *, actor,
                  note: str = "", today: date | None = None) -> None:
    """Record a change of side that took effect on `effective_from` (today or earlier), and commit."""
    today = today or utcnow().date()
    if side is not None and person.kind != PersonKind.MP:
        raise AffiliationError(_("Only members of parliament have a political side."))
    if effective_from > today:
        raise AffiliationError(_("A change of side cannot take effect in the future."))
    before = side_on(timeline(person.id), effective_from)
    _put(person, side, effective_from, actor, note.strip())
    db.session.flush()
    # A back-dated change may or may not be the one in force today.
    person.political_side = side_on(timeline(person.id), today) if person.kind == PersonKind.MP else None
    _audit_change(person, actor, before, side, effective_from)
    db.session.commit()


def history(person: Person) -> list[PoliticalAffiliation]:
    return list(db.session.scalars(select(PoliticalAffiliation).where(PoliticalAffiliation.person_id == person.id)
                                   .order_by(PoliticalAffiliation.effective_from.desc())))


def read_side(person: Person, *, actor) -> list[PoliticalAffiliation]:
    """The person's side history for a page that shows it; the read is audited and committed."""
    rows = history(person)
    audit(AuditAction.POLITICAL_SIDE_READ, actor=actor, object_type="person", object_id=person.id,
          details={"own": getattr(actor, "id", None) == person.id})
    db.session.commit()
    return rows


Timeline = list[tuple[date, Optional[PoliticalSide]]]


def timeline(person_id: int) -> Timeline:
    return timelines([person_id]).get(person_id, [])


def timelines(person_ids: list[int] | Select) -> dict[int, Timeline]:
    """Each person's changes in date order, in one query (`person_ids` may be a subquery)."""
    result: dict[int, Timeline] = {}
    rows = db.session.execute(
        select(PoliticalAffiliation.person_id, PoliticalAffiliation.effective_from, PoliticalAffiliation.side)
        .where(PoliticalAffiliation.person_id.in_(person_ids))
        .order_by(PoliticalAffiliation.person_id, PoliticalAffiliation.effective_from))
    for person_id, effective_from, side in rows:
        result.setdefault(person_id, []).append((effective_from, side))
    return result


def side_on(changes: Timeline, day: date) -> PoliticalSide | None:
    """The side in force on `day`: the latest change on or before it; None if none was recorded yet."""
    index = bisect.bisect_right([effective for effective, _side in changes], day)
    return changes[index - 1][1] if index else None
