"""The library's pages: who finds and opens what, the staff's form, downloads counted."""
import io

from flask import url_for
from sqlalchemy import select

from elearn.access import Role
from elearn.extensions import db
from elearn.library.models import LibraryResource
from elearn.library.services import publish
from elearn.mentoring.models import MentoringPair, PairStatus
from tests.factories import PASSWORD, make_parliament, make_person
from tests.helpers import post_form, sign_in, text

PDF = b"%PDF-1.7\n%%EOF\n"


def _add(title, access="network", **extra):
    resource = publish(title=title, summary="", body="", kind="guide", language="en", topic_id=None, access=access,
                       added_by=None, **extra)
    db.session.commit()
    return resource


def _client(app, person):
    client = app.test_client()
    sign_in(client, person.email, PASSWORD)
    return client


def test_the_list_shows_each_visitor_only_what_they_may_read(app, client, people):
    _add("Open guide", "public")
    _add("Network guide")
    _add("Gambia guide", "parliament", parliament_id=people["learner"].parliament_id)
    assert "Open guide" in text(client.get("/library"))
    assert "Network guide" not in text(client.get("/library"))
    page = text(_client(app, people["learner"]).get("/library?q=guide"))
    assert {"Open guide", "Network guide", "Gambia guide"} <= {t for t in ("Open guide", "Network guide",
                                                                         "Gambia guide") if t in page}
    other = make_person(parliament=make_parliament())
    assert "Gambia guide" not in text(_client(app, other).get("/library"))


def test_a_pairs_resource_is_not_found_by_anyone_else_even_another_trainer(app, people):
    mentor, mentee = make_person(), make_person()
    pair = MentoringPair(mentor=mentor, mentee=mentee, trainer=people["trainer"])
    db.session.add(pair)
    db.session.commit()
    resource = _add("Pair reading", "pair", pair_id=pair.id)
    for person in (mentor, mentee, people["trainer"]):
        assert "Pair reading" in text(_client(app, person).get(f"/library/{resource.id}"))
    for person in (make_person(Role.TRAINER), people["admin"], people["focal_point"], people["learner"]):
        client = _client(app, person)
        assert client.get(f"/library/{resource.id}").status_code == 404
        assert client.get(f"/library/{resource.id}/open").status_code == 404
        assert "Pair reading" not in text(client.get("/library?q=pair"))
    stranger = _client(app, make_person(Role.TRAINER))
    assert stranger.get(f"/manage/library/{resource.id}/edit").status_code == 404
    assert post_form(stranger, f"/manage/library/{resource.id}/delete").status_code == 404
    assert db.session.get(LibraryResource, resource.id) is not None


def test_a_trainer_adds_a_file_it_is_found_downloaded_and_counted(app, people):
    trainer = _client(app, people["trainer"])
    response = post_form(trainer, "/manage/library/new", {
        "title": "Budget scrutiny guide", "summary": "How committees scrutinise the budget", "body": "",
        "keywords": "budget, scrutiny", "kind": "guide", "language": "en", "access": "network",
        "file": (io.BytesIO(PDF), "guide.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    resource = db.session.scalar(select(LibraryResource))
    assert (resource.title, resource.keywords, resource.original_name) == ("Budget scrutiny guide",
                                                                          ["budget", "scrutiny"], "guide.pdf")
    learner = _client(app, people["learner"])
    assert "Budget scrutiny guide" in text(learner.get("/library?q=scrutin"))
    for _n in range(2):
        download = learner.get(f"/library/{resource.id}/open")
        assert download.data == PDF
        assert download.headers["Content-Disposition"].startswith("attachment")
    db.session.expire_all()
    assert db.session.get(LibraryResource, resource.id).downloads == 2


def test_bad_input_is_explained_and_nothing_is_saved(app, people):
    trainer = _client(app, people["trainer"])
    cases = [({"access": "parliament"}, "Choose the parliament whose people may read this resource."),
             ({"external_url": "javascript:alert(1)"}, "Give a web address starting with https:// or http://."),
             ({"file": (io.BytesIO(b"MZ\x90\x00"), "tool.exe")}, "This type of file is not accepted."),
             ({"file": (io.BytesIO(PDF), "guide.pdf"), "external_url": "https://example.org"},
              "Give a file or a web address, not both.")]
    for changes, message in cases:
        data = {"title": "A guide", "kind": "guide", "language": "en", "access": "network"} | changes
        response = post_form(trainer, "/manage/library/new", data, content_type="multipart/form-data")
        assert response.status_code == 200
        assert message in text(response)
    assert db.session.scalar(select(LibraryResource)) is None


def test_a_learner_cannot_add_edit_or_delete(app, people):
    resource = _add("Guide", "public")
    learner = _client(app, people["learner"])
    assert learner.get("/manage/library/new").status_code == 403
    assert post_form(learner, f"/manage/library/{resource.id}/delete").status_code == 403
    assert post_form(learner, f"/manage/library/{resource.id}/edit", {"title": "Changed"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(LibraryResource, resource.id).title == "Guide"


def test_a_trainer_edits_and_deletes(app, people):
    resource = _add("Old title", "public")
    trainer = _client(app, people["trainer"])
    response = post_form(trainer, f"/manage/library/{resource.id}/edit", {
        "title": "New title", "kind": "model_text", "language": "fr", "access": "network"})
    assert response.status_code == 302
    assert "New title" in text(trainer.get("/library?q=new"))
    assert post_form(trainer, f"/manage/library/{resource.id}/delete").status_code == 302
    assert db.session.scalar(select(LibraryResource)) is None


def test_the_activity_and_programme_pages_list_their_resources(app, people):
    from tests.scheduling.factories import make_activity, make_programme

    activity = make_activity(programme=make_programme())
    _add("Seminar slides", "network", activity_id=activity.id, programme_id=activity.programme_id)
    trainer = _client(app, people["trainer"])
    with app.test_request_context():
        urls = (url_for("scheduling_admin.overview", activity_id=activity.id),
                url_for("scheduling_admin.edit_programme", programme_id=activity.programme_id))
    for url in urls:
        assert "Seminar slides" in text(trainer.get(url))


def test_the_resource_form_offers_only_the_pairs_its_user_trains(app, people):
    request = MentoringPair(mentor=None, mentee=make_person(), status=PairStatus.REQUESTED)  # no mentor yet
    theirs = MentoringPair(mentor=make_person(full_name="Mona Mentor"), mentee=make_person(full_name="Tariq Mentee"),
                           trainer=people["trainer"], status=PairStatus.ACTIVE)
    db.session.add_all([request, theirs])
    db.session.commit()
    for role in ("admin", "trainer"):
        client = app.test_client()
        sign_in(client, people[role].email, PASSWORD)
        page = text(client.get("/manage/library/new"))
        assert ("Mona Mentor – Tariq Mentee" in page) == (role == "trainer"), role


def test_a_declined_pairs_resource_is_no_longer_its_peoples(app, people):
    mentee = make_person()
    pair = MentoringPair(mentor=make_person(), mentee=mentee, trainer=people["trainer"], status=PairStatus.ACTIVE)
    db.session.add(pair)
    db.session.flush()
    resource = publish(title="Reading list", summary="", body="", kind="guide", language="en", topic_id=None,
                       access="pair", pair_id=pair.id, added_by=None)
    db.session.commit()
    client = app.test_client()
    sign_in(client, mentee.email, PASSWORD)
    assert client.get(f"/library/{resource.id}").status_code == 200
    pair.status = PairStatus.WITHDRAWN
    db.session.commit()
    assert client.get(f"/library/{resource.id}").status_code == 404
