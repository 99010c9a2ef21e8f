"""The logistics boards' pages and their CSV and XLSX exports (trainers of the activity, and administrators)."""
from __future__ import annotations

from dataclasses import dataclass

from babel.dates import format_time
from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from elearn.access import Role, roles_required
from elearn.delegations import (
    boards,
    boards_exports,
    boards_forms,
    boards_sql,
    logistics_models,  # noqa: F401  (its table joins the metadata)
)
from elearn.exports import csv_stream, xlsx_stream
from elearn.extensions import db

bp = Blueprint("delegation_boards", __name__, url_prefix="/manage/logistics")
trainers_only = roles_required(Role.TRAINER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Board:
    key: str  # the endpoint's name, and the template's
    path: str
    title: str


BOARDS = (Board("rooming", "rooming", _l("Rooming list")),
          Board("arrivals", "arrivals", _l("Arrivals and departures")),
          Board("transport", "transport", _l("Transport manifest")),
          Board("per_diem", "per-diem", _l("Per-diem sheet")))


@bp.context_processor
def _helpers() -> dict:
    """What the boards' templates need to lay out rows: local times, groups, sums (no query among them)."""
    return {"nights": boards.nights, "parliament_name": boards.parliament_name, "grouped": boards.grouped,
            "local_moment": boards.local_moment, "row_total": boards.row_total, "money": boards.money,
            "hour_span": boards_exports.hour_span, "local_day_of": lambda row: boards.local_moment(row).date(),
            "kind_of": lambda row: row.kind, "transport_group": lambda row: (row.hour, row.kind, row.zone,
                                                                            row.place.strip().lower())}


@bp.app_template_filter("clock")
def clock(moment) -> str:
    """A time of day as written where it happens (the moment carries its zone): not moved to the viewer's."""
    return format_time(moment, "short", tzinfo=moment.tzinfo, locale=get_locale())


def _refused(board: Board, form):
    """The board's page with the form's messages, and no figures (a 400: the address asked for nothing)."""
    return render_template(f"delegations/boards/{board.key}.html", board=board, boards=BOARDS, form=form, page=None,
                           filters=None), 400


def _page(board: Board):
    form, filters = boards_forms.resolve(request.args, current_user)
    if filters is None:
        return _refused(board, form)
    boards_sql.install(db.session)
    statement = boards_exports.SHAPES[board.key][0](filters)
    page = boards.paginate(db.session, statement, current_app.config["ROSTER_PAGE_SIZE"])
    totals = boards.per_diem_totals(db.session, filters) if board.key == "per_diem" else []
    return render_template(f"delegations/boards/{board.key}.html", board=board, boards=BOARDS, form=form, page=page,
                           filters=filters, totals=totals, words=boards_exports.board_words())


def _export(board: Board, kind: str):
    form, filters = boards_forms.resolve(request.args, current_user)
    if filters is None:
        return _refused(board, form)
    words = boards_exports.board_words()
    header = boards_exports.headers()[board.key]
    rows = boards_exports.export_rows(db.engine, board.key, filters, words)
    name = f"{board.path}-{filters.date_from.isoformat()}-{filters.date_to.isoformat()}.{kind}"
    if filters.activity_id is not None:
        name = f"{board.path}-activity-{filters.activity_id}-{filters.date_from.isoformat()}.{kind}"
    download = {"Content-Disposition": f'attachment; filename="{name}"'}
    if kind == "csv":
        return Response(csv_stream(header, rows), mimetype="text/csv", headers=download)
    body = xlsx_stream(header, rows, title=str(board.title), widths=boards_exports.WIDTHS[board.key])
    return Response(body, mimetype=XLSX, headers=download)


def _register(board: Board) -> None:
    """Three routes per board: its page, its CSV and its XLSX, each with the trainers' rule."""
    def page():
        return _page(board)

    def csv():
        return _export(board, "csv")

    def xlsx():
        return _export(board, "xlsx")

    bp.add_url_rule(f"/{board.path}", board.key, trainers_only(page), methods=["GET"])
    bp.add_url_rule(f"/{board.path}.csv", f"{board.key}_csv", trainers_only(csv), methods=["GET"])
    bp.add_url_rule(f"/{board.path}.xlsx", f"{board.key}_xlsx", trainers_only(xlsx), methods=["GET"])


for _board in BOARDS:
    _register(_board)
