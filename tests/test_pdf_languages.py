"""Certificates, invitation letters and donor reports in every interface language, Arabic shaped and right to left.

The PDFs are read back with pypdf: the text a reader extracts, the fonts in the page resources, where each run
of text starts (the text matrix that `visitor_text` gives, in points from the page's bottom left) and what the
Arabic font's ToUnicode map says about the glyphs that were drawn.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from io import BytesIO

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from pypdf import PdfReader

from elearn.access import Role
from elearn.delegations import letters
from elearn.delegations.letters_pdf import letter_pdf
from elearn.evaluation import indicators as service
from elearn.evaluation.donor_pdf import donor_pdf
from elearn.evaluation.donor_report import build_donor_report
from elearn.evaluation.indicator_sources import Period
from elearn.learning.certificates import certificate_pdf
from elearn.pdf import new_document
from tests.delegations.letters_factories import participant, visit
from tests.evaluation.indicator_world import NOW, world
from tests.factories import make_person
from tests.learning.factories import complete_course, make_course

LANGUAGES = ("en", "fr", "es", "pt", "ar")
PT_PER_MM = 72 / 25.4
PADDING = 1  # mm: fpdf2 keeps text this far inside a cell's edges
LATIN_NAME = "Awa Kouassi"


def certificate(language: str) -> bytes:
    enrolment, _attempt = complete_course(make_person(Role.LEARNER, full_name=LATIN_NAME),
                                          make_course(lessons=1, questions=0))
    return certificate_pdf(enrolment.certificate, language)


def letter(language: str) -> bytes:
    trainer = make_person(Role.TRAINER, full_name="Claire Martin")
    registration = participant(visit([trainer]), full_name=LATIN_NAME, preferred_language=language)
    issued = letters.issue(registration, language, trainer)
    return letter_pdf(issued, letters.logistics_of(registration))


def donor_report(language: str) -> bytes:
    alpha = world()["alpha"]
    service.save_indicator(alpha, service.IndicatorInput(title="Participants", measure="participants",
                                                         target_value=200, unit="people"))
    with force_locale(language):
        return donor_pdf(build_donor_report(alpha, Period(date(2026, 1, 1), date(2026, 12, 31)), now=NOW))


# Each document: how it is made, the heading it prints, and its metadata title.
DOCUMENTS = {
    "certificate": (certificate, "Certificate of completion", lambda: _("Certificate of completion")),
    "letter": (letter, "Subject: invitation letter for a visa application", lambda: _("Invitation letter")),
    "donor report": (donor_report, "Indicators against targets",
                     lambda: _("Donor report: %(programme)s", programme="Alpha")),
}


def flat(text: str) -> str:
    return " ".join(text.split())


def runs(body: bytes) -> list[tuple[float, float, str, str]]:
    """Every run of text on the first page: (x, y, font name, text)."""
    found = []

    def visit_run(text, _cm, tm, font, _size):
        if text.strip():
            found.append((tm[4], tm[5], str(font.get("/BaseFont", "")) if font else "", text))

    PdfReader(BytesIO(body)).pages[0].extract_text(visitor_text=visit_run)
    return found


def font_names(body: bytes) -> set[str]:
    return {str(font.get_object()["/BaseFont"]).split("+")[-1]
            for page in PdfReader(BytesIO(body)).pages for font in page["/Resources"]["/Font"].values()}


def glyphs_per_letter(body: bytes) -> dict[str, set[str]]:
    """For each Arabic letter, the glyph codes the Arabic fonts map back to it (their ToUnicode CMaps)."""
    glyphs = defaultdict(set)
    for page in PdfReader(BytesIO(body)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "Arabic" not in str(font["/BaseFont"]):
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode()
            for code, unicode in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]{4})>", cmap):
                if 0x0620 <= int(unicode, 16) <= 0x064A:
                    glyphs[chr(int(unicode, 16))].add(f"{font['/BaseFont']}:{code}")
    return glyphs


def width_pt(text: str, style: str, size: float) -> float:
    """How wide the shaped text prints in the Arabic document's Body font, in points."""
    pdf = new_document("ar")
    pdf.set_font("Body", style, size)
    width = pdf.get_string_width(text) * PT_PER_MM
    pdf.output()  # fpdf2 closes the font files when it writes the document
    return width


def line_of(found, text: str):
    """The runs on the line where `text` starts to be printed (pypdf gives Arabic runs in reading order)."""
    y = next(y for _x, y, _font, run in found if text[:6] in run)
    return [run for run in found if abs(run[1] - y) < 1]


def row_of(found, label: str):
    """The runs on the table row whose label is `label`."""
    y = next(y for _x, y, _font, run in found if run.strip() == label)
    return [run for run in found if abs(run[1] - y) < 1]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", DOCUMENTS)
