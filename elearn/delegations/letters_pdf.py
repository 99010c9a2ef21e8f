"""The invitation letter as a PDF: an A4 page on the host's letterhead, in the letter's language.

The facts come from the letter as issued; the passport details are read from the participant's
logistics when the PDF is made, so the letter never stores them (the purge empties them there).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from elearn.delegations.letters_models import InvitationLetter
from elearn.delegations.logistics_models import Logistics, Payer
from elearn.pdf import end_align, in_reading_order, new_document, start_align
from elearn.scheduling.display import country_names
from elearn.urls import absolute_url

BLUE = (11, 61, 110)
GREY = (80, 80, 80)
INK = (27, 27, 27)
WIDTH = 170  # A4 less 20 mm margins
LABEL_WIDTH = 58
QR_SIZE = 28


@dataclass(frozen=True)
class Letterhead:
    name: str
    address_lines: tuple[str, ...]
    city: str
    signatory_name: str
    signatory_title: str

    @classmethod
    def from_config(cls) -> Letterhead:
        config = current_app.config
        lines = tuple(line.strip() for line in str(config["LETTERHEAD_ADDRESS"]).replace("\n", ";").split(";"))
        return cls(config["LETTERHEAD_NAME"], tuple(line for line in lines if line), config["LETTERHEAD_CITY"],
                   config["LETTERHEAD_SIGNATORY_NAME"], config["LETTERHEAD_SIGNATORY_TITLE"])


def payer_text(payer: Payer, letter: InvitationLetter, host: str) -> str:
    """Who pays, in the current locale, naming the funder, host or parliament where the letter knows it."""
    who = {Payer.PROGRAMME: letter.funder_name, Payer.HOST_PARLIAMENT: host,
           Payer.PARTNER_PARLIAMENT: letter.parliament_name}.get(payer, "")
    return _("%(payer)s (%(who)s)", payer=str(payer.label), who=who) if who else str(payer.label)


def dates_text(first: date, last: date) -> str:
    if first == last:
        return format_date(first, "long")
    return _("From %(start)s to %(end)s", start=format_date(first, "long"), end=format_date(last, "long"))


def facts(letter: InvitationLetter, logistics: Logistics | None, host: str) -> list[tuple[str, str]]:
    """The letter's table, label and value, in the current locale; empty facts are left out."""
    countries = country_names(letter.language)
    passport_number = logistics.passport_number if logistics else ""
    passport_country = logistics.passport_country if logistics else ""
    rows = [
        (_("Participant"), letter.holder_name),
        (_("Position"), letter.holder_position),
        (_("Parliament"), letter.parliament_name),
        (_("Passport number"), passport_number),
        (_("Passport issued by"), countries.get(passport_country, passport_country)),
        (_("Activity"), letter.activity_title),
        (_("Dates"), dates_text(letter.starts_on, letter.ends_on)),
        (_("Place"), letter.place),
        (_("Travel paid by"), payer_text(letter.travel_paid_by, letter, host)),
        (_("Stay paid by"), payer_text(letter.stay_paid_by, letter, host)),
    ]
    return [(label, value) for label, value in rows if value]


def _issued_on(letter: InvitationLetter) -> date:
    """The day the letter was issued where the activity is held (the city it is dated from)."""
    return letter.issued_at.astimezone(letter.registration.activity.zone).date()


def _qr_png(url: str) -> BytesIO:
    import segno

    out = BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=1)
    out.seek(0)
    return out


