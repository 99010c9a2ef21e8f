"""The measures an indicator can compute, for one programme and one period, each in one SQL statement.

Participation figures come from the participation report's own aggregate (reports/aggregates.py), so an
indicator and the report never disagree; the political balance is read from the same protected side
breakdown the report shows (reports/protection.py), so it exists only where the report publishes it.
`Sources` runs each statement once per period, however many indicators read it: a framework page costs
the same with 3 indicators as with 12.
"""
from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Float, and_, case, cast, func, select
from sqlalchemy.orm import aliased

from elearn import sql_dates as sql
from elearn.cooperation.models import ActionPlan, Commitment, CommitmentStatus, NeedsRequest, RequestStatus
from elearn.database import utcnow
from elearn.evaluation.gain_models import LearningTest, TestPhase, TestScore
from elearn.evaluation.indicator_models import Measure
from elearn.evaluation.satisfaction import mean_satisfaction
from elearn.extensions import db
from elearn.people.models import PoliticalSide
from elearn.reports.aggregates import NO_KEY, attendance_facts, held_activities, tallies
from elearn.reports.facts import ReportFilters
from elearn.reports.figures import Breakdown, Row, Tally, percent
from elearn.reports.protection import HIDDEN, PROTECTED_MEASURES, SideRules, protect
from elearn.reports.slices import side_blocks, side_rows
from elearn.scheduling.models import Activity

ATTENDANCE_SLICES = ("total", "side", "side_block", "members_block")


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def utc_bounds(self) -> tuple[datetime, datetime]:
        """From the first day's midnight to the midnight after the last day, UTC."""
        return (datetime.combine(self.start, time(0), timezone.utc),
                datetime.combine(self.end + timedelta(days=1), time(0), timezone.utc))


@dataclass(frozen=True)
class Reading:
    """A measure's value, or None with the reason there is none."""

    value: float | None
    reason: str = ""


