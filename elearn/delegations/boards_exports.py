"""The boards as rows for CSV and XLSX: headers, one list per row, streamed on a connection of their own.

A streamed response writes its rows after the request has gone, with its session and its
language: the words are taken while the request is there (`board_words`), and the rows are
read in batches on a session opened for the export.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from elearn.delegations import boards, boards_sql
from elearn.delegations.logistics_models import Payer, TravelMode

BATCH = 500


@dataclass(frozen=True)
class BoardWords:
    locale: str
    payers: dict[str, str]
    modes: dict[str, str]
    kinds: dict[int, str]  # arrival, departure
    transport_kinds: dict[int, str]  # pick-up, drop-off
    total: str
    no_place: str


def board_words() -> BoardWords:
    return BoardWords(
        locale=str(get_locale()), payers={p.value: str(p.label) for p in Payer},
        modes={m.value: str(m.label) for m in TravelMode},
        kinds={boards.ARRIVAL: _("Arrival"), boards.DEPARTURE: _("Departure")},
        transport_kinds={boards.ARRIVAL: _("Pick-up"), boards.DEPARTURE: _("Drop-off")},
        total=_("Total"), no_place=_("(place not given)"))


def headers() -> dict[str, list[str]]:
    return {
        "rooming": [_("Hotel"), _("Participant"), _("Parliament"), _("Activity"), _("Check-in"), _("Check-out"),
                    _("Nights"), _("Stay paid by")],
        "arrivals": [_("Local date"), _("Arrival or departure"), _("Local time"), _("Time zone"), _("Participant"),
                     _("Parliament"), _("Activity"), _("Mode"), _("Flight or train"), _("Airport or station")],
        "transport": [_("Local date"), _("Hour"), _("Pick-up or drop-off"), _("Place"), _("Time zone"),
                      _("Head count"), _("Participant"), _("Parliament"), _("Local time"), _("Mode"),
                      _("Flight or train")],
        "per_diem": [_("Participant"), _("Parliament"), _("Activity"), _("Amount per day"), _("Currency"),
                     _("Days"), _("Total")],
    }


WIDTHS = {"rooming": (30, 30, 30, 30, 12, 12, 8, 24), "arrivals": (12, 12, 10, 20, 30, 30, 30, 10, 14, 24),
          "transport": (12, 14, 12, 24, 20, 10, 30, 30, 10, 10, 14), "per_diem": (30, 30, 30, 14, 10, 8, 14)}


def _label(table: dict, value) -> str:
    return table.get(getattr(value, "value", value), "") if value is not None else ""


def hour_span(hour_text: str) -> str:
    """'2027-03-01 14' as '14:00–15:00' (an hour's group on the manifest)."""
    hour = int(hour_text[11:13])
    return f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"


def rooming_row(row, words: BoardWords) -> list:
    return [row.hotel, row.name, boards.parliament_name(row), row.activity, row.check_in,
            row.check_out, boards.nights(row.check_in, row.check_out), _label(words.payers, row.payer)]


def arrivals_row(row, words: BoardWords) -> list:
    local = boards.local_moment(row)
    return [local.date(), words.kinds[row.kind], local.strftime("%H:%M"), row.zone, row.name,
            boards.parliament_name(row), row.activity, _label(words.modes, row.mode), row.reference,
            row.place]


def transport_row(row, words: BoardWords) -> list:
    local = boards.local_moment(row)
    return [local.date(), hour_span(row.hour), words.transport_kinds[row.kind], row.place.strip() or words.no_place,
            row.zone, row.heads, row.name, boards.parliament_name(row), local.strftime("%H:%M"),
            _label(words.modes, row.mode), row.reference]


def per_diem_row(row, words: BoardWords) -> list:
    amount = None if row.amount is None else boards.money(row.amount)
    return [row.name, boards.parliament_name(row), row.activity, amount, row.currency, row.days,
            boards.row_total(row.amount, row.days)]


def _per_diem_foot(session, filters, words: BoardWords) -> Iterator[list]:
    totals = boards.per_diem_totals(session, filters)
    if totals:
        yield []
    for currency, total, _people in totals:
        yield [words.total, "", "", "", currency, "", total]


SHAPES: dict[str, tuple[Callable, Callable]] = {
    "rooming": (boards.rooming_statement, rooming_row),
    "arrivals": (boards.arrivals_statement, arrivals_row),
    "transport": (boards.transport_statement, transport_row),
    "per_diem": (boards.per_diem_statement, per_diem_row),
}


def export_rows(engine: Engine, key: str, filters: boards.BoardFilters, words: BoardWords) -> Iterator[list]:
    """The board's rows (and the per-diem sheet's totals per currency), `BATCH` rows at a time."""
    statement, shape = SHAPES[key]
    with Session(engine) as session:
        boards_sql.install(session)
        for row in session.execute(statement(filters).execution_options(yield_per=BATCH)):
            yield shape(row, words)
        if key == "per_diem":
            yield from _per_diem_foot(session, filters, words)
