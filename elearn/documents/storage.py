"""Where a document's bytes live: one small interface, a folder today, an object store tomorrow.

Keys are random (`ab/cd/<32 hex>`): the original name never reaches a path, so a name like
`../../x.html` or `report.pdf.exe` means nothing here, a folder never holds more than a few hundred
files, and an antivirus scanning the tree sees only opaque names it judges by their content.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}")


class Storage(Protocol):
    def save(self, stream: BinaryIO) -> str:
        """Store the stream's bytes (read from where it stands) under a new random key and return the key."""

    def open(self, key: str) -> BinaryIO:
        """A binary stream of the stored bytes; the caller closes it. FileNotFoundError if there are none."""

    def delete(self, key: str) -> None:
        """Remove the bytes; a key already gone is no error (deleting twice must not break a retry)."""

    def size(self, key: str) -> int:
        """The stored size in bytes."""


def new_key() -> str:
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token[2:4]}/{token}"


class FolderStorage:
    """Files under one folder, outside the web root (static/ and templates/ are never chosen)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        # Only keys we made: a tampered key in the database cannot name another file.
        if not KEY.fullmatch(key):
            raise ValueError("not a storage key")
        return self.root / key

    def save(self, stream: BinaryIO) -> str:
        key = new_key()
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        # Written beside the target then renamed: a reader never sees half a file, a crash leaves a .part.
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                shutil.copyfileobj(stream, out, 1024 * 1024)
            os.chmod(temporary, 0o640)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return key

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def size(self, key: str) -> int:
        return self.path(key).stat().st_size


def documents_folder(app) -> Path:
    return Path(app.config.get("DOCUMENTS_FOLDER") or Path(app.instance_path) / "documents")


# DOCUMENTS_STORAGE names one of these; an object store adds its line (docs/missions/documents.md).
BACKENDS = {
    "folder": lambda app: FolderStorage(documents_folder(app)),
}


def storage_for(app) -> Storage:
    kind = app.config.get("DOCUMENTS_STORAGE", "folder")
    try:
        return BACKENDS[kind](app)
    except KeyError:
        raise ValueError(f"DOCUMENTS_STORAGE: unknown storage {kind!r} (known: {', '.join(BACKENDS)})") from None
