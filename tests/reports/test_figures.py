"""Report figures computed without HTTP, against the hand-counted year in conftest.py."""
from datetime import date, datetime, timezone

import pytest

from elearn.people.models import PersonKind
from elearn.reports.facts import ReportFilters
from elearn.reports.figures import Figures, Row
from elearn.reports.protection import SideRules
from elearn.reports.report import build_report
from elearn.reports.suppression import suppress
from elearn.scheduling.models import Modality
from tests.factories import make_person
from tests.reports.conftest import NOW, PRESENT
from tests.reports.factories import attend, make_held_activity


def figures(report, key):
    """{row label: [participations, people, days, hours]} as the table shows them."""
    table = next(t for t in report.tables() if t.key == key)
    return {row[0]: row[1:] for row in table.rows}


def summary(report):
    return {row[0]: row[1] for row in next(t for t in report.tables() if t.key == "summary").rows}


def test_totals_and_slices_match_the_hand_count(year):
    report = build_report(ReportFilters(), now=NOW)
    assert summary(report) == {"Activities held": 2, "Participations": 9, "People": 6, "Participant-days": 13,
                               "Hours attended": 93.5}
    assert figures(report, "parliament") == {"North Assembly": [7, 4, 10, 72], "South Parliament": [2, 2, 3, 21.5]}
    assert figures(report, "kind") == {"Members of parliament": [8, 5, 12, 86], "Parliamentary staff": [1, 1, 1, 7.5]}


def test_gender_not_stated_is_shown_and_never_guessed(year):
    report = build_report(ReportFilters(), now=NOW)
    assert figures(report, "gender") == {
        "Women": [3, 2, 4, 29], "Men": [5, 3, 7, 50.5], "Another gender": [0, 0, 0, 0],
        "Preferred not to say": [0, 0, 0, 0], "Not stated": [1, 1, 2, 14]}


# The counting itself, with no protection: never what a reader gets (see test_protection.py).
EXACT = SideRules(min_cell=0, min_people=0, rounding=1, noise=0, blocks=False)


def test_a_member_counts_with_the_side_in_force_on_each_activity_date(year):
    report = build_report(ReportFilters(), now=NOW, rules=EXACT)
    # X was ruling at A (10 February) and opposition at B (10 April): once in each row.
    assert figures(report, "side") == {
        "Ruling majority": [6, 4, 8, 58], "Opposition": [2, 2, 4, 28], "Independent": [0, 0, 0, 0],
        "Not stated or not recorded": [0, 0, 0, 0]}
    only_b = build_report(ReportFilters(date_from=date(2026, 3, 1)), now=NOW, rules=EXACT)
    assert figures(only_b, "side")["Opposition"] == [2, 2, 4, 28]
    assert figures(only_b, "side")["Ruling majority"] == [2, 2, 4, 28]


def test_a_report_of_few_members_shows_no_side_at_all(year):
    report = build_report(ReportFilters(), now=NOW)  # five members of parliament, fewer than ten
    table = next(t for t in report.tables() if t.key == "side")
    assert table.rows == []
    assert "no programme and calendar quarter in this report counts 10 members of parliament" in table.notes[0]
    assert not report.shows_sides


def _row(key, people):
    figures = Figures()
    figures.people = set(range(people))
    figures.participations = people
    return Row(key, key, figures)


def test_suppression_hides_the_smallest_other_row_or_an_empty_one():
    rows = suppress([_row("ruling", 9), _row("opposition", 4), _row("independent", 1), _row("unknown", 0)], 3)
    assert [r.hidden for r in rows] == [None, "secondary", "small", None]
    rows = suppress([_row("ruling", 9), _row("opposition", 2), _row("independent", 1), _row("unknown", 0)], 3)
    assert [r.hidden for r in rows] == [None, "small", "small", None]  # two hidden rows protect each other
    rows = suppress([_row("ruling", 0), _row("opposition", 2), _row("independent", 0)], 3)
    assert [r.hidden for r in rows] == ["secondary", "small", None]
    assert [r.hidden for r in suppress([_row("ruling", 5), _row("opposition", 3)], 3)] == [None, None]


def test_share_of_women_against_each_programmes_target(year):
    report = build_report(ReportFilters(), now=NOW)
    by_programme = {row.label: row for row in report.targets}
    alpha, beta = by_programme["Alpha"], by_programme["Beta"]
    assert (alpha.participations, alpha.women, alpha.not_stated, alpha.share, alpha.target, alpha.met) == \
        (5, 2, 0, 40.0, 50, False)
    assert (beta.participations, beta.women, beta.not_stated, beta.share, beta.target, beta.met) == \
        (4, 1, 1, 25.0, None, None)


@pytest.mark.parametrize("filters, held, participations", [
    (lambda y: ReportFilters(parliament_id=y["north"].id), 2, 7),
    (lambda y: ReportFilters(parliament_id=y["south"].id), 2, 2),
    (lambda y: ReportFilters(programme_id=y["alpha"].id), 1, 5),
    (lambda y: ReportFilters(funder="UNDP"), 1, 4),
    (lambda y: ReportFilters(funder="Nobody"), 0, 0),
    (lambda y: ReportFilters(modality=Modality.EXCHANGE_VISIT), 1, 4),
    (lambda y: ReportFilters(topic_id=y["topics"]["committee-work"].id), 1, 5),
    (lambda y: ReportFilters(date_from=date(2026, 3, 1)), 1, 4),
    (lambda y: ReportFilters(date_to=date(2026, 2, 10)), 1, 5),
    (lambda y: ReportFilters(date_from=date(2026, 2, 11), date_to=date(2026, 4, 9)), 0, 0),
])
def test_filters(year, filters, held, participations):
    report = build_report(filters(year), now=NOW)
    assert (report.activities_held, report.total.participations) == (held, participations)


def test_the_period_uses_the_activitys_local_date(app):
    # 00:30 on 1 March in Thimphu is still 28 February in UTC.
    activity = make_held_activity([(datetime(2026, 3, 1, 0, 30), datetime(2026, 3, 1, 2, 30))],
                                  timezone="Asia/Thimphu")
    attend(activity, make_person(kind=PersonKind.STAFF), PRESENT)
    assert build_report(ReportFilters(date_from=date(2026, 3, 1)), now=NOW).total.participations == 1
    assert build_report(ReportFilters(date_to=date(2026, 2, 28)), now=NOW).total.participations == 0


def test_activities_not_yet_started_cancelled_or_drafts_are_not_held(app):
    from elearn.scheduling.models import ActivityStatus

    later = make_held_activity([(datetime(2026, 7, 1, 9), datetime(2026, 7, 1, 12))], status=ActivityStatus.PUBLISHED)
    cancelled = make_held_activity([(datetime(2026, 5, 1, 9), datetime(2026, 5, 1, 12))],
                                   status=ActivityStatus.CANCELLED)
    for activity in (later, cancelled):
        attend(activity, make_person(), PRESENT)
    assert build_report(ReportFilters(), now=NOW).activities_held == 0
    assert build_report(ReportFilters(), now=datetime(2026, 8, 1, tzinfo=timezone.utc)).activities_held == 1
