"""Administration of people and parliaments: lists, forms, deactivation and role changes."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.extensions import db
from elearn.people.models import Parliament, Person, PersonKind
from tests import factories
from tests.helpers import count_queries, csrf_token, sign_in, text
from tests.people import signed_in_as, submit

ROW_NAME_RE = re.compile(r'<td><a href="/admin/people/\d+">([^<]+)</a></td>')


def listed_names(response) -> list[str]:
    return ROW_NAME_RE.findall(text(response))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def post_action(client, path: str, data: dict | None = None, **kwargs):
    form = {"csrf_token": csrf_token(client, "/dashboard"), **(data or {})}
    return client.post(path, data=form, **kwargs)


# The people list

@pytest.fixture
def assembly(app):
    """Two parliaments with a few people of different roles and kinds."""
    bhutan = factories.make_parliament(name_en="Parliament of Bhutan", country_code="BT")
    malawi = factories.make_parliament(name_en="Parliament of Malawi", country_code="MW")
    factories.make_person(full_name="Karma Dorji", kind=PersonKind.MP, parliament=bhutan)
    factories.make_person(Role.FOCAL_POINT, full_name="Pema Choden", parliament=bhutan)
    factories.make_person(full_name="Chikondi Banda", kind=PersonKind.MP, parliament=malawi)
    factories.make_person(Role.TRAINER, full_name="Chimwemwe Phiri", kind=PersonKind.EXPERT)
    return {"bhutan": bhutan, "malawi": malawi}


def test_people_are_found_by_part_of_their_name_or_email(admin_client, assembly):
    assert listed_names(admin_client.get("/admin/people?q=DORJI")) == ["Karma Dorji"]
    assert listed_names(admin_client.get("/admin/people?q=learner@")) == [
        db.session.scalar(select(Person.full_name).where(Person.email == "learner@example.org"))]


def test_people_are_filtered_by_parliament_role_and_kind(admin_client, assembly):
    bhutan = assembly["bhutan"].id
    assert listed_names(admin_client.get(f"/admin/people?parliament={bhutan}")) == ["Karma Dorji", "Pema Choden"]
    assert listed_names(admin_client.get(f"/admin/people?parliament={bhutan}&role=focal_point")) == ["Pema Choden"]
    assert listed_names(admin_client.get("/admin/people?kind=mp")) == ["Chikondi Banda", "Karma Dorji"]
    assert listed_names(admin_client.get("/admin/people?kind=expert&role=trainer")) == ["Chimwemwe Phiri"]
    assert "Nobody matches these filters." in text(admin_client.get("/admin/people?q=nobody-at-all"))


def test_the_people_list_is_paginated(app, admin_client):
    for n in range(1, 31):
        factories.make_person(full_name=f"Pager {n:02d}")

    first = admin_client.get("/admin/people?q=pager")
    second = admin_client.get("/admin/people?q=pager&page=2")

    assert listed_names(first) == [f"Pager {n:02d}" for n in range(1, 26)]
    assert listed_names(second) == [f"Pager {n:02d}" for n in range(26, 31)]
    assert "Page 2 of 2, 30 in all" in text(second)
    assert 'href="/admin/people?page=1&amp;q=pager' in text(second)  # the filter survives paging


def test_the_people_list_costs_the_same_queries_for_10_or_40_people(admin_client):
    def queries_for_list():
        with count_queries() as counter:
            response = admin_client.get("/admin/people?status=all")
        assert response.status_code == 200
        return counter.count, len(listed_names(response))

    for _ in range(6):  # with the four fixture people: 10
        factories.make_person(parliament=factories.make_parliament())
    few, shown_few = queries_for_list()
    for _ in range(30):
        factories.make_person(parliament=factories.make_parliament())
    many, shown_many = queries_for_list()

    assert (shown_few, shown_many) == (10, 25)
    assert few == many


# Creating and editing people

NEW_PERSON = {"email": "amina@example.org", "full_name": "Amina Touray", "kind": "staff", "role": "learner",
              "timezone": "Africa/Banjul"}


def test_an_admin_adds_a_person_without_an_invitation(admin_client, people):
    response = submit(admin_client, "/admin/people/new",
                      {**NEW_PERSON, "send_invitation": None, "parliament_id": str(people["learner"].parliament_id)},
                      follow_redirects=True)

    assert "Amina Touray is added." in text(response)
    amina = db.session.scalar(select(Person).where(Person.email == "amina@example.org"))
    assert (amina.full_name, amina.timezone, amina.parliament.country_code) == ("Amina Touray", "Africa/Banjul", "GM")
    assert not amina.has_password


@pytest.mark.parametrize("email", ["learner@example.org", "LEARNER@Example.ORG"])
def test_an_email_already_in_use_is_refused_in_any_case(admin_client, people, email):
    before = count(Person)

    response = submit(admin_client, "/admin/people/new", {**NEW_PERSON, "email": email})

    assert "already used by another account" in text(response)
    assert count(Person) == before


def test_an_admin_edits_a_person(admin_client, people):
    learner = people["learner"]

    response = submit(admin_client, f"/admin/people/{learner.id}",
                      {"full_name": "Fatou Jallow", "position": "Clerk to the Finance Committee"},
                      follow_redirects=True)

    assert "Changes to Fatou Jallow are saved." in text(response)
    assert (learner.full_name, learner.position) == ("Fatou Jallow", "Clerk to the Finance Committee")
    assert learner.email == "learner@example.org"  # the rest of the form came back as it was


def test_an_edit_cannot_take_another_persons_email(admin_client, people):
    response = submit(admin_client, f"/admin/people/{people['learner'].id}", {"email": "Trainer@example.org"})

    assert "already used by another account" in text(response)
    assert people["learner"].email == "learner@example.org"


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in(app, admin_client, learner_client, people):
    learner = people["learner"]

    response = post_action(admin_client, f"/admin/people/{learner.id}/active", {"active": "0"},
                           follow_redirects=True)

    assert f"{learner.full_name} is deactivated and can no longer sign in." in text(response)
    assert "This account is deactivated." in text(response)
    assert learner.is_active is False
    assert signed_in_as(learner_client) is None
    retry = sign_in(app.test_client(), "learner@example.org", factories.PASSWORD)
    assert "The email or password is not correct, or the account is not active." in text(retry)


def test_a_reactivated_person_can_sign_in_again(app, admin_client, people):
    learner = people["learner"]
    post_action(admin_client, f"/admin/people/{learner.id}/active", {"active": "0"})

    post_action(admin_client, f"/admin/people/{learner.id}/active", {"active": "1"})

    assert learner.is_active is True
    assert sign_in(app.test_client(), "learner@example.org", factories.PASSWORD).status_code == 302


def test_an_admin_cannot_deactivate_themselves(admin_client, people):
    admin = people["admin"]

    response = post_action(admin_client, f"/admin/people/{admin.id}/active", {"active": "0"},
                           follow_redirects=True)

    assert "You cannot deactivate your own account." in text(response)
    assert admin.is_active is True
    assert signed_in_as(admin_client) == admin.full_name


def test_a_role_change_signs_the_person_out(app, admin_client, learner_client, people):
    learner = people["learner"]

    submit(admin_client, f"/admin/people/{learner.id}", {"role": "trainer"})

    assert learner.role == Role.TRAINER
    assert signed_in_as(learner_client) is None
    assert sign_in(learner_client, "learner@example.org", factories.PASSWORD).status_code == 302


def test_other_edits_leave_the_person_signed_in(admin_client, learner_client, people):
    submit(admin_client, f"/admin/people/{people['learner'].id}", {"position": "Researcher"})

    assert signed_in_as(learner_client) == people["learner"].full_name


# Parliaments

NEW_PARLIAMENT = {"name_en": "Parliament of Malawi", "name_fr": "Parlement du Malawi", "country_code": "mw",
                  "chamber_name": "National Assembly", "receives_assistance": "y", "working_languages": ["en"]}


def test_an_admin_adds_and_edits_a_parliament(admin_client, people):
    response = submit(admin_client, "/admin/parliaments/new", NEW_PARLIAMENT, follow_redirects=True)

    assert "The parliament is added." in text(response)
    assert "Parliament of Malawi" in text(response)
    malawi = db.session.scalar(select(Parliament).where(Parliament.name_en == "Parliament of Malawi"))
    assert (malawi.country_code, malawi.receives_assistance, malawi.working_languages) == ("MW", True, ["en"])

    response = submit(admin_client, f"/admin/parliaments/{malawi.id}",
                      {"name_en": "National Assembly of Malawi", "working_languages": ["en", "fr"]},
                      follow_redirects=True)

    assert "Changes are saved." in text(response)
    assert (malawi.name_en, malawi.working_languages) == ("National Assembly of Malawi", ["en", "fr"])


def test_the_same_chamber_of_a_country_cannot_be_added_twice(admin_client, people):
    before = count(Parliament)

    gambia = people["learner"].parliament

    response = submit(admin_client, "/admin/parliaments/new",
                      {**NEW_PARLIAMENT, "country_code": "gm", "chamber_name": gambia.chamber_name,
                       "name_en": "Gambia again"})

    assert "This chamber of this country already exists." in text(response)
    assert count(Parliament) == before


def test_an_edit_cannot_turn_a_parliament_into_a_duplicate(admin_client, people):
    senate = factories.make_parliament(country_code="GM", chamber_name="Senate", name_en="Imaginary Senate")

    response = submit(admin_client, f"/admin/parliaments/{senate.id}",
                      {"chamber_name": people["learner"].parliament.chamber_name})

    assert "This chamber of this country already exists." in text(response)
    assert senate.chamber_name == "Senate"


def test_a_parliament_with_members_cannot_be_deleted(admin_client, people):
    gambia = people["learner"].parliament

    response = post_action(admin_client, f"/admin/parliaments/{gambia.id}/delete", follow_redirects=True)

    assert "This parliament has people attached; it cannot be deleted." in text(response)
    assert db.session.get(Parliament, gambia.id) is not None


def test_an_empty_parliament_can_be_deleted(admin_client, people):
    empty_id = factories.make_parliament(name_en="Short-lived Assembly").id

    response = post_action(admin_client, f"/admin/parliaments/{empty_id}/delete", follow_redirects=True)

    assert "The parliament is deleted." in text(response)
    assert "Short-lived Assembly" not in text(response)
    assert db.session.get(Parliament, empty_id) is None


# Forms sent without a CSRF token

def test_creating_a_person_without_a_csrf_token_is_refused(admin_client, people):
    before = count(Person)

    response = admin_client.post("/admin/people/new", data={**NEW_PERSON, "send_invitation": "y"})

    assert response.status_code == 400
    assert "The form had expired or was sent from another site." in text(response)
    assert count(Person) == before


def test_deactivating_without_a_csrf_token_is_refused(admin_client, learner_client, people):
    response = admin_client.post(f"/admin/people/{people['learner'].id}/active", data={"active": "0"})

    assert response.status_code == 400
    assert "The form had expired or was sent from another site." in text(response)
    assert people["learner"].is_active is True
    assert signed_in_as(learner_client) == people["learner"].full_name
