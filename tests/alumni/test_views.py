"""The alumni pages as people use them: choosing what to show, searching, reading cards, and what stays hidden."""
from __future__ import annotations

from elearn.alumni import services
from elearn.extensions import db
from tests.alumni.factories import attend, make_alumnus, past_activity
from tests.factories import PASSWORD, make_parliament, make_person
from tests.helpers import post_form, sign_in, text


def _client_of(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    return client


def test_an_alumnus_joins_the_directory_and_others_see_only_what_they_chose(app, login_as):
    me = make_person(full_name="Mariama Darboe", position="Clerk of committees",
                     parliament=make_parliament(name_en="National Assembly of The Gambia"))
    attend(me, past_activity(title="Committee hearings workshop"))
    client = _client_of(app, me)
    page = text(client.get("/alumni/me"))
    assert "Committee hearings workshop" in page and "List me in the alumni directory" in page
    response = post_form(client, "/alumni/me", {"listed": "y", "show_parliament": "y", "show_activities": "y",
                                                "bio": "Not shown"}, follow_redirects=True)
    assert "the directory lists you" in text(response)
    other = login_as("learner")
    listing = text(other.get("/alumni"))
    assert "Mariama Darboe" in listing and "National Assembly of The Gambia" in listing
    assert "Committee hearings workshop" in listing
    for hidden in ("Clerk of committees", me.email, "Not shown"):
        assert hidden not in listing
    entry = services.entry_of(me)
    card = text(other.get(f"/alumni/{entry.id}"))
    assert "Mariama Darboe" in card and me.email not in card and "Clerk of committees" not in card


def test_bad_choices_are_explained_and_nothing_is_saved(app):
    me = make_person()
    attend(me, past_activity())
    client = _client_of(app, me)
    response = post_form(client, "/alumni/me", {"listed": "y", "show_bio": "y", "bio": ""})
    assert response.status_code == 200
    assert "Write a short biography, or do not choose to show it." in text(response)
    response = post_form(client, "/alumni/me", {"listed": "y", "topic_ids": "abc"})
    assert response.status_code == 200 and "Please correct the following" in text(response)
    assert services.entry_of(me) is None


def test_someone_who_took_part_in_nothing_is_told_why_and_cannot_post(app, login_as, people):
    client = login_as("learner")
    assert "took part in at least one session" in text(client.get("/alumni/me"))
    response = post_form(client, "/alumni/me", {"listed": "y"})
    assert "took part in at least one session" in text(response)
    assert services.entry_of(people["learner"]) is None


def test_a_card_not_listed_is_found_by_its_owner_only(app, login_as):
    entry = make_alumnus(listed=False, show_email=True)
    for role in ("learner", "focal_point", "trainer", "admin"):
        assert login_as(role).get(f"/alumni/{entry.id}").status_code == 404, role
    own = text(_client_of(app, entry.person).get(f"/alumni/{entry.id}"))
    assert "no one else sees this card" in own and entry.person.email in own
    assert app.test_client().get(f"/alumni/{entry.id}").status_code == 302  # to sign in
    assert app.test_client().get("/alumni").status_code == 302
    assert login_as("learner").get("/alumni/999999").status_code == 404


def test_a_deactivated_persons_card_disappears(app, login_as):
    entry = make_alumnus(show_parliament=True)
    client = login_as("learner")
    assert client.get(f"/alumni/{entry.id}").status_code == 200
    entry.person.is_active = False
    db.session.commit()
    assert client.get(f"/alumni/{entry.id}").status_code == 404
    assert entry.person.full_name not in text(client.get("/alumni"))


def test_search_filters_and_bad_arguments(app, login_as):
    parliament = make_parliament(name_en="Parliament of Bhutan")
    make_alumnus(make_person(full_name="Karma Wangchuk", parliament=parliament), show_parliament=True)
    make_alumnus(make_person(full_name="Awa Jallow"))
    client = login_as("learner")
    assert "Karma Wangchuk" in text(client.get(f"/alumni?parliament={parliament.id}"))
    assert "Awa Jallow" not in text(client.get(f"/alumni?parliament={parliament.id}"))
    page = text(client.get("/alumni?q=awa"))
    assert "Awa Jallow" in page and "Karma Wangchuk" not in page
    for bad in ("parliament=abc", "topic=99999999", "activity=-1", "q=" + "x" * 300):
        response = client.get(f"/alumni?{bad}")
        assert response.status_code == 200 and "Please correct the following" in text(response), bad
    assert "No one listed matches these filters" in text(client.get("/alumni?q=nobody"))


def test_the_directory_is_paginated(app, login_as):
    app.config["PAGE_SIZE"] = 2
    for n in range(5):
        make_alumnus(make_person(full_name=f"Alumnus {n}"))
    client = login_as("learner")
    first, last = text(client.get("/alumni")), text(client.get("/alumni?page=3"))
    assert "Alumnus 0" in first and "Alumnus 2" not in first and "5 people" in first
    assert "Alumnus 4" in last and "Alumnus 0" not in last


def test_the_dashboard_invites_an_alumnus_and_shows_everyone_the_directory(app, login_as):
    me = make_person()
    attend(me, past_activity())
    assert "you may join the alumni directory" in text(_client_of(app, me).get("/dashboard"))
    other = text(login_as("focal_point").get("/dashboard"))
    assert "Browse the alumni directory" in other and "you may join" not in other
