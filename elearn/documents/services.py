"""Adding, reading and deleting documents, and who may do which.

An activity's documents (a mission's too) are managed by its managers (delegations.managers) and read by
them, by its confirmed participants (a mission's team members hold a confirmed registration) and by the
focal points of its host and invited parliaments. A programme's documents are for trainers and
administrators only. A file is stored first, its row written second: a failed row takes the file away,
so neither is ever left without the other.
"""
from __future__ import annotations

import hashlib
import logging
import tempfile
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.access import Role, has_role
from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.delegations.managers import may_manage
from elearn.documents import sniffing
from elearn.documents.models import Document
from elearn.documents.storage import storage_for
from elearn.extensions import db
from elearn.scheduling.models import (
    Activity,
    Programme,
    Registration,
    RegistrationState,
    activity_invited_parliament,
)

TITLE_MAX = 200
NAME_MAX = 255
_CHUNK = 1024 * 1024


class DocumentRefused(ValueError):
    """An upload we do not keep; the message is for the person who sent it."""


# --- who may ---------------------------------------------------------------------------------------

def may_upload_to_activity(person, activity: Activity) -> bool:
    return may_manage(person, activity)


def may_read_activity(person, activity: Activity) -> bool:
    if may_manage(person, activity):
        return True
    if not getattr(person, "is_authenticated", False):
        return False
    if has_role(person, Role.FOCAL_POINT) and person.parliament_id is not None:
        if person.parliament_id == activity.host_parliament_id:
            return True
        invited = db.session.scalar(select(activity_invited_parliament.c.parliament_id).where(
            activity_invited_parliament.c.activity_id == activity.id,
            activity_invited_parliament.c.parliament_id == person.parliament_id))
        if invited is not None:
            return True
    return db.session.scalar(select(Registration.id).where(
        Registration.activity_id == activity.id, Registration.person_id == person.id,
        Registration.state == RegistrationState.CONFIRMED)) is not None


def may_manage_programme(person) -> bool:
    return has_role(person, Role.TRAINER)


def may_read(person, document: Document) -> bool:
    if document.activity_id is not None:
        return may_read_activity(person, document.activity)
    return may_manage_programme(person)


def may_delete(person, document: Document) -> bool:
    if document.activity_id is not None:
        return may_upload_to_activity(person, document.activity)
    return may_manage_programme(person)


# --- reading -----------------------------------------------------------------------------------------

def documents_of(owner: Activity | Programme) -> list[Document]:
    column = Document.activity_id if isinstance(owner, Activity) else Document.programme_id
    return list(db.session.scalars(select(Document).where(column == owner.id)
                                   .order_by(Document.uploaded_at.desc(), Document.id.desc())))


def count_of(owner: Activity | Programme) -> int:
    column = Document.activity_id if isinstance(owner, Activity) else Document.programme_id
    return db.session.scalar(select(func.count(Document.id)).where(column == owner.id))


def display_name(name: str) -> str:
    """The sent name as shown and offered on download: no folders, no control characters, no quotes."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '"<>:*?|')
    name = name.strip().strip(".") or "document"
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:NAME_MAX - len(ext) - 1] + dot + ext) if dot and len(ext) < 16 else name[:NAME_MAX]
    return name


# --- writing -----------------------------------------------------------------------------------------

@dataclass
class Upload:
    title: str
    filename: str
    stream: BinaryIO


def _spool(stream: BinaryIO, limit: int):
    """Copy the upload into a seekable temporary file, hashing and counting; refuse it past `limit`."""
    spooled = tempfile.SpooledTemporaryFile(max_size=_CHUNK)  # noqa: SIM115  (closed by the caller)
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            spooled.close()
            raise DocumentRefused(_("The file is larger than %(size)s MB.", size=_megabytes(limit)))
        digest.update(chunk)
        spooled.write(chunk)
    spooled.seek(0)
    return spooled, size, digest.hexdigest()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def add_document(owner: Activity | Programme, upload: Upload, actor) -> Document:
    title = (upload.title or "").strip()
    if not title:
        raise DocumentRefused(_("Give the document a title."))
    if len(title) > TITLE_MAX:
        raise DocumentRefused(_("The title is longer than %(max)d characters.", max=TITLE_MAX))
    name = display_name(upload.filename)
    spooled, size, sha256 = _spool(upload.stream, int(current_app.config["DOCUMENTS_MAX_BYTES"]))
    with spooled:
        if size == 0:
            raise DocumentRefused(_("The file is empty."))
        kind, name_agrees = sniffing.content_type(spooled, name)
        if kind is None:
            raise DocumentRefused(_("This type of file is not accepted. Accepted: %(types)s.",
                                    types=", ".join(sniffing.ACCEPTED_EXTENSIONS)))
        if not name_agrees:
            raise DocumentRefused(_("The content of the file does not match its name: it is not a .%(ext)s file.",
                                    ext=sniffing.extension(name) or "?"))
        storage = storage_for(current_app)
        key = storage.save(spooled)
    try:
        document = Document(title=title, original_name=name, content_type=kind, size=size, sha256=sha256,
                            storage_key=key, uploaded_by_id=getattr(actor, "id", None),
                            activity_id=owner.id if isinstance(owner, Activity) else None,
                            programme_id=owner.id if isinstance(owner, Programme) else None)
        db.session.add(document)
        db.session.flush()
        record(AuditAction.DOCUMENT_ADDED, actor=actor, object_type="document", object_id=document.id,
               details={"title": title, "content_type": kind, "size": size, "sha256": sha256,
                        "activity_id": document.activity_id, "programme_id": document.programme_id})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        storage.delete(key)
        raise
    return document


def delete_document(document: Document, actor) -> None:
    key = document.storage_key
    record(AuditAction.DOCUMENT_DELETED, actor=actor, object_type="document", object_id=document.id,
           details={"title": document.title, "sha256": document.sha256,
                    "activity_id": document.activity_id, "programme_id": document.programme_id})
    db.session.delete(document)
    db.session.commit()
    # The row goes first: a file left behind by a failure here is unreachable, never a dangling link.
    try:
        storage_for(current_app).delete(key)
    except OSError:
        logging.getLogger(__name__).exception("document %s: file %s not deleted", document.id, key)
