"""Pages of a programme's results framework and its donor report, for trainers and administrators."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import Role, roles_required
from elearn.database import utcnow
from elearn.evaluation import indicator_models  # noqa: F401  (its tables join the metadata)
from elearn.evaluation import indicators as service
from elearn.evaluation.donor_pdf import donor_pdf
from elearn.evaluation.donor_report import build_donor_report, number, period_text, to_sheets, track_text
from elearn.evaluation.indicator_forms import DonorReportForm, IndicatorForm, ValueForm
from elearn.evaluation.indicator_models import Direction, Indicator, Measure
from elearn.exports import to_xlsx_sheets
from elearn.extensions import db
from elearn.forms import SimpleActionForm, show_error
from elearn.scheduling.models import Programme

bp = Blueprint("indicators", __name__, url_prefix="/manage/programmes")
trainers_only = roles_required(Role.TRAINER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _indicator_or_404(programme_id: int, indicator_id: int) -> tuple[Programme, Indicator]:
    """The indicator, only under its own programme's address (another programme's is a 404)."""
    programme = db.get_or_404(Programme, programme_id)
    indicator = db.get_or_404(Indicator, indicator_id)
    if indicator.programme_id != programme.id:
        abort(404)
    return programme, indicator


def _helpers() -> dict:
    return {"number": number, "track_text": track_text, "period_text": period_text}


@bp.get("/<int:programme_id>/indicators")
@trainers_only
def framework(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    periods = service.programme_periods(programme, utcnow().date())
    rows = service.framework(programme, periods)
    return render_template("evaluation/indicators/framework.html", programme=programme, periods=periods, rows=rows,
                           **_helpers())


def _indicator_input(form: IndicatorForm) -> service.IndicatorInput:
    return service.IndicatorInput(
        title=form.title.data or "", description=form.description.data or "", measure=form.measure.data or "",
        unit=form.unit.data or "", baseline_value=form.baseline_value.data, baseline_on=form.baseline_on.data,
        target_value=form.target_value.data, direction=form.direction.data or Direction.HIGHER.value)


def _plain(value: float | None) -> str:
    """A number as the form reads it back: no grouping, a point, whole numbers without decimals."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def _edit(programme: Programme, indicator: Indicator | None, form: IndicatorForm):
    if form.validate_on_submit():
        try:
            service.save_indicator(programme, _indicator_input(form), indicator, actor=current_user)
        except service.IndicatorError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("The indicator is saved."), "success")
            return redirect(url_for("indicators.framework", programme_id=programme.id))
    return render_template("evaluation/indicators/indicator_form.html", programme=programme, indicator=indicator,
                           form=form)


@bp.route("/<int:programme_id>/indicators/new", methods=["GET", "POST"])
@trainers_only
def add_indicator(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    return _edit(programme, None, IndicatorForm())


@bp.route("/<int:programme_id>/indicators/<int:indicator_id>", methods=["GET", "POST"])
@trainers_only
def edit_indicator(programme_id: int, indicator_id: int):
    programme, indicator = _indicator_or_404(programme_id, indicator_id)
    form = IndicatorForm(obj=indicator)
    if request.method == "GET":
        form.measure.data, form.direction.data = indicator.measure.value, indicator.direction.value
        form.baseline_value.data = _plain(indicator.baseline_value)
        form.target_value.data = _plain(indicator.target_value)
    return _edit(programme, indicator, form)


@bp.route("/<int:programme_id>/indicators/<int:indicator_id>/delete", methods=["GET", "POST"])
@trainers_only
def delete_indicator(programme_id: int, indicator_id: int):
    programme, indicator = _indicator_or_404(programme_id, indicator_id)
    form = SimpleActionForm()
    if form.validate_on_submit():
        service.delete_indicator(indicator, actor=current_user)
        flash(_("The indicator is deleted."), "success")
        return redirect(url_for("indicators.framework", programme_id=programme.id))
    return render_template("evaluation/indicators/delete.html", programme=programme, indicator=indicator, form=form)


@bp.route("/<int:programme_id>/indicators/<int:indicator_id>/values", methods=["GET", "POST"])
@trainers_only
def enter_value(programme_id: int, indicator_id: int):
    programme, indicator = _indicator_or_404(programme_id, indicator_id)
    form = ValueForm()
    if request.method == "GET" and not form.period_start.data:
        year = utcnow().year
        form.period_start.data, form.period_end.data = date(year, 1, 1), date(year, 12, 31)
    if form.validate_on_submit():
        data = service.ValueInput(form.period_start.data, form.period_end.data, form.value.data, form.note.data or "")
        try:
            service.record_value(indicator, data, actor=current_user)
        except service.IndicatorError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("The value is saved."), "success")
            return redirect(url_for("indicators.framework", programme_id=programme.id))
    return render_template("evaluation/indicators/value_form.html", programme=programme, indicator=indicator,
                           form=form, manual=indicator.measure == Measure.MANUAL, **_helpers())


def _report_period(programme: Programme, form: DonorReportForm):
    """The period asked for, or the current year; None with the error shown under the field at fault."""
    year = utcnow().year
    start = form.date_from.data or programme.starts_on or date(year, 1, 1)
    end = form.date_to.data or programme.ends_on or date(max(year, start.year), 12, 31)
    form.date_from.data, form.date_to.data = start, end  # the form shows the period the report covers
    try:
        return service.checked_period(start, end, start_field="date_from", end_field="date_to")
    except service.IndicatorError as error:
        show_error(form, error)
        return None


def _donor_report(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    form = DonorReportForm(request.args)
    form.validate()
    period = None if form.errors else _report_period(programme, form)
    report = build_donor_report(programme, period) if period else None
    return programme, form, report


@bp.get("/<int:programme_id>/donor-report")
@trainers_only
def donor_report(programme_id: int):
    programme, form, report = _donor_report(programme_id)
    return render_template("evaluation/indicators/donor_report.html", programme=programme, form=form, report=report,
                           **_helpers())


def _download_name(programme: Programme, report, extension: str) -> dict:
    name = f"donor-report-{programme.slug}-{report.period.start.isoformat()}-{report.period.end.isoformat()}"
    return {"Content-Disposition": f'attachment; filename="{name}.{extension}"'}


@bp.get("/<int:programme_id>/donor-report.xlsx")
@trainers_only
def donor_report_xlsx(programme_id: int):
    programme, form, report = _donor_report(programme_id)
    if report is None:
        return render_template("evaluation/indicators/donor_report.html", programme=programme, form=form,
                               report=None, **_helpers()), 400
    return Response(to_xlsx_sheets(to_sheets(report)), mimetype=XLSX, headers=_download_name(programme, report, "xlsx"))


@bp.get("/<int:programme_id>/donor-report.pdf")
@trainers_only
def donor_report_pdf(programme_id: int):
    programme, form, report = _donor_report(programme_id)
    if report is None:
        return render_template("evaluation/indicators/donor_report.html", programme=programme, form=form,
                               report=None, **_helpers()), 400
    return Response(donor_pdf(report), mimetype="application/pdf", headers=_download_name(programme, report, "pdf"))
