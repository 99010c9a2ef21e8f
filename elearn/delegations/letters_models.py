"""Invitation letters for visa applications: one row per letter issued, found by its verification code.

The letter keeps the facts as it stated them on the day (name, activity, dates, place, payers),
so the public check shows what the letter said even after a later change. Passport details
are not copied here: they stay in `Logistics`, where the purge empties them.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.codes import new_code
from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.delegations.logistics_models import Payer
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Registration


# The same shape as certificate codes: 60 random bits, no 0/O or 1/I to misread on paper.
class InvitationLetter(db.Model):
    __tablename__ = "invitation_letter"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        # One current letter per registration and language; superseded ones stay for the check page.
        Index("uq_invitation_letter_current", "registration_id", "language", unique=True,
              sqlite_where=text("superseded_at IS NULL"), postgresql_where=text("superseded_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(20), unique=True, default=new_code)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))  # None: the demo seed
    superseded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    # As stated on the day.
    holder_name: Mapped[str] = mapped_column(String(200))
    holder_position: Mapped[str] = mapped_column(String(200), default="")
    parliament_name: Mapped[str] = mapped_column(String(200), default="")
    activity_title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(500), default="")
    travel_paid_by: Mapped[Payer] = mapped_column(string_enum(Payer, "payer"))
    stay_paid_by: Mapped[Payer] = mapped_column(string_enum(Payer, "payer"))
    # The programme's funders, named when the programme or funder pays.
    funder_name: Mapped[str] = mapped_column(String(300), default="")

    registration: Mapped[Registration] = relationship()
    issued_by: Mapped[Optional[Person]] = relationship(foreign_keys=[issued_by_id])

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None
