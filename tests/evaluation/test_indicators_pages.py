"""The results framework's pages, the donor report (page, XLSX, PDF), access and the services' refusals."""
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from elearn.audit.models import AuditAction, AuditEvent
from elearn.evaluation import indicators as service
from elearn.evaluation.indicator_models import Direction, Indicator, IndicatorValue, Measure
from elearn.evaluation.indicator_sources import Period
from elearn.extensions import db
from tests.evaluation.indicator_world import NOW, world
from tests.helpers import count_queries, frozen_clock, post_form, text
from tests.scheduling.factories import make_programme


@pytest.fixture
def data(app):
    return world()


@pytest.fixture
def trainer(login_as):
    return login_as("trainer")


def add(programme, title="Participants", measure="participants", target=10, **values):
    return service.save_indicator(programme, service.IndicatorInput(title=title, measure=measure, target_value=target,
                                                                    **values))


def base(programme) -> str:
    return f"/manage/programmes/{programme.id}/indicators"


def test_trainer_adds_an_indicator(data, trainer):
    alpha = data["alpha"]
    response = post_form(trainer, base(alpha) + "/new", {
        "title": "Women's share", "measure": "women_share", "unit": "%", "baseline_value": "30,5",
        "baseline_on": "2026-01-01", "target_value": "40", "direction": "higher"}, token_from=base(alpha) + "/new")
    assert response.status_code == 302
    indicator = db.session.scalar(select(Indicator))
    assert (indicator.title, indicator.measure, indicator.baseline_value, indicator.target_value) == (
        "Women's share", Measure.WOMEN_SHARE, 30.5, 40.0)
    assert AuditAction.INDICATOR_SAVED in db.session.scalars(select(AuditEvent.action)).all()
    with frozen_clock(NOW):
        page = text(trainer.get(base(alpha)))
    assert "Women&#39;s share" in page and "40" in page and "2026" in page


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"measure": "headcount"}, "measure", "Choose a measure from the list."),
    ({"target_value": "forty"}, "target_value", "Enter a number."),
    ({"baseline_value": "1e999"}, "baseline_value", "Enter a number."),
    ({"title": " "}, "title", "Give the indicator a title."),
])
def test_bad_indicator_input_is_refused_and_nothing_saved(data, trainer, values, field, message):
    alpha = data["alpha"]
    form = {"title": "Participants", "measure": "participants", "target_value": "200", "direction": "higher"}
    form.update(values)
    response = post_form(trainer, base(alpha) + "/new", form, token_from=base(alpha) + "/new")
    assert response.status_code == 200
    assert message in text(response) and f'id="{field}"' in text(response)
    assert db.session.scalar(select(func.count()).select_from(Indicator)) == 0
    with pytest.raises(service.IndicatorError) as refused:
        add(alpha, **{"title": form["title"], "measure": form["measure"], "target": form["target_value"]},
            baseline_value=form.get("baseline_value"))
    assert refused.value.field == field


def test_manual_value_with_a_note(data, trainer, people):
    alpha = data["alpha"]
    indicator = add(alpha, "Laws amended", "manual", 5, baseline_value=0)
    url = f"{base(alpha)}/{indicator.id}/values"
    response = post_form(trainer, url, {"period_start": "2026-01-01", "period_end": "2026-06-30", "value": "2",
                                        "note": "Budget law and standing orders"}, token_from=url)
    assert response.status_code == 302
    entry = db.session.scalar(select(IndicatorValue))
    assert (entry.value, entry.note, entry.entered_by_id) == (2.0, "Budget law and standing orders",
                                                               people["trainer"].id)
    # The same period again replaces the value.
    post_form(trainer, url, {"period_start": "2026-01-01", "period_end": "2026-06-30", "value": "3"}, token_from=url)
    assert db.session.scalars(select(IndicatorValue.value)).all() == [3.0]
    with frozen_clock(NOW):
        page = text(trainer.get(base(alpha)))
    assert "Laws amended" in page and "Budget law" not in page  # the note of the replaced value is gone


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"period_end": "2025-12-31"}, "period_end", "The period cannot end before it starts."),
    ({"value": "two"}, "value", "Enter a number."),
    ({"value": ""}, "value", "Enter the value."),
    ({"period_start": ""}, "period_start", "Enter the first day of the period."),
])
def test_bad_values_are_refused(data, trainer, values, field, message):
    alpha = data["alpha"]
    indicator = add(alpha, "Laws amended", "manual", 5)
    url = f"{base(alpha)}/{indicator.id}/values"
    form = {"period_start": "2026-01-01", "period_end": "2026-12-31", "value": "2"}
    form.update(values)
    response = post_form(trainer, url, form, token_from=url)
    assert response.status_code == 200 and message in text(response)
    assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 0


