"""How each participant travels and stays, and who pays: one `Logistics` row per registration.

Passport details and dietary or accessibility needs are sensitive: only the activity's
trainers and administrators read them (each read audited), they never go into general
exports, and they are purged a configurable number of days after the activity ends.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.scheduling.models import Registration


class Payer(LabelledEnum):
    """Who pays a participant's travel or stay, and who pays a cost line."""

    HOST_PARLIAMENT = "host_parliament", _l("Host parliament")
    MINISTRY = "ministry", _l("Ministry of foreign affairs")
    PROGRAMME = "programme", _l("Programme or funder")
    PARTNER_PARLIAMENT = "partner_parliament", _l("Partner parliament")
    SELF = "self", _l("The participant")


class TravelMode(LabelledEnum):
    FLIGHT = "flight", _l("Flight")
    TRAIN = "train", _l("Train")
    ROAD = "road", _l("Road")
    OTHER = "other", _l("Other")


class Logistics(db.Model):
    __tablename__ = "logistics"
    __table_args__ = (
        CheckConstraint("departure_at IS NULL OR arrival_at IS NULL OR departure_at > arrival_at",
                        name="departure_after_arrival"),
        CheckConstraint("check_out_on IS NULL OR check_in_on IS NULL OR check_out_on > check_in_on",
                        name="check_out_after_check_in"),
        CheckConstraint("per_diem_days IS NULL OR per_diem_days >= 0", name="per_diem_days_not_negative"),
        CheckConstraint("per_diem_amount IS NULL OR per_diem_amount >= 0", name="per_diem_amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    travel_paid_by: Mapped[Optional[Payer]] = mapped_column(string_enum(Payer, "payer"))
    stay_paid_by: Mapped[Optional[Payer]] = mapped_column(string_enum(Payer, "payer"))

    # Instants in UTC, shown and entered in the activity's timezone.
    arrival_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    arrival_mode: Mapped[Optional[TravelMode]] = mapped_column(string_enum(TravelMode, "travel_mode"))
    arrival_reference: Mapped[str] = mapped_column(String(40), default="")  # flight or train number
    arrival_place: Mapped[str] = mapped_column(String(120), default="")  # airport or station
    departure_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    departure_mode: Mapped[Optional[TravelMode]] = mapped_column(string_enum(TravelMode, "travel_mode"))
    departure_reference: Mapped[str] = mapped_column(String(40), default="")
    departure_place: Mapped[str] = mapped_column(String(120), default="")

    hotel_name: Mapped[str] = mapped_column(String(200), default="")
    hotel_address: Mapped[str] = mapped_column(String(300), default="")
    check_in_on: Mapped[Optional[date]]
    check_out_on: Mapped[Optional[date]]

    per_diem_amount: Mapped[Optional[Decimal]] = mapped_column(Numeric(10, 2))
    per_diem_currency: Mapped[str] = mapped_column(String(3), default="")  # ISO 4217
    per_diem_days: Mapped[Optional[int]]

    visa_needed: Mapped[bool] = mapped_column(default=False)

    # Sensitive: trainers of the activity and administrators only, each read audited; purged.
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    accessibility_needs: Mapped[str] = mapped_column(Text, default="")
    passport_number: Mapped[str] = mapped_column(String(40), default="")
    passport_country: Mapped[str] = mapped_column(String(2), default="")  # ISO 3166 issuing country
    passport_expires_on: Mapped[Optional[date]]
    birth_date: Mapped[Optional[date]]
    # When the purge emptied the sensitive fields (None: never purged, or nothing to purge yet).
    sensitive_purged_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))

    registration: Mapped[Registration] = relationship()


# The sensitive columns, by name: what the purge empties and what no general export may carry.
SENSITIVE_FIELDS = ("dietary_needs", "accessibility_needs", "passport_number", "passport_country",
                    "passport_expires_on", "birth_date")
