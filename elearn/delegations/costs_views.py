"""Cost pages: an activity's cost lines (its trainers and administrators) and the cost report (trainers)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.access import Role, roles_required
from elearn.delegations import cost_report, costs
from elearn.delegations.costs_forms import CostLineForm, CostReportForm
from elearn.delegations.costs_models import CostCategory, CostLine
from elearn.delegations.logistics_models import Payer
from elearn.delegations.managers import managed_activity_or_403
from elearn.exports import to_csv_sections, to_xlsx_sheets
from elearn.extensions import db
from elearn.forms import SimpleActionForm, options, show_error
from elearn.scheduling.models import Activity, Programme

bp = Blueprint("costs", __name__, url_prefix="/manage")
trainers_only = roles_required(Role.TRAINER)


@bp.app_template_filter("money")
def money(amount, currency: str) -> str:
    """An amount in its own currency, written the reader's way (never converted)."""
    return format_currency(amount, currency)



def _line(activity: Activity, line_id: int) -> CostLine:
    line = db.session.get(CostLine, line_id)
    if line is None or line.activity_id != activity.id:
        abort(404)  # another activity's line is not reachable through this one
    return line


@bp.get("/activities/<int:activity_id>/costs")
@trainers_only
def activity_costs(activity_id: int):
    activity = managed_activity_or_403(activity_id)
    page = db.paginate(costs.lines_statement(activity.id), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    return render_template(
        "delegations/costs/activity.html", activity=activity, page=page,
        by_category=costs.activity_totals(activity.id, CostLine.category),
        by_payer=costs.activity_totals(activity.id, CostLine.payer), totals=costs.currency_totals(activity.id),
        per_diem=costs.planned_per_diem(activity.id), categories=CostCategory.labels(), payers=Payer.labels())


@bp.route("/activities/<int:activity_id>/costs/new", methods=["GET", "POST"])
@trainers_only
def add_line(activity_id: int):
    activity = managed_activity_or_403(activity_id)
    form = CostLineForm()
    if request.method == "GET":
        form.currency.data = "EUR"
    if form.validate_on_submit():
        try:
            costs.add_line(activity, form.to_input(), current_user._get_current_object())
        except costs.CostError as error:
            show_error(form, error)
        else:
            flash(_("The cost line is saved."), "success")
            return redirect(url_for("costs.activity_costs", activity_id=activity.id))
    return render_template("delegations/costs/line_form.html", activity=activity, form=form, line=None)


@bp.route("/activities/<int:activity_id>/costs/<int:line_id>/edit", methods=["GET", "POST"])
@trainers_only
def edit_line(activity_id: int, line_id: int):
    activity = managed_activity_or_403(activity_id)
    line = _line(activity, line_id)
    form = CostLineForm()
    if request.method == "GET":
        form.fill(line)
    if form.validate_on_submit():
        try:
            costs.update_line(line, form.to_input(), current_user._get_current_object())
        except costs.CostError as error:
            show_error(form, error)
        else:
            flash(_("Changes are saved."), "success")
            return redirect(url_for("costs.activity_costs", activity_id=activity.id))
    return render_template("delegations/costs/line_form.html", activity=activity, form=form, line=line)


@bp.get("/activities/<int:activity_id>/costs/<int:line_id>/delete")
@trainers_only
def confirm_delete_line(activity_id: int, line_id: int):
    activity = managed_activity_or_403(activity_id)
    line = _line(activity, line_id)
    amount = money(line.planned_amount, line.currency)
    return render_template(
        "confirm.html", title=_("Delete this cost line?"),
        lines=[_("%(category)s, paid by %(payer)s: %(amount)s planned.", category=line.category.label,
                 payer=line.payer.label, amount=amount), line.description],
        form=SimpleActionForm(), back=url_for("costs.activity_costs", activity_id=activity.id),
        action=url_for("costs.delete_line", activity_id=activity.id, line_id=line.id),
        confirm_label=_("Yes, delete the line"))


@bp.post("/activities/<int:activity_id>/costs/<int:line_id>/delete")
@trainers_only
def delete_line(activity_id: int, line_id: int):
    activity = managed_activity_or_403(activity_id)
    line = _line(activity, line_id)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    costs.delete_line(line, current_user._get_current_object())
    flash(_("The cost line is deleted."), "success")
    return redirect(url_for("costs.activity_costs", activity_id=activity.id))


def _report_form() -> tuple[CostReportForm, cost_report.CostFilters, str | None]:
    """The report's filters from the query string; a refused value is shown under its field and left out."""
    form = CostReportForm(request.args)
    programmes = db.session.scalars(select(Programme).order_by(Programme.title)).all()
    any_choice = ("", _("Any"))
    form.programme_id.choices = options([any_choice] + [(str(p.id), p.title) for p in programmes])
    form.funder.choices = options([any_choice] + [(name, name) for name in cost_report.funder_names(programmes)])
    form.validate()
    for field in form:
        if field.errors:
            field.data = None
    problem = None
    try:
        cost_report.check_period(form.date_from.data, form.date_to.data)
    except costs.CostError as error:
        show_error(form, error)
        problem = f"{form.date_to.label.text}: {error}"
    programme = form.programme_id.data
    filters = cost_report.CostFilters(
        date_from=form.date_from.data, date_to=form.date_to.data,
        programme_id=int(programme) if programme and str(programme).isdigit() else None,
        funder=form.funder.data or "",
        view=form.view.data if form.view.data in cost_report.VIEWS else cost_report.PROGRAMME)
    return form, filters, problem


@bp.get("/costs")
@trainers_only
def report():
    form, filters, problem = _report_form()
    result = None if problem else cost_report.build(filters)
    return render_template("delegations/costs/report.html", form=form, report=result,
                           export_args=filters.as_args()), (400 if problem else 200)


def _export_sections():
    _form, filters, problem = _report_form()
    if problem:
        abort(Response(problem, status=400, mimetype="text/plain"))
    result = cost_report.build(filters)
    return [(_("Costs"), *cost_report.table(result)), (_("Totals per currency"), *cost_report.totals_table(result))]


@bp.get("/costs.csv")
@trainers_only
def report_csv():
    return Response(to_csv_sections(_export_sections()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="costs.csv"'})


@bp.get("/costs.xlsx")
@trainers_only
def report_xlsx():
    return Response(to_xlsx_sheets(_export_sections()),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="costs.xlsx"'})
