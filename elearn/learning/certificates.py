"""Certificates: found by their code, and printed as a PDF in the reader's language."""
from __future__ import annotations

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.codes import normalise_code
from elearn.extensions import db
from elearn.learning.models import Certificate, localised
from elearn.pdf import new_document
from elearn.urls import absolute_url


def certificate_by_code(typed: str) -> Certificate | None:
    code = normalise_code(typed)
    if not code:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def certificate_pdf(certificate: Certificate, locale: str) -> bytes:
    """An A4 landscape certificate, in the reader's language, with its verification code and URL."""
    verify_url = absolute_url("learning.verify_certificate", code=certificate.code)
    with force_locale(locale):
        title = _("Certificate of completion")
        lead = _("This certifies that")
        middle = _("has completed the course")
        issued = _("Issued on %(date)s", date=format_date(certificate.issued_at, "long"))
        check = _("Verification code %(code)s: %(url)s", code=certificate.code, url=verify_url)
        course_title = localised(certificate.course_title, locale)
    pdf = new_document(locale, "L")
    pdf.set_title(f"{title}: {course_title}")
    pdf.set_author("Hemicycle")
    pdf.set_creator("Hemicycle")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(11, 61, 110)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, 273, 186)
    pdf.set_text_color(11, 61, 110)
    pdf.set_font("Body", "B", 16)
    pdf.set_y(28)
    pdf.cell(0, 10, "Hemicycle", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", "B", 30)
    pdf.cell(0, 18, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(27, 27, 27)
    pdf.set_font("Body", "", 14)
    pdf.ln(8)
    pdf.cell(0, 10, lead, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", "B", 24)
    pdf.cell(0, 14, certificate.holder_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", "", 14)
    pdf.cell(0, 10, middle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", "B", 18)
    pdf.set_x(30)
    pdf.multi_cell(237, 10, course_title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", "", 13)
    pdf.ln(6)
    pdf.cell(0, 10, issued, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(176)
    pdf.set_font("Body", "", 10)
    pdf.set_text_color(80, 80, 80)
    pdf.cell(0, 8, check, align="C", link=verify_url)
    return bytes(pdf.output())
