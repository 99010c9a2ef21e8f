"""Compressed answers: brotli or gzip for pages, JSON, SVG and calendar feeds, through Flask-Compress.

Static files are compressed once by elearn/assets.py and carry their own Content-Encoding; here is
everything a view makes. Not compressed: what is compressed already (PDF, PNG, XLSX, ZIP), streamed
answers (CSV exports: Flask-Compress would hold them whole), and views marked `security.uncompressed`
(pages that show a secret, against BREACH).

Flask-Compress appends the encoding to a strong ETag (`"abc"` becomes `"abc:br"`, as RFC 9110 wants of
two forms of one resource). A client then revalidates with `If-None-Match: "abc:br"`, which the view's
own conditional answer (the calendar feeds, the API, course images) would not recognise: it would
render and compress the whole body for Flask-Compress to turn into a 304. So the suffix is taken off
the request's validators before the view, and a 304 goes back with the tag the client sent.
"""
from __future__ import annotations

import re

from flask import Flask, current_app, g, request
from flask_compress import Compress

from elearn.security import is_uncompressed_view

MIMETYPES = [
    "text/html", "text/plain", "text/css", "text/javascript", "application/javascript",
    "application/json", "application/problem+json", "application/manifest+json",
    "text/calendar", "image/svg+xml", "text/xml", "application/xml",
]
SETTINGS = {
    "COMPRESS_REGISTER": False,  # after_request below decides which responses go through it
    "COMPRESS_MIMETYPES": MIMETYPES,
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 4,  # a page takes well under a millisecond; higher levels gain little on 20 KB
    "COMPRESS_LEVEL": 6,
    "COMPRESS_MIN_SIZE": 500,
    "COMPRESS_STREAMS": False,
}
# `"abc:br"` or `W/"abc:gzip"` as Flask-Compress writes them; group 1 is the tag without the encoding.
ENCODED_TAG = re.compile(r'((?:W/)?"[^"]*):(?:br|gzip|deflate|zstd)"')


def strip_encoding_from_validators() -> None:
    for header in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH"):
        sent = request.environ.get(header)
        if sent and ":" in sent:
            stripped = ENCODED_TAG.sub(r'\1"', sent)
            if stripped != sent:
                g.setdefault("validators_sent", {})[header] = sent
                request.environ[header] = stripped


def restore_sent_tag(response) -> None:
    """A 304 confirms the copy the client holds: it carries that copy's tag, encoding and all."""
    sent = g.get("validators_sent", {}).get("HTTP_IF_NONE_MATCH")
    if not sent:
        return
    tags = list(ENCODED_TAG.finditer(sent))
    etag, _weak = response.get_etag()
    if etag is None and len(tags) == 1:  # flask-smorest's 304 names no tag: the one sent is the one that matched
        response.headers["ETag"] = tags[0].group(0)
    for match in tags:
        if match.group(1).removeprefix("W/").strip('"') == etag:
            response.headers["ETag"] = match.group(0)
            return


def compress_response(response):
    if request.endpoint == "static" or is_uncompressed_view():
        return response
    if response.status_code == 304:
        restore_sent_tag(response)
        return response
    return current_app.extensions["compress"].after_request(response)


def install(app: Flask) -> None:
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    app.extensions["compress"] = Compress(app)
    app.before_request(strip_encoding_from_validators)
    # Registered before the other after_request functions, so it runs after them, on the final headers.
    app.after_request(compress_response)
