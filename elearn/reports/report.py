"""The participation report: read, added up, sliced, and laid out as tables."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.extensions import db
from elearn.people.models import Parliament
from elearn.reports.facts import ReportFilters
from elearn.reports.figures import Breakdown, Figures, TargetRow, tidy, women_against_targets
from elearn.reports.queries import completion_facts, participations, programmes_by_id, reported_completions
from elearn.reports.slices import slices
from elearn.reports.tables import Table, breakdown_table


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


def build_report(filters: ReportFilters, *, minimum: int | None = None, now: datetime | None = None) -> ParticipationReport:
    minimum = current_app.config["REPORT_MIN_CELL"] if minimum is None else minimum
    programmes = programmes_by_id()
    activities, facts = participations(filters, now=now, programmes=programmes)
    parliaments = {p.id: p for p in db.session.scalars(select(Parliament))}
    total = Figures()
    for fact in facts:
        total.add(fact)
    # For one parliament, the activities that count are those its people took part in.
    held = len(activities) if not filters.parliament_id else len(total.activities)
    completions = reported_completions(filters)
    completion_slices = None
    if completions is not None:
        completion_slices = slices(completion_facts(completions), parliaments, minimum, completions=True)
    return ParticipationReport(filters=filters, minimum=minimum, activities_held=held, total=total,
                               breakdowns=slices(facts, parliaments, minimum), targets=women_against_targets(facts, programmes),
                               completions=completion_slices)
