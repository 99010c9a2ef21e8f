"""Each computed measure on a small programme year (tests/evaluation/indicator_world.py), and its None cases."""
from datetime import date

import pytest

from elearn.evaluation.indicator_models import Measure
from elearn.evaluation.indicator_sources import Period, Sources
from tests.evaluation.indicator_world import NOW, world
from tests.helpers import count_queries

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
EMPTY = Period(date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def data(app):
    return world()


def read(data, measure, period=YEAR, programme="alpha", now=NOW):
    return Sources(data[programme].id, period, now).read(measure)


def test_participation_measures(data):
    assert read(data, Measure.PARTICIPANTS).value == 3
    assert read(data, Measure.PARTICIPANT_DAYS).value == 7
    assert read(data, Measure.WOMEN_SHARE).value == 40.0
    spring = Period(date(2026, 3, 1), date(2026, 12, 31))  # activity B only
    assert read(data, Measure.PARTICIPANTS, spring).value == 2
    assert read(data, Measure.PARTICIPANT_DAYS, spring).value == 4
    assert read(data, Measure.WOMEN_SHARE, spring).value == 50.0
    assert read(data, Measure.PARTICIPANTS, programme="other").value == 1


def test_participation_none_before_anything_happened(data):
    for measure in (Measure.PARTICIPANTS, Measure.PARTICIPANT_DAYS, Measure.WOMEN_SHARE):
        reading = read(data, measure, EMPTY)
        assert reading.value is None and reading.reason == "no participation recorded yet"


def test_satisfaction_uses_rating_answers_only(data):
    assert read(data, Measure.SATISFACTION).value == 75.0
    assert read(data, Measure.SATISFACTION, programme="other").value == 0.0
    reading = read(data, Measure.SATISFACTION, EMPTY)
    assert reading.value is None and reading.reason == "no responses yet"


def test_learning_gain_needs_both_tests(data):
    assert read(data, Measure.LEARNING_GAIN).value == 20.0
    reading = read(data, Measure.LEARNING_GAIN, programme="other")
    assert reading.value is None and "both tests" in reading.reason


def test_commitments_on_time(data):
    assert read(data, Measure.COMMITMENTS_ON_TIME).value == 33.3
    may_first = Period(date(2026, 5, 1), date(2026, 5, 1))
    assert read(data, Measure.COMMITMENTS_ON_TIME, may_first).value == 100.0
    reading = read(data, Measure.COMMITMENTS_ON_TIME, EMPTY)
    assert reading.value is None and reading.reason == "no commitment due in the period"


def test_median_days_to_decision(data):
    assert read(data, Measure.DAYS_TO_DECISION).value == 20.0
    january = Period(date(2026, 1, 1), date(2026, 1, 31))
    assert read(data, Measure.DAYS_TO_DECISION, january).value == 10.0
    reading = read(data, Measure.DAYS_TO_DECISION, EMPTY)
    assert reading.value is None and reading.reason == "no request decided in the period"


def test_balance_is_not_published_for_small_blocks(data):
    reading = read(data, Measure.OPPOSITION_SHARE)
    assert reading.value is None and reading.reason.startswith("not published")


def test_balance_from_a_published_block(app, data):
    app.config.update(REPORT_SIDE_MIN_PEOPLE=2, REPORT_SIDE_NOISE=0, REPORT_SIDE_ROUNDING=1, REPORT_MIN_CELL=1)
    first_quarter = Period(date(2026, 1, 1), date(2026, 3, 31))
    assert read(data, Measure.OPPOSITION_SHARE, first_quarter).value == 33.3  # ruling 2, opposition 1
    # The same quarter read before it is published (30 days after its end): nothing.
    early = read(data, Measure.OPPOSITION_SHARE, first_quarter, now=NOW.replace(month=4, day=15))
    assert early.value is None and early.reason.startswith("not published")
    # A period that cuts a quarter publishes nothing for it.
    cut = read(data, Measure.OPPOSITION_SHARE, Period(date(2026, 2, 1), date(2026, 3, 31)))
    assert cut.value is None


def test_manual_measure_is_not_computed(data):
    assert read(data, Measure.MANUAL).value is None


def test_each_statement_runs_once_per_period(data):
    sources = Sources(data["alpha"].id, YEAR, NOW)
    with count_queries() as counter:
        for _round in range(3):
            for measure in Measure:
                sources.read(measure)
    # attendance, satisfaction, gain, commitments, requests (PostgreSQL adds SET LOCAL jit = off, see elearn/sql_dates.py),
    # and the completed placements whose working days the placements' participation source counts in Python
    assert len([s for s in counter.statements if not s.startswith("SET LOCAL")]) == 6
