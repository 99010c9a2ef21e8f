"""Adding up participations: the figures of a row, rows by any key, by year, and women against targets."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _

from elearn.people.models import Gender
from elearn.reports.facts import Participation
from elearn.scheduling.models import Programme


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


def by_year(facts: list[Participation]) -> list[Row]:
    years = sorted({fact.day.year for fact in facts})
    return group(facts, lambda fact: str(fact.day.year), [(str(year), str(year)) for year in years])


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
