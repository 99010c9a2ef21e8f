"""The participation report: added up in SQL, sliced, protected, and laid out as tables."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import Parliament
from elearn.reports.aggregates import NO_KEY, attendance_facts, completion_facts, tallies
from elearn.reports.facts import ReportFilters
from elearn.reports.figures import Breakdown, Row, Tally, TargetRow, tidy, women_against_targets
from elearn.reports.protection import SideRules
from elearn.reports.queries import programmes_by_id
from elearn.reports.side_targets import OppositionRow, opposition_against_targets
from elearn.reports.slices import side_blocks, slices
from elearn.reports.tables import Table, breakdown_table

ATTENDANCE_SLICES = ("total", "parliament", "kind", "gender", "side", "side_block", "members_block", "programme")
COMPLETION_SLICES = ("total", "parliament", "kind", "gender", "side", "side_block", "members_block")


@dataclass
class ParticipationReport:
    filters: ReportFilters
    rules: SideRules
    activities_held: int
    total: Tally
    breakdowns: list[Breakdown]
    targets: list[TargetRow]
    completions: list[Breakdown] | None  # None: no e-learning source is installed yet
    opposition: list[OppositionRow] = dataclasses.field(default_factory=list)  # from published side blocks only

    @property
    def minimum(self) -> int:
        return self.rules.min_cell

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns + (self.completions or []) if b.key == key)

    @property
    def shows_sides(self) -> bool:
        """Whether any political-side figure is shown: such a read is audited."""
        return bool(self.opposition) or any(b.key.startswith("side") and not b.withheld
                                            for b in self.breakdowns + (self.completions or []))

    def tables(self) -> list[Table]:
        summary = Table("summary", _("Summary"), _("Summary"), [_("Figure"), _("Value")], [
            [_("Activities held"), self.activities_held],
            [_("Participations"), self.total.participations],
            [_("People"), self.total.people],
            [_("Participant-days"), self.total.days],
            [_("Hours attended"), tidy(self.total.hours)]],
            [_("With a parliament chosen, activities held are those its people attended.")]
            if self.filters.parliament_id else [])
        tables = [summary] + [breakdown_table(b) for b in self.breakdowns]
        tables.append(Table("women", _("Share of women against the programme's target"), _("Women and targets"),
                            [_("Programme"), _("Participations"), _("Women"), _("Gender not stated"),
                             _("Share of women (%)"), _("Target (%)"), _("Target met")],
                            [[row.label, row.participations, row.women, row.not_stated,
                              "" if row.share is None else row.share, "" if row.target is None else row.target,
                              {True: _("yes"), False: _("no"), None: ""}[row.met]] for row in self.targets],
                            [_("Share of participations by women; participations whose gender is not stated "
                               "count in the total, never as women or men.")]))
        if self.opposition:
            tables.append(self._opposition_table())
        tables += [breakdown_table(b) for b in self.completions or []]
        return tables

    def _opposition_table(self) -> Table:
        return Table("opposition", _("Share of opposition against the programme's target"),
                     _("Opposition and targets"),
                     [_("Programme"), _("Members of parliament (published)"), _("Opposition (published)"),
                      _("Share of opposition (%)"), _("Target (%)"), _("Target met")],
                     [[row.label, row.members, row.opposition, row.share, row.target,
                       _("yes") if row.met else _("no")] for row in self.opposition],
                     [_("Worked out only from the side figures published for the programme's calendar quarters "
                        "(see the political side table): rounded, with noise, so close to the target the answer "
                        "may go either way. A programme with no published quarter has no row.")])


def build_report(filters: ReportFilters, *, minimum: int | None = None, rules: SideRules | None = None,
                 now: datetime | None = None) -> ParticipationReport:
    """The report in a fixed number of statements: programmes, parliaments, attendance, completions."""
    rules = rules or SideRules.from_config(current_app.config)
    if minimum is not None:
        rules = dataclasses.replace(rules, min_cell=minimum)
    now = now or utcnow()
    programmes = programmes_by_id()
    parliaments = {p.id: p for p in db.session.scalars(select(Parliament))}
    held, facts = attendance_facts(filters, programmes, now)
    figures = tallies(facts, held, slices=ATTENDANCE_SLICES)
    total = figures.get("total", {}).get(NO_KEY, Tally())
    # For one parliament, the activities that count are those its people took part in.
    activities_held = total.activities if filters.parliament_id else figures["held"][NO_KEY].participations
    completions = completion_facts(filters)
    completion_slices = None
    if completions is not None:
        completion_slices = slices(tallies(completions, slices=COMPLETION_SLICES), parliaments, filters, rules,
                                   now.date(), completions=True)
    return ParticipationReport(filters=filters, rules=rules, activities_held=activities_held, total=total,
                               breakdowns=slices(figures, parliaments, filters, rules, now.date()),
                               targets=women_against_targets(figures.get("programme", {}), programmes),
                               completions=completion_slices,
                               opposition=opposition_against_targets(programmes, *side_blocks(figures, rules),
                                                                     filters, now.date(), rules))


def by_year(filters: ReportFilters, *, now: datetime | None = None) -> list[Row]:
    """Participations by year of the activity (for a parliament's page), in one statement; women in each Tally."""
    held, facts = attendance_facts(filters, programmes_by_id() if filters.funder else {}, now or utcnow())
    years = tallies(facts, slices=("year",)).get("year", {})
    return [Row(year, year, years[year]) for year in sorted(years)]
