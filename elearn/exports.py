"""CSV and XLSX files from rows, safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
import tempfile
from typing import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_text(lines: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in lines:
        writer.writerow([neutralise(v) for v in line])
    # A byte-order mark so that Excel reads the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    return _csv_text([header, *rows])


def to_csv_sections(sections: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """Several tables in one CSV file: each as a title line, its header and rows, then a blank line."""
    lines: list[Sequence] = []
    for title, header, rows in sections:
        lines += [[title], header, *rows, []]
    return _csv_text(lines)


def csv_stream(header: Sequence[str], rows: Iterable[Sequence], batch: int = 200) -> Iterator[bytes]:
    """The same bytes as `to_csv`, produced a batch of rows at a time: for a Response that streams,
    whatever the number of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralise(v) for v in header])
    for number, line in enumerate(rows, start=1):
        writer.writerow([neutralise(v) for v in line])
        if number % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_stream(header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet",
                widths: Sequence[int] = (), chunk: int = 1 << 16) -> Iterator[bytes]:
    """One sheet written with openpyxl's write-only mode (rows go to a temporary file, not to memory),
    then read back in chunks. Column widths are given (`widths`, else the header's): a write-only sheet
    cannot measure its cells."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title.translate(SHEET_TITLE_FORBIDDEN).strip()[:31] or "Sheet")
    _write_sheet(sheet, header, rows, [widths[i] if i < len(widths) else len(str(name)) + 2
                                       for i, name in enumerate(header)])
    yield from _read_out(workbook, chunk)


def _write_sheet(sheet, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int]) -> None:
    """A write-only sheet: column widths (kept between 8 and 60), the header in bold, then the rows."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60)
    cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=neutralise(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([neutralise(v) for v in row])


def _read_out(workbook, chunk: int) -> Iterator[bytes]:
    """Save a write-only workbook (spooled to disk past a megabyte) and yield it in chunks."""
    with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as spool:
        workbook.save(spool)
        spool.seek(0)
        while block := spool.read(chunk):
            yield block


SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def unique_sheet_name(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), numbered past those in `used` (which it joins)."""
    base = title.translate(SHEET_TITLE_FORBIDDEN).strip()[:31] or "Sheet"
    name, number = base, 2
    while name.lower() in used:
        name = f"{base[:31 - len(str(number)) - 1]} {number}"
        number += 1
    used.add(name.lower())
    return name


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet") -> bytes:
    return to_xlsx_sheets([(title, header, rows)])


def to_xlsx_sheets(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows); titles are shortened and made unique."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(unique_sheet_name(title, used))
        sheet.append([neutralise(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([neutralise(v) for v in row])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    if not used:
        workbook.create_sheet("Sheet")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_sections_stream(sections: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]],
                        lines_per_chunk: int = 500) -> Iterator[bytes]:
    """The file of to_csv_sections, produced a few hundred lines at a time for a streamed response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    written = 0
    for title, header, rows in sections:
        writer.writerow([neutralise(title)])
        writer.writerow([neutralise(v) for v in header])
        for line in rows:
            writer.writerow([neutralise(v) for v in line])
            written += 1
            if written % lines_per_chunk == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        writer.writerow([])
    yield buffer.getvalue().encode("utf-8")


def xlsx_sheets_stream(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]],
                       chunk: int = 64 * 1024) -> Iterator[bytes]:
    """The workbook of to_xlsx_sheets written in openpyxl's write-only mode, then read out in chunks.

    Rows go to the file as they come (nothing of a sheet is kept in memory); the
    file is spooled to disk past a megabyte. Column widths follow the header, and
    the rows too when they are a list.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(unique_sheet_name(title, used))
        known = [header, *rows] if isinstance(rows, Sequence) else [header]
        widths = [max(len(str(line[index] if index < len(line) else "") or "") for line in known) + 2
                  for index in range(len(header))]
        _write_sheet(sheet, header, rows, widths)
    if not used:
        workbook.create_sheet("Sheet")
    yield from _read_out(workbook, chunk)
