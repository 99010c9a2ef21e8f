"""Name badges as a PDF: data in, bytes out. Eight to an A4 page (two columns of four, cut along the dashed
lines) or one per A6 page; each with the activity, the name, the parliament, what the person is (a member, staff,
...) and their ticket's QR code, so a badge checks its wearer in as their phone would."""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from elearn.onsite import tickets
from elearn.pdf import is_right_to_left, new_document

LAYOUTS = ("a4x8", "a6")
DEFAULT_LAYOUT = "a4x8"
A6 = (105, 148)  # fpdf2 knows A3 to A5 by name; a tuple is in the unit of the document, millimetres
INK = (27, 27, 27)
GREY = (85, 85, 85)
CUT = (170, 170, 170)


@dataclass(frozen=True)
class Badge:
    name: str
    parliament: str
    kind: str  # "Member of parliament", "Parliamentary staff"... in the document's language
    position: str
    code: str


@dataclass(frozen=True)
class Frame:
    """One badge's place on the page and its proportions, in millimetres."""

    x: float
    y: float
    width: float
    height: float
    pad: float
    qr: float
    sizes: tuple[float, float, float, float, float]  # title, name (largest), parliament, kind, code
    name_lines: int


def _a4x8_frames() -> list[Frame]:
    width, height = 105, 297 / 4
    return [Frame(column * width, row * height, width, height, pad=7, qr=30, sizes=(8, 17, 9.5, 8.5, 6.5),
                  name_lines=2) for row in range(4) for column in range(2)]


A6_FRAME = Frame(0, 0, 105, 148, pad=10, qr=52, sizes=(10, 24, 12, 11, 9), name_lines=3)


def _fitted(pdf, text: str, width: float, lines: int, size: float, style: str = "") -> tuple[float, list[str]]:
    """The largest font size from `size` down (to 60 % of it) at which `text` takes at most `lines` lines,
    and those lines (cut to `lines` if even the smallest size needs more)."""
    smallest = size * 0.6
    while True:
        pdf.set_font("Body", style, size)
        if "\n" not in text and pdf.get_string_width(text) <= width - 2 * pdf.c_margin:
            return size, [text]  # one line: no need to lay it out twice
        wrapped = pdf.multi_cell(width, size * 0.42, text, dry_run=True, output="LINES")
        if len(wrapped) <= lines or size <= smallest:
            return size, wrapped[:lines]
        size = max(smallest, size - 1)


def _lines(pdf, x: float, y: float, width: float, text: str, *, lines: int, size: float, style: str = "",
           align: str = "L", colour=INK) -> float:
    """Print `text` in at most `lines` lines from (x, y); returns the y below it."""
    if not text:
        return y
    size, wrapped = _fitted(pdf, text, width, lines, size, style)
    height = size * 0.45
    pdf.set_text_color(*colour)
    for line in wrapped:
        pdf.set_xy(x, y)
        pdf.cell(width, height, line, align=align)
        y += height
    return y


def _qr(pdf, code: str, x: float, y: float, size: float, code_size: float) -> None:
    pdf.image(BytesIO(tickets.qr_png(code, scale=6)), x=x, y=y, w=size, h=size)
    pdf.set_font("Body", "", code_size)
    pdf.set_text_color(*GREY)
    pdf.set_xy(x - 4, y + size)
    pdf.cell(size + 8, code_size * 0.45, tickets.grouped(code), align="C")


def _draw_a4x8(pdf, frame: Frame, badge: Badge, title: str, rtl: bool) -> None:
    title_size, name_size, parliament_size, kind_size, code_size = frame.sizes
    start = "R" if rtl else "L"
    inner = frame.width - 2 * frame.pad
    left = frame.x + frame.pad
    y = _lines(pdf, left, frame.y + frame.pad, inner, title, lines=2, size=title_size, align=start, colour=GREY)
    _lines(pdf, left, y + 2, inner, badge.name, lines=frame.name_lines, size=name_size, style="B", align=start)
    qr_top = frame.y + frame.height - frame.pad - frame.qr - code_size * 0.45
    qr_left = left if rtl else frame.x + frame.width - frame.pad - frame.qr
    text_left = left + frame.qr + 4 if rtl else left
    text_width = inner - frame.qr - 4
    y = _lines(pdf, text_left, qr_top + 2, text_width, badge.parliament, lines=3, size=parliament_size,
               style="B", align=start)
    y = _lines(pdf, text_left, y + 1.5, text_width, badge.kind, lines=1, size=kind_size, align=start)
    _lines(pdf, text_left, y + 0.5, text_width, badge.position, lines=2, size=kind_size, align=start, colour=GREY)
    _qr(pdf, badge.code, qr_left, qr_top, frame.qr, code_size)


def _draw_a6(pdf, frame: Frame, badge: Badge, title: str, rtl: bool) -> None:
    title_size, name_size, parliament_size, kind_size, code_size = frame.sizes
    inner = frame.width - 2 * frame.pad
    left = frame.x + frame.pad
    y = _lines(pdf, left, frame.y + frame.pad, inner, title, lines=3, size=title_size, align="C", colour=GREY)
    y = _lines(pdf, left, y + 5, inner, badge.name, lines=frame.name_lines, size=name_size, style="B", align="C")
    y = _lines(pdf, left, y + 3, inner, badge.parliament, lines=2, size=parliament_size, style="B", align="C")
    y = _lines(pdf, left, y + 1.5, inner, badge.kind, lines=1, size=kind_size, align="C")
    _lines(pdf, left, y + 0.5, inner, badge.position, lines=2, size=kind_size, align="C", colour=GREY)
    qr_top = frame.y + frame.height - frame.pad - frame.qr - code_size * 0.45
    _qr(pdf, badge.code, frame.x + (frame.width - frame.qr) / 2, qr_top, frame.qr, code_size)


def _cut_lines(pdf) -> None:
    pdf.set_draw_color(*CUT)
    pdf.set_line_width(0.2)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=2, gap=2)
        pdf.line(105, 0, 105, 297)
        for row in (1, 2, 3):
            pdf.line(0, row * 297 / 4, 210, row * 297 / 4)


def badges_pdf(title: str, badges: list[Badge], *, layout: str = DEFAULT_LAYOUT, locale: str = "en",
               document_title: str = "") -> bytes:
    """Every badge (at least one) in the given order, in `locale`'s script and direction (labels already in that
    language)."""
    pdf = new_document(locale)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(document_title or title)
    pdf.set_creator("Hemicycle")
    rtl = is_right_to_left(locale)
    if layout == "a6":
        for badge in badges:
            pdf.add_page(format=A6)
            _draw_a6(pdf, A6_FRAME, badge, title, rtl)
    else:
        frames = _a4x8_frames()
        for index, badge in enumerate(badges):
            if index % len(frames) == 0:
                pdf.add_page()
                _cut_lines(pdf)
            _draw_a4x8(pdf, frames[index % len(frames)], badge, title, rtl)
    return bytes(pdf.output())
