"""Participation figures as plain data: computed here, shown by the page, exported as CSV and XLSX.

The unit counted is a participation: one person at one activity, counted when
they were present at one session of it at least. Each is described by the
person's parliament, kind and gender, and, for members of parliament, by the
political side in force on the activity's date (from the affiliation history,
never from today's side). Sides appear only in aggregates where small cells are
hidden. Whatever the number of registrations, a report takes the same handful
of queries: the figures are added up in Python from one row per attendance.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.affiliations import side_on, timelines
from elearn.people.models import Gender, Parliament, Person, PersonKind, PoliticalSide
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Modality,
    Programme,
    Registration,
    activity_topic,
    session_days,
    session_hours,
)

HELD_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED)
HIDDEN = "*"


# Inputs ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportFilters:
    """What a report covers; every part is optional. Dates are the activities' local dates."""

    date_from: date | None = None
    date_to: date | None = None
    programme_id: int | None = None
    funder: str = ""
    parliament_id: int | None = None
    modality: Modality | None = None
    topic_id: int | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments, for links to the exports."""
        values = {"date_from": self.date_from.isoformat() if self.date_from else "",
                  "date_to": self.date_to.isoformat() if self.date_to else "",
                  "programme_id": self.programme_id or "", "funder": self.funder,
                  "parliament_id": self.parliament_id or "",
                  "modality": self.modality.value if self.modality else "", "topic_id": self.topic_id or ""}
        return {name: str(value) for name, value in values.items() if value}


@dataclass(frozen=True)
class Participation:
    person_id: int
    activity_id: int
    day: date
    parliament_id: int | None
    kind: PersonKind
    gender: Gender | None
    side: PoliticalSide | None  # in force on `day`, for members of parliament; None if none was recorded
    programme_id: int | None
    days: int = 0
    hours: float = 0.0


@dataclass(frozen=True)
class Completion:
    """A finished e-learning course, as a completion source reports it (see register_completion_source)."""

    person_id: int
    parliament_id: int | None
    kind: PersonKind
    gender: Gender | None
    completed_on: date
    course: str


CompletionSource = Callable[[ReportFilters], Iterable[Completion]]
COMPLETION_SOURCES = "hemicycle_completion_sources"


def register_completion_source(app, source: CompletionSource) -> None:
    """Hook for the learning package: add its course completions to every participation report.

    The source receives the report's filters and returns the completions they
    cover (it decides what a programme, funder, modality or topic filter means
    for a course). The report then shows them in the same slices as attendance.
    """
    app.extensions.setdefault(COMPLETION_SOURCES, []).append(source)


# Adding up ----------------------------------------------------------------------------

@dataclass
class Figures:
    participations: int = 0
    people: set[int] = field(default_factory=set)
    activities: set[int] = field(default_factory=set)
    days: int = 0
    hours: float = 0.0

    def add(self, fact: Participation) -> None:
        self.participations += 1
        self.people.add(fact.person_id)
        self.activities.add(fact.activity_id)
        self.days += fact.days
        self.hours += fact.hours

    def value(self, measure: str) -> int | float:
        if measure == "people":
            return len(self.people)
        if measure == "activities":
            return len(self.activities)
        if measure == "hours":
            return tidy(self.hours)
        return getattr(self, measure)


def tidy(number: float) -> int | float:
    """Hours to two decimals, and whole numbers without a decimal point."""
    number = round(number, 2)
    return int(number) if number == int(number) else number


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Row:
    key: str
    label: str
    figures: Figures = field(default_factory=Figures)
    hidden: str | None = None  # "small": fewer than the minimum of people; "secondary": hidden to protect it


@dataclass
class Breakdown:
    key: str
    title: str
    sheet: str
    label_header: str
    measures: tuple[str, ...]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)


def group(facts: Iterable[Participation], key, rows: list[tuple[str, str]]) -> list[Row]:
    """Add up `facts` by `key(fact)` into rows listed in order as (key, label); empty rows stay."""
    result = {row_key: Row(row_key, label) for row_key, label in rows}
    for fact in facts:
        row_key = key(fact)
        result.setdefault(row_key, Row(row_key, row_key)).figures.add(fact)
    return list(result.values())


def suppress(rows: list[Row], minimum: int) -> list[Row]:
    """Hide rows of fewer than `minimum` people, and one more if a lone hidden row could be worked out.

    A single hidden row could be recovered by subtracting the others from a
    total shown elsewhere, so a second row is hidden with it: the smallest
    other row with people in it, else an empty one.
    """
    for row in rows:
        if 0 < len(row.figures.people) < minimum:
            row.hidden = "small"
    hidden = [row for row in rows if row.hidden]
    if len(hidden) == 1:
        others = [row for row in rows if not row.hidden]
        candidates = sorted((row for row in others if row.figures.people), key=lambda r: len(r.figures.people)) \
            or others
        if candidates:
            candidates[0].hidden = "secondary"
    return rows


# Reading the database ---------------------------------------------------------------------

def _programmes() -> dict[int, Programme]:
    return {p.id: p for p in db.session.scalars(select(Programme).order_by(Programme.title))}


def funders(programmes: Iterable[Programme]) -> list[str]:
    return sorted({name for programme in programmes for name in programme.funders}, key=str.lower)


def _activity_statement(filters: ReportFilters, programmes: dict[int, Programme], now: datetime):
    statement = select(Activity.id, Activity.timezone, Activity.starts_at, Activity.programme_id).where(
        Activity.status.in_(HELD_STATUSES), Activity.starts_at.is_not(None), Activity.starts_at <= now)
    # A day of margin each side: the exact local date is checked in Python.
    if filters.date_from:
        statement = statement.where(
            Activity.starts_at >= datetime.combine(filters.date_from - timedelta(days=1), time(0), timezone.utc))
    if filters.date_to:
        statement = statement.where(
            Activity.starts_at < datetime.combine(filters.date_to + timedelta(days=2), time(0), timezone.utc))
    if filters.programme_id:
        statement = statement.where(Activity.programme_id == filters.programme_id)
    if filters.funder:
        funded = [p.id for p in programmes.values() if filters.funder in p.funders]
        statement = statement.where(Activity.programme_id.in_(funded or [-1]))
    if filters.modality:
        statement = statement.where(Activity.modality == filters.modality)
    if filters.topic_id:
        statement = statement.where(Activity.id.in_(
            select(activity_topic.c.activity_id).where(activity_topic.c.topic_id == filters.topic_id)))
    return statement


def _in_period(day: date, filters: ReportFilters) -> bool:
    return (filters.date_from is None or day >= filters.date_from) and (filters.date_to is None or day <= filters.date_to)


def participations(filters: ReportFilters, *, now: datetime | None = None,
                   programmes: dict[int, Programme] | None = None) -> tuple[dict[int, date], list[Participation]]:
    """The activities held under `filters` (id → local date) and their participations.

    Three queries (activities, attendance rows, side histories) plus the
    programmes when they are not given, whatever the number of registrations.
    """
    now = now or utcnow()
    programmes = _programmes() if programmes is None else programmes
    activity_statement = _activity_statement(filters, programmes, now)
    activities: dict[int, tuple[date, ZoneInfo, int | None]] = {}
    for activity_id, zone_name, starts_at, programme_id in db.session.execute(activity_statement):
        zone = ZoneInfo(zone_name)
        day = starts_at.astimezone(zone).date()
        if _in_period(day, filters):
            activities[activity_id] = (day, zone, programme_id)
    activity_ids = activity_statement.with_only_columns(Activity.id)
    attended = (
        select(Registration.person_id, Registration.activity_id, Person.parliament_id, Person.kind, Person.gender,
               ActivitySession.starts_at, ActivitySession.ends_at, ActivitySession.all_day)
        .select_from(Attendance)
        .join(Registration, Registration.id == Attendance.registration_id)
        .join(Person, Person.id == Registration.person_id)
        .join(ActivitySession, ActivitySession.id == Attendance.session_id)
        .where(Attendance.status == AttendanceStatus.PRESENT, Registration.activity_id.in_(activity_ids)))
    if filters.parliament_id:
        attended = attended.where(Person.parliament_id == filters.parliament_id)
    sides = timelines(select(Registration.person_id).where(Registration.activity_id.in_(activity_ids)))
    found: dict[tuple[int, int], dict] = {}
    for person_id, activity_id, parliament_id, kind, gender, starts_at, ends_at, all_day in db.session.execute(attended):
        if activity_id not in activities:
            continue
        zone = activities[activity_id][1]
        entry = found.setdefault((person_id, activity_id), {
            "person": (parliament_id, kind, gender), "days": set(), "hours": 0.0})
        entry["days"].update(session_days(starts_at, ends_at, all_day, zone))
        entry["hours"] += session_hours(starts_at, ends_at, all_day, zone)
    facts = []
    for (person_id, activity_id), entry in found.items():
        day, _zone, programme_id = activities[activity_id]
        parliament_id, kind, gender = entry["person"]
        side = side_on(sides.get(person_id, []), day) if kind == PersonKind.MP else None
        facts.append(Participation(person_id=person_id, activity_id=activity_id, day=day,
                                   parliament_id=parliament_id, kind=kind, gender=gender, side=side,
                                   programme_id=programme_id, days=len(entry["days"]), hours=entry["hours"]))
    facts.sort(key=lambda fact: (fact.day, fact.activity_id, fact.person_id))
    return {activity_id: values[0] for activity_id, values in activities.items()}, facts


def _completions(filters: ReportFilters) -> list[Completion] | None:
    sources = current_app.extensions.get(COMPLETION_SOURCES, [])
    if not sources:
        return None
    return [completion for source in sources for completion in source(filters)
            if _in_period(completion.completed_on, filters)
            and (not filters.parliament_id or completion.parliament_id == filters.parliament_id)]


def _completion_facts(completions: list[Completion]) -> list[Participation]:
    """Completions in the shape of participations, with the side in force on the day of completion."""
    members = sorted({c.person_id for c in completions if c.kind == PersonKind.MP})
    sides = timelines(members) if members else {}
    return [Participation(person_id=c.person_id, activity_id=0, day=c.completed_on, parliament_id=c.parliament_id,
                          kind=c.kind, gender=c.gender, programme_id=None,
                          side=side_on(sides.get(c.person_id, []), c.completed_on) if c.kind == PersonKind.MP else None)
            for c in completions]


# Slices -------------------------------------------------------------------------------------

def kind_rows() -> list[tuple[str, str]]:
    return [(PersonKind.MP.value, _("Members of parliament")), (PersonKind.STAFF.value, _("Parliamentary staff")),
            (PersonKind.OFFICER.value, _("Cooperation officers")), (PersonKind.EXPERT.value, _("External experts"))]


def gender_rows() -> list[tuple[str, str]]:
    return [(Gender.WOMAN.value, _("Women")), (Gender.MAN.value, _("Men")), (Gender.ANOTHER.value, _("Another gender")),
            (Gender.PREFER_NOT_TO_SAY.value, _("Preferred not to say")), ("not_stated", _("Not stated"))]


def side_rows() -> list[tuple[str, str]]:
    return [(PoliticalSide.RULING.value, _("Ruling majority")), (PoliticalSide.OPPOSITION.value, _("Opposition")),
            (PoliticalSide.INDEPENDENT.value, _("Independent")),
            (PoliticalSide.NOT_STATED.value, _("Not stated or not recorded"))]


def gender_key(fact) -> str:
    return fact.gender.value if fact.gender else "not_stated"


def side_key(fact) -> str:
    return fact.side.value if fact.side else PoliticalSide.NOT_STATED.value


def _parliament_rows(facts, parliaments: dict[int, Parliament]) -> list[tuple[str, str]]:
    locale = str(get_locale())
    present = {fact.parliament_id for fact in facts}
    rows = sorted(((str(p.id), p.name(locale)) for p in parliaments.values() if p.id in present), key=lambda r: r[1])
    if None in present:
        rows.append(("none", _("No parliament")))
    return rows


def _parliament_key(fact) -> str:
    return str(fact.parliament_id) if fact.parliament_id else "none"


ATTENDANCE_MEASURES = ("participations", "people", "days", "hours")
COMPLETION_MEASURES = ("participations", "people")


def measure_headers(measures: tuple[str, ...], completions: bool = False) -> list[str]:
    names = {"participations": _("Completions") if completions else _("Participations"), "people": _("People"),
             "days": _("Participant-days"), "hours": _("Hours attended"), "activities": _("Activities")}
    return [names[m] for m in measures]


def slices(facts, parliaments, minimum: int, *, completions: bool = False) -> list[Breakdown]:
    """The same four slices for attendance and for course completions."""
    measures = COMPLETION_MEASURES if completions else ATTENDANCE_MEASURES
    suffix = "-completions" if completions else ""

    def title(text: str) -> str:
        return _("E-learning completions: %(slice)s", slice=text) if completions else text

    def sheet(text: str) -> str:
        return _("Courses - %(slice)s", slice=text) if completions else text

    mps = [fact for fact in facts if fact.kind == PersonKind.MP]
    kinds = [row for row in group(facts, lambda f: f.kind.value, kind_rows())
             if row.figures.participations or row.key in (PersonKind.MP, PersonKind.STAFF)]
    marks = {"small": f"<{minimum}", "n": minimum, "hidden": HIDDEN}
    side_note = (_("Members of parliament only, with the side in force on the day the course was completed. "
                   "%(small)s: fewer than %(n)d people; %(hidden)s: hidden as well, so that a small group "
                   "cannot be worked out from the totals.", **marks) if completions else
                 _("Members of parliament only, with the side in force on the date of the activity: a member "
                   "who changed side counts in each side they held. %(small)s: fewer than %(n)d people; "
                   "%(hidden)s: hidden as well, so that a small group cannot be worked out from the totals.",
                   **marks))
    return [
        Breakdown("parliament" + suffix, title(_("By parliament")), sheet(_("Parliaments")), _("Parliament"),
                  measures, group(facts, _parliament_key, _parliament_rows(facts, parliaments))),
        Breakdown("kind" + suffix, title(_("By kind of participant")), sheet(_("Kind")), _("Kind"), measures, kinds),
        Breakdown("gender" + suffix, title(_("By gender")), sheet(_("Gender")), _("Gender"), measures,
                  group(facts, gender_key, gender_rows()),
                  [_("Gender is self-declared and optional: “not stated” counts those who did not say.")]),
        Breakdown("side" + suffix, title(_("Members of parliament by political side")), sheet(_("Political side")),
                  _("Political side"), measures, suppress(group(mps, side_key, side_rows()), minimum), [side_note]),
    ]


@dataclass
class TargetRow:
    label: str
    participations: int
    women: int
    not_stated: int
    share: float | None
    target: int | None

    @property
    def met(self) -> bool | None:
        if self.target is None or self.share is None:
            return None
        return self.share >= self.target


def women_against_targets(facts, programmes: dict[int, Programme]) -> list[TargetRow]:
    rows = []
    by_programme: dict[int | None, list[Participation]] = {}
    for fact in facts:
        by_programme.setdefault(fact.programme_id, []).append(fact)
    ordered = [p for p in programmes.values() if p.id in by_programme]
    for programme in ordered + ([None] if None in by_programme else []):
        items = by_programme[programme.id if programme else None]
        women = sum(1 for fact in items if fact.gender == Gender.WOMAN)
        rows.append(TargetRow(label=programme.title if programme else _("No programme"), participations=len(items),
                              women=women, not_stated=sum(1 for fact in items if fact.gender is None),
                              share=percent(women, len(items)),
                              target=programme.women_target_percent if programme else None))
    return rows


# The report ----------------------------------------------------------------------------------

@dataclass
class Table:
    """A table exactly as the page, the CSV and the spreadsheet show it."""

    key: str
    title: str
    sheet: str
    header: list[str]
    rows: list[list]
    notes: list[str] = field(default_factory=list)


@dataclass
class ParticipationReport:
    filters: ReportFilters
    minimum: int
    activities_held: int
    total: Figures
    breakdowns: list[Breakdown]
    targets: list[TargetRow]
    completions: list[Breakdown] | None  # None: no e-learning source is installed yet

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns + (self.completions or []) if b.key == key)

    def tables(self) -> list[Table]:
        summary = Table("summary", _("Summary"), _("Summary"), [_("Figure"), _("Value")], [
            [_("Activities held"), self.activities_held],
            [_("Participations"), self.total.participations],
            [_("People"), len(self.total.people)],
            [_("Participant-days"), self.total.days],
            [_("Hours attended"), tidy(self.total.hours)]],
            [_("With a parliament chosen, activities held are those its people attended.")]
            if self.filters.parliament_id else [])
        tables = [summary] + [breakdown_table(b, self.minimum) for b in self.breakdowns]
        tables.append(Table("women", _("Share of women against the programme's target"), _("Women and targets"),
                            [_("Programme"), _("Participations"), _("Women"), _("Gender not stated"),
                             _("Share of women (%)"), _("Target (%)"), _("Target met")],
                            [[row.label, row.participations, row.women, row.not_stated,
                              "" if row.share is None else row.share, "" if row.target is None else row.target,
                              {True: _("yes"), False: _("no"), None: ""}[row.met]] for row in self.targets],
                            [_("Share of participations by women; participations whose gender is not stated "
                               "count in the total, never as women or men.")]))
        tables += [breakdown_table(b, self.minimum) for b in self.completions or []]
        return tables


def breakdown_table(breakdown: Breakdown, minimum: int) -> Table:
    completions = breakdown.key.endswith("-completions")
    rows = []
    for row in breakdown.rows:
        if row.hidden == "small":
            values = [f"<{minimum}" if m == "people" else HIDDEN for m in breakdown.measures]
        elif row.hidden:
            values = [HIDDEN for _m in breakdown.measures]
        else:
            values = [row.figures.value(m) for m in breakdown.measures]
        rows.append([row.label] + values)
    return Table(breakdown.key, breakdown.title, breakdown.sheet,
                 [breakdown.label_header] + measure_headers(breakdown.measures, completions), rows, breakdown.notes)


def build_report(filters: ReportFilters, *, minimum: int | None = None, now: datetime | None = None) -> ParticipationReport:
    minimum = current_app.config["REPORT_MIN_CELL"] if minimum is None else minimum
    programmes = _programmes()
    activities, facts = participations(filters, now=now, programmes=programmes)
    parliaments = {p.id: p for p in db.session.scalars(select(Parliament))}
    total = Figures()
    for fact in facts:
        total.add(fact)
    # For one parliament, the activities that count are those its people took part in.
    held = len(activities) if not filters.parliament_id else len(total.activities)
    completions = _completions(filters)
    completion_slices = None
    if completions is not None:
        completion_slices = slices(_completion_facts(completions), parliaments, minimum, completions=True)
    return ParticipationReport(filters=filters, minimum=minimum, activities_held=held, total=total,
                               breakdowns=slices(facts, parliaments, minimum), targets=women_against_targets(facts, programmes),
                               completions=completion_slices)


# Over time, for a parliament's page -------------------------------------------------------

def by_year(facts: list[Participation]) -> list[Row]:
    years = sorted({fact.day.year for fact in facts})
    return group(facts, lambda fact: str(fact.day.year), [(str(year), str(year)) for year in years])
