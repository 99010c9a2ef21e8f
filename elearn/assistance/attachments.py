"""Files sent with a question or a reply: checked by their bytes (elearn.documents.sniffing), size-limited,
stored under random keys (elearn.documents.storage). Every file is checked and stored before any row is
written; if the rows fail, the stored files are taken away again."""
from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from elearn.assistance.models import AssistanceAttachment
from elearn.documents import sniffing
from elearn.documents.services import display_name
from elearn.documents.storage import storage_for
from elearn.errors import UserError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
_CHUNK = 1024 * 1024


def max_bytes() -> int:
    return int(current_app.config.get("ASSISTANCE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class FileInput:
    filename: str
    stream: BinaryIO


@dataclass(frozen=True)
class Stored:
    name: str
    content_type: str
    size: int
    sha256: str
    key: str


def _checked(upload: FileInput, limit: int):
    name = display_name(upload.filename)
    spooled = tempfile.SpooledTemporaryFile(max_size=_CHUNK)  # noqa: SIM115  (closed by the caller)
    digest, size = hashlib.sha256(), 0
    while chunk := upload.stream.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            spooled.close()
            raise UserError(_("“%(name)s” is larger than %(size)s MB.", name=name, size=f"{limit / 1048576:g}"),
                            "files")
        digest.update(chunk)
        spooled.write(chunk)
    spooled.seek(0)
    if size == 0:
        spooled.close()
        raise UserError(_("“%(name)s” is empty.", name=name), "files")
    kind, name_agrees = sniffing.content_type(spooled, name)
    if kind is None or not name_agrees:
        spooled.close()
        raise UserError(_("“%(name)s” is not accepted. Accepted: %(types)s.", name=name,
                          types=", ".join(sniffing.ACCEPTED_EXTENSIONS)), "files")
    return spooled, name, kind, size, digest.hexdigest()


def store(uploads: list[FileInput]) -> list[Stored]:
    """Check every file, then store them all; a refusal stores nothing (UserError on the "files" field)."""
    uploads = [upload for upload in uploads if upload.filename]
    if len(uploads) > MAX_FILES:
        raise UserError(_("Attach at most %(num)d files.", num=MAX_FILES), "files")
    checked = []
    try:
        limit = max_bytes()
        for upload in uploads:
            checked.append(_checked(upload, limit))
        storage = storage_for(current_app)
        stored = []
        try:
            for spooled, name, kind, size, sha256 in checked:
                stored.append(Stored(name, kind, size, sha256, storage.save(spooled)))
        except BaseException:
            discard(stored)
            raise
        return stored
    finally:
        for spooled, *_rest in checked:
            spooled.close()


def discard(stored: list[Stored]) -> None:
    storage = storage_for(current_app)
    for item in stored:
        storage.delete(item.key)


def rows(stored: list[Stored], question, message, actor) -> list[AssistanceAttachment]:
    return [AssistanceAttachment(question=question, message=message, original_name=item.name,
                                 content_type=item.content_type, size=item.size, sha256=item.sha256,
                                 storage_key=item.key, uploaded_by_id=actor.id) for item in stored]