def test_each_document_prints_in_each_language_with_the_font_of_its_script(app, language, kind):
    make, heading, title = DOCUMENTS[kind]
    body = make(language)
    with force_locale(language):
        heading, title = _(heading), title()
    if language != "en":
        assert heading != DOCUMENTS[kind][1], "the catalog translates it"
    reader = PdfReader(BytesIO(body))
    assert reader.metadata.title.startswith(title)
    assert flat(heading) in flat("\n".join(page.extract_text() for page in reader.pages))
    heading_fonts = {font for _x, _y, font, run in line_of(runs(body), heading)}
    if language == "ar":
        assert {"NotoSansArabic", "NotoSansArabicBold"} & font_names(body)
        assert all("NotoSansArabic" in font for font in heading_fonts), heading_fonts
    else:
        assert font_names(body) <= {"DejaVuSansBook", "DejaVuSansBold"}, font_names(body)
        assert all("DejaVuSans" in font for font in heading_fonts), heading_fonts


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_arabic_letters_take_their_joined_forms(app, kind):
    """HarfBuzz draws an Arabic letter with the glyph of its position in the word (initial, medial, final or
    isolated) or as part of a ligature, so one letter comes out as several glyphs, and the ToUnicode map that
    fpdf2 writes maps each of them back to that letter. Without shaping the font's cmap gives one glyph per
    letter, whatever its neighbours: the control below prints the same title unshaped and finds none.
    (Comparing extracted text proves nothing here: a reader maps every glyph back to the letter it stands for.)
    """
    shaped = glyphs_per_letter(DOCUMENTS[kind][0]("ar"))
    assert any(len(codes) > 1 for codes in shaped.values()), shaped

    with force_locale("ar"):
        title = _("Certificate of completion")
    pdf = new_document("ar")
    pdf.set_text_shaping(False)
    pdf.add_page()
    pdf.set_font("Body", "B", 30)
    pdf.cell(0, 18, title)
    unshaped = glyphs_per_letter(bytes(pdf.output()))
    assert unshaped and all(len(codes) == 1 for codes in unshaped.values()), unshaped


def test_arabic_letter_reads_from_the_right(app):
    found = runs(letter("ar"))
    right_margin = (210 - 20 - PADDING) * PT_PER_MM
    with force_locale("ar"):
        paragraphs = [(_("To the consular services concerned"), ""), (_("Madam, Sir,"), ""),
                      (_("Subject: invitation letter for a visa application"), "B")]
        label = _("Participant")
    for text, style in paragraphs:
        start = min(x for x, _y, _font, _run in line_of(found, text))
        assert start + width_pt(text, style, 11) == pytest.approx(right_margin, abs=1), text

    # The facts table: the label column on the right, the Latin name printed in the fallback font.
    row = row_of(found, label)
    labels = [(x, font) for x, _y, font, run in row if run.strip() == label]
    names = [(x, font) for x, _y, font, run in row if run.strip() in (LATIN_NAME, *LATIN_NAME.split())]
    assert labels and names
    assert min(x for x, _font in labels) > max(x for x, _font in names)
    assert all("NotoSansArabic" in font for _x, font in labels)
    assert all("DejaVuSans" in font for _x, font in names)


@pytest.mark.parametrize("language", ("en", "ar"))
def test_the_qr_code_and_the_table_labels_sit_on_the_readers_start_side(app, language):
    body = letter(language)
    with force_locale(language):
        label = _("Participant")
    row = row_of(runs(body), label)
    label_x = min(x for x, _y, _font, run in row if run.strip() == label)
    name_x = min(x for x, _y, _font, run in row if run.strip() in (LATIN_NAME, *LATIN_NAME.split()))
    content = PdfReader(BytesIO(body)).pages[0].get_contents().get_data().decode("latin-1")
    qr_x = float(re.search(r"q [\d.]+ 0 0 [\d.]+ ([\d.]+) [\d.]+ cm /I\d+ Do Q", content).group(1))
    middle = 105 * PT_PER_MM
    if language == "ar":
        assert label_x > name_x and qr_x > middle
    else:
        assert label_x < name_x and qr_x < middle


def test_arabic_donor_report_headings_end_at_the_right_margin(app):
    found = runs(donor_report("ar"))
    with force_locale("ar"):
        heading = _("Indicators against targets")
    start = min(x for x, _y, _font, _run in line_of(found, heading))
    assert start + width_pt(heading, "B", 12) == pytest.approx((297 - 20 - PADDING) * PT_PER_MM, abs=1)


def test_arabic_certificate_centres_its_title(app):
    found = runs(certificate("ar"))
    with force_locale("ar"):
        title = _("Certificate of completion")
    start = min(x for x, _y, _font, _run in line_of(found, title))
    assert start + width_pt(title, "B", 30) / 2 == pytest.approx(297 / 2 * PT_PER_MM, abs=1)
