"""Static files: a content hash in every URL, a year's caching for such URLs, each text file compressed once.

`url_for('static', filename='css/site.css')` gives `/static/css/site.css?v=<12 hex of its SHA-256>`, so the
address changes when the file does and the browser may keep the file for a year without asking again
(`immutable`). The same path without that version (a hand-written link, an old page after a deploy) is
served too, with `no-cache`: revalidated every time, never stale. A stylesheet's `url(...)`s to other files
of static/ get their versions when it is served, and its own version covers theirs.

No build step: each process hashes a file the first time a URL names it, and again only when the file's
size or modification time changes (one `stat` per URL built). Text files (CSS, JavaScript, SVG, JSON) are
held in memory with their brotli and gzip forms, compressed once at a high level; other files (images,
fonts) are sent from the disk as they are.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
import posixpath
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import brotli
from flask import Flask, Response, abort, current_app, request, send_file
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
DIGEST_LENGTH = 12
# Served from memory and compressed; everything else (PNG, JPEG, WOFF2, PDF: compressed already) from the disk.
TEXT_TYPES = frozenset({"text/css", "text/javascript", "application/javascript", "application/json",
                        "application/manifest+json", "image/svg+xml", "text/plain"})
ENCODINGS = ("br", "gzip")  # in the server's order of preference when the client likes both as much
MIN_COMPRESSED_SIZE = 512  # below this the encoding saves a few bytes, not a round trip
BEST_BROTLI_UP_TO = 512 * 1024  # brotli's best level takes 3 s on the 1.5 MB Swagger bundle: level 9 there
# url(x), url('x'), url("x") in a stylesheet; the address is group 2.
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")
NOT_A_FILE_OF_OURS = ("data:", "http:", "https:", "//", "/", "#", "about:", "blob:")


@dataclass
class Entry:
    """What one process knows of one file of static/: its version and, for text, the bytes it serves."""

    stamp: tuple[int, int]  # (mtime_ns, size): when either changes, the file is read again
    digest: str
    mimetype: str
    last_modified: datetime
    body: bytes | None  # text files: what is served (a stylesheet with its url()s versioned); else None
    depends: tuple[tuple[str, str], ...] = ()  # (filename, digest) of the files a stylesheet names
    encoded: dict[str, bytes] = field(default_factory=dict)


class StaticFiles:
    """The files of one folder, their versions and their compressed forms, kept for the life of the process."""

    def __init__(self, folder: str | Path):
        self.folder = str(folder)
        self._entries: dict[str, Entry] = {}

    def path_of(self, filename: str) -> Path | None:
        joined = safe_join(self.folder, filename)
        return Path(joined) if joined and Path(joined).is_file() else None

    def digest(self, filename: str, visiting: frozenset[str] = frozenset()) -> str | None:
        entry = self.entry(filename, visiting)
        return entry.digest if entry else None

    def entry(self, filename: str, visiting: frozenset[str] = frozenset()) -> Entry | None:
        """`visiting`: the stylesheets whose url()s led here; one of them again is a cycle, not followed."""
        if filename in visiting:
            return self._entries.get(filename)
        path = self.path_of(filename)
        if path is None:
            return None
        status = path.stat()
        stamp = (status.st_mtime_ns, status.st_size)
        visiting = visiting | {filename}
        known = self._entries.get(filename)
        if known is not None and known.stamp == stamp and all(
                self.digest(name, visiting) == digest for name, digest in known.depends):
            return known
        entry = self._load(filename, path, stamp, visiting)
        self._entries[filename] = entry
        return entry

    def _load(self, filename: str, path: Path, stamp: tuple[int, int], visiting: frozenset[str]) -> Entry:
        mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        last_modified = datetime.fromtimestamp(stamp[0] / 1e9, timezone.utc).replace(microsecond=0)
        if mimetype not in TEXT_TYPES:
            sha = hashlib.sha256()
            with path.open("rb") as file:
                for block in iter(lambda: file.read(1 << 16), b""):
                    sha.update(block)
            return Entry(stamp, sha.hexdigest()[:DIGEST_LENGTH], mimetype, last_modified, None)
        body, depends = path.read_bytes(), ()
        if mimetype == "text/css":
            body, depends = self._version_references(filename, body, visiting)
        digest = hashlib.sha256(body).hexdigest()[:DIGEST_LENGTH]
        return Entry(stamp, digest, mimetype, last_modified, body, depends)

    def _version_references(self, filename: str, body: bytes, visiting: frozenset[str]):
        """A stylesheet's url()s to files of static/ gain `?v=<digest>`; addresses elsewhere stay as written."""
        depends: list[tuple[str, str]] = []
        folder = posixpath.dirname(filename)

        def versioned(match: re.Match) -> str:
            quote, address = match.group(1), match.group(2)
            if address.lower().startswith(NOT_A_FILE_OF_OURS) or "?" in address:
                return match.group(0)
            path, hash_mark, fragment = address.partition("#")
            target = posixpath.normpath(posixpath.join(folder, path))
            entry = None if target.startswith("..") or target in visiting else self.entry(target, visiting)
            if entry is None:
                return match.group(0)
            depends.append((target, entry.digest))
            return f"url({quote}{path}?v={entry.digest}{hash_mark}{fragment}{quote})"

        text = CSS_URL.sub(versioned, body.decode("utf-8"))
        return text.encode("utf-8"), tuple(depends)

    def encoded(self, entry: Entry, encoding: str | None) -> bytes:
        if encoding is None or entry.body is None:
            return entry.body or b""
        if encoding not in entry.encoded:
            if encoding == "br":
                quality = 11 if len(entry.body) <= BEST_BROTLI_UP_TO else 9
                entry.encoded[encoding] = brotli.compress(entry.body, quality=quality)
            else:
                entry.encoded[encoding] = gzip.compress(entry.body, compresslevel=9, mtime=0)
        return entry.encoded[encoding]


def files() -> StaticFiles:
    return current_app.extensions["static_files"]


def add_version(endpoint: str, values: dict) -> None:
    """`url_for('static', filename=...)` gains `v`, the file's digest (a missing file gets none)."""
    if endpoint == "static" and "v" not in values and values.get("filename"):
        digest = files().digest(values["filename"])
        if digest:
            values["v"] = digest


def _encoding_for(entry: Entry) -> str | None:
    if entry.body is None or len(entry.body) < MIN_COMPRESSED_SIZE:
        return None
    return request.accept_encodings.best_match(ENCODINGS)


def serve_static(filename: str) -> Response:
    """The app's static view: a year's caching for the current version's URL, revalidation for any other."""
    entry = files().entry(filename)
    if entry is None:
        abort(404)
    if entry.body is None:
        response = send_file(files().path_of(filename), mimetype=entry.mimetype, etag=entry.digest,
                             last_modified=entry.last_modified, conditional=True)
    else:
        encoding = _encoding_for(entry)
        response = Response(files().encoded(entry, encoding), mimetype=entry.mimetype)
        response.vary.add("Accept-Encoding")
        if encoding:
            response.headers["Content-Encoding"] = encoding
        # One entity tag per form: a cache must not answer a gzip client with brotli bytes.
        response.set_etag(f"{entry.digest}-{encoding}" if encoding else entry.digest)
        response.last_modified = entry.last_modified
        response.make_conditional(request)
    response.headers["Cache-Control"] = IMMUTABLE if request.args.get("v") == entry.digest else REVALIDATE
    return response


def install(app: Flask) -> None:
    app.extensions["static_files"] = StaticFiles(app.static_folder)
    app.url_defaults(add_version)
    app.view_functions["static"] = serve_static
