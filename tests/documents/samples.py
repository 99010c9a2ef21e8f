"""Small files of each kind, built in memory, and an upload helper for the documents tests."""
from __future__ import annotations

import io
import zipfile

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.helpers import csrf_token
from tests.learning.factories import png_bytes

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00" + b"\x00" * 14
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 40
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
SVG_BARE = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
CSV = "name;parliament\nKarma Dorji;Bhutan\nAïssatou Njie;Gambia\n".encode()
TEXT = "Minutes of the meeting.\nParticipants agreed on the terms.\n".encode()


def png() -> bytes:
    return png_bytes()


def _zip(parts: dict[str, bytes], *, first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(first, parts[first], compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            if name != first:
                archive.writestr(name, data)
    return buffer.getvalue()


def docx(*, macros: bool = False) -> bytes:
    parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    if macros:
        parts["word/vbaProject.bin"] = b"\x00macro"
    return _zip(parts)


def xlsx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def pptx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<presentation/>"})


def odf(kind: str) -> bytes:
    return _zip({"mimetype": f"application/vnd.oasis.opendocument.{kind}".encode(), "content.xml": b"<c/>"},
                first="mimetype")


def plain_zip() -> bytes:
    return _zip({"payload.exe": EXE})


def upload(client, path: str, raw: bytes, filename: str, title: str = "Agenda"):
    data = {"csrf_token": csrf_token(client, path), "title": title,
            "file": FileStorage(io.BytesIO(raw), filename=filename, content_type="application/octet-stream")}
    boundary, body = encode_multipart(data)
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")
