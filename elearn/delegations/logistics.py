"""Recording how a confirmed participant travels and stays: the checks, the save, the trainer's list."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timezone
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import get_territory_currencies
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.database import utcnow
from elearn.delegations.logistics_models import SENSITIVE_FIELDS, Logistics, Payer, TravelMode
from elearn.delegations.money import check_currency
from elearn.errors import UserError
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, Registration, RegistrationState
from elearn.scheduling.wall_clock import clock_change, skipped_time_message

# What the per_diem_amount column (NUMERIC(10, 2)) holds, and a year of days.
MAX_PER_DIEM = Decimal("100000000")
MAX_PER_DIEM_DAYS = 366


class LogisticsError(UserError):
    """Travel and stay details that cannot be saved; `field` names the form field at fault."""


@dataclass(frozen=True)
class LogisticsInput:
    """What the trainer enters. Dates and times of arrival and departure are the activity's local clock."""

    travel_paid_by: Payer | None = None
    stay_paid_by: Payer | None = None
    arrival_on: date | None = None
    arrival_time: time | None = None
    arrival_mode: TravelMode | None = None
    arrival_reference: str = ""
    arrival_place: str = ""
    departure_on: date | None = None
    departure_time: time | None = None
    departure_mode: TravelMode | None = None
    departure_reference: str = ""
    departure_place: str = ""
    hotel_name: str = ""
    hotel_address: str = ""
    check_in_on: date | None = None
    check_out_on: date | None = None
    per_diem_amount: Decimal | None = None
    per_diem_currency: str = ""
    per_diem_days: int | None = None
    visa_needed: bool = False
    dietary_needs: str = ""
    accessibility_needs: str = ""
    passport_number: str = ""
    passport_country: str = ""
    passport_expires_on: date | None = None
    birth_date: date | None = None


@cache
def _countries() -> frozenset[str]:
    """Two-letter ISO 3166 codes of territories that have a currency (CLDR): leaves out Unknown Region (ZZ),
    Antarctica, pseudo-locales and groupings such as the United Nations, which issue no ordinary passport."""
    return frozenset(code for code in Locale("en").territories
                     if len(code) == 2 and code.isalpha() and get_territory_currencies(code, tender=True))


def is_country(code: str) -> bool:
    return code in _countries()


def _instant(day: date | None, clock: time | None, activity: Activity, which: str) -> datetime | None:
    """A local date and time in the activity's zone as a UTC instant. A time the clocks repeat is read as its
    first occurrence (an hour's doubt on an arrival matters less than asking); a time they skip is refused."""
    if day is None and clock is None:
        return None
    if day is None:
        raise LogisticsError(_("Give the date as well as the time."), field=f"{which}_on")
    if clock is None:
        raise LogisticsError(_("Give the time as well as the date."), field=f"{which}_time")
    change = clock_change(day, clock, activity.zone)
    if change is not None and change.skipped:
        raise LogisticsError(skipped_time_message(day, clock, activity.zone, change), field=f"{which}_time")
    return datetime.combine(day, clock, activity.zone).astimezone(timezone.utc)


def _check_travel(data: LogisticsInput, activity: Activity) -> tuple[datetime | None, datetime | None]:
    arrival = _instant(data.arrival_on, data.arrival_time, activity, "arrival")
    departure = _instant(data.departure_on, data.departure_time, activity, "departure")
    if arrival and departure and departure <= arrival:
        raise LogisticsError(_("The departure must come after the arrival."), field="departure_on")
    if departure and activity.starts_at and departure < activity.starts_at:
        raise LogisticsError(_("The departure cannot be before the activity starts."), field="departure_on")
    return arrival, departure


def _check_lengths(data: LogisticsInput) -> None:
    """Text no longer than its column (the form says so too; a service caller may not have a form)."""
    for item in fields(data):
        value = getattr(data, item.name)
        column = Logistics.__table__.columns.get(item.name)
        length = getattr(column.type, "length", None) if column is not None else None
        if isinstance(value, str) and length and len(value.strip()) > length:
            raise LogisticsError(_("At most %(count)d characters.", count=length), field=item.name)


def _check_per_diem(data: LogisticsInput) -> None:
    amount = data.per_diem_amount
    if amount is not None and (not amount.is_finite() or amount >= MAX_PER_DIEM):
        raise LogisticsError(_("Give an amount below %(limit)s.", limit=format_decimal(MAX_PER_DIEM)), field="per_diem_amount")
    if amount is not None and amount < 0:
        raise LogisticsError(_("The per-diem cannot be negative."), field="per_diem_amount")
    if data.per_diem_days is not None and data.per_diem_days < 0:
        raise LogisticsError(_("The number of per-diem days cannot be negative."), field="per_diem_days")
    if data.per_diem_days is not None and data.per_diem_days > MAX_PER_DIEM_DAYS:
        raise LogisticsError(_("At most %(count)d days.", count=MAX_PER_DIEM_DAYS), field="per_diem_days")
    currency = data.per_diem_currency.strip().upper()
    if currency:
        check_currency(currency, LogisticsError, "per_diem_currency")
    if amount and not currency:
        raise LogisticsError(_("Give the currency of the per-diem."), field="per_diem_currency")


