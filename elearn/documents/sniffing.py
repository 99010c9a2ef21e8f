"""What a file is, judged by its bytes; its name only has to agree.

Accepted: PDF, PNG, JPEG, WebP, Office Open XML (DOCX, XLSX, PPTX, without macros), OpenDocument
(ODT, ODS, ODP) and UTF-8 plain text or CSV. Everything else is refused, executables and archives
included, and so are HTML and SVG: a browser runs their scripts.
"""
from __future__ import annotations

import re
import zipfile
from typing import BinaryIO

PDF, PNG, JPEG, WEBP = "application/pdf", "image/png", "image/jpeg", "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT, ODS, ODP = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
                 "application/vnd.oasis.opendocument.presentation")
TEXT, CSV = "text/plain", "text/csv"

# The extensions a name may carry for each type: a PDF called agenda.docx is refused, not guessed.
EXTENSIONS = {
    PDF: ("pdf",), PNG: ("png",), JPEG: ("jpg", "jpeg"), WEBP: ("webp",),
    DOCX: ("docx",), XLSX: ("xlsx",), PPTX: ("pptx",), ODT: ("odt",), ODS: ("ods",), ODP: ("odp",),
    TEXT: ("txt", "text", "md"), CSV: ("csv",),
}
ACCEPTED_EXTENSIONS = tuple(sorted({ext for exts in EXTENSIONS.values() for ext in exts}))

_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
_ODF = {ODT, ODS, ODP}
# Markup a browser would run if the file were ever shown inline: refused even as "text".
_MARKUP = re.compile(rb"<\s*(!doctype|html|script|svg|iframe|object|embed|body|head|meta|\?xml)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TEXT_SCAN = 1024 * 1024  # a text's first megabyte decides; a 20 MB CSV need not be decoded whole


def extension(name: str) -> str:
    _stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def sniff(stream: BinaryIO) -> str | None:
    """The content type of the seekable `stream`'s bytes, or None if it is not one we accept."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(stream)
    return _text_kind(stream)


def _zip_kind(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in _ODF else None
            if "[Content_Types].xml" not in names:
                return None  # a plain zip: could hold anything
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macros
            for part, kind in _OOXML_PARTS:
                if part in names:
                    return kind
            return None
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    finally:
        stream.seek(0)


def _text_kind(stream: BinaryIO) -> str | None:
    raw = stream.read(_TEXT_SCAN)
    stream.seek(0)
    if not raw.strip() or b"\x00" in raw or _MARKUP.search(raw):
        return None
    try:
        # A cut in the middle of a character at the scan's end is not an error.
        decoded = raw.decode("utf-8-sig") if len(raw) < _TEXT_SCAN else raw.decode("utf-8-sig", "ignore")
    except UnicodeDecodeError:
        return None
    if decoded.lstrip().startswith("<") or _CONTROL.search(decoded):
        return None
    return TEXT


def content_type(stream: BinaryIO, name: str) -> tuple[str | None, bool]:
    """(the sniffed type, whether the name's extension agrees with it); text is CSV when named .csv."""
    kind = sniff(stream)
    ext = extension(name)
    if kind == TEXT and ext == "csv":
        kind = CSV
    return kind, kind is not None and ext in EXTENSIONS[kind]
