"""Staffing a mission: roles, the registration and its mails, warnings, the audit trail."""
from __future__ import annotations

from base64 import b64decode
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.extensions import db
from elearn.feeds import services as feed_services
from elearn.missions import team
from elearn.missions.models import ExpertAvailability, ExpertProfile, MissionTeamMember, TeamRole
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus, Modality, Registration, RegistrationState
from tests.factories import make_parliament, make_person
from tests.helpers import text
from tests.notifications.conftest import last_mail
from tests.scheduling.factories import make_activity, one_session


def make_mission(**overrides):
    values = dict(title="Budget office assistance", modality=Modality.TECHNICAL_ASSISTANCE_MISSION,
                  sessions=one_session(20, length_days=3, all_day=True), capacity=1)
    values.update(overrides)
    return make_activity(**values)


def make_expert(name="Ada Expert", *, available=True, profile=True, **overrides):
    parliament = make_parliament(gives_assistance=True, receives_assistance=False)
    person = make_person(full_name=name, parliament=parliament, **overrides)
    if profile:
        expert = ExpertProfile(person=person)
        if available:
            start = utcnow().date()
            expert.availability.append(ExpertAvailability(starts_on=start, ends_on=start + timedelta(days=60)))
        db.session.add(expert)
        db.session.commit()
    return person


def invitation_method(to: str) -> str:
    """The METHOD of the one calendar attached to the person's last mail."""
    [attachment] = [a for a in last_mail(to).attachments if a["filename"].endswith(".ics")]
    body = b64decode(attachment["content"])
    return next(method for method in ("REQUEST", "CANCEL") if f"METHOD:{method}".encode() in body)


@pytest.fixture
def manager(app):
    return make_person(Role.TRAINER, full_name="Tom Trainer")


def test_a_member_is_confirmed_and_invited_even_beyond_the_seats_and_the_invited_parliaments(app, manager):
    partner = make_parliament()
    mission = make_mission(invited_parliament_ids=(partner.id,), trainer_ids=(manager.id,))
    services.register(mission.id, make_person(parliament=partner))  # the one seat is taken
    expert = make_expert()
    added = team.add_member(mission, expert, TeamRole.EXPERT, actor=manager)
    registration = db.session.get(Registration, added.member.registration_id)
    assert registration.state == RegistrationState.CONFIRMED and registration.nominated_by_id == manager.id
    assert added.warnings == []
    assert invitation_method(expert.email) == "REQUEST"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.MISSION_MEMBER_ADDED))
    assert event.actor_id == manager.id and event.details["person_id"] == expert.id


def test_removal_withdraws_the_registration_with_a_cancellation(app, manager):
    mission = make_mission()
    expert = make_expert()
    member = team.add_member(mission, expert, TeamRole.EXPERT, actor=manager).member
    registration_id = member.registration_id
    team.remove_member(member, actor=manager)
    assert db.session.get(Registration, registration_id).state == RegistrationState.REMOVED
    assert invitation_method(expert.email) == "CANCEL"
    assert db.session.scalar(select(MissionTeamMember)) is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.MISSION_MEMBER_REMOVED))


def test_a_mission_has_one_head(app, manager):
    mission = make_mission()
    team.add_member(mission, make_expert("First Head"), TeamRole.HEAD, actor=manager)
    with pytest.raises(team.TeamError, match="already has a head"):
        team.add_member(mission, make_expert("Second Head"), TeamRole.HEAD, actor=manager)
    team.add_member(mission, make_expert("An Expert"), TeamRole.EXPERT, actor=manager)
    assert [m.role for m in team.members(mission)] == [TeamRole.HEAD, TeamRole.EXPERT]


def test_twice_the_same_person_is_refused(app, manager):
    mission = make_mission()
    expert = make_expert()
    team.add_member(mission, expert, TeamRole.EXPERT, actor=manager)
    with pytest.raises(team.TeamError, match="already on the team"):
        team.add_member(mission, expert, TeamRole.INTERPRETER, actor=manager)


