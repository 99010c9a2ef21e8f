"""The participation report's opposition target: worked out from the published side blocks only, else no row."""
from __future__ import annotations

from datetime import date

import pytest

from elearn.extensions import db
from elearn.reports.facts import ReportFilters
from elearn.reports.protection import SideRules
from elearn.reports.report import build_report
from elearn.scheduling.models import Programme
from tests.reports.side_world import NOW, seed_world

RULES = SideRules(noise=0)  # rounded to 5, blocks of 10 members, published 30 days after the quarter


@pytest.fixture
def world(app):
    """Twelve members of known side (tests/reports/side_world.py)."""
    return seed_world(app)


def set_targets(world, **targets):
    for key, value in targets.items():
        db.session.get(Programme, world.programmes[key]).opposition_target_percent = value
    db.session.commit()


def test_the_target_is_set_against_the_published_share(world):
    # Alpha's published quarters (2025 Q2, 2026 Q1): 7 ruling and 4 opposition, then 7 and 5, each
    # rounded to 5: 10 opposition of 20. Its 2026 Q4 quarter (one member) is not published.
    set_targets(world, alpha=50)
    report = build_report(ReportFilters(), rules=RULES, now=NOW)
    [row] = report.opposition
    assert (row.label, row.members, row.opposition, row.share, row.target, row.met) == ("Alpha", 20, 10, 50.0, 50, True)
    table = next(t for t in report.tables() if t.key == "opposition")
    assert table.rows == [["Alpha", 20, 10, 50.0, 50, "yes"]]
    assert report.shows_sides
    set_targets(world, alpha=51)
    assert build_report(ReportFilters(), rules=RULES, now=NOW).opposition[0].met is False


def test_no_row_without_a_target_a_published_block_or_for_a_filter_that_cuts_blocks(world):
    report = build_report(ReportFilters(), rules=RULES, now=NOW)
    assert report.opposition == [] and "opposition" not in [t.key for t in report.tables()]
    set_targets(world, alpha=30, beta=30)
    # Only the second quarter of 2026 inside the dates: Beta's block is published, none of Alpha's.
    spring = build_report(ReportFilters(date_from=date(2026, 4, 1), date_to=date(2026, 6, 30)), rules=RULES, now=NOW)
    assert [row.label for row in spring.opposition] == ["Beta"]
    for cut in (ReportFilters(parliament_id=world.parliaments["north"]), ReportFilters(topic_id=world.topics["budget"])):
        assert build_report(cut, rules=RULES, now=NOW).opposition == []
    # Before the quarter is 30 days old, nothing is published, so nothing is compared.
    early = build_report(ReportFilters(), rules=RULES, now=NOW.replace(year=2025, month=7, day=15))
    assert early.opposition == []


def test_the_report_page_shows_the_row_and_audits_the_read(world, login_as, people, app):
    from sqlalchemy import func, select

    from elearn.audit.models import AuditAction, AuditEvent
    from tests.helpers import text

    set_targets(world, alpha=50)
    page = text(login_as("trainer").get("/reports/participation"))
    assert "Share of opposition against the programme" in page
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == AuditAction.POLITICAL_SIDE_READ)) >= 1
