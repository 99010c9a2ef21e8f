"""Who reads, adds and deletes an activity's documents, and another activity's document by its id (IDOR)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.documents.models import Document
from elearn.extensions import db
from tests.documents import samples
from tests.helpers import csrf_token, text

# who -> (may read the activity's documents, may add and delete them)
RIGHTS = {
    "admin": (True, True),
    "trainer": (True, True),  # the activity's own trainer
    "learner": (True, False),  # a confirmed participant
    "focal_point": (True, False),  # the host parliament's focal point
    "invited_focal": (True, False),  # an invited parliament's focal point
    "waiting": (False, False),  # asked for a seat, not confirmed
    "stranger": (False, False),
    "other_trainer": (False, False),  # a trainer, not of this activity
    "other_focal": (False, False),
}


@pytest.fixture
def documents(app, world, client_of):
    """One document on the activity, one on another activity, both added by an administrator."""
    admin = client_of("admin")
    samples.upload(admin, f"/activities/{world['activity'].id}/documents", samples.PDF, "agenda.pdf", "Agenda")
    samples.upload(admin, f"/activities/{world['other_activity'].id}/documents", samples.TEXT, "secret.txt",
                   "Other activity's minutes")
    own, other = db.session.scalars(select(Document).order_by(Document.id)).all()
    return {"own": own, "other": other}


def get(client, url: str) -> tuple[int, str]:
    with client.get(url) as response:
        return response.status_code, response.get_data().decode("utf-8", "replace")


@pytest.mark.parametrize("who", RIGHTS)
def test_reading_adding_and_deleting_follow_the_rights(app, world, client_of, documents, who):
    may_read, may_manage = RIGHTS[who]
    own_id = documents["own"].id
    client = client_of(who)
    page = f"/activities/{world['activity'].id}/documents"

    status, body = get(client, page)
    assert status == (200 if may_read else 403)
    assert ("Agenda" in body) == may_read
    assert ("Add a document" in body) == may_manage
    assert get(client, f"/documents/{documents['own'].id}")[0] == (200 if may_read else 404)

    token = csrf_token(client, "/account/forgot")
    added = samples.upload(client, page, samples.TEXT, "notes.txt", "Notes")
    assert added.status_code == (302 if may_manage else 403)
    deleted = client.post(f"/documents/{own_id}/delete", data={"csrf_token": token})
    # Only trainers and administrators delete; a trainer who may not even read it is not told it exists.
    assert deleted.status_code == (302 if may_manage else 404 if who == "other_trainer" else 403)
    assert (db.session.get(Document, own_id) is None) == may_manage


@pytest.mark.parametrize("who", ["trainer", "learner", "focal_point"])
def test_another_activitys_document_is_not_found_by_its_id(app, world, client_of, documents, who):
    client = client_of(who)
    other = documents["other"]

    status, body = get(client, f"/documents/{other.id}")
    assert status == 404 and "minutes" not in body
    deleted = client.post(f"/documents/{other.id}/delete", data={"csrf_token": csrf_token(client, "/account/forgot")})
    assert deleted.status_code in (403, 404)
    assert get(client, f"/activities/{world['other_activity'].id}/documents")[0] == 403
    assert db.session.scalar(select(func.count(Document.id))) == 2


def test_a_document_that_does_not_exist_is_not_found(client_of, documents):
    assert get(client_of("admin"), "/documents/999999")[0] == 404
    assert get(client_of("admin"), "/activities/999999/documents")[0] == 404


def test_the_management_page_and_the_public_page_show_the_documents_to_whom_may_see_them(world, client_of,
                                                                                          documents):
    activity = world["activity"]
    manage = text(client_of("trainer").get(f"/manage/activities/{activity.id}"))
    assert "1 document." in manage and "See and add documents" in manage

    public = f"/activities/{activity.id}"
    assert "See the documents" in text(client_of("learner").get(public))
    assert "See the documents" in text(client_of("invited_focal").get(public))
    assert "See the documents" not in text(client_of("stranger").get(public))
    assert "See the documents" not in text(client_of("waiting").get(public))


def test_the_programme_page_shows_its_documents_to_trainers(world, client_of):
    page = text(client_of("trainer").get(f"/manage/programmes/{world['programme'].id}"))
    assert "0 documents." in page and "See and add documents" in page
