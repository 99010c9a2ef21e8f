"""Full-text search and access: the same resources found on SQLite and PostgreSQL, only those a person may read."""
import pytest
from sqlalchemy import func, select, text

from elearn.access import Role
from elearn.extensions import db
from elearn.library.models import LibraryResource, ResourceAccess, ResourceKind
from elearn.library.search import Filters, rebuild, search
from elearn.library.services import LibraryError, publish
from elearn.mentoring.models import MentoringPair
from tests.factories import make_parliament, make_person


def _add(title, *, summary="", body="", access=ResourceAccess.NETWORK, kind=ResourceKind.GUIDE, language="en",
         **extra):
    resource = publish(title=title, summary=summary, body=body, kind=kind, language=language, topic_id=None,
                       access=access, added_by=None, **extra)
    db.session.commit()
    return resource


def _titles(person, **filters):
    return [r.title for r in db.session.scalars(search(person, Filters(**filters)))]


def test_words_match_whatever_their_case_and_accents_as_prefixes(app):
    _add("Résumé of the budgetary debate", body="The committee examined the draft.")
    _add("Rules of procedure", summary="A model text for the table office")
    _add("المراقبة البرلمانية", body="دليل لِلجان")
    reader = make_person()

    assert _titles(reader, words="resume") == ["Résumé of the budgetary debate"]
    assert _titles(reader, words="BUDGET debate") == ["Résumé of the budgetary debate"]
    assert _titles(reader, words="table OFFICE") == ["Rules of procedure"]
    assert _titles(reader, words="للجان") == ["المراقبة البرلمانية"]
    assert _titles(reader, words="budget procedure") == []
    assert _titles(reader, words="%' OR 1=1 --\"*") == []


def test_a_title_match_comes_before_a_body_match(app):
    _add("Oversight handbook", body="Nothing else here.")
    _add("Committee work", body="A chapter on oversight of the executive.")
    assert _titles(make_person(), words="oversight") == ["Oversight handbook", "Committee work"]


def test_a_changed_or_deleted_resource_is_found_by_its_new_words_only(app):
    resource = _add("Petitions guide")
    resource.title = "Hearings guide"
    db.session.commit()
    reader = make_person()
    assert _titles(reader, words="petitions") == []
    assert _titles(reader, words="hearings") == ["Hearings guide"]
    db.session.delete(resource)
    db.session.commit()
    assert _titles(reader, words="hearings") == []


def test_rebuild_indexes_rows_written_without_the_orm(app):
    db.session.execute(LibraryResource.__table__.insert(), [
        {"title": "Bulk written handbook", "summary": "", "body": "", "keywords": ["interpellation"],
         "kind": "guide", "language": "en", "access": "network", "downloads": 0, "external_url": "",
         "original_name": "", "content_type": "", "size": 0, "sha256": ""}])
    db.session.commit()
    assert _titles(make_person(), words="interpellation") == []
    rebuild(db.session.connection())
    db.session.commit()
    assert _titles(make_person(), words="interpellation") == ["Bulk written handbook"]


def test_filters_narrow_the_list(app):
    _add("Guide in French", language="fr")
    _add("Model law", kind=ResourceKind.MODEL_TEXT)
    reader = make_person()
    assert _titles(reader, language="fr") == ["Guide in French"]
    assert _titles(reader, kind=ResourceKind.MODEL_TEXT) == ["Model law"]
    assert _titles(reader, kind=ResourceKind.MODEL_TEXT, words="french") == []


def test_each_person_finds_only_what_they_may_read(app):
    home, other = make_parliament(), make_parliament()
    mentor, mentee = make_person(), make_person(parliament=home)
    trainer, other_trainer = make_person(Role.TRAINER), make_person(Role.TRAINER)
    pair = MentoringPair(mentor=mentor, mentee=mentee, trainer=trainer)
    db.session.add(pair)
    db.session.commit()
    _add("Open note", access=ResourceAccess.PUBLIC)
    _add("Network note")
    _add("Home note", access=ResourceAccess.PARLIAMENT, parliament_id=home.id)
    _add("Other note", access=ResourceAccess.PARLIAMENT, parliament_id=other.id)
    _add("Pair note", access=ResourceAccess.PAIR, pair_id=pair.id)

    def seen(person):
        return set(_titles(person, words="note"))

    assert seen(None) == {"Open note"}
    assert seen(make_person()) == {"Open note", "Network note"}
    assert seen(make_person(Role.FOCAL_POINT, parliament=home)) == {"Open note", "Network note", "Home note"}
    assert seen(mentee) == {"Open note", "Network note", "Home note", "Pair note"}
    assert seen(mentor) == {"Open note", "Network note", "Pair note"}
    assert seen(trainer) == {"Open note", "Network note", "Home note", "Other note", "Pair note"}
    assert seen(other_trainer) == {"Open note", "Network note", "Home note", "Other note"}
    assert seen(make_person(Role.ADMIN)) == {"Open note", "Network note", "Home note", "Other note"}


@pytest.mark.parametrize("arguments, field", [
    ({"title": "  "}, "title"), ({"title": "x" * 201}, "title"), ({"language": "xx"}, "language"),
    ({"access": ResourceAccess.PARLIAMENT}, "parliament_id"), ({"access": "pair"}, "pair_id")])
def test_publish_refuses_bad_input_and_adds_nothing(app, arguments, field):
    values = dict(title="A title", summary="", body="", kind="answer", language="en", topic_id=None,
                  access="network", added_by=None) | arguments
    with pytest.raises(LibraryError) as refused:
        publish(**values)
    assert refused.value.field == field
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(LibraryResource)) == 0


def test_publish_keeps_only_the_reference_its_access_needs(app):
    parliament = make_parliament()
    resource = _add("Answer", access="network", kind="answer", parliament_id=parliament.id)
    assert (resource.kind, resource.access, resource.parliament_id) == (ResourceKind.ANSWER,
                                                                       ResourceAccess.NETWORK, None)


def test_the_index_exists_in_the_schema_the_tests_build(app):
    count = db.session.scalar(text("SELECT count(*) FROM library_search"))
    assert count == 0
