"""Adding, changing and removing library resources; `publish` is the one entry other features call."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update

from elearn.documents import services as documents
from elearn.documents import sniffing
from elearn.documents.services import Upload
from elearn.documents.storage import storage_for
from elearn.errors import UserError
from elearn.extensions import db
from elearn.languages import WORKING_LANGUAGES
from elearn.library.models import LibraryResource, ResourceAccess, ResourceKind
from elearn.people.models import Person

TITLE_LENGTH = 200


class LibraryError(UserError):
    """A resource refused; `field` names the form field at fault."""


def _checked_access(access: ResourceAccess | str, parliament_id: int | None,
                    pair_id: int | None) -> tuple[ResourceAccess, int | None, int | None]:
    access = ResourceAccess(access)
    if access is ResourceAccess.PARLIAMENT:
        if parliament_id is None:
            raise LibraryError(_("Choose the parliament whose people may read this resource."), "parliament_id")
        return access, parliament_id, None
    if access is ResourceAccess.PAIR:
        if pair_id is None:
            raise LibraryError(_("Choose the mentoring pair who may read this resource."), "pair_id")
        return access, None, pair_id
    return access, None, None


def publish(*, title: str, summary: str, body: str, kind: ResourceKind | str, language: str,
            topic_id: int | None, access: ResourceAccess | str, parliament_id: int | None = None,
            pair_id: int | None = None, activity_id: int | None = None, programme_id: int | None = None,
            added_by: Person | None) -> LibraryResource:
    """Add a text resource to the library and return it, flushed (it has its id) but NOT committed: the
    caller commits, so that it can publish and mark its own row (a question's published resource) in one
    transaction. The full-text index follows at the flush. Raises LibraryError on bad input.

    `kind` and `access` take the enum members or their values ("answer", "network"...); `language` a code
    of elearn.languages.WORKING_LANGUAGES; `parliament_id` is needed (and kept) only for PARLIAMENT access,
    `pair_id` only for PAIR access.
    """
    checked = publish_checks(ResourceInput(
        title=title, summary=summary, body=body, kind=ResourceKind(kind), language=language, topic_id=topic_id,
        access=ResourceAccess(access), parliament_id=parliament_id, pair_id=pair_id))
    resource = LibraryResource(**checked, keywords=[], activity_id=activity_id, programme_id=programme_id,
                               added_by=added_by)
    db.session.add(resource)
    db.session.flush()
    return resource


# --- staff: the form's resources, with a file, a link or a text ----------------------------------------

@dataclass(frozen=True)
class ResourceInput:
    title: str
    summary: str = ""
    body: str = ""
    keywords: tuple[str, ...] = ()
    kind: ResourceKind = ResourceKind.DOCUMENT
    language: str = "en"
    topic_id: int | None = None
    access: ResourceAccess = ResourceAccess.NETWORK
    parliament_id: int | None = None
    pair_id: int | None = None
    activity_id: int | None = None
    programme_id: int | None = None
    external_url: str = ""


def _checked_link(url: str) -> str:
    url = (url or "").strip()
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise LibraryError(_("Give a web address starting with https:// or http://."), "external_url")
    return url


def _store(upload: Upload) -> dict:
    """Keep the file (checked as documents are) and return the resource's file columns."""
    name = documents.display_name(upload.filename)
    try:
        spooled, size, sha256 = documents._spool(upload.stream, int(current_app.config["DOCUMENTS_MAX_BYTES"]))
    except documents.DocumentRefused as refusal:
        raise LibraryError(str(refusal), "file") from refusal
    with spooled:
        if size == 0:
            raise LibraryError(_("The file is empty."), "file")
        kind, name_agrees = sniffing.content_type(spooled, name)
        if kind is None:
            raise LibraryError(_("This type of file is not accepted. Accepted: %(types)s.",
                                 types=", ".join(sniffing.ACCEPTED_EXTENSIONS)), "file")
        if not name_agrees:
            raise LibraryError(_("The content of the file does not match its name: it is not a .%(ext)s file.",
                                 ext=sniffing.extension(name) or "?"), "file")
        key = storage_for(current_app).save(spooled)
    return {"original_name": name, "content_type": kind, "size": size, "sha256": sha256, "storage_key": key}


def save_resource(resource: LibraryResource | None, data: ResourceInput, upload: Upload | None,
                  actor: Person) -> LibraryResource:
    """Add (resource None) or change a resource, with a new file if `upload`; one transaction. A file is
    stored first and its row written second: a refused row takes the new file away again."""
    link = _checked_link(data.external_url)
    if link and (upload is not None or (resource is not None and resource.storage_key)):
        raise LibraryError(_("Give a file or a web address, not both."), "external_url")
    stored = _store(upload) if upload is not None else {}
    old_key = resource.storage_key if resource is not None and stored else None
    try:
        if resource is None:
            resource = publish(title=data.title, summary=data.summary, body=data.body, kind=data.kind,
                               language=data.language, topic_id=data.topic_id, access=data.access,
                               parliament_id=data.parliament_id, pair_id=data.pair_id,
                               activity_id=data.activity_id, programme_id=data.programme_id, added_by=actor)
        else:
            checked = publish_checks(data)
            for name, value in checked.items():
                setattr(resource, name, value)
        resource.keywords = [k.strip() for k in data.keywords if k.strip()][:20]
        resource.external_url = link
        resource.activity_id, resource.programme_id = data.activity_id, data.programme_id
        for name, value in stored.items():
            setattr(resource, name, value)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if stored:
            storage_for(current_app).delete(stored["storage_key"])
        raise
    if old_key:
        _delete_file(old_key)
    return resource


def publish_checks(data: ResourceInput) -> dict:
    """The checked values `publish` would keep, for a change."""
    title = (data.title or "").strip()
    if not title:
        raise LibraryError(_("Give the resource a title."), "title")
    if len(title) > TITLE_LENGTH:
        raise LibraryError(_("The title may have at most %(num)d characters.", num=TITLE_LENGTH), "title")
    if data.language not in WORKING_LANGUAGES:
        raise LibraryError(_("Choose one of the working languages."), "language")
    access, parliament_id, pair_id = _checked_access(data.access, data.parliament_id, data.pair_id)
    return {"title": title, "summary": (data.summary or "").strip(), "body": (data.body or "").strip(),
            "kind": ResourceKind(data.kind), "language": data.language, "topic_id": data.topic_id,
            "access": access, "parliament_id": parliament_id, "pair_id": pair_id}


def _delete_file(key: str) -> None:
    try:
        storage_for(current_app).delete(key)
    except OSError:
        logging.getLogger(__name__).exception("library: file %s not deleted", key)


def delete_resource(resource: LibraryResource) -> None:
    key = resource.storage_key
    db.session.delete(resource)
    db.session.commit()
    if key:
        _delete_file(key)  # the row went first: a file left behind is unreachable, never a dangling link


def count_download(resource: LibraryResource) -> None:
    """One more download, counted in the database so that two at once both count."""
    db.session.execute(update(LibraryResource).where(LibraryResource.id == resource.id)
                       .values(downloads=LibraryResource.downloads + 1)
                       .execution_options(synchronize_session=False))
    db.session.commit()
