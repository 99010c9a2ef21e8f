"""Adding, changing and removing library resources; `publish` is the one entry other features call."""
from __future__ import annotations

from flask_babel import gettext as _

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
    title = (title or "").strip()
    if not title:
        raise LibraryError(_("Give the resource a title."), "title")
    if len(title) > TITLE_LENGTH:
        raise LibraryError(_("The title may have at most %(num)d characters.", num=TITLE_LENGTH), "title")
    if language not in WORKING_LANGUAGES:
        raise LibraryError(_("Choose one of the working languages."), "language")
    access, parliament_id, pair_id = _checked_access(access, parliament_id, pair_id)
    resource = LibraryResource(
        title=title, summary=(summary or "").strip(), body=(body or "").strip(), keywords=[],
        kind=ResourceKind(kind), language=language, topic_id=topic_id, access=access,
        parliament_id=parliament_id, pair_id=pair_id, activity_id=activity_id, programme_id=programme_id,
        added_by=added_by)
    db.session.add(resource)
    db.session.flush()
    return resource