def test_an_override_of_a_computed_figure_needs_a_note(data):
    indicator = add(data["alpha"])
    with pytest.raises(service.IndicatorError) as refused:
        service.record_value(indicator, service.ValueInput(date(2026, 1, 1), date(2026, 12, 31), "12"))
    assert refused.value.field == "note"
    service.record_value(indicator, service.ValueInput(date(2026, 1, 1), date(2026, 12, 31), "12",
                                                       "Includes the online course"))
    rows = service.framework(data["alpha"], [Period(date(2026, 1, 1), date(2026, 12, 31))], now=NOW)
    cell = rows[0].cells[0]
    assert (cell.actual.value, cell.actual.entered, cell.actual.note) == (12.0, True, "Includes the online course")


def test_on_track(app):
    higher = Indicator(target_value=40, baseline_value=20, direction=Direction.HIGHER)
    lower = Indicator(target_value=30, baseline_value=60, direction=Direction.LOWER)
    assert service.on_track(higher, 40) is True
    assert service.on_track(higher, 39) is False
    assert service.on_track(higher, None) is None
    assert service.on_track(higher, 30, elapsed=0.5) is True  # half way from 20 to 40 at half time
    assert service.on_track(higher, 29, elapsed=0.5) is False
    assert service.on_track(lower, 30) is True
    assert service.on_track(lower, 31) is False
    assert service.on_track(lower, 45, elapsed=0.5) is True
    programme = make_programme(starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31))
    assert service.elapsed_share(programme, Period(date(2026, 1, 1), date(2026, 12, 31))) == pytest.approx(0.5, 0.01)
    assert service.elapsed_share(make_programme(), Period(date(2026, 1, 1), date(2026, 12, 31))) == 1.0


def test_framework_shows_computed_actuals(data, trainer):
    alpha = data["alpha"]
    add(alpha, "Participants", "participants", 3)
    add(alpha, "Days to decision", "days_to_decision", 15, direction="lower")
    add(alpha, "Satisfaction", "satisfaction", 80)
    with frozen_clock(NOW):
        page = text(trainer.get(base(alpha)))
    table = page[page.index("<tbody>"):page.index("</tbody>")]
    assert table.count("On track") == 1 and table.count("Behind") == 2  # 3 ≥ 3; 20 > 15 days; 75 < 80


def test_delete_through_a_confirmation_page(data, trainer):
    alpha = data["alpha"]
    indicator = add(alpha, "Laws amended", "manual", 5)
    service.record_value(indicator, service.ValueInput(date(2026, 1, 1), date(2026, 12, 31), "1"))
    url = f"{base(alpha)}/{indicator.id}/delete"
    assert "Delete the indicator “Laws amended”" in text(trainer.get(url))
    assert db.session.scalar(select(func.count()).select_from(Indicator)) == 1
    assert post_form(trainer, url, {}, token_from=url).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Indicator)) == 0
    assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 0
    assert AuditAction.INDICATOR_DELETED in db.session.scalars(select(AuditEvent.action)).all()


def test_another_programmes_indicator_is_not_found(data, trainer):
    indicator = add(data["other"])
    alpha = data["alpha"]
    for suffix in ("", "/delete", "/values"):
        assert trainer.get(f"{base(alpha)}/{indicator.id}{suffix}").status_code == 404
    url = f"{base(alpha)}/{indicator.id}/delete"
    assert post_form(trainer, url, {}, token_from=f"{base(alpha)}/new").status_code == 404
    assert db.session.get(Indicator, indicator.id) is not None


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_other_roles_are_refused(data, login_as, role):
    alpha = data["alpha"]
    indicator = add(alpha)
    client = login_as(role)
    for url in (base(alpha), base(alpha) + "/new", f"{base(alpha)}/{indicator.id}",
                f"{base(alpha)}/{indicator.id}/values", f"{base(alpha)}/{indicator.id}/delete",
                f"/manage/programmes/{alpha.id}/donor-report", f"/manage/programmes/{alpha.id}/donor-report.pdf",
                f"/manage/programmes/{alpha.id}/donor-report.xlsx"):
        assert client.get(url).status_code == 403, url
    token_page = "/account/profile"
    assert post_form(client, f"{base(alpha)}/{indicator.id}/delete", {}, token_from=token_page).status_code == 403
    assert db.session.get(Indicator, indicator.id) is not None


