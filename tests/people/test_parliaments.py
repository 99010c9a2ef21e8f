"""Saving and deleting parliaments: a parliament still referred to is refused by name, never a 500."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from elearn import references
from elearn.extensions import db
from elearn.people import parliaments
from elearn.people.models import Parliament
from elearn.scheduling.models import programme_consortium, programme_partner
from tests import factories
from tests.cooperation.factories import make_plan, make_request
from tests.helpers import csrf_token, text
from tests.scheduling.factories import make_activity, make_programme


def delete_through_the_page(client, parliament_id: int):
    form = {"csrf_token": csrf_token(client, "/dashboard")}
    return client.post(f"/admin/parliaments/{parliament_id}/delete", data=form, follow_redirects=True)


def rows_of(table) -> int:
    return db.session.scalar(select(func.count()).select_from(table))


@pytest.fixture
def malawi(app):
    return factories.make_parliament(name_en="Parliament of Malawi", country_code="MW", chamber_name="National Assembly")


def test_a_parliament_used_by_programmes_and_activities_is_not_deleted_and_the_page_says_by_what(
        admin_client, people, malawi):
    france = factories.make_parliament(name_en="French Senate", country_code="FR", chamber_name="Senate")
    make_programme(partners=[malawi])
    make_programme(partners=[malawi], consortium=[france])
    make_programme(consortium=[malawi])
    make_activity(host_parliament_id=malawi.id)
    make_activity(invited_parliament_ids=(malawi.id,))
    make_activity(invited_parliament_ids=(malawi.id,))
    before = (rows_of(programme_partner), rows_of(programme_consortium))

    response = delete_through_the_page(admin_client, malawi.id)

    assert response.status_code == 200
    assert ("This parliament cannot be deleted: it is still used by 1 activity (as host), "
            "2 activities (as invited parliament), 1 programme (in its consortium) and 2 programmes (as partner)."
            ) in html.unescape(text(response))
    assert db.session.get(Parliament, malawi.id) is not None
    assert (rows_of(programme_partner), rows_of(programme_consortium)) == before


def test_a_parliament_with_people_requests_and_plans_names_them_all(admin_client, people):
    gambia = people["learner"].parliament
    make_plan(make_activity(), gambia)
    make_request(people["focal_point"])

    response = delete_through_the_page(admin_client, gambia.id)

    assert ("This parliament has people attached; it cannot be deleted. "
            "Still used by 1 action plan, 1 needs request and 2 people.") in html.unescape(text(response))
    assert db.session.get(Parliament, gambia.id) is not None


def test_the_refusal_is_in_french_for_a_french_speaking_administrator(admin_client, people, malawi):
    people["admin"].preferred_language = "fr"
    db.session.commit()
    make_programme(partners=[malawi])
    make_activity(host_parliament_id=malawi.id)

    response = delete_through_the_page(admin_client, malawi.id)

    assert ("Ce parlement ne peut pas être supprimé : il est encore utilisé par 1 activité (comme hôte) "
            "et 1 programme (comme partenaire).") in html.unescape(text(response))


def test_an_unreferenced_parliament_is_deleted(admin_client, people, malawi):
    malawi_id = malawi.id

    response = delete_through_the_page(admin_client, malawi_id)

    assert "The parliament is deleted." in text(response)
    assert "Parliament of Malawi" not in text(response)
    assert db.session.get(Parliament, malawi_id) is None


def test_a_reference_added_between_the_count_and_the_delete_is_refused_by_the_database(
        app, monkeypatch, malawi):
    counted = references.references_to

    def someone_adds_a_member_just_after_the_count(row):
        found = counted(row)
        monkeypatch.setattr(references, "references_to", counted)
        factories.make_person(full_name="Late Member", parliament=malawi)
        return found

    monkeypatch.setattr(references, "references_to", someone_adds_a_member_just_after_the_count)

    with app.test_request_context(), pytest.raises(parliaments.ParliamentError) as refusal:
        parliaments.delete_parliament(malawi)

    assert str(refusal.value) == ("This parliament has people attached; it cannot be deleted. "
                                  "Still used by 1 person.")
    assert db.session.get(Parliament, malawi.id) is not None


def test_a_table_nobody_named_still_reads_as_a_count_of_its_rows(app):
    with app.test_request_context():
        assert str(references.Reference("minutes", "parliament_id", 3)) == "3 rows of minutes"
        assert references.describe([references.Reference("minutes", "parliament_id", 1),
                                    references.Reference("person", "parliament_id", 2)]
                                   ) == "1 row of minutes and 2 people"


def test_the_same_chamber_twice_is_refused_by_the_service(app, malawi):
    data = parliaments.ParliamentInput(name_en="Malawi again", name_fr="Malawi encore", country_code="mw",
                                       chamber_name=" National Assembly ", gives_assistance=False,
                                       receives_assistance=True, working_languages=("en",))

    with app.test_request_context(), pytest.raises(parliaments.ParliamentError) as refusal:
        parliaments.save_parliament(data)

    assert (str(refusal.value), refusal.value.field) == ("This chamber of this country already exists.", "chamber_name")
    assert rows_of(Parliament.__table__) == 1
