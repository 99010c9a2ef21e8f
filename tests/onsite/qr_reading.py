"""Reading QR codes back as a phone would: zxing-cpp, a decoder independent of segno, on real images."""
from __future__ import annotations

from io import BytesIO

import zxingcpp
from PIL import Image
from pypdf import PdfReader


def read_image(image: Image.Image) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(image.convert("L"))
            if found.format == zxingcpp.BarcodeFormat.QRCode]


def read_png(body: bytes) -> list[str]:
    return read_image(Image.open(BytesIO(body)))


def read_pdf_pages(body: bytes) -> list[list[str]]:
    """For each page of a PDF, what the QR codes of its embedded images say, in the order they were drawn."""
    pages = []
    for page in PdfReader(BytesIO(body)).pages:
        texts = []
        for embedded in page.images:
            texts.extend(read_image(embedded.image))
        pages.append(texts)
    return pages


def pdf_text(body: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(body)).pages]
