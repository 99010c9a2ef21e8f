"""Roster pages: own profile, search, a profile seen or edited by others; roles, IDOR, CSRF, bad input."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.extensions import db
from elearn.missions.models import ExpertProfile, LanguageLevel
from tests import factories
from tests.helpers import csrf_token, sign_in, text
from tests.missions.roster_helpers import assisting_parliament, expert, past_mission, topics


def _client(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, factories.PASSWORD).status_code == 302
    return client


@pytest.fixture
def member(app):
    topics()
    return factories.make_person(Role.LEARNER, parliament=assisting_parliament(), full_name="Ana Member")


def _form(client, path, **fields):
    data = {"csrf_token": csrf_token(client, path), "summary": "Clerk of the budget committee",
            "keywords": "Budget, AUDIT, budget", "willing_to_travel": "y", "active": "y",
            "languages-0-language": "fr", "languages-0-level": "native",
            "availability-0-starts_on": "2030-01-01", "availability-0-ends_on": "2030-01-31"}
    data.update(fields)
    return client.post(path, data=data)


def test_a_member_of_an_assisting_parliament_creates_and_edits_their_profile(app, member):
    client = _client(app, member)
    page = client.get("/experts/me")
    assert page.status_code == 200 and "You have no profile yet" in text(page)
    budget = topics()["budget"]
    response = _form(client, "/experts/me", topic_ids=str(budget.id))
    assert response.status_code == 302
    profile = db.session.scalars(select(ExpertProfile)).one()
    assert profile.keywords == ["budget", "audit"] and [t.slug for t in profile.topics] == ["budget"]
    assert profile.languages[0].level == LanguageLevel.NATIVE
    page = text(client.get("/experts/me"))
    assert "Clerk of the budget committee" in page and "No past mission yet." in page
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == AuditAction.EXPERT_PROFILE_CHANGED)) == 0


def test_people_of_other_parliaments_get_an_explanation(app, login_as):
    for role in ("learner", "trainer"):
        page = login_as(role).get("/experts/me")
        assert page.status_code == 200 and "parliament that gives assistance" in text(page)
        assert 'name="summary"' not in page.get_data(as_text=True)


@pytest.mark.parametrize("fields, message", [
    ({"availability-0-ends_on": "2029-12-01"}, "cannot end"),
    ({"availability-1-starts_on": "2030-01-15", "availability-1-ends_on": "2030-02-15"}, "overlap"),
    ({"availability-0-ends_on": ""}, "both the first and the last day"),
    ({"languages-0-level": ""}, "Choose a level"),
    ({"languages-0-language": "klingon"}, "Not a valid choice"),
    ({"languages-1-language": "fr", "languages-1-level": "basic"}, "listed twice"),
    ({"keywords": ", ".join(f"k{n}" for n in range(25))}, "At most 20 keywords"),
    ({"keywords": "x" * 41}, "longer than 40"),
    ({"topic_ids": "999999"}, "999999"),
    ({"availability-0-starts_on": "not a date"}, "Not a valid date"),
])
def test_bad_input_is_shown_and_nothing_saved(app, member, fields, message):
    client = _client(app, member)
    response = _form(client, "/experts/me", **fields)
    assert response.status_code == 200 and message in text(response)
    assert db.session.scalar(select(func.count()).select_from(ExpertProfile)) == 0


def test_a_post_without_csrf_is_refused(app, member):
    client = _client(app, member)
    response = client.post("/experts/me", data={"summary": "Forged"})
    assert response.status_code in (400, 403)
    assert db.session.scalar(select(func.count()).select_from(ExpertProfile)) == 0


def test_search_page_filters_ranks_and_paginates(app, login_as):
    known = topics()
    parliament = assisting_parliament()
    for n in range(30):
        expert(parliament, f"Expert {n:02d}", topics_=[known["budget"] if n % 2 else known["library"]],
               periods=[(date(2030, 1, 1), date(2030, 1, 31))])
    trainer = login_as("trainer")
    page = trainer.get(f"/manage/experts?topic={known['budget'].id}&language=fr&level=working"
                       f"&available_from=2030-01-05&available_to=2030-01-09")
    body = text(page)
    assert page.status_code == 200 and "15 experts" in body and "Expert 01" in body and "Expert 02" not in body
    assert 'class="table-scroll"' in page.get_data(as_text=True)
    everyone = trainer.get("/manage/experts")
    assert "30 experts" in text(everyone) and "page=2" in everyone.get_data(as_text=True)
    assert "Expert 29" in text(trainer.get("/manage/experts?page=2"))
    # The page links keep the filters.
    assert f"topic={known['library'].id}" in trainer.get(f"/manage/experts?topic={known['library'].id}"
                                                           f"&topic={known['budget'].id}&page=2").get_data(as_text=True)


@pytest.mark.parametrize("query, message", [
    ("available_from=2030-02-01&available_to=2030-01-01", "before its start"),
    ("available_from=nonsense", "Not a valid date"),
    ("language=xx", "Not a valid choice"),
    ("topic=abc", "Invalid choice"),
    ("level=fluent", "Choose the language this level is for."),
])
def test_bad_search_input_is_explained(app, login_as, query, message):
    topics()
    response = login_as("trainer").get(f"/manage/experts?{query}")
    assert response.status_code == 200 and message in text(response)


def test_search_and_profiles_are_refused_to_learners_and_focal_points(app, login_as, member):
    profile = expert(member.parliament, "Someone")
    for role in ("learner", "focal_point"):
        client = login_as(role)
        assert client.get("/manage/experts").status_code == 403
        assert client.get(f"/manage/experts/{profile.id}").status_code == 403


def test_a_learner_cannot_edit_someone_elses_profile(app, member):
    other = expert(member.parliament, "Other Expert", summary="Untouched")
    client = _client(app, member)
    response = _form(client, f"/manage/experts/{other.id}", summary="Overwritten")
    assert response.status_code == 403
    # Their own page edits their own profile only, whatever ids a tampered form adds.
    _form(client, "/experts/me", summary="Mine", profile_id=str(other.id), person_id=str(other.person_id))
    db.session.expire_all()
    assert db.session.get(ExpertProfile, other.id).summary == "Untouched"
    assert db.session.scalar(select(ExpertProfile).where(ExpertProfile.person_id == member.id)).summary == "Mine"


def test_trainers_view_but_only_admins_edit_others_profiles_and_that_is_audited(app, login_as, member, people):
    profile = expert(member.parliament, "Viewed Expert", summary="A summary")
    past_mission(profile.person, host=factories.make_parliament(name_en="Parliament of Ghana"))
    trainer = login_as("trainer")
    page = trainer.get(f"/manage/experts/{profile.id}")
    assert page.status_code == 200 and "Parliament of Ghana" in text(page) and "Edit the profile" not in text(page)
    assert _form(trainer, f"/manage/experts/{profile.id}", summary="Trainer edit").status_code == 403
    admin = login_as("admin")
    assert "Edit the profile" in text(admin.get(f"/manage/experts/{profile.id}"))
    assert _form(admin, f"/manage/experts/{profile.id}", summary="Admin edit").status_code == 302
    db.session.expire_all()
    assert db.session.get(ExpertProfile, profile.id).summary == "Admin edit"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.EXPERT_PROFILE_CHANGED)).one()
    assert event.actor_id == people["admin"].id and event.object_id == profile.id
    assert trainer.get("/manage/experts/999999").status_code == 404


def test_user_text_is_escaped(app, login_as, member):
    profile = expert(member.parliament, "<script>alert(1)</script>", summary="<img src=x onerror=alert(1)>",
                     keywords="<b>bold</b>")
    for path in ("/manage/experts", f"/manage/experts/{profile.id}"):
        body = login_as("admin").get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in body and "<img src=x" not in body and "<b>bold" not in body
