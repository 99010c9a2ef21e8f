"""What a report counts: its filters, participations, course completions, and the hook that supplies them.

The unit counted is a participation: one person at one activity, counted when
they were present at one session of it at least. Each is described by the
person's parliament, kind and gender, and, for members of parliament, by the
political side in force on the activity's date (from the affiliation history,
never from today's side). Sides appear only in aggregates where small cells are
hidden.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from elearn.people.models import Gender, PersonKind, PoliticalSide
from elearn.scheduling.models import Modality

if TYPE_CHECKING:
    from sqlalchemy import Select


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


CompletionSource = Callable[[ReportFilters], "Select | Iterable[Completion]"]
COMPLETION_SOURCES = "hemicycle_completion_sources"


def register_completion_source(app, source: CompletionSource) -> None:
    """Hook for the learning package: add its course completions to every participation report.

    The source receives the report's filters and returns the completions they
    cover (it decides what a programme, funder, modality or topic filter means
    for a course): a SELECT of (person_id, completed_on) that the report adds up
    in SQL, or, for a short list, Completion values. The report then shows them
    in the same slices as attendance, and applies the period and parliament.
    """
    app.extensions.setdefault(COMPLETION_SOURCES, []).append(source)

