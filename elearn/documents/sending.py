"""Sending a stored file to the browser: streamed in chunks, as an attachment under its original name, never
run by the browser (nosniff, a sandboxing CSP), never cached. Documents, library resources and assistance
attachments all go out through `stored_file`."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, current_app

from elearn.documents.storage import storage_for

CHUNK = 256 * 1024


def content_disposition(name: str) -> str:
    """RFC 6266: an ASCII fallback for old clients, the real name in `filename*` for the rest."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\%;' else "_" for ch in name) or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def stored_file(key: str, original_name: str, content_type: str, *, described_as: str) -> Response:
    """The response for the file under `key`; a 404 (logged, naming `described_as`) if its bytes are gone."""
    storage = storage_for(current_app)
    try:
        size = storage.size(key)
    except FileNotFoundError:
        current_app.logger.error("%s: its file %s is missing", described_as, key)
        abort(404)

    def chunks():
        # Opened only once the body is sent, and closed when it is done: a response never read leaks nothing.
        with storage.open(key) as stream:
            while chunk := stream.read(CHUNK):
                yield chunk

    response = current_app.response_class(chunks(), mimetype=content_type)
    response.content_length = size
    response.headers["Content-Disposition"] = content_disposition(original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    # Should a browser open it anyway, nothing in it runs.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
