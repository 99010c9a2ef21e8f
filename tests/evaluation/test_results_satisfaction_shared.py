"""The results and the indicator read satisfaction from one definition, and agree on it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.evaluation.results import ResultFilters, build_results
from elearn.evaluation.satisfaction import mean_satisfaction, points
from elearn.scheduling.models import Activity
from tests.evaluation import results_factories as rf
from tests.scheduling.factories import make_activity


def test_points_span_zero_to_hundred():
    assert (points(1, 5), points(3, 5), points(5, 5), points(2, 2)) == (0, 50, 100, 100)


def test_results_and_indicator_agree_and_session_ratings_do_not_count(app):
    activity = make_activity()
    link = rf.attach(activity, rf.make_questionnaire())
    session = activity.sessions[0]
    for rating in (5, 4, 2):
        rf.respond(link, rating=rating, sessions={session: 1})
    expected = (100 + 75 + 25) / 3
    results = build_results(ResultFilters(activity_id=activity.id))
    mean, count = mean_satisfaction(select(Activity.id).where(Activity.id == activity.id))
    assert count == results.satisfaction.count == 3
    assert mean == pytest.approx(expected) and results.satisfaction.mean == pytest.approx(expected)
    cells = build_results(ResultFilters(activity_id=activity.id), ("kind",)).breakdowns["kind"]
    assert sum(cell["satisfaction"].total for cell in cells.values()) == pytest.approx(expected * 3)
