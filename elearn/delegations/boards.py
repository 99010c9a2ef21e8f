"""The logistics boards: a rooming list, arrivals and departures by day, a transport manifest, a per-diem sheet.

Each board is one SQL statement over the confirmed registrations of activities that are not
cancelled (and the per-diem sheet a second one, its totals per currency); a page adds only the
pagination's count. Dates and hours are each activity's local ones, computed in SQL
(`boards_sql.local_text`), so one board can hold activities in several zones. No statement
here names a sensitive column (logistics_models.SENSITIVE_FIELDS): the boards and their
exports never carry needs, passports or birth dates.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Integer, Select, and_, func, literal, or_, select, union_all

from elearn.delegations.boards_sql import local_day, local_text
from elearn.delegations.logistics_models import Logistics
from elearn.params import int_arg
from elearn.people.models import Parliament, Person
from elearn.scheduling.models import Activity, ActivityStatus, Registration, RegistrationState, activity_trainer

ARRIVAL, DEPARTURE = 0, 1
CENT = Decimal("0.01")


@dataclass(frozen=True)
class BoardFilters:
    """What a board covers: local dates (each activity's own zone), one activity or all those the viewer may see."""

    date_from: date
    date_to: date
    activity_id: int | None = None
    trainer_id: int | None = None  # None: an administrator, who sees every activity
    locale: str = "en"  # the reader's: parliaments are named in it (English when the name is missing)

    def as_args(self) -> dict[str, str]:
        args = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        if self.activity_id is not None:
            args["activity"] = str(self.activity_id)
        return args


def trained_by(person_id: int) -> Select:
    """The ids of the activities a person trains (a plain subquery: an `any()` over Activity.trainers would
    correlate with the participant's row of `person` already in the board's FROM)."""
    return select(activity_trainer.c.activity_id).where(activity_trainer.c.person_id == person_id)


def _joined(*columns) -> Select:
    return (select(*columns).select_from(Logistics)
            .join(Registration, Registration.id == Logistics.registration_id)
            .join(Activity, Activity.id == Registration.activity_id)
            .join(Person, Person.id == Registration.person_id)
            .outerjoin(Parliament, Parliament.id == Person.parliament_id))


def _scoped(statement: Select, filters: BoardFilters) -> Select:
    statement = statement.where(Registration.state == RegistrationState.CONFIRMED,
                                Activity.status != ActivityStatus.CANCELLED)
    if filters.activity_id is not None:
        statement = statement.where(Activity.id == filters.activity_id)
    if filters.trainer_id is not None:
        statement = statement.where(Activity.id.in_(trained_by(filters.trainer_id)))
    return statement


def _people(locale: str):
    return (Person.full_name.label("name"), Parliament.name_column(locale).label("parliament"),
            Activity.title.label("activity"),
            Activity.timezone.label("zone"), Logistics.id.label("logistics_id"))


def rooming_statement(filters: BoardFilters) -> Select:
    """Stays that overlap the dates, by hotel then check-in. A stay whose dates are not entered yet is listed
    when one activity is chosen (it clearly belongs there), not on the board of every activity."""
    check_in, check_out = Logistics.check_in_on, Logistics.check_out_on
    overlaps = and_(or_(check_in.is_(None), check_in <= filters.date_to),
                    or_(check_out.is_(None), check_out >= filters.date_from))
    if filters.activity_id is None:
        overlaps = and_(overlaps, or_(check_in.is_not(None), check_out.is_not(None)))
    statement = _joined(*_people(filters.locale), Logistics.hotel_name.label("hotel"), check_in.label("check_in"),
                        check_out.label("check_out"), Logistics.stay_paid_by.label("payer"))
    return (_scoped(statement, filters).where(or_(Logistics.hotel_name != "", check_in.is_not(None)), overlaps)
            .order_by(Logistics.hotel_name, check_in.is_(None), check_in, Person.full_name, Logistics.id))


def _movements(filters: BoardFilters):
    """Arrivals and departures whose local day is within the dates, as one union. A margin of a day either
    side in UTC (no zone is further than 14 hours away) lets the indexes on the instants do the first cut."""
    lowest = datetime.combine(filters.date_from, time(), timezone.utc) - timedelta(days=1)
    highest = datetime.combine(filters.date_to, time(), timezone.utc) + timedelta(days=2)
    first, last = filters.date_from.isoformat(), filters.date_to.isoformat()
    parts = []
    for kind, at, mode, reference, place in (
            (ARRIVAL, Logistics.arrival_at, Logistics.arrival_mode, Logistics.arrival_reference,
             Logistics.arrival_place),
            (DEPARTURE, Logistics.departure_at, Logistics.departure_mode, Logistics.departure_reference,
             Logistics.departure_place)):
        day = local_day(at, Activity.timezone)
        statement = _joined(literal(kind, Integer).label("kind"), *_people(filters.locale), at.label("at"), mode.label("mode"),
                            reference.label("reference"), place.label("place"),
                            local_text(at, Activity.timezone).label("local"))
        parts.append(_scoped(statement, filters).where(at >= lowest, at < highest, day >= first, day <= last))
    return union_all(*parts).subquery("movement")


def arrivals_statement(filters: BoardFilters) -> Select:
    """Each local day: its arrivals, then its departures, by local time."""
    movement = _movements(filters)
    day = func.substr(movement.c.local, 1, 10)
    # How many arrivals (departures) the day has in all, for a day that runs over two pages.
    in_day = func.count().over(partition_by=(day, movement.c.kind))
    return (select(movement, in_day.label("in_day"))
            .order_by(day, movement.c.kind, movement.c.local, movement.c.name, movement.c.logistics_id))


def transport_statement(filters: BoardFilters) -> Select:
    """Pick-ups (arrivals) and drop-offs (departures), grouped by local hour, zone and place (the same place
    written in another case is the same place); each row carries its group's head count."""
    movement = _movements(filters)
    hour = func.substr(movement.c.local, 1, 13)
    place = func.lower(func.trim(movement.c.place))
    heads = func.count().over(partition_by=(hour, movement.c.kind, movement.c.zone, place))
    return (select(movement, hour.label("hour"), heads.label("heads"))
            .order_by(hour, movement.c.kind, movement.c.zone, place, movement.c.local, movement.c.name,
                      movement.c.logistics_id))


def _activity_within(filters: BoardFilters):
    return and_(local_day(Activity.starts_at, Activity.timezone) <= filters.date_to.isoformat(),
                local_day(Activity.ends_at, Activity.timezone) >= filters.date_from.isoformat())


def per_diem_statement(filters: BoardFilters) -> Select:
    """The per-diems of the activities held (in part) within the dates, by currency then name."""
    statement = _joined(*_people(filters.locale), Logistics.per_diem_amount.label("amount"),
                        Logistics.per_diem_currency.label("currency"), Logistics.per_diem_days.label("days"))
    return (_scoped(statement, filters).where(Logistics.per_diem_amount.is_not(None), _activity_within(filters))
            .order_by(Logistics.per_diem_currency, Person.full_name, Logistics.id))


def per_diem_totals(session, filters: BoardFilters) -> list[tuple[str, Decimal, int]]:
    """(currency, total, people) for every currency of the sheet, in one statement: never converted."""
    total = func.sum(Logistics.per_diem_amount * func.coalesce(Logistics.per_diem_days, 0))
    statement = (_scoped(_joined(Logistics.per_diem_currency, total, func.count(Logistics.id)), filters)
                 .where(Logistics.per_diem_amount.is_not(None), _activity_within(filters))
                 .group_by(Logistics.per_diem_currency).order_by(Logistics.per_diem_currency))
    return [(currency, money(amount), people) for currency, amount, people in session.execute(statement)]


def money(value) -> Decimal:
    """Two decimals, whatever the database gave (SQLite sums in floating point)."""
    return Decimal(str(value or 0)).quantize(CENT)


def nights(check_in: date | None, check_out: date | None) -> int | None:
    return (check_out - check_in).days if check_in and check_out else None


def row_total(amount, days) -> Decimal | None:
    return None if amount is None or days is None else money(Decimal(str(amount)) * days)


def parliament_name(row) -> str:
    return row.parliament or ""


def local_moment(row) -> datetime:
    """The row's instant on the wall clocks of its activity's zone (the row names the zone)."""
    return row.at.astimezone(ZoneInfo(row.zone))


class RowPagination(SelectPagination):
    """db.paginate for a statement of several columns: its rows whole, not their first column."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(statement).all())


def paginate(session, statement: Select, per_page: int) -> RowPagination:
    # ?page= within bounds, as db.paginate reads it: a huge number is page 1, not an SQL error.
    return RowPagination(select=statement, session=session, page=int_arg("page", 1), per_page=per_page,
                         max_per_page=per_page, error_out=False)


def grouped(rows, key) -> Iterator[tuple[object, list]]:
    """Consecutive rows with the same key, as (key, rows): the page's days, or its transport groups."""
    current, bucket = None, []
    for row in rows:
        value = key(row)
        if bucket and value != current:
            yield current, bucket
            bucket = []
        current = value
        bucket.append(row)
    if bucket:
        yield current, bucket