def _check_sensitive(data: LogisticsInput, activity: Activity) -> None:
    country = data.passport_country.strip().upper()
    if country and not is_country(country):
        raise LogisticsError(_("“%(code)s” is not a known country code: give two letters of ISO 3166, such as CI "
                               "or FR.", code=data.passport_country.strip()), field="passport_country")
    last_day = activity.ends_at.astimezone(activity.zone).date() if activity.ends_at else None
    if data.passport_expires_on and last_day and data.passport_expires_on < last_day:
        raise LogisticsError(_("The passport expires before the activity ends."), field="passport_expires_on")
    if data.birth_date and data.birth_date >= utcnow().date():
        raise LogisticsError(_("The date of birth must be in the past."), field="birth_date")


def check(data: LogisticsInput, registration: Registration, purged: bool = False) -> tuple:
    """Refuse what cannot be true, naming the field; returns the arrival and departure as UTC instants."""
    if registration.state != RegistrationState.CONFIRMED:
        raise LogisticsError(_("Travel and stay are recorded for confirmed participants only."))
    activity = registration.activity
    _check_lengths(data)
    instants = _check_travel(data, activity)
    if data.check_in_on and data.check_out_on and data.check_out_on <= data.check_in_on:
        raise LogisticsError(_("The check-out must be after the check-in."), field="check_out_on")
    _check_per_diem(data)
    if not purged:
        _check_sensitive(data, activity)
    return instants


def _values(data: LogisticsInput, arrival: datetime | None, departure: datetime | None) -> dict:
    values = {f.name: getattr(data, f.name) for f in fields(data)
              if f.name not in {"arrival_on", "arrival_time", "departure_on", "departure_time"}}
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    values["per_diem_currency"] = values["per_diem_currency"].upper()
    if data.per_diem_amount is not None:
        values["per_diem_amount"] = data.per_diem_amount.quantize(Decimal("0.01"))
    values["passport_country"] = values["passport_country"].upper()
    values["passport_number"] = values["passport_number"].upper()
    values["arrival_at"], values["departure_at"] = arrival, departure
    return values


def _comparable(value):
    """Values as compared for the audit row: an instant by its moment, and empty as empty (a new row's
    columns hold None until it is saved)."""
    if isinstance(value, datetime):
        return value.timestamp()
    return None if value is None or value is False or value == "" else value


def save(registration: Registration, data: LogisticsInput, editor: Person) -> Logistics:
    """Check and store the participant's travel and stay, in one transaction with an audit row naming the fields
    that changed (never their values). Once purged, the sensitive fields stay empty whatever is sent.

    Two trainers saving a participant's first details at once: the second insert breaks the unique
    registration key; it is rolled back and saved again as a change of the row the first one made."""
    try:
        return _store(registration, data, editor)
    except IntegrityError:
        db.session.rollback()
        return _store(registration, data, editor)


def _store(registration: Registration, data: LogisticsInput, editor: Person) -> Logistics:
    logistics = logistics_of(registration) or Logistics(registration=registration)
    purged = logistics.sensitive_purged_at is not None
    arrival, departure = check(data, registration, purged)
    values = _values(data, arrival, departure)
    if purged:
        values = {name: value for name, value in values.items() if name not in SENSITIVE_FIELDS}
    changed = sorted(name for name, value in values.items()
                     if _comparable(getattr(logistics, name, None)) != _comparable(value))
    for name, value in values.items():
        setattr(logistics, name, value)
    logistics.updated_at, logistics.updated_by_id = utcnow(), editor.id
    db.session.add(logistics)
    db.session.flush()
    record(AuditAction.LOGISTICS_CHANGED, actor=editor, object_type="logistics", object_id=logistics.id,
           details={"registration_id": registration.id, "fields": changed,
                    "sensitive": [name for name in changed if name in SENSITIVE_FIELDS]})
    db.session.commit()
    return logistics


def logistics_of(registration: Registration) -> Logistics | None:
    return db.session.scalar(select(Logistics).where(Logistics.registration_id == registration.id))


def participants_statement(activity: Activity) -> Select:
    """The activity's confirmed participants by name (the trainer's list, a page at a time)."""
    return (select(Registration).join(Person, Person.id == Registration.person_id)
            .where(Registration.activity_id == activity.id, Registration.state == RegistrationState.CONFIRMED)
            .options(contains_eager(Registration.person).selectinload(Person.parliament))
            .order_by(Person.full_name, Registration.id))


def logistics_by_registration(registration_ids: list[int]) -> dict[int, Logistics]:
    """The logistics rows of one page of participants, in one query."""
    if not registration_ids:
        return {}
    rows = db.session.scalars(select(Logistics).where(Logistics.registration_id.in_(registration_ids)))
    return {row.registration_id: row for row in rows}


def travel_filled(logistics: Logistics | None) -> bool:
    return bool(logistics and logistics.arrival_at and logistics.departure_at and logistics.travel_paid_by)


def stay_filled(logistics: Logistics | None) -> bool:
    return bool(logistics and logistics.hotel_name and logistics.check_in_on and logistics.check_out_on
                and logistics.stay_paid_by)
