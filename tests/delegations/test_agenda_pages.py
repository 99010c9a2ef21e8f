"""Agenda pages: who may open them (wrong roles, other activities' items), forms that refuse bad input, prints."""
from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.delegations import agenda
from elearn.delegations.agenda_models import AgendaItem, Institution
from elearn.extensions import db
from tests.delegations.agenda_helpers import item_input, make_visit, members_only
from tests.factories import PASSWORD, make_person
from tests.helpers import post_form, sign_in, text


def signed_in(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    return client


@pytest.fixture
def visit(app):
    return make_visit()


def manage_urls(visit, item) -> list[str]:
    activity_id = visit.activity.id
    return [f"/manage/activities/{activity_id}/agenda", f"/manage/activities/{activity_id}/agenda/new",
            f"/manage/activities/{activity_id}/agenda/print", f"/manage/agenda-items/{item.id}/edit",
            f"/manage/agenda-items/{item.id}/delete"]


def test_the_activity_s_trainer_and_admins_open_every_agenda_page_others_are_refused(app, visit):
    item = agenda.create_item(visit.activity, item_input(visit))
    for person in (visit.trainer, make_person(Role.ADMIN)):
        client = signed_in(app, person)
        for url in manage_urls(visit, item):
            assert client.get(url).status_code == 200, url
    for person, status in ((make_person(Role.TRAINER), 403), (visit.members[0], 403),
                           (make_person(Role.FOCAL_POINT), 403)):
        client = signed_in(app, person)
        for url in manage_urls(visit, item):
            assert client.get(url).status_code == status, url
        assert post_form(client, f"/manage/agenda-items/{item.id}/delete").status_code == status
        assert post_form(client, f"/manage/agenda-items/{item.id}/edit", {"title": "x"}).status_code == status
    anonymous = app.test_client()
    assert "/account/login" in anonymous.get(manage_urls(visit, item)[0]).headers["Location"]
    assert db.session.get(AgendaItem, item.id).title == "Meeting with the Finance Committee"


def test_the_directory_is_for_trainers_and_admins(app, visit):
    for role, status in ((Role.TRAINER, 200), (Role.ADMIN, 200), (Role.LEARNER, 403), (Role.FOCAL_POINT, 403)):
        client = signed_in(app, make_person(role))
        for url in ("/manage/institutions", "/manage/institutions/new",
                    f"/manage/institutions/{visit.senate.id}/edit", f"/manage/institutions/{visit.senate.id}/delete"):
            assert client.get(url).status_code == status, (role, url)
    client = signed_in(app, make_person(Role.LEARNER))
    assert post_form(client, f"/manage/institutions/{visit.council.id}/delete").status_code == 403
    assert db.session.get(Institution, visit.council.id) is not None


def test_a_trainer_of_another_activity_cannot_reach_this_one_s_items_through_their_own(app, visit):
    other = make_visit(title="Another visit")
    item = agenda.create_item(visit.activity, item_input(visit))
    client = signed_in(app, other.trainer)
    assert client.get(f"/manage/agenda-items/{item.id}/edit").status_code == 403
    assert client.get(f"/manage/activities/{other.activity.id}/agenda/print?registration="
                      f"{visit.registrations[visit.members[0].id].id}").status_code == 404
    # Their own activity's form refuses a session of another activity.
    response = post_form(client, f"/manage/activities/{other.activity.id}/agenda/new", {
        "session_id": visit.activity.sessions[0].id, "day": visit.first_day.isoformat(), "start_time": "10:00",
        "end_time": "11:00", "title": "Sneaky", "institution_id": "", "for_everyone": "y"})
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AgendaItem).where(AgendaItem.title == "Sneaky")) == 0


def form_data(visit, **changes) -> dict:
    data = {"session_id": visit.activity.sessions[0].id, "day": visit.first_day.isoformat(), "start_time": "10:00",
            "end_time": "11:30", "title": "Meeting at the Senate", "institution_id": visit.senate.id,
            "host": "Ms Martin", "room": "Salle Médicis", "briefing_md": "Notes", "for_everyone": "y"}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_adding_editing_and_deleting_an_item_through_the_pages(app, visit):
    client = signed_in(app, visit.trainer)
    base = f"/manage/activities/{visit.activity.id}/agenda"
    response = post_form(client, f"{base}/new", form_data(visit))
    assert response.status_code == 302 and response.headers["Location"].endswith(base)
    item = db.session.scalar(select(AgendaItem))
    assert item.title == "Meeting at the Senate" and item.for_everyone
    page = text(client.get(base))
    assert "Meeting at the Senate" in page and "Senate, 15 rue de Vaugirard" in page

    members = [visit.registrations[p.id].id for p in visit.members]
    response = post_form(client, f"/manage/agenda-items/{item.id}/edit",
                         form_data(visit, for_everyone=None, registration_ids=members, start_time="14:00",
                                   end_time="15:00"))
    assert response.status_code == 302
    db.session.expire_all()
    assert sorted(r.id for r in item.participants) == sorted(members) and item.sequence == 1
    assert "Awa Kouassi" in text(client.get(base))

    assert "cancellation" in text(client.get(f"/manage/agenda-items/{item.id}/delete"))
    assert post_form(client, f"/manage/agenda-items/{item.id}/delete").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == 0


