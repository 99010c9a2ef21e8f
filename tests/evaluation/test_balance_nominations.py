"""The opposition note of nominations and of the trainer's roster: shown at the threshold, never telling a side."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.extensions import db
from elearn.people.models import PersonKind, PoliticalSide
from elearn.scheduling import balance, services
from tests import factories
from tests.delegations.calls_factories import candidate
from tests.helpers import post_form, text
from tests.scheduling.factories import make_activity, make_programme

OPP, RUL = PoliticalSide.OPPOSITION, PoliticalSide.RULING
WARNING = "the target is at least"
MET = "is met"
HIDDEN = "cannot be shown for so few members"


def side_reads() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == AuditAction.POLITICAL_SIDE_READ))


def members(parliament, *sides):
    return [candidate(parliament, kind=PersonKind.MP, side=side) for side in sides]


def registered(activity, people):
    for person in people:
        services.register(activity.id, person)
    return activity


def note_on(page: str) -> str | None:
    found = re.search(r'id="opposition-balance">(.*?)</p>', page, re.S)
    return found.group(1) if found else None


def test_the_activity_overrides_the_programmes_target(app):
    programme = make_programme(opposition_target_percent=30)
    inherited = make_activity(programme=programme)
    own = make_activity(programme=programme, opposition_target_percent=0)
    alone = make_activity()
    assert (balance.opposition_target(inherited), balance.opposition_target(own),
            balance.opposition_target(alone)) == (30, 0, None)


@pytest.mark.parametrize(("target", "expected"), [(50, MET), (51, WARNING)])
def test_the_warning_appears_above_the_share_and_is_audited(app, target, expected):
    parliament = factories.make_parliament()
    activity = registered(make_activity(opposition_target_percent=target),
                          members(parliament, OPP, OPP, OPP, RUL, RUL, RUL))
    trainer = factories.make_person(Role.TRAINER)
    note = balance.opposition_note(activity, trainer)
    assert expected in note.text and "50 %" in note.text and note.missed is (expected == WARNING)
    db.session.commit()
    assert side_reads() == 1


def test_waitlisted_places_do_not_count(app):
    parliament = factories.make_parliament()
    activity = registered(make_activity(opposition_target_percent=50, capacity=6),
                          members(parliament, RUL, RUL, RUL, OPP, OPP, OPP, OPP))  # the seventh waits
    assert balance.member_sides(activity).sides == {"ruling": 3, "opposition": 3}


def test_no_target_no_members_no_note(app):
    parliament = factories.make_parliament()
    assert balance.opposition_note(registered(make_activity(), members(parliament, OPP)),
                                   factories.make_person(Role.TRAINER)) is None
    assert balance.opposition_note(make_activity(opposition_target_percent=30),
                                   factories.make_person(Role.TRAINER)) is None


def test_a_small_group_shows_a_trainer_nothing_and_an_administrator_the_share(app):
    parliament = factories.make_parliament()
    activity = registered(make_activity(opposition_target_percent=50), members(parliament, OPP, RUL, RUL))
    note = balance.opposition_note(activity, factories.make_person(Role.TRAINER))
    assert HIDDEN in note.text and "%" not in note.text.replace("50 %", "") and not note.missed
    db.session.commit()
    assert side_reads() == 0
    admin = balance.opposition_note(activity, factories.make_person(Role.ADMIN))
    assert "33 %" in admin.text and WARNING in admin.text
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.POLITICAL_SIDE_READ))
    assert (event.object_type, event.object_id, event.details["aggregate"]) == ("activity", activity.id, True)


def test_the_trainers_roster_and_the_admins_show_the_note(app, people, login_as):
    parliament = factories.make_parliament()
    activity = registered(make_activity(opposition_target_percent=50), members(parliament, OPP, RUL))
    trainer_page = text(login_as("trainer").get(f"/manage/activities/{activity.id}"))
    assert HIDDEN in note_on(trainer_page)
    assert side_reads() == 0
    admin_page = text(login_as("admin").get(f"/manage/activities/{activity.id}"))
    assert "50 %" in note_on(admin_page) and MET in note_on(admin_page)
    assert side_reads() == 1


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_the_roster_refuses_other_roles(app, login_as, role):
    activity = make_activity(opposition_target_percent=50)
    assert login_as(role).get(f"/manage/activities/{activity.id}").status_code == 403


def nominate_in_turn(client, activity, people) -> list[str | None]:
    notes = []
    for person in people:
        response = post_form(client, f"/activities/{activity.id}/nominate", {"person_id": str(person.id)},
                             token_from=f"/activities/{activity.id}/nominate")
        assert response.status_code == 302
        notes.append(note_on(text(client.get(f"/activities/{activity.id}/nominate"))))
    return notes


def test_successive_nominations_of_one_and_two_members_tell_no_side(app, people, login_as):
    """Whatever the sides of the first and second nominee, the focal point reads the same notes."""
    client = login_as("focal_point")
    parliament = people["focal_point"].parliament
    seen = set()
    for sides in [(OPP, OPP), (OPP, RUL), (RUL, OPP), (RUL, RUL), (OPP, None)]:
        activity = make_activity(opposition_target_percent=50)
        notes = nominate_in_turn(client, activity, members(parliament, *sides))
        assert all(note and HIDDEN in note for note in notes)
        seen.add(tuple(notes))
    assert len(seen) == 1
    assert side_reads() == 0


def test_the_nomination_page_shows_the_share_when_sides_may_be_shown(app, people, login_as):
    parliament = people["focal_point"].parliament
    activity = registered(make_activity(opposition_target_percent=60),
                          members(factories.make_parliament(), OPP, OPP, OPP, RUL, RUL))
    notes = nominate_in_turn(login_as("focal_point"), activity, members(parliament, RUL))
    assert "50 %" in notes[0] and WARNING in notes[0]
    assert side_reads() == 1