def _framework_queries(trainer, programme) -> int:
    with frozen_clock(NOW), count_queries() as counter:
        assert trainer.get(base(programme)).status_code == 200
    return counter.count


def test_framework_queries_do_not_grow_with_indicators(data, trainer):
    alpha, other = data["alpha"], data["other"]
    measures = ["participants", "satisfaction", "manual"]
    for n in range(3):
        add(alpha, f"Indicator {n}", measures[n], 1)
    for n in range(12):
        indicator = add(other, f"Indicator {n}", measures[n % 3], 1)
        if indicator.measure == Measure.MANUAL:
            service.record_value(indicator, service.ValueInput(date(2026, 1, 1), date(2026, 3, 31), "1"))
    trainer.get(base(alpha))  # sign-in bookkeeping out of the way
    assert _framework_queries(trainer, alpha) == _framework_queries(trainer, other)


def test_donor_report_page_xlsx_and_pdf(data, trainer):
    alpha = data["alpha"]
    add(alpha, "Participants", "participants", 200, unit="people")
    laws = add(alpha, "Laws amended with the unit's support", "manual", 5, baseline_value=0)
    service.record_value(laws, service.ValueInput(date(2026, 1, 1), date(2026, 12, 31), "2", "Budget law"))
    args = "?date_from=2026-01-01&date_to=2026-12-31"
    with frozen_clock(NOW):
        page = text(trainer.get(f"/manage/programmes/{alpha.id}/donor-report{args}"))
        workbook = trainer.get(f"/manage/programmes/{alpha.id}/donor-report.xlsx{args}")
        pdf = trainer.get(f"/manage/programmes/{alpha.id}/donor-report.pdf{args}")
    assert "Activity A" in page and "Activity B" in page and "Activity C" not in page
    assert "Budget law" in page
    sheets = load_workbook(BytesIO(workbook.data))
    indicators = [[c.value for c in row] for row in sheets["Indicators"].iter_rows()]
    assert indicators[1][:5] == ["Participants", "people", None, 200, 3]
    assert indicators[2][4] == 2 and indicators[2][6] == "Budget law"
    activities = [[c.value for c in row] for row in sheets["Activities"].iter_rows()]
    assert [row[0] for row in activities[1:]] == ["Activity A", "Activity B"]
    assert [row[4] for row in activities[1:]] == [3, 2]
    assert pdf.mimetype == "application/pdf"
    content = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    for expected in ("Donor report: Alpha", "Laws amended", "Budget law", "Activity A", "Activity B", "Seminar"):
        assert expected in content


def test_donor_report_in_french(data, login_as, people):
    alpha = data["alpha"]
    add(alpha, "Participants", "participants", 200)
    people["trainer"].preferred_language = "fr"
    db.session.commit()
    client = login_as("trainer")
    with frozen_clock(NOW):
        pdf = client.get(f"/manage/programmes/{alpha.id}/donor-report.pdf?date_from=2026-01-01&date_to=2026-12-31")
    content = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    assert "Rapport aux bailleurs" in content and "Activités de la période" in content


def test_donor_report_refuses_a_period_ending_before_it_starts(data, trainer):
    alpha = data["alpha"]
    response = trainer.get(f"/manage/programmes/{alpha.id}/donor-report?date_from=2026-06-01&date_to=2026-01-01")
    assert "The period cannot end before it starts." in text(response) and 'id="date_to"' in text(response)
    pdf = trainer.get(f"/manage/programmes/{alpha.id}/donor-report.pdf?date_from=2026-06-01&date_to=2026-01-01")
    assert pdf.status_code == 400


def test_edit_form_reads_back_what_it_shows(data, trainer):
    alpha = data["alpha"]
    indicator = add(alpha, "Participants", "participants", 1200, baseline_value=12.5)
    url = f"{base(alpha)}/{indicator.id}"
    page = text(trainer.get(url))
    assert 'value="1200"' in page and 'value="12.5"' in page
    assert post_form(trainer, url, {"title": "People", "measure": "participants", "target_value": "1200",
                                    "baseline_value": "12.5", "direction": "lower"}, token_from=url).status_code == 302
    db.session.refresh(indicator)
    assert (indicator.title, indicator.target_value, indicator.direction) == ("People", 1200, Direction.LOWER)


def test_donor_report_defaults_to_the_programme_dates(data, trainer):
    with frozen_clock(NOW):
        page = text(trainer.get(f"/manage/programmes/{data['alpha'].id}/donor-report"))
    assert "From January 1, 2026 to December 31, 2026" in page and 'value="2026-01-01"' in page and "Activity A" in page
