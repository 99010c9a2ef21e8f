"""Uploading, downloading and deleting through the pages: types, sizes, storage, headers, nothing half-saved."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditAction, AuditEvent
from elearn.config import PROJECT_ROOT
from elearn.documents import services
from elearn.documents.hooks import FORM_OVERHEAD
from elearn.documents.models import Document
from elearn.documents.storage import KEY, FolderStorage, storage_for
from elearn.extensions import db
from tests.documents import samples
from tests.helpers import csrf_token, text


def stored_files(app) -> list[Path]:
    root = Path(app.config["DOCUMENTS_FOLDER"])
    return [Path(folder) / name for folder, _dirs, names in os.walk(root) for name in names]


def activity_path(world) -> str:
    return f"/activities/{world['activity'].id}/documents"


def add(client, world, raw=samples.PDF, name="Ordre du jour – Banjul.pdf", title="Agenda"):
    return samples.upload(client, activity_path(world), raw, name, title)


def only_document() -> Document:
    return db.session.scalars(select(Document)).one()


def test_a_manager_adds_a_pdf_kept_under_a_random_key_outside_the_web_root(app, world, client_of):
    response = add(client_of("trainer"), world, name="../../static/Ordre du jour – Banjul.pdf")

    assert response.status_code == 302
    document = only_document()
    assert (document.title, document.original_name, document.content_type) == (
        "Agenda", "Ordre du jour – Banjul.pdf", "application/pdf")
    assert document.size == len(samples.PDF) and document.sha256 == hashlib.sha256(samples.PDF).hexdigest()
    assert document.activity_id == world["activity"].id and document.programme_id is None
    [path] = stored_files(app)
    assert KEY.fullmatch(document.storage_key) and path == Path(app.config["DOCUMENTS_FOLDER"]) / document.storage_key
    assert "Ordre" not in str(path) and "Banjul" not in str(path) and path.suffix == ""
    assert path.read_bytes() == samples.PDF
    for web_root in (Path(app.static_folder), PROJECT_ROOT / "templates"):
        assert not path.resolve().is_relative_to(web_root.resolve())
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.DOCUMENT_ADDED)).one()
    assert event.object_id == document.id and event.details["sha256"] == document.sha256


def test_the_default_folder_is_the_instance_folders_documents(make_app):
    app = make_app()
    storage = storage_for(app)
    assert isinstance(storage, FolderStorage) and storage.root == Path(app.instance_path) / "documents"
    with pytest.raises(ValueError, match="DOCUMENTS_STORAGE"):
        storage_for(make_app(DOCUMENTS_STORAGE="s3"))


def test_a_stored_key_that_is_not_ours_names_no_file(app):
    with pytest.raises(ValueError):
        storage_for(app).open("../../secret_key")


@pytest.mark.parametrize(("raw", "name", "message"), [
    (samples.PDF, "report.docx", "The content of the file does not match its name: it is not a .docx file."),
    (samples.HTML, "agenda.pdf", "This type of file is not accepted."),
    (samples.EXE, "agenda.exe", "This type of file is not accepted."),
    (samples.EXE, "agenda.pdf", "This type of file is not accepted."),
    (samples.SVG, "logo.svg", "This type of file is not accepted."),
    (samples.SVG_BARE, "logo.png", "This type of file is not accepted."),
    (b"", "empty.pdf", "The file is empty."),
])
def test_refused_files_leave_nothing_behind(app, world, client_of, raw, name, message):
    response = add(client_of("trainer"), world, raw=raw, name=name)

    assert response.status_code == 200 and message in text(response)
    assert db.session.scalar(select(func.count(Document.id))) == 0 and stored_files(app) == []


def test_a_title_is_required(app, world, client_of):
    response = add(client_of("trainer"), world, title="  ")
    assert response.status_code == 200 and "Title" in text(response)
    assert db.session.scalar(select(func.count(Document.id))) == 0 and stored_files(app) == []


def test_files_over_the_limit_are_refused_and_far_over_it_get_the_413_page(app, world, client_of):
    app.config["DOCUMENTS_MAX_BYTES"] = 1000
    client = client_of("trainer")
    just_over = add(client, world, raw=b"a" * 1001, name="notes.txt")
    far_over = add(client, world, raw=b"a" * (1000 + FORM_OVERHEAD + 1), name="notes.txt")

    assert just_over.status_code == 200 and "The file is larger than" in text(just_over)
    assert far_over.status_code == 413 and "The upload is too large" in text(far_over)
    assert db.session.scalar(select(func.count(Document.id))) == 0 and stored_files(app) == []


def test_documents_may_exceed_the_sites_general_upload_limit(app, world, client_of):
    raw = b"%PDF-1.7\n" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1024)
    assert add(client_of("trainer"), world, raw=raw).status_code == 302
    assert only_document().size == len(raw)
    # Any other form still stops at MAX_CONTENT_LENGTH.
    assert samples.upload(client_of("admin"), "/admin/people/import", raw, "people.csv").status_code == 413


def test_a_failed_row_takes_the_stored_file_away(app, world, people, monkeypatch):
    def fail():
        raise RuntimeError("database gone")

    monkeypatch.setattr(db.session, "commit", fail)
    with app.test_request_context(), pytest.raises(RuntimeError):
        services.add_document(world["activity"], services.Upload("Agenda", "a.pdf", __import__("io").BytesIO(
            samples.PDF)), people["trainer"])
    monkeypatch.undo()
    assert stored_files(app) == [] and db.session.scalar(select(func.count(Document.id))) == 0


def test_the_download_is_an_attachment_of_the_sniffed_type_never_cached(app, world, client_of):
    add(client_of("trainer"), world)
    document = only_document()

    response = client_of("learner").get(f"/documents/{document.id}")
    body = response.data
    response.close()  # as the server does: the stored file is closed with the response

    assert response.status_code == 200 and body == samples.PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Ordre du jour _ Banjul.pdf\"; "
        "filename*=UTF-8''Ordre%20du%20jour%20%E2%80%93%20Banjul.pdf")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("sent", "shown"), [
    ('a"b;\r\nc.pdf', "ab;c.pdf"), ("C:\\Users\\amy\\budget.pdf", "budget.pdf"), ("...", "document"),
    ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
])
def test_the_original_name_is_cleaned_for_display_and_download(sent, shown):
    assert services.display_name(sent) == shown


def test_deleting_removes_the_file_and_the_row_and_is_audited(app, world, client_of):
    client = client_of("trainer")
    add(client, world)
    document_id = only_document().id

    response = client.post(f"/documents/{document_id}/delete", data={"csrf_token": csrf_token(client, activity_path(world))})

    assert response.status_code == 302
    assert db.session.get(Document, document_id) is None and stored_files(app) == []
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.DOCUMENT_DELETED)).one()
    assert event.object_id == document_id
    assert client.get(f"/documents/{document_id}").status_code == 404


def test_a_programmes_documents_are_its_trainers(app, world, client_of):
    path = f"/manage/programmes/{world['programme'].id}/documents"
    assert samples.upload(client_of("trainer"), path, samples.docx(), "plan.docx", "Work plan").status_code == 302
    document = only_document()
    assert document.programme_id == world["programme"].id and document.content_type == services.sniffing.DOCX
    assert "Work plan" in text(client_of("other_trainer").get(path))
    assert client_of("learner").get(path).status_code == 403
    assert client_of("focal_point").get(f"/documents/{document.id}").status_code == 404
    with client_of("admin").get(f"/documents/{document.id}") as response:
        assert response.status_code == 200 and hashlib.sha256(response.data).hexdigest() == document.sha256