@dataclass
class Sources:
    """The computed measures of one programme over one period; each statement runs at most once."""

    programme_id: int
    period: Period
    now: datetime = field(default_factory=utcnow)
    _cache: dict = field(default_factory=dict)

    @property
    def filters(self) -> ReportFilters:
        return ReportFilters(date_from=self.period.start, date_to=self.period.end, programme_id=self.programme_id)

    def _once(self, name: str, compute: Callable):
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def read(self, measure: Measure) -> Reading:
        readers = {
            Measure.PARTICIPANTS: lambda: self._total(lambda t: t.people),
            Measure.PARTICIPANT_DAYS: lambda: self._total(lambda t: t.days),
            Measure.WOMEN_SHARE: lambda: self._total(lambda t: percent(t.women, t.participations)),
            Measure.OPPOSITION_SHARE: self._balance,
            Measure.SATISFACTION: lambda: self._once("satisfaction", self._satisfaction),
            Measure.LEARNING_GAIN: lambda: self._once("gain", self._gain),
            Measure.COMMITMENTS_ON_TIME: lambda: self._once("commitments", self._commitments),
            Measure.DAYS_TO_DECISION: lambda: self._once("decisions", self._days_to_decision),
        }
        reader = readers.get(measure)
        if reader is None:
            return Reading(None, _("entered by hand"))
        return reader()

    # Participation, from the report's aggregate ------------------------------------------------

    def _figures(self):
        def compute():
            _held, facts = attendance_facts(self.filters, {}, self.now)
            return tallies(facts, slices=ATTENDANCE_SLICES)
        return self._once("attendance", compute)

    def _total(self, pick: Callable[[Tally], float | None]) -> Reading:
        total = self._figures().get("total", {}).get(NO_KEY, Tally())
        if not total.participations:
            return Reading(None, _("no participation recorded yet"))
        return Reading(pick(total))

    def _balance(self) -> Reading:
        """The opposition's share of ruling and opposition members, from the published side blocks only."""
        figures = self._figures()
        rules = SideRules.from_config(current_app.config)
        rows = [Row(key, label, figures.get("side", {}).get(key, Tally())) for key, label in side_rows()]
        breakdown = protect(Breakdown("side", "", "", "", PROTECTED_MEASURES, rows), self.filters,
                            *side_blocks(figures, rules), self.now.date(), rules)
        shown = {row.key: row.shown[0] for row in breakdown.rows if row.shown}
        ruling, opposition = shown.get(PoliticalSide.RULING.value), shown.get(PoliticalSide.OPPOSITION.value)
        if breakdown.withheld or HIDDEN in (ruling, opposition) or ruling is None or opposition is None:
            return Reading(None, _("not published (too few members, or the quarter is too recent)"))
        if ruling + opposition <= 0:
            return Reading(None, _("not published (too few members, or the quarter is too recent)"))
        return Reading(percent(opposition, ruling + opposition))

    # Questionnaires and tests -----------------------------------------------------------------

    def _held_ids(self):
        held = held_activities(self.filters, {}, self.now).subquery("held")
        return select(held.c.activity_id)

    def _satisfaction(self) -> Reading:
        """The shared definition: the mean over rating answers of (rating - 1) / (points - 1) * 100."""
        sql.install()
        average, count = mean_satisfaction(self._held_ids())
        if not count:
            return Reading(None, _("no responses yet"))
        return Reading(round(float(average), 1))

    def _gain(self) -> Reading:
        """The shared definition: post minus pre per participant with both, averaged over participants."""
        sql.install()
        pre, post = aliased(TestScore), aliased(TestScore)
        statement = (select(func.avg(cast(post.score - pre.score, Float)), func.count())
                     .select_from(pre)
                     .join(post, and_(post.learning_test_id == pre.learning_test_id,
                                      post.person_id == pre.person_id, post.phase == TestPhase.POST))
                     .join(LearningTest, LearningTest.id == pre.learning_test_id)
                     .where(pre.phase == TestPhase.PRE, LearningTest.activity_id.in_(self._held_ids())))
        average, count = db.session.execute(statement).one()
        if not count:
            return Reading(None, _("no participant took both tests yet"))
        return Reading(round(float(average), 1))

    # Cooperation ------------------------------------------------------------------------------

    def _commitments(self) -> Reading:
        """Of the commitments of the programme's activities due in the period, the share done by the due date.

        A commitment keeps no date of completion: the day it was last updated while done (UTC) stands for it.
        """
        sql.install()
        done_on = sql.local_date(Commitment.updated_at, "UTC")
        on_time = case((and_(Commitment.status == CommitmentStatus.DONE, done_on <= Commitment.due_on), 1), else_=0)
        statement = (select(func.count(), func.sum(on_time)).select_from(Commitment)
                     .join(ActionPlan, ActionPlan.id == Commitment.plan_id)
                     .join(Activity, Activity.id == ActionPlan.activity_id)
                     .where(Activity.programme_id == self.programme_id, Commitment.due_on >= self.period.start,
                            Commitment.due_on <= self.period.end, Commitment.status != CommitmentStatus.DROPPED))
        due, kept = db.session.execute(statement).one()
        if not due:
            return Reading(None, _("no commitment due in the period"))
        return Reading(percent(int(kept or 0), due))

    def _days_to_decision(self) -> Reading:
        """The median of whole days from a request's receipt to its acceptance or refusal, decided in the period."""
        first, after = self.period.utc_bounds
        statement = (select(NeedsRequest.created_at, NeedsRequest.status_changed_at)
                     .where(NeedsRequest.programme_id == self.programme_id,
                            NeedsRequest.status.in_((RequestStatus.ACCEPTED, RequestStatus.DECLINED)),
                            NeedsRequest.status_changed_at >= first, NeedsRequest.status_changed_at < after))
        days = [(decided - received).days for received, decided in db.session.execute(statement)]
        if not days:
            return Reading(None, _("no request decided in the period"))
        return Reading(float(statistics.median(days)))
