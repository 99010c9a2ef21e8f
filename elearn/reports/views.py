"""Participation report pages and their CSV and XLSX exports (trainers and administrators)."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.access import Role, roles_required
from elearn.exports import csv_sections_stream, xlsx_sheets_stream
from elearn.extensions import db
from elearn.forms import options
from elearn.i18n import by_name
from elearn.people.models import Parliament
from elearn.reports.audit import audit_side_read
from elearn.reports.charts import Bar, bar_chart
from elearn.reports.facts import ReportFilters
from elearn.reports.forms import ReportForm
from elearn.reports.protection import HIDDEN
from elearn.reports.queries import funders
from elearn.reports.report import ParticipationReport, build_report
from elearn.reports.tables import Table
from elearn.scheduling.models import Programme
from elearn.topics import Topic

bp = Blueprint("reports", __name__, url_prefix="/reports")
trainers_only = roles_required(Role.TRAINER)


@bp.app_template_filter("figure")
def figure(value) -> str:
    """A number in the reader's locale; hidden-cell marks and text as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return format_decimal(value)


def _form() -> tuple[ReportForm, ReportFilters]:
    locale = str(get_locale())
    form = ReportForm(request.args)
    programmes = db.session.scalars(select(Programme).order_by(Programme.title)).all()
    any_choice = ("", _("Any"))
    form.programme_id.choices = options([any_choice] + [(str(p.id), p.title) for p in programmes])
    form.funder.choices = options([any_choice] + [(name, name) for name in funders(programmes)])
    form.parliament_id.choices = options([any_choice] + [(str(p.id), p.name(locale)) for p in by_name(
        db.session.scalars(select(Parliament).where(Parliament.receives_assistance.is_(True))), locale)])
    form.topic_id.choices = options([any_choice] + [(str(t.id), t.name(locale)) for t in by_name(
        db.session.scalars(select(Topic)), locale)])
    form.validate()  # a bad value is shown as an error and left out of the report
    for field in form:
        if field.errors:
            field.data = None

    def number(value) -> int | None:
        return int(value) if value and str(value).isdigit() else None

    filters = ReportFilters(
        date_from=form.date_from.data, date_to=form.date_to.data, programme_id=number(form.programme_id.data),
        funder=form.funder.data or "", parliament_id=number(form.parliament_id.data),
        modality=form.modality_value(), topic_id=number(form.topic_id.data))
    return form, filters


def _charts(report: ParticipationReport) -> dict:
    def bars(key: str) -> list[Bar]:
        result = []
        for row in report.breakdown(key).rows:
            if row.hidden:
                result.append(Bar(row.label, None, _("hidden (%(mark)s)", mark=HIDDEN)))
            else:  # a protected row draws the figure it shows (rounded), never the exact one
                value = row.shown[0] if row.shown is not None else row.figures.participations
                result.append(Bar(row.label, value, figure(value)))
        return result

    charts = {
        key: bar_chart(f"chart-{key}", title, _("Bar chart of participations; the table below gives every figure."),
                       bars(key))
        for key, title in (("parliament", _("Participations by parliament")),
                           ("gender", _("Participations by gender")),
                           ("side", _("Participations of members of parliament by political side")))
        if report.breakdown(key).rows}
    charts["women"] = bar_chart(
        "chart-women", _("Share of women by programme, against its target"),
        _("Bars give the share of women among participations, in per cent; a vertical mark shows the target "
          "where one is set. The table below gives every figure."),
        [Bar(row.label, row.share, "—" if row.share is None else f"{figure(row.share)} %",
             None if row.target is None else float(row.target)) for row in report.targets], scale=100)
    return charts


def _report(filters: ReportFilters, form_of_output: str) -> ParticipationReport:
    report = build_report(filters)
    if report.shows_sides:
        audit_side_read(filters, form_of_output, actor=current_user)
    return report


@bp.get("/participation")
@trainers_only
def participation():
    form, filters = _form()
    report = _report(filters, "page")
    return render_template("reports/participation.html", form=form, report=report, tables=report.tables(),
                           charts=_charts(report), export_args=filters.as_args())


def _scope(form: ReportForm) -> tuple[str, list[str], list[list]]:
    """What the exported figures cover, as the form's labels and chosen values."""
    rows = []
    for field in form:
        if not field.data:
            continue
        if hasattr(field, "choices"):
            value = {str(c.value): c.label for c in field.choices}.get(str(field.data), field.data)
        else:
            value = field.data.isoformat() if hasattr(field.data, "isoformat") else field.data
        rows.append([str(field.label.text), str(value)])
    return _("Report"), [_("Filter"), _("Value")], rows or [[_("Everything"), ""]]


def _notes(tables: list[Table]) -> tuple[str, list[str], list[list]]:
    return _("Notes"), [_("Note")], [[note] for table in tables for note in table.notes]


@bp.get("/participation.csv")
@trainers_only
def participation_csv():
    form, filters = _form()
    tables = _report(filters, "csv").tables()
    sections = [_scope(form)] + [(t.title, t.header, t.rows) for t in tables] + [_notes(tables)]
    return Response(csv_sections_stream(sections), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="participation.csv"'})


@bp.get("/participation.xlsx")
@trainers_only
def participation_xlsx():
    form, filters = _form()
    tables = _report(filters, "xlsx").tables()
    sheets = [_scope(form)] + [(t.sheet, t.header, t.rows) for t in tables] + [_notes(tables)]
    return Response(xlsx_sheets_stream(sheets),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="participation.xlsx"'})
