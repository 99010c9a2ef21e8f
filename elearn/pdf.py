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


def new_document(locale: str, orientation: str = "P"):
    """An A4 FPDF in millimetres whose "Body" font family suits `locale`, text shaping on."""
    from fpdf import FPDF

    folder = Path(current_app.config["PDF_FONT_FOLDER"])
    main, fallback = ("arabic", "latin") if is_right_to_left(locale) else ("latin", "arabic")
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    for family, script in (("Body", main), ("Fallback", fallback)):
        regular, bold = FONT_FILES[script]
        pdf.add_font(family, "", str(folder / regular))
        pdf.add_font(family, "B", str(folder / bold))
    pdf.set_fallback_fonts(["Fallback"])
    pdf.set_text_shaping(use_shaping_engine=True)
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
