"""The type of a file is judged by its bytes; the name only has to agree with them."""
from __future__ import annotations

import io

import pytest

from elearn.documents import sniffing
from tests.documents import samples


@pytest.mark.parametrize(("raw", "name", "expected"), [
    (samples.PDF, "agenda.pdf", sniffing.PDF),
    (samples.png(), "flip chart.PNG", sniffing.PNG),
    (samples.JPEG, "room.jpeg", sniffing.JPEG),
    (samples.JPEG, "room.jpg", sniffing.JPEG),
    (samples.WEBP, "room.webp", sniffing.WEBP),
    (samples.docx(), "report.docx", sniffing.DOCX),
    (samples.xlsx(), "budget.xlsx", sniffing.XLSX),
    (samples.pptx(), "slides.pptx", sniffing.PPTX),
    (samples.odf("text"), "report.odt", sniffing.ODT),
    (samples.odf("spreadsheet"), "budget.ods", sniffing.ODS),
    (samples.odf("presentation"), "slides.odp", sniffing.ODP),
    (samples.TEXT, "minutes.txt", sniffing.TEXT),
    (samples.CSV, "people.csv", sniffing.CSV),
    (b"\xef\xbb\xbf" + samples.CSV, "people.csv", sniffing.CSV),
])
def test_accepted_kinds_are_recognised_by_their_bytes(raw, name, expected):
    assert sniffing.content_type(io.BytesIO(raw), name) == (expected, True)


@pytest.mark.parametrize(("raw", "name"), [
    (samples.PDF, "report.docx"),  # a PDF renamed .docx
    (samples.docx(), "report.pdf"),
    (samples.png(), "photo.jpg"),
    (samples.TEXT, "minutes.pdf"),
    (samples.PDF, "agenda"),
])
def test_a_name_that_disagrees_with_the_bytes_is_flagged(raw, name):
    kind, agrees = sniffing.content_type(io.BytesIO(raw), name)
    assert kind is not None and not agrees


@pytest.mark.parametrize(("raw", "name"), [
    (samples.EXE, "setup.exe"), (samples.EXE, "agenda.pdf"), (samples.ELF, "notes.txt"),
    (samples.HTML, "agenda.pdf"), (samples.HTML, "page.html"), (samples.HTML, "notes.txt"),
    (samples.SVG, "logo.svg"), (samples.SVG, "logo.png"), (samples.SVG_BARE, "notes.txt"),
    (samples.plain_zip(), "report.docx"), (samples.docx(macros=True), "report.docx"),
    (b"PK\x03\x04 not really a zip", "report.xlsx"), (b"\xff\xfe\x00h\x00i", "notes.txt"),
    (b"Latin-1 caf\xe9", "notes.txt"), (b"   \n  ", "empty.txt"),
])
def test_executables_markup_archives_and_unknown_bytes_are_not_accepted(raw, name):
    assert sniffing.content_type(io.BytesIO(raw), name)[0] is None


def test_the_stream_is_left_at_its_start_for_storing():
    stream = io.BytesIO(samples.docx())
    sniffing.sniff(stream)
    assert stream.tell() == 0
