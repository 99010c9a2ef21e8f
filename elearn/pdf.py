"""PDF documents in any interface language: fonts that cover every script, Arabic shaped and right to left.

Every PDF (certificates, invitation letters, donor reports) starts from `new_document`, and sets its
font family as "Body": DejaVu Sans for Latin scripts, Noto Sans Arabic for an Arabic document, each with
the other as fallback, so that a Latin name in an Arabic letter or an Arabic name in a French certificate
prints too. HarfBuzz (uharfbuzz) joins Arabic letters and lays out mixed-direction lines.
"""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from flask_babel import get_locale

from elearn.languages import RTL_CODES

FONT_FILES = {
    "latin": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "arabic": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
}


def is_right_to_left(locale: str) -> bool:
    return locale.split("_")[0] in RTL_CODES


def _document_class():
    from fpdf import FPDF

    class Document(FPDF):
        """FPDF that names the font again after every line of text.

        fpdf2 2.8.9 sets the page's font inside a line's q/Q block when the line starts with a fallback-font
        fragment ("Paris، في ..." in an Arabic letter), then believes it still set after the Q restores the
        graphics state: the next line, printed without a set_font between, came out without any font and
        was invisible. Forgetting after each line costs one "BT /F1 11 Tf ET" per line.
        """

        def _render_styled_text_line(self, *args, **kwargs):
            try:
                return super()._render_styled_text_line(*args, **kwargs)
            finally:
                self.current_font_is_set_on_page = False

    return Document


def new_document(locale: str, orientation: str = "P"):
    """An A4 FPDF in millimetres whose "Body" font family suits `locale`, text shaping on."""
    folder = Path(current_app.config["PDF_FONT_FOLDER"])
    rtl = is_right_to_left(locale)
    main, fallback = ("arabic", "latin") if rtl else ("latin", "arabic")
    pdf = _document_class()(orientation=orientation, unit="mm", format="A4")
    for family, script in (("Body", main), ("Fallback", fallback)):
        regular, bold = FONT_FILES[script]
        pdf.add_font(family, "", str(folder / regular))
        pdf.add_font(family, "B", str(folder / bold))
    pdf.set_fallback_fonts(["Fallback"])
    # The paragraph direction is the document's, not guessed from each line's first letter: an Arabic line
    # that starts with a Latin name ("Paris، في 6 ديسمبر 2026") still reads from the right.
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if rtl else "ltr")
    pdf.set_lang(locale)
    return pdf


def _locale(locale: str | None) -> str:
    return locale or str(get_locale())


def start_align(locale: str | None = None) -> str:
    """Where a paragraph starts (in `locale`, else the current one): left, or right for right to left."""
    return "R" if is_right_to_left(_locale(locale)) else "L"


def end_align(locale: str | None = None) -> str:
    return "L" if is_right_to_left(_locale(locale)) else "R"


def in_reading_order(cells, locale: str | None = None) -> list:
    """A table row's cells (or widths) from the reader's start side: reversed for right to left."""
    return list(reversed(cells)) if is_right_to_left(_locale(locale)) else list(cells)
