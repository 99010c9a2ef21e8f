"""A member's political side: who may see it, and the audit log of every read and change."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.affiliations import PoliticalAffiliation, history, record_change, side_on, timeline
from elearn.people.models import PersonKind, PoliticalSide
from tests import factories
from tests.helpers import post_form, sign_in, text
from tests.people import submit


def events(action=None) -> list[AuditEvent]:
    statement = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        statement = statement.where(AuditEvent.action == action)
    return list(db.session.scalars(statement))


@pytest.fixture
def member(people):
    person = factories.make_person(full_name="Mariama Member", email="member@example.org", kind=PersonKind.MP,
                                   parliament=people["learner"].parliament)
    record_change(person, PoliticalSide.INDEPENDENT, date(2024, 5, 1), actor=None, note="general election")
    db.session.query(AuditEvent).delete()
    db.session.commit()
    return person


def test_an_admin_sees_the_side_and_its_history_and_the_read_is_logged(admin_client, people, member):
    page = text(admin_client.get(f"/admin/people/{member.id}"))
    assert '<option selected value="independent">Independent</option>' in page
    assert "general election" in page and "Political side over time" in page
    [event] = events()
    assert (event.action, event.actor_id, event.object_type, event.object_id) == (
        AuditAction.POLITICAL_SIDE_READ, people["admin"].id, "person", member.id)
    assert event.ip_address == "127.0.0.1" and event.occurred_at is not None
    admin_client.get(f"/admin/people/{member.id}")
    assert len(events(AuditAction.POLITICAL_SIDE_READ)) == 2  # every read, not the first only


def test_a_trainer_cannot_see_an_individuals_side_and_nothing_is_logged(login_as, member):
    trainer = login_as("trainer")
    response = trainer.get(f"/admin/people/{member.id}")
    assert response.status_code == 403
    assert "Independent" not in text(response)
    for path in ("/dashboard", "/manage/activities", "/cooperation/requests",
                 f"/cooperation/parliaments/{member.parliament_id}"):
        assert "Independent" not in text(trainer.get(path)), path
    assert "Mariama Member" not in text(trainer.get("/reports/participation"))  # sides only in aggregates
    assert events(AuditAction.POLITICAL_SIDE_READ) == []
    [refusal] = events()  # the refused page itself is logged, and nothing of the side
    assert (refusal.action, refusal.details) == (
        AuditAction.ACCESS_REFUSED, {"method": "GET", "path": f"/admin/people/{member.id}"})


def test_the_member_sees_their_own_side_and_that_read_is_logged_too(app, member):
    client = app.test_client()
    sign_in(client, "member@example.org", factories.PASSWORD)
    page = text(client.get("/account/profile"))
    assert '<option selected value="independent">Independent</option>' in page
    [event] = events()
    assert (event.actor_id, event.object_id, event.details) == (member.id, member.id, {"own": True})


def test_staff_pages_are_not_side_reads(admin_client, people):
    admin_client.get(f"/admin/people/{people['learner'].id}")
    assert events() == []


def test_an_admin_change_of_side_is_history_from_today_and_logged(admin_client, people, member):
    submit(admin_client, f"/admin/people/{member.id}", {"political_side": "ruling"})
    assert member.political_side == PoliticalSide.RULING
    today = utcnow().date()
    assert [(row.side, row.effective_from) for row in history(member)] == [
        (PoliticalSide.RULING, today), (PoliticalSide.INDEPENDENT, date(2024, 5, 1))]
    [change] = events(AuditAction.POLITICAL_SIDE_CHANGED)
    assert change.actor_id == people["admin"].id and change.object_id == member.id
    assert change.details == {"from": "independent", "to": "ruling", "effective_from": today.isoformat()}
    page = text(admin_client.get(f"/admin/audit/?object_type=person&object_id={member.id}"))
    assert f"in force from {today.isoformat()}" in page
    assert "Ruling majority" not in page and "Independent" not in page  # sides only on the audited person page


def test_a_member_changing_their_own_side_is_logged(app, member):
    client = app.test_client()
    sign_in(client, "member@example.org", factories.PASSWORD)
    submit(client, "/account/profile", {"political_side": "opposition"})
    [change] = events(AuditAction.POLITICAL_SIDE_CHANGED)
    assert (change.actor_id, change.details["to"]) == (member.id, "opposition")
    assert side_on(timeline(member.id), utcnow().date()) == PoliticalSide.OPPOSITION


def test_saving_the_form_without_changing_the_side_adds_no_history(admin_client, member):
    submit(admin_client, f"/admin/people/{member.id}", {"position": "Budget committee"})
    assert len(history(member)) == 1
    assert events(AuditAction.POLITICAL_SIDE_CHANGED) == []


def test_a_back_dated_change_is_recorded_with_its_date(admin_client, people, member):
    back = utcnow().date() - timedelta(days=30)
    response = submit(admin_client, f"/admin/people/{member.id}",
                      {"side": "opposition", "effective_from": back.isoformat(), "note": "left the group"},
                      action=f"/admin/people/{member.id}/political-side", follow_redirects=True)
    assert "The change of political side is recorded." in text(response)
    assert member.political_side == PoliticalSide.OPPOSITION
    assert side_on(timeline(member.id), back - timedelta(days=1)) == PoliticalSide.INDEPENDENT
    assert side_on(timeline(member.id), back) == PoliticalSide.OPPOSITION
    [change] = events(AuditAction.POLITICAL_SIDE_CHANGED)
    assert change.details == {"from": "independent", "to": "opposition", "effective_from": back.isoformat()}


def test_a_change_cannot_take_effect_in_the_future_nor_give_staff_a_side(admin_client, people, member):
    tomorrow = (utcnow().date() + timedelta(days=1)).isoformat()
    page = text(submit(admin_client, f"/admin/people/{member.id}", {"side": "ruling", "effective_from": tomorrow},
                       action=f"/admin/people/{member.id}/political-side", follow_redirects=True))
    assert "A change of side cannot take effect in the future." in page
    staff = people["learner"]
    page = text(post_form(admin_client, f"/admin/people/{staff.id}/political-side",
                          {"side": "ruling", "effective_from": "2025-01-01"}, follow_redirects=True))
    assert "Only members of parliament have a political side." in page
    assert db.session.scalar(select(func.count(PoliticalAffiliation.id))) == 1


def test_creating_and_importing_members_records_their_side(admin_client, people):
    from elearn.people import services

    person = services.create_person(services.PersonData(
        email="new-mp@example.org", full_name="New Member", kind=PersonKind.MP, role=people["learner"].role,
        political_side=PoliticalSide.RULING), actor=people["admin"])
    assert [(row.side, row.effective_from) for row in history(person)] == [(PoliticalSide.RULING, utcnow().date())]
    assert events(AuditAction.POLITICAL_SIDE_CHANGED)[0].object_id == person.id


def test_the_audit_log_is_for_admins_only_and_filters(admin_client, login_as, people, member):
    for _ in range(30):
        admin_client.get(f"/admin/people/{member.id}")
    record_change(member, PoliticalSide.RULING, date(2025, 1, 1), actor=people["admin"])
    assert login_as("trainer").get("/admin/audit/").status_code == 403
    first = text(admin_client.get("/admin/audit/"))
    assert "32 events" in first and "Page 1 of 2" in first  # 30 reads, a change, the trainer's refusal
    changes = text(admin_client.get("/admin/audit/?action=political_side_changed"))
    assert "1 event" in changes and "Political side changed" in changes
    assert "0 events" not in text(admin_client.get("/admin/audit/?actor=admin%40example"))
    refused = text(admin_client.get("/admin/audit/?actor=trainer%40example"))
    assert "1 event" in refused and "Access refused" in refused and "GET /admin/audit/" in refused
    today = utcnow().date()
    assert "No event matches" in text(admin_client.get(f"/admin/audit/?date_to={today - timedelta(days=1)}"))
    assert "Not a valid date value." in text(admin_client.get("/admin/audit/?date_from=soon"))
