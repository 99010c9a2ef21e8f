"""The report page, its CSV and XLSX exports (same figures), its charts, and its constant query count."""
import csv
import io
import re
from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from elearn.extensions import db
from elearn.people.models import Gender, Person, PersonKind
from elearn.reports.facts import COMPLETION_SOURCES, Completion, register_completion_source
from elearn.scheduling.models import Attendance, AttendanceStatus, Registration, RegistrationState
from tests.helpers import count_queries, frozen_clock, text
from tests.reports.conftest import NOW
from tests.reports.factories import make_held_activity


class _Tables(HTMLParser):
    """Each <table id="table-…"> of a page as its caption and rows of cell texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._in = None  # "caption" or "cell"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and (attributes.get("id") or "").startswith("table-"):
            self.tables.append({"key": attributes["id"][6:], "caption": "", "rows": []})
        elif not self.tables or self.tables[-1].get("done"):
            return
        elif tag == "caption":
            self._in = "caption"
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._in = "cell"
            self.tables[-1]["rows"][-1].append("")

    def handle_endtag(self, tag):
        if tag in ("caption", "td", "th"):
            self._in = None
        elif tag == "table" and self.tables:
            self.tables[-1]["done"] = True

    def handle_data(self, data):
        if self._in == "caption":
            self.tables[-1]["caption"] += data
        elif self._in == "cell":
            self.tables[-1]["rows"][-1][-1] += data


def page_tables(html: str) -> list[dict]:
    reader = _Tables()
    reader.feed(html)
    return [{"key": t["key"], "title": t["caption"].strip(), "rows": [[c.strip() for c in r] for r in t["rows"]]}
            for t in reader.tables]


def value(cell):
    """A figure as a number whatever the format (1,234.5 on the page, 1234.5 in CSV, a number in XLSX)."""
    if isinstance(cell, (int, float)):
        return float(cell)
    cell = "" if cell is None else str(cell).strip()
    if re.fullmatch(r"-?[\d,]+(\.\d+)?", cell):
        return float(cell.replace(",", ""))
    return cell


def normalised(rows):
    return [[value(cell) for cell in row] for row in rows]


def csv_sections(data: bytes) -> list[dict]:
    sections, current = [], None
    for line in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        if not line:
            current = None
        elif current is None:
            current = {"title": line[0], "rows": []}
            sections.append(current)
        else:
            current["rows"].append(line)
    return sections


@pytest.fixture
def trainer(login_as):
    return login_as("trainer")


def test_page_csv_and_xlsx_show_the_same_figures(year, trainer):
    with frozen_clock(NOW):
        page = text(trainer.get("/reports/participation"))
        exported_csv = trainer.get("/reports/participation.csv")
        exported_xlsx = trainer.get("/reports/participation.xlsx")
    assert exported_csv.mimetype == "text/csv"
    assert "attachment" in exported_csv.headers["Content-Disposition"]
    tables = page_tables(page)
    assert [t["key"] for t in tables] == ["summary", "parliament", "kind", "gender", "side", "women",
                                          "parliament-completions", "kind-completions", "gender-completions",
                                          "side-completions"]
    summary = {row[0]: row[1] for row in tables[0]["rows"][1:]}
    assert summary == {"Activities held": "2", "Participations": "9", "People": "6", "Participant-days": "13",
                       "Hours attended": "93.5"}

    sections = csv_sections(exported_csv.data)
    assert sections[0]["title"] == "Report" and sections[-1]["title"] == "Notes"
    assert [s["title"] for s in sections[1:-1]] == [t["title"] for t in tables]
    for table, section in zip(tables, sections[1:-1], strict=False):
        assert normalised(section["rows"]) == normalised(table["rows"]), table["key"]

    workbook = load_workbook(io.BytesIO(exported_xlsx.data))
    sheets = workbook.worksheets
    assert sheets[0].title == "Report" and sheets[-1].title == "Notes"
    for table, sheet in zip(tables, sheets[1:-1], strict=False):
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert normalised(rows) == normalised(table["rows"]), table["key"]
    side_sheet = workbook["Political side"]
    assert side_sheet.max_row == 1  # five members of parliament: no side figure in any form
    notes = [row[0] for row in workbook["Notes"].iter_rows(values_only=True)]
    assert any(note.startswith("Political sides are not shown: no programme and calendar quarter") for note in notes)


def test_exports_follow_the_filters_and_say_what_they_cover(year, trainer):
    with frozen_clock(NOW):
        page = text(trainer.get(f"/reports/participation?programme_id={year['alpha'].id}"))
        exported = csv_sections(trainer.get(f"/reports/participation.csv?programme_id={year['alpha'].id}").data)
    assert f'href="/reports/participation.csv?programme_id={year["alpha"].id}"' in page
    assert exported[0]["rows"] == [["Filter", "Value"], ["Programme", "Alpha"]]
    summary = {row[0]: row[1] for row in exported[1]["rows"][1:]}
    assert summary["Participations"] == "5" and summary["Activities held"] == "1"


def test_not_stated_gender_and_the_women_target_are_on_the_page(year, trainer):
    with frozen_clock(NOW):
        tables = {t["key"]: t for t in page_tables(text(trainer.get("/reports/participation")))}
    genders = {row[0]: row[1:] for row in tables["gender"]["rows"][1:]}
    assert genders["Not stated"] == ["1", "1", "2", "14"]
    women = {row[0]: row[1:] for row in tables["women"]["rows"][1:]}
    assert women["Alpha"] == ["5", "2", "0", "40", "50", "no"]
    assert women["Beta"] == ["4", "1", "1", "25", "", ""]


def test_charts_are_server_side_svg_with_a_title_and_a_description(year, trainer):
    with frozen_clock(NOW):
        page = text(trainer.get("/reports/participation"))
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) == 3  # no side chart: this report counts too few members of parliament
    for chart in charts:
        chart_id = re.search(r'aria-labelledby="([\w-]+)-title', chart).group(1)
        assert f'<title id="{chart_id}-title">' in chart and f'<desc id="{chart_id}-desc">' in chart
        assert 'role="img"' in chart
    assert not any("chart-side" in c for c in charts)
    assert "<script" not in page.split("</main>")[0]


def test_a_trainer_sees_sides_only_in_aggregates(year, trainer):
    with frozen_clock(NOW):
        report = text(trainer.get(f"/reports/participation?parliament_id={year['south'].id}"))
        roster = text(trainer.get(f"/manage/activities/{year['b'].id}"))
        roster_csv = trainer.get(f"/manage/activities/{year['b'].id}/participants.csv").get_data(as_text=True)
    sides = {t["key"]: t for t in page_tables(report)}["side"]["rows"]
    # The South's only member of parliament, O1: no side figure at all, not even a mark.
    assert sides == [["Political side", "People"]]
    assert "Political sides are not shown" in report
    assert "Omar Ousmane" in roster
    for page in (roster, roster_csv):
        assert "Opposition" not in page and "Ruling majority" not in page


def test_bad_filter_values_are_reported_and_ignored(year, trainer):
    with frozen_clock(NOW):
        page = text(trainer.get("/reports/participation?date_from=yesterday&programme_id=999999&modality=poetry"))
    assert "Not a valid date value." in page
    summary = {row[0]: row[1] for row in page_tables(page)[0]["rows"][1:]}
    assert summary["Participations"] == "9"


def test_completions_appear_in_the_same_slices_once_a_source_is_registered(app, year, trainer):
    app.extensions[COMPLETION_SOURCES] = []  # as before the learning package installs its source
    with frozen_clock(NOW):
        page = text(trainer.get("/reports/participation"))
    assert "Course completions will appear here" in page
    x = year["x"]

    def courses(filters):
        return [Completion(person_id=x.id, parliament_id=x.parliament_id, kind=PersonKind.MP, gender=Gender.WOMAN,
                           completed_on=datetime(2026, 3, 5).date(), course="Committee work")]

    register_completion_source(app, courses)
    with frozen_clock(NOW):
        page = text(trainer.get("/reports/participation"))
        exported = csv_sections(trainer.get("/reports/participation.csv").data)
    tables = {t["key"]: t for t in page_tables(page)}
    assert {row[0]: row[1:] for row in tables["gender-completions"]["rows"][1:]}["Women"] == ["1", "1"]
    assert "Course completions will appear here" not in page
    assert "E-learning completions: By parliament" in [s["title"] for s in exported]


def _registrations(count: int, batch: str) -> None:
    activity = make_held_activity([(datetime(2026, 5, 4, 9), datetime(2026, 5, 4, 12)),
                                   (datetime(2026, 5, 5, 9), datetime(2026, 5, 5, 12))])
    kinds, genders = [PersonKind.MP, PersonKind.STAFF], [Gender.WOMAN, Gender.MAN, None]
    people = [Person(email=f"{batch}{n}@example.org", full_name=f"Many {n}", kind=kinds[n % 2], gender=genders[n % 3])
              for n in range(count)]
    db.session.add_all(people)
    db.session.flush()
    registrations = [Registration(activity_id=activity.id, person_id=p.id, state=RegistrationState.CONFIRMED)
                     for p in people]
    db.session.add_all(registrations)
    db.session.flush()
    db.session.add_all([Attendance(registration_id=r.id, session_id=s.id, status=AttendanceStatus.PRESENT)
                        for r in registrations for s in activity.sessions])
    db.session.commit()


@pytest.mark.parametrize("path", ["/reports/participation", "/reports/participation.csv",
                                  "/reports/participation.xlsx"])
def test_report_runs_the_same_queries_for_20_and_1000_registrations(app, trainer, path):
    # Both sizes count ten members of parliament or more, so both show sides and write their audit row.
    counts = []
    for size in (20, 980):
        _registrations(size, f"batch{size}-")
        with frozen_clock(NOW), count_queries() as counter:
            response = trainer.get(path)
        assert response.status_code == 200
        counts.append(counter.count)
    print(path, "queries for 20 and 1,000 registrations:", counts)
    assert counts[0] == counts[1], counts
    with frozen_clock(NOW):
        summary = {row[0]: row[1] for row in page_tables(text(trainer.get("/reports/participation")))[0]["rows"][1:]}
    assert summary["Participations"] == "1,000"


def test_real_course_completions_are_counted(app, year, trainer):
    from tests.learning.factories import complete_course, make_course

    course = make_course(lessons=1, questions=1)
    with frozen_clock(datetime(2026, 3, 5, 12, tzinfo=timezone.utc)):
        complete_course(year["x"], course)
    with frozen_clock(NOW):
        page = text(trainer.get("/reports/participation"))
    tables = {t["key"]: t for t in page_tables(page)}
    assert "gender-completions" in tables
    assert sum(int(row[1]) for row in tables["gender-completions"]["rows"][1:] if row[1].isdigit()) == 1