def _letterhead(pdf, head: Letterhead) -> None:
    pdf.set_text_color(*BLUE)
    pdf.set_font("Body", "B", 15)
    pdf.multi_cell(WIDTH, 7, head.name, align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", "", 9)
    pdf.set_text_color(*GREY)
    for line in head.address_lines:
        pdf.multi_cell(WIDTH, 4.5, line, align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.6)
    pdf.ln(2)
    pdf.line(20, pdf.get_y(), 20 + WIDTH, pdf.get_y())
    pdf.ln(6)


def _facts_table(pdf, rows: list[tuple[str, str]]) -> None:
    pdf.set_font("Body", "", 10.5)
    with pdf.table(col_widths=in_reading_order((LABEL_WIDTH, WIDTH - LABEL_WIDTH)), width=WIDTH,
                   first_row_as_headings=False, borders_layout="HORIZONTAL_LINES", line_height=5.5, padding=1.5,
                   text_align=start_align()) as table:
        for label, value in rows:
            row = table.row()
            for text in in_reading_order((label, value)):
                row.cell(text)
    pdf.ln(4)


def _signature(pdf, head: Letterhead) -> None:
    pdf.ln(10)
    pdf.set_font("Body", "B", 11)
    if head.signatory_name:
        pdf.multi_cell(WIDTH, 6, head.signatory_name, align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", "", 11)
    pdf.multi_cell(WIDTH, 6, head.signatory_title, align=start_align(), new_x="LMARGIN", new_y="NEXT")


def _verification(pdf, letter: InvitationLetter, url: str) -> None:
    top = max(pdf.get_y() + 6, 297 - 20 - QR_SIZE)
    if top + QR_SIZE > 297 - 12:
        pdf.add_page()
        top = 20
    text_width = WIDTH - QR_SIZE - 5
    qr_x, text_x = (20 + text_width + 5, 20) if start_align() == "R" else (20, 20 + QR_SIZE + 5)
    pdf.image(_qr_png(url), x=qr_x, y=top, w=QR_SIZE, h=QR_SIZE)
    pdf.set_xy(text_x, top + 3)
    pdf.set_text_color(*GREY)
    pdf.set_font("Body", "B", 10)
    pdf.multi_cell(text_width, 5, _("Verification code: %(code)s", code=letter.code), align=start_align(),
                   new_x="LEFT", new_y="NEXT")
    pdf.set_font("Body", "", 9)
    pdf.multi_cell(text_width, 4.5, _("Check that this letter is genuine and current at %(url)s", url=url),
                   align=start_align(), new_x="LEFT", new_y="NEXT", link=url)


def letter_pdf(letter: InvitationLetter, logistics: Logistics | None) -> bytes:
    """An A4 letter in the letter's own language, whoever downloads it."""
    head = Letterhead.from_config()
    url = absolute_url("delegation_letters.verify", code=letter.code)
    pdf = new_document(letter.language)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=15)
    with force_locale(letter.language):
        pdf.set_title(_("Invitation letter"))
        pdf.set_author(head.name)
        pdf.set_creator("Hemicycle")
        pdf.add_page()
        _letterhead(pdf, head)
        pdf.set_text_color(*INK)
        pdf.set_font("Body", "", 11)
        dated = _("%(city)s, %(date)s", city=head.city, date=format_date(_issued_on(letter), "long"))
        pdf.multi_cell(WIDTH, 6, dated, align=end_align(), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.multi_cell(WIDTH, 6, _("To the consular services concerned"), align=start_align(), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("Body", "B", 11)
        pdf.multi_cell(WIDTH, 6, _("Subject: invitation letter for a visa application"),
                       align=start_align(), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("Body", "", 11)
        pdf.multi_cell(WIDTH, 6, _("Madam, Sir,"), align=start_align(), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.multi_cell(WIDTH, 6, _("%(host)s is pleased to invite the participant named below to the activity it "
                                   "organises, on the dates and at the place stated.", host=head.name),
                       align=start_align(), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        _facts_table(pdf, facts(letter, logistics, head.name))
        pdf.set_font("Body", "", 11)
        pdf.multi_cell(WIDTH, 6, _("We would be grateful for your help in issuing the participant a visa for the "
                                   "duration of the activity."), align=start_align(), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.multi_cell(WIDTH, 6, _("Yours faithfully,"), align=start_align(), new_x="LMARGIN", new_y="NEXT")
        _signature(pdf, head)
        _verification(pdf, letter, url)
    return bytes(pdf.output())