@pytest.mark.parametrize(("changes", "message"), [
    (dict(start_time="07:00", end_time="08:00"), "The item must start within its session"),
    (dict(start_time="17:00", end_time="19:00"), "The item must end within its session"),
    (dict(start_time="12:00", end_time="11:00"), "The end must be after the start."),
    (dict(for_everyone=None, registration_ids=["waiting"]), "Only participants confirmed at this activity"),
    (dict(for_everyone=None), "Choose the participants concerned"),
])
def test_bad_input_is_refused_with_a_message_naming_the_field(app, visit, changes, message):
    if changes.get("registration_ids") == ["waiting"]:
        changes["registration_ids"] = [visit.registrations[visit.waiting.id].id]
    client = signed_in(app, visit.trainer)
    response = post_form(client, f"/manage/activities/{visit.activity.id}/agenda/new", form_data(visit, **changes))
    assert response.status_code == 200
    page = text(response)
    assert message in page and 'class="error-message"' in page
    assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == 0


def test_a_used_institution_is_not_deleted_and_the_refusal_says_why(app, visit):
    agenda.create_item(visit.activity, item_input(visit))
    client = signed_in(app, visit.trainer)
    response = post_form(client, f"/manage/institutions/{visit.senate.id}/delete", follow_redirects=True)
    assert "still used by 1 agenda item" in text(response)
    assert db.session.get(Institution, visit.senate.id) is not None
    response = post_form(client, f"/manage/institutions/{visit.council.id}/delete", follow_redirects=True)
    assert "The institution is deleted." in text(response)


def test_the_directory_form_and_its_refusals(app, visit):
    client = signed_in(app, visit.trainer)
    response = post_form(client, "/manage/institutions/new", {"name": "Senate", "kind": "upper_house",
                                                              "city": "Paris"})
    assert "already listed in this city" in text(response)
    response = post_form(client, "/manage/institutions/new", {
        "name": "Court of Audit", "kind": "court", "address": "13 rue Cambon", "city": "Paris", "country": "fr",
        "contact_email": "protocol@example.org"})
    assert response.status_code == 302
    court = db.session.scalar(select(Institution).where(Institution.name == "Court of Audit"))
    assert court.country == "FR" and court.kind.value == "court"
    assert "Court of Audit" in text(client.get("/manage/institutions"))
    response = post_form(client, f"/manage/institutions/{court.id}/edit", {
        "name": "Court of Audit", "kind": "court", "address": "13 rue Cambon", "city": "Paris", "country": "FR"})
    assert response.status_code == 302


def test_the_printed_agenda_has_one_section_per_day_in_the_participant_s_language(app, visit):
    agenda.create_item(visit.activity, item_input(visit))
    agenda.create_item(visit.activity, members_only(visit, title="Lunch of the members", start_time=time(12, 30),
                                                    end_time=time(14)))
    second = visit.activity.sessions[1]
    agenda.create_item(visit.activity, item_input(visit, session_id=second.id, day=second.local_start.date(),
                                                  title="Council of State", institution_id=visit.council.id))
    trainer = signed_in(app, visit.trainer)
    whole = text(trainer.get(f"/manage/activities/{visit.activity.id}/agenda/print"))
    assert whole.count('class="agenda-day"') == 2 and "Lunch of the members" in whole and "Council of State" in whole
    assert "10:00" in whole and "11:30" in whole  # the activity's clock (Paris), not UTC

    staff = visit.registrations[visit.staff.id]  # French-speaking, not a member
    printed = text(trainer.get(f"/manage/activities/{visit.activity.id}/agenda/print?registration={staff.id}"))
    assert "Ordre du jour : Working visit" in printed and "Lunch of the members" not in printed
    assert "Meeting with the Finance Committee" in printed
    assert 'lang="fr"' in printed

    # A participant prints their own, in their language; the waitlisted and strangers have none.
    awa = signed_in(app, visit.members[0])
    own = text(awa.get(f"/activities/{visit.activity.id}/my-agenda"))
    assert "Ordre du jour de Awa Kouassi" in own and "Lunch of the members" in own
    assert signed_in(app, visit.waiting).get(f"/activities/{visit.activity.id}/my-agenda").status_code == 404
    assert signed_in(app, make_person()).get(f"/activities/{visit.activity.id}/my-agenda").status_code == 404


def test_the_trainer_overview_links_to_the_agenda(app, visit):
    page = text(signed_in(app, visit.trainer).get(f"/manage/activities/{visit.activity.id}"))
    assert f"/manage/activities/{visit.activity.id}/agenda" in page


def test_a_confirmed_participant_finds_their_agenda_from_the_activity_page(app, visit):
    page = text(signed_in(app, visit.members[0]).get(f"/activities/{visit.activity.id}"))
    assert f"/activities/{visit.activity.id}/my-agenda" in page
    page = text(signed_in(app, visit.waiting).get(f"/activities/{visit.activity.id}"))
    assert "/my-agenda" not in page


def test_the_agenda_pages_read_the_same_statements_for_few_or_many_items(app, visit):
    from tests.helpers import count_queries

    client = signed_in(app, visit.trainer)
    urls = (f"/manage/activities/{visit.activity.id}/agenda", f"/manage/activities/{visit.activity.id}/agenda/print")

    def statements() -> list[int]:
        counts = []
        for url in urls:
            db.session.expire_all()
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    agenda.create_item(visit.activity, members_only(visit))
    few = statements()
    for n, session in enumerate(visit.activity.sessions):
        for hour in (14, 15, 16):
            agenda.create_item(visit.activity, members_only(visit, session_id=session.id, day=session.local_start.date(),
                                                            start_time=time(hour), end_time=time(hour, 45),
                                                            title=f"Meeting {n}-{hour}",
                                                            institution_id=(visit.senate, visit.council)[hour % 2].id))
    assert statements() == few