def test_heads_and_experts_come_from_the_roster_interpreters_from_assisting_parliaments(app, manager):
    mission = make_mission()
    outsider = make_expert("No Profile", profile=False)
    with pytest.raises(team.TeamError, match="active expert profile"):
        team.add_member(mission, outsider, TeamRole.EXPERT, actor=manager)
    team.add_member(mission, outsider, TeamRole.INTERPRETER, actor=manager)
    partner_person = make_person(parliament=make_parliament())
    with pytest.raises(team.TeamError, match="assisting parliament"):
        team.add_member(mission, partner_person, TeamRole.INTERPRETER, actor=manager)
    retired = make_expert("Retired Expert")
    db.session.scalar(select(ExpertProfile).where(ExpertProfile.person_id == retired.id)).active = False
    db.session.commit()
    with pytest.raises(team.TeamError, match="active expert profile"):
        team.add_member(mission, retired, TeamRole.HEAD, actor=manager)


def test_only_missions_and_conferences_take_a_team(app, manager):
    with pytest.raises(team.TeamError, match="not a mission"):
        team.add_member(make_activity(), make_expert(), TeamRole.EXPERT, actor=manager)
    conference = make_mission(modality=Modality.CONFERENCE)
    assert team.add_member(conference, make_expert(), TeamRole.EXPERT, actor=manager).member.id


def test_a_draft_or_cancelled_mission_is_refused(app, manager):
    with pytest.raises(team.TeamError, match="Publish the mission first"):
        team.add_member(make_mission(status=ActivityStatus.DRAFT), make_expert(), TeamRole.EXPERT, actor=manager)
    with pytest.raises(team.TeamError, match="cancelled"):
        team.add_member(make_mission(status=ActivityStatus.CANCELLED), make_expert(), TeamRole.EXPERT,
                        actor=manager)


def test_a_clash_is_warned_not_refused(app, manager):
    mission = make_mission()
    expert = make_expert()
    services.register(make_activity(title="Committee workshop", sessions=one_session(21)).id, expert)
    added = team.add_member(mission, expert, TeamRole.EXPERT, actor=manager)
    assert added.warnings == ["Ada Expert is also booked for “Committee workshop” at the same time."]
    assert added.member.registration.state == RegistrationState.CONFIRMED


def test_a_trainers_own_session_is_a_clash_too(app, manager):
    expert = make_expert()
    make_activity(title="Taught seminar", sessions=one_session(20), trainer_ids=(expert.id,))
    added = team.add_member(make_mission(), expert, TeamRole.EXPERT, actor=manager)
    assert added.warnings == ["Ada Expert is also booked for “Taught seminar” at the same time."]


def test_unavailable_days_are_warned(app, manager):
    expert = make_expert(available=False)
    profile = db.session.scalar(select(ExpertProfile).where(ExpertProfile.person_id == expert.id))
    first = utcnow().date() + timedelta(days=20)
    profile.availability.append(ExpertAvailability(starts_on=first - timedelta(days=10), ends_on=first))
    profile.willing_to_travel = False
    db.session.commit()
    warnings = team.add_member(make_mission(), expert, TeamRole.EXPERT, actor=manager).warnings
    assert warnings[0] == "Ada Expert has said they do not wish to travel."
    assert warnings[1].startswith("Ada Expert is not available on 2 of the mission's days: ")


def test_no_availability_stated_is_warned(app, manager):
    warnings = team.add_member(make_mission(), make_expert(available=False), TeamRole.EXPERT,
                               actor=manager).warnings
    assert warnings == ["Ada Expert has stated no availability periods: check the dates with them."]


def test_the_mission_shows_in_the_members_schedule_and_personal_feed(app, client, manager):
    mission = make_mission(title="Assessment in Banjul")
    expert = make_expert()
    team.add_member(mission, expert, TeamRole.HEAD, actor=manager)
    token = feed_services.issue_token(expert)
    db.session.commit()
    assert b"Assessment in Banjul" in client.get(f"/feeds/{token}.ics").data
    from tests.factories import PASSWORD
    from tests.helpers import sign_in
    sign_in(client, expert.email, PASSWORD)
    assert "Assessment in Banjul" in text(client.get("/my/schedule"))


def test_candidates_put_the_roster_first_and_leave_out_the_team_and_partners(app, manager):
    mission = make_mission()
    make_person(full_name="Zed Partner", parliament=make_parliament())
    interpreter = make_expert("Zed Interpreter", profile=False)
    expert = make_expert("Zed Expert")
    taken = make_expert("Zed Taken")
    team.add_member(mission, taken, TeamRole.EXPERT, actor=manager)
    assert team.candidates(mission, "zed") == [(expert, True), (interpreter, False)]
    assert team.candidates(mission, "z") == []
