"""The donor report as an A4 PDF, in the reader's language, laid out like the invitation letters."""
from __future__ import annotations

from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from elearn.evaluation.donor_report import (
    DonorReport,
    activity_header,
    indicator_header,
    number,
    period_text,
    track_text,
)
from elearn.pdf import in_reading_order, new_document, start_align

BLUE = (11, 61, 110)
GREY = (80, 80, 80)
INK = (27, 27, 27)
WIDTH = 257  # A4 landscape less 20 mm margins
INDICATOR_WIDTHS = (70, 20, 25, 25, 25, 27, 65)
ACTIVITY_WIDTHS = (110, 35, 35, 45, 32)


def _heading(pdf, report: DonorReport) -> None:
    pdf.set_text_color(*BLUE)
    pdf.set_font("Body", "B", 15)
    pdf.multi_cell(WIDTH, 7, _("Donor report: %(programme)s", programme=report.programme),
                   align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", "", 10)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(WIDTH, 5, period_text(report.period), align=start_align(), new_x="LMARGIN", new_y="NEXT")
    if report.funders:
        pdf.multi_cell(WIDTH, 5, _("Funded by %(funders)s", funders=", ".join(report.funders)),
                       align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.6)
    pdf.ln(2)
    pdf.line(20, pdf.get_y(), 20 + WIDTH, pdf.get_y())
    pdf.ln(4)


def _section(pdf, title: str) -> None:
    pdf.set_text_color(*BLUE)
    pdf.set_font("Body", "B", 12)
    pdf.multi_cell(WIDTH, 7, title, align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font("Body", "", 9)


def _table(pdf, widths, header: list[str], rows: list[list[str]]) -> None:
    with pdf.table(col_widths=in_reading_order(widths), width=sum(widths), borders_layout="HORIZONTAL_LINES",
                   line_height=5, padding=1.2, text_align=start_align()) as table:
        heading = table.row()  # the first row: fpdf2 sets it in bold and repeats it on a new page
        for name in in_reading_order(header):
            heading.cell(name)
        for values in rows:
            row = table.row()
            for value in in_reading_order(values):
                row.cell(value)
    pdf.set_font("Body", "", 9)
    pdf.ln(4)


def _indicator_cells(report: DonorReport) -> list[list[str]]:
    return [[line.title, line.unit, number(line.baseline), number(line.target), number(line.actual),
             track_text(line.on_track), line.note or line.reason] for line in report.indicators]


def _activity_cells(report: DonorReport) -> list[list[str]]:
    return [[a.title, format_date(a.starts_on, "medium"), format_date(a.ends_on, "medium"), a.modality,
             str(a.participants)] for a in report.activities]


def donor_pdf(report: DonorReport) -> bytes:
    """The report in the current locale (the reader's), landscape so that the indicator table fits."""
    pdf = new_document(str(get_locale()), "L")
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(_("Donor report: %(programme)s", programme=report.programme))
    pdf.set_creator("Hemicycle")
    pdf.add_page()
    _heading(pdf, report)
    _section(pdf, _("Indicators against targets"))
    if report.indicators:
        _table(pdf, INDICATOR_WIDTHS, indicator_header(), _indicator_cells(report))
    else:
        pdf.multi_cell(WIDTH, 5, _("No indicators yet."), align=start_align(), new_x="LMARGIN", new_y="NEXT")
    _section(pdf, _("Activities in the period"))
    if report.activities:
        _table(pdf, ACTIVITY_WIDTHS, activity_header(), _activity_cells(report))
    else:
        pdf.multi_cell(WIDTH, 5, _("No activity was held in the period."), align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*GREY)
    pdf.set_font("Body", "", 8)
    pdf.multi_cell(WIDTH, 4, _("Prepared on %(date)s. Political sides are shown only where the participation "
                               "report publishes them.", date=format_date(report.generated_at, "long")),
                   align=start_align(), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
