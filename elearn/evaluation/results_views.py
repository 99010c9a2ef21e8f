"""Evaluation results pages and their CSV and XLSX files: trainers and administrators only.

Focal points do not see results at all: a parliament's few respondents are the people its focal
point knows best, and the free texts and breakdowns are where they would recognise them.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.access import Role, roles_required
from elearn.database import utcnow
from elearn.evaluation.models import ActivityQuestionnaire, Questionnaire
from elearn.evaluation.results import ResultFilters, build_results, free_texts
from elearn.evaluation.results_charts import charts
from elearn.evaluation.results_forms import ResultsForm
from elearn.evaluation.results_tables import all_tables
from elearn.exports import csv_sections_stream, xlsx_sheets_stream
from elearn.extensions import db
from elearn.forms import options
from elearn.learning.models import localised
from elearn.scheduling.models import Activity, Programme

bp = Blueprint("evaluation_results", __name__, url_prefix="/evaluation/results")
trainers_only = roles_required(Role.TRAINER)
TEXTS_PER_PAGE = 50
RATES_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class TextPage:
    """One page of a list (free texts, response-rate rows), with what macros/forms.html's pagination reads."""

    items: list
    page: int
    total: int
    per_page: int = TEXTS_PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)

    def iter_pages(self):
        for number in range(1, self.pages + 1):
            if number <= 2 or number > self.pages - 2 or abs(number - self.page) <= 2:
                yield number
            elif number in (3, self.pages - 2):
                yield None


def _number(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _period_form() -> tuple[ResultsForm, ResultFilters]:
    locale = str(get_locale())
    form = ResultsForm(request.args)
    any_choice = ("", _("Any"))
    form.programme_id.choices = options([any_choice] + [(str(p.id), p.title) for p in db.session.scalars(
        select(Programme).order_by(Programme.title))])
    form.questionnaire_id.choices = options([any_choice] + [(str(q.id), q.title_in(locale)) for q in db.session.scalars(
        select(Questionnaire).order_by(Questionnaire.slug))])
    form.validate()  # a bad value is shown as an error and left out
    for field in form:
        if field.errors:
            field.data = None
    return form, ResultFilters(date_from=form.date_from.data, date_to=form.date_to.data,
                               programme_id=_number(form.programme_id.data), modality=form.modality_value(),
                               questionnaire_id=_number(form.questionnaire_id.data))


def _texts(filters: ResultFilters, locale: str, page: int | None) -> TextPage | list:
    """Free texts as (activity, question, text): one page of them, or all of them (page None) for a file."""
    statement = free_texts(filters, current_app.config["REPORT_MIN_CELL"])

    def rows(result):
        return [(activity, localised(prompt, locale, ("en",)), text) for activity, prompt, text in result]

    if page is None:
        return rows(db.session.execute(statement))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    page = max(1, min(page, max(1, -(-total // TEXTS_PER_PAGE))))
    items = rows(db.session.execute(statement.limit(TEXTS_PER_PAGE).offset((page - 1) * TEXTS_PER_PAGE)))
    return TextPage(items, page, total)


def _tables(filters: ResultFilters):
    results = build_results(filters)
    return results, all_tables(results, str(get_locale()), current_app.config, utcnow().date())


def _rates_page(tables: list) -> TextPage | None:
    """Cut the response-rate table to one page of activities (`?rates_page=`), keeping the total row:
    over a long period it would list every activity (about 1 MB at 1,000). The files keep every row."""
    table = next((t for t in tables if t.key == "rates"), None)
    if table is None or not table.rows:
        return None
    activities, total_row = (table.rows[:-1], table.rows[-1:]) if len(table.rows) > 1 else (table.rows, [])
    pages = max(1, -(-len(activities) // RATES_PER_PAGE))
    page = max(1, min(request.args.get("rates_page", 1, type=int), pages))
    shown = activities[(page - 1) * RATES_PER_PAGE:page * RATES_PER_PAGE]
    table.rows = shown + total_row
    return TextPage(shown, page, len(activities), RATES_PER_PAGE)


def _render(filters: ResultFilters, **context):
    results, tables = _tables(filters)
    rates = _rates_page(tables)
    texts = _texts(filters, str(get_locale()), request.args.get("page", 1, type=int))
    return render_template("evaluation/results/results.html", results=results, tables=tables, charts=charts(tables),
                           texts=texts, rates=rates, **context)


def _files(filters: ResultFilters, name: str, kind: str, scope_rows: list[list]) -> Response:
    _results, tables = _tables(filters)
    sections = [(_("Results"), [_("Filter"), _("Value")], scope_rows)]
    sections += [(t.title if kind == "csv" else t.sheet, t.header, t.rows) for t in tables]
    sections.append((_("Free text"), [_("Activity"), _("Question"), _("Answer")],
                     _texts(filters, str(get_locale()), None)))
    sections.append((_("Notes"), [_("Note")], [[note] for t in tables for note in t.notes]))
    if kind == "csv":
        return Response(csv_sections_stream(sections), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(xlsx_sheets_stream(sections), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


def _period_scope(form: ResultsForm) -> list[list]:
    rows = []
    for field in form:
        if field.data:
            value = {str(c.value): c.label for c in getattr(field, "choices", None) or []}.get(
                str(field.data), field.data)
            rows.append([str(field.label.text), str(value.isoformat() if hasattr(value, "isoformat") else value)])
    return rows or [[_("Everything"), ""]]


@bp.get("")
@trainers_only
def period():
    form, filters = _period_form()
    return _render(filters, form=form, activity=None, attached=True, export_args=filters.as_args())


@bp.get("/results.csv")
@trainers_only
def period_csv():
    form, filters = _period_form()
    return _files(filters, "evaluation-results", "csv", _period_scope(form))


@bp.get("/results.xlsx")
@trainers_only
def period_xlsx():
    form, filters = _period_form()
    return _files(filters, "evaluation-results", "xlsx", _period_scope(form))


def _activity(activity_id: int) -> tuple[Activity, ResultFilters]:
    return db.get_or_404(Activity, activity_id), ResultFilters(activity_id=activity_id)


@bp.get("/activity/<int:activity_id>")
@trainers_only
def activity(activity_id: int):
    activity, filters = _activity(activity_id)
    attached = db.session.scalar(select(ActivityQuestionnaire.id).where(
        ActivityQuestionnaire.activity_id == activity.id)) is not None
    return _render(filters, form=None, activity=activity, attached=attached, export_args={"activity_id": activity.id})


@bp.get("/activity/<int:activity_id>/results.csv")
@trainers_only
def activity_csv(activity_id: int):
    activity, filters = _activity(activity_id)
    return _files(filters, f"evaluation-activity-{activity.id}", "csv", [[_("Activity"), activity.title]])


@bp.get("/activity/<int:activity_id>/results.xlsx")
@trainers_only
def activity_xlsx(activity_id: int):
    activity, filters = _activity(activity_id)
    return _files(filters, f"evaluation-activity-{activity.id}", "xlsx", [[_("Activity"), activity.title]])
