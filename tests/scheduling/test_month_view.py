"""The month view stays small on a busy calendar: a few activities a day, the rest one click away (issue 24)."""
from __future__ import annotations

from tests.helpers import count_queries, text
from tests.scheduling.factories import make_activity, one_session


def month_path(day) -> str:
    return f"/activities/month?year={day.year}&month={day.month}"


def test_a_busy_day_shows_three_activities_and_a_link_to_the_rest(app, client):
    first = make_activity(title="Briefing 0", sessions=one_session(days_ahead=3))
    day = first.sessions[0].local_start.date()
    for n in range(1, 8):
        make_activity(title=f"Briefing {n}", sessions=one_session(days_ahead=3))
    page = text(client.get(month_path(day)))
    assert "Briefing 2" in page and "Briefing 3" not in page
    assert "5 more" in page
    full = text(client.get(f"{month_path(day)}&day={day.isoformat()}"))
    assert all(f"Briefing {n}" in full for n in range(8))
    assert text(client.get(f"{month_path(day)}&day=not-a-day")).count("Briefing 0") == 2  # grid and agenda


def test_the_month_view_runs_the_same_statements_for_one_and_many_activities(app, client):
    first = make_activity(title="Alone", sessions=one_session(days_ahead=3))
    path = month_path(first.sessions[0].local_start.date())
    client.get(path)
    with count_queries() as one:
        client.get(path)
    for n in range(12):
        make_activity(title=f"Seminar {n}", sessions=one_session(days_ahead=3 + n % 4, length_days=2, all_day=True))
    with count_queries() as many:
        page = text(client.get(path))
    assert "Seminar 0" in page
    assert many.count == one.count, many.statements


def test_a_busy_day_in_french_says_how_many_more(app, client):
    first = make_activity(title="Séance", sessions=one_session(days_ahead=3))
    for _n in range(4):
        make_activity(sessions=one_session(days_ahead=3))
    day = first.sessions[0].local_start.date()
    page = text(client.get(month_path(day), headers={"Accept-Language": "fr"}))
    assert "2 de plus" in page
