"""Agenda services without HTTP: the directory, items within their sessions, who is concerned, refusals."""
from __future__ import annotations

from datetime import time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.delegations import agenda, institutions
from elearn.delegations.agenda_models import AgendaItem, Institution, InstitutionKind
from elearn.delegations.managers import may_manage
from elearn.extensions import db
from elearn.jobs.models import Job
from tests.delegations.agenda_helpers import item_input, make_visit, members_only
from tests.factories import make_person
from tests.scheduling.factories import make_activity


def test_an_item_is_saved_in_utc_within_its_session_and_rendered_safely(app):
    visit = make_visit()
    item = agenda.create_item(visit.activity, item_input(visit, briefing_md="**Notes** <script>alert(1)</script>"))
    assert item.local_start.time() == time(10) and item.local_end.time() == time(11, 30)
    assert item.starts_at.tzinfo is not None and item.starts_at.utcoffset() == timedelta(0)
    assert item.starts_at.astimezone(timezone.utc).hour in (8, 9)  # Paris is UTC+1 or +2
    assert "<strong>Notes</strong>" in item.briefing_html and "<script" not in item.briefing_html
    assert item.location == "Senate, 15 rue de Vaugirard, Paris, Salle Médicis"
    assert item.sequence == 0


@pytest.mark.parametrize(("changes", "field"), [
    (dict(start_time=time(8), end_time=time(10)), "start_time"),
    (dict(start_time=time(17), end_time=time(18)), "end_time"),
    (dict(start_time=time(11), end_time=time(10)), "end_time"),
    (dict(start_time=time(10), end_time=time(10)), "end_time"),
    (dict(title="  "), "title"),
])
def test_bad_times_and_titles_are_refused_naming_the_field(app, changes, field):
    visit = make_visit()
    with pytest.raises(agenda.AgendaError) as refusal:
        agenda.create_item(visit.activity, item_input(visit, **changes))
    assert refusal.value.field == field
    assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == 0


def test_a_day_outside_the_session_or_another_activitys_session_is_refused(app):
    visit = make_visit()
    with pytest.raises(agenda.AgendaError) as refusal:
        agenda.create_item(visit.activity, item_input(visit, day=visit.first_day + timedelta(days=1)))
    assert refusal.value.field == "day"
    other = make_activity()
    with pytest.raises(agenda.AgendaError) as refusal:
        agenda.create_item(visit.activity, item_input(visit, session_id=other.sessions[0].id))
    assert refusal.value.field == "session_id"


def test_only_confirmed_participants_of_the_activity_can_be_chosen(app):
    visit = make_visit()
    waiting = visit.registrations[visit.waiting.id]
    with pytest.raises(agenda.AgendaError) as refusal:
        agenda.create_item(visit.activity, item_input(visit, for_everyone=False, registration_ids=(waiting.id,)))
    assert refusal.value.field == "registration_ids"
    other = make_visit(title="Another visit")
    stranger = other.registrations[other.members[0].id]
    with pytest.raises(agenda.AgendaError) as refusal:
        agenda.create_item(visit.activity, item_input(visit, for_everyone=False, registration_ids=(stranger.id,)))
    assert refusal.value.field == "registration_ids"
    with pytest.raises(agenda.AgendaError) as refusal:
        agenda.create_item(visit.activity, item_input(visit, for_everyone=False, registration_ids=()))
    assert refusal.value.field == "registration_ids"
    assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == 0


def test_who_an_item_concerns(app):
    visit = make_visit()
    everyone = agenda.create_item(visit.activity, item_input(visit))
    members = agenda.create_item(visit.activity, members_only(visit, start_time=time(14), end_time=time(15)))
    confirmed_ids = {visit.registrations[p.id].id for p in (*visit.members, visit.staff)}
    assert {r.id for r in agenda.concerned(everyone)} == confirmed_ids
    assert {r.id for r in agenda.concerned(members)} == {visit.registrations[p.id].id for p in visit.members}
    staff_items = agenda.registration_items(visit.registrations[visit.staff.id])
    assert staff_items == [everyone]
    assert agenda.registration_items(visit.registrations[visit.waiting.id]) == []
    assert [day for day, _ in agenda.by_day(agenda.activity_items(visit.activity))] == [visit.first_day]


def test_sequence_grows_when_time_or_place_changes_and_not_for_a_new_title(app):
    visit = make_visit()
    item = agenda.create_item(visit.activity, item_input(visit))
    agenda.update_item(item, item_input(visit, title="Renamed"))
    assert item.sequence == 0 and item.title == "Renamed"
    agenda.update_item(item, item_input(visit, title="Renamed", start_time=time(10, 30)))
    assert item.sequence == 1
    agenda.update_item(item, item_input(visit, title="Renamed", start_time=time(10, 30), room="Salle Clemenceau"))
    assert item.sequence == 2
    agenda.update_item(item, item_input(visit, title="Renamed", start_time=time(10, 30), room="Salle Clemenceau",
                                        institution_id=visit.council.id))
    assert item.sequence == 3


def test_each_change_queues_one_job_not_one_mail_per_person(app):
    visit = make_visit()
    item = agenda.create_item(visit.activity, item_input(visit))
    agenda.update_item(item, item_input(visit, start_time=time(9, 30)))
    agenda.delete_item(item)
    jobs = db.session.scalars(select(Job).order_by(Job.id)).all()
    assert [(job.payload["method"], len(job.payload["registration_ids"])) for job in jobs] == [
        ("REQUEST", 3), ("REQUEST", 3), ("CANCEL", 3)]


def test_who_may_manage(app):
    visit = make_visit()
    assert may_manage(visit.trainer, visit.activity)
    assert may_manage(make_person(Role.ADMIN), visit.activity)
    assert not may_manage(make_person(Role.TRAINER), visit.activity)
    assert not may_manage(visit.members[0], visit.activity)


def test_the_directory_refuses_duplicates_bad_codes_and_deleting_a_used_institution(app):
    visit = make_visit()
    with pytest.raises(institutions.InstitutionError) as refusal:
        institutions.save_institution(institutions.InstitutionInput(name="senate", kind=InstitutionKind.OTHER,
                                                                    city="paris"))
    assert refusal.value.field == "name"
    with pytest.raises(institutions.InstitutionError) as refusal:
        institutions.save_institution(institutions.InstitutionInput(name="Court", kind=InstitutionKind.COURT,
                                                                    country="FRA"))
    assert refusal.value.field == "country"
    with pytest.raises(institutions.InstitutionError) as refusal:
        institutions.save_institution(institutions.InstitutionInput(name="Court", kind=InstitutionKind.COURT,
                                                                    contact_email="not an address"))
    assert refusal.value.field == "contact_email"
    # Same name in another city is another institution.
    institutions.save_institution(institutions.InstitutionInput(name="Senate", kind=InstitutionKind.UPPER_HOUSE,
                                                                city="Abidjan"))
    agenda.create_item(visit.activity, item_input(visit))
    with pytest.raises(institutions.InstitutionError) as refusal:
        institutions.delete_institution(visit.senate)
    assert "1 agenda item" in str(refusal.value)
    institutions.delete_institution(visit.council)
    assert db.session.scalar(select(func.count()).select_from(Institution).where(
        Institution.name == "Constitutional Council")) == 0
