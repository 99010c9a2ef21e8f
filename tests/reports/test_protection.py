"""Political sides on the page, in the CSV, the spreadsheet and the chart: one set of protected figures,
one mark for every hidden cell, and an audit row for every read that shows them."""
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from elearn.audit.models import AuditAction, AuditEvent
from elearn.extensions import db
from elearn.reports.figures import Row, Tally
from elearn.reports.protection import HIDDEN, SideRules, noise, protect_rows
from tests.helpers import frozen_clock, text
from tests.reports.side_world import NOW
from tests.reports.test_pages import csv_sections, page_tables


@pytest.fixture
def trainer(login_as):
    return login_as("trainer")


def side_reads():
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.POLITICAL_SIDE_READ)
                              .order_by(AuditEvent.id)).all()


def test_every_read_that_shows_sides_is_audited_and_no_other(world, trainer, people):
    with frozen_clock(NOW):
        page = text(trainer.get("/reports/participation"))
        trainer.get("/reports/participation.csv").get_data()
        trainer.get("/reports/participation.xlsx").get_data()
        narrow = text(trainer.get(f"/reports/participation?parliament_id={world.parliaments['south']}"))
    assert "Political sides are not shown for one parliament" in narrow
    reads = side_reads()
    assert [(e.actor_id, e.object_type, e.details["output"]) for e in reads] == [
        (people["trainer"].id, "page", "page"), (people["trainer"].id, "page", "csv"),
        (people["trainer"].id, "page", "xlsx")]
    assert "Members of parliament by political side" in page


def test_page_csv_spreadsheet_and_chart_show_the_same_protected_sides(world, trainer):
    with frozen_clock(NOW):
        page = text(trainer.get("/reports/participation"))
        sections = csv_sections(trainer.get("/reports/participation.csv").data)
        workbook = load_workbook(io.BytesIO(trainer.get("/reports/participation.xlsx").data))
    on_page = {t["key"]: t for t in page_tables(page)}["side"]["rows"]
    in_csv = next(s for s in sections if s["title"] == "Members of parliament by political side")["rows"]
    in_sheet = [[str(v) for v in row] for row in workbook["Political side"].iter_rows(values_only=True)]
    assert on_page == in_csv == in_sheet
    assert on_page[0] == ["Political side", "People"]
    figures = [row[1] for row in on_page[1:]]
    assert all(value == HIDDEN or int(value) % 5 == 0 for value in figures)
    assert HIDDEN in figures and any(value != HIDDEN for value in figures)
    chart = re.search(r'<svg[^>]*aria-labelledby="chart-side-title.*?</svg>', page, re.S).group(0)
    for _label, value in on_page[1:]:
        assert (f"hidden ({HIDDEN})" if value == HIDDEN else f">{value}</text>") in chart
    assert "&lt;" not in chart and "<3" not in page


def _rows(*people):
    return [Row(str(n), str(n), Tally(people=count, participations=count)) for n, count in enumerate(people)]


def test_zero_and_small_rows_show_one_mark_and_a_lone_one_takes_a_second_with_it():
    rules = SideRules(noise=0)
    assert protect_rows(_rows(12, 0, 1, 2), ("people",), rules) == [[10], [HIDDEN], [HIDDEN], [HIDDEN]]
    # One hidden row alone could be worked out from the members' total: the smallest other goes too.
    assert protect_rows(_rows(12, 9, 4, 1), ("people",), rules) == [[10], [10], [HIDDEN], [HIDDEN]]


def test_noise_is_the_same_at_every_read_and_changes_with_the_people_counted():
    rules = SideRules(secret=b"one secret")
    draws = [noise(rules, "2026/1/3", "ruling", "people", 12, fingerprint) for fingerprint in range(200)]
    assert draws[:20] == [noise(rules, "2026/1/3", "ruling", "people", 12, f) for f in range(20)]
    assert len(set(draws)) > 3 and 0.3 < draws.count(0) / len(draws) < 0.65
    assert draws != [noise(SideRules(secret=b"another"), "2026/1/3", "ruling", "people", 12, f) for f in range(200)]
