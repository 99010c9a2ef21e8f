"""Report rows: figures added up in SQL (Tally) or in Python (Figures, for small lists), and women against targets."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

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
    figures: Figures | Tally = field(default_factory=Figures)
    hidden: str | None = None  # "small": fewer than the minimum of people; "secondary": hidden to protect it
    shown: list | None = None  # for a protected slice: the figures as shown (rounded, or marks), per measure


@dataclass
class Breakdown:
    key: str
    title: str
    sheet: str
    label_header: str
    measures: tuple[str, ...]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    withheld: str | None = None  # why a protected slice shows no figures at all

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


def women_against_targets(by_programme: dict[str, Tally], programmes: dict[int, Programme]) -> list[TargetRow]:
    """One row per programme with participations, in title order, then those under no programme."""
    ordered = [(p.title, p.women_target_percent, by_programme[str(p.id)]) for p in programmes.values()
               if str(p.id) in by_programme]
    if "" in by_programme:
        ordered.append((_("No programme"), None, by_programme[""]))
    return [TargetRow(label=title, participations=tally.participations, women=tally.women,
                      not_stated=tally.not_stated, share=percent(tally.women, tally.participations), target=target)
            for title, target, tally in ordered]


@dataclass
class Tally:
    """A row's figures as the database added them up (counts, not sets of ids)."""

    participations: int = 0
    people: int = 0
    activities: int = 0
    days: int = 0
    hours: float = 0.0
    women: int = 0
    not_stated: int = 0
    fingerprint: int = 0  # the sum of the people's ids: which people, not only how many (seeds side noise)

    def value(self, measure: str) -> int | float:
        return tidy(self.hours) if measure == "hours" else getattr(self, measure)
