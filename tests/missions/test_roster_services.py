"""Profile services: who may have one, validation of every part, nothing half-saved, derived experience."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.errors import UserError
from elearn.extensions import db
from elearn.missions import roster
from elearn.missions.models import ExpertAvailability, ExpertLanguage, ExpertProfile, LanguageLevel
from elearn.scheduling.models import activity_trainer
from tests import factories
from tests.missions.roster_helpers import assisting_parliament, expert, past_mission, topics


@pytest.fixture
def member(app):
    return factories.make_person(parliament=assisting_parliament(), full_name="Anne Expert")


def test_who_may_have_a_profile(app, people):
    assert roster.may_have_profile(factories.make_person(Role.TRAINER, parliament=assisting_parliament()))
    assert roster.may_have_profile(factories.make_person(Role.LEARNER, parliament=assisting_parliament()))
    assert not roster.may_have_profile(people["learner"])  # their parliament receives, does not give
    assert not roster.may_have_profile(people["admin"])  # no parliament
    with pytest.raises(UserError):
        roster.save_profile(people["learner"], roster.ProfileInput(), people["learner"])


def test_keywords_are_lower_cased_single_spaced_and_deduplicated(app):
    assert roster.normalise_keywords("Budget,  budget ; Public   FINANCE\nbudget,,") == ["budget", "public finance"]
    assert roster.normalise_keywords(["A", "a", " b "]) == ["a", "b"]


def test_too_many_or_too_long_keywords_are_refused_not_cut(app):
    with pytest.raises(UserError) as error:
        roster.normalise_keywords(", ".join(f"k{n}" for n in range(21)))
    assert error.value.field == "keywords"
    assert roster.normalise_keywords(", ".join(f"k{n}" for n in range(20)))[-1] == "k19"
    with pytest.raises(UserError):
        roster.normalise_keywords("x" * 41)
    assert roster.normalise_keywords("x" * 40) == ["x" * 40]


def test_a_full_profile_is_saved_and_replaced(app, member):
    known = topics()
    data = roster.ProfileInput(summary=" Budget office head ", keywords="Audit, audit",
                               topic_ids=(known["budget"].id, known["oversight"].id),
                               languages=(("fr", LanguageLevel.NATIVE), ("en", "working")),
                               availability=(roster.Period(date(2030, 3, 1), date(2030, 3, 31)),
                                             roster.Period(date(2030, 1, 1), date(2030, 1, 15), "after session")),
                               willing_to_travel=False, travel_note="  two   weeks at most ")
    profile = roster.save_profile(member, data, member)
    assert profile.summary == "Budget office head" and profile.keywords == ["audit"]
    assert [t.slug for t in profile.topics] == ["budget", "oversight"]
    assert {(row.language, row.level) for row in profile.languages} == {("fr", LanguageLevel.NATIVE),
                                                                        ("en", LanguageLevel.WORKING)}
    assert [a.starts_on for a in profile.availability] == [date(2030, 1, 1), date(2030, 3, 1)]
    assert profile.travel_note == "two weeks at most" and not profile.willing_to_travel
    again = roster.save_profile(member, roster.ProfileInput(topic_ids=(known["budget"].id,)), member)
    assert again.id == profile.id and [t.slug for t in again.topics] == ["budget"]
    assert again.languages == [] and again.availability == []
    # The owner's own edits are not audited.
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


@pytest.mark.parametrize("data, field", [
    (roster.ProfileInput(topic_ids=(999_999,)), "topic_ids"),
    (roster.ProfileInput(languages=(("xx", LanguageLevel.BASIC),)), "languages"),
    (roster.ProfileInput(languages=(("fr", "perfect"),)), "languages"),
    (roster.ProfileInput(languages=(("fr", LanguageLevel.BASIC), ("fr", LanguageLevel.NATIVE))), "languages"),
    (roster.ProfileInput(availability=(roster.Period(date(2030, 2, 2), date(2030, 2, 1)),)), "availability"),
    (roster.ProfileInput(summary="x" * 5001), "summary"),
    (roster.ProfileInput(travel_note="x" * 301), "travel_note"),
])
def test_bad_input_is_refused_and_nothing_is_half_saved(app, member, data, field):
    known = topics()
    profile = roster.save_profile(member, roster.ProfileInput(summary="Before", topic_ids=(known["budget"].id,),
                                                              languages=(("en", LanguageLevel.FLUENT),)), member)
    data.summary = data.summary or "After"
    with pytest.raises(UserError) as error:
        roster.save_profile(member, data, member)
    assert error.value.field == field
    db.session.rollback()
    db.session.expire_all()
    kept = db.session.get(ExpertProfile, profile.id)
    assert kept.summary == "Before" and [t.slug for t in kept.topics] == ["budget"]
    assert [(row.language, row.level) for row in kept.languages] == [("en", LanguageLevel.FLUENT)]


@pytest.mark.parametrize("periods, ok", [
    ([(date(2030, 1, 1), date(2030, 1, 10)), (date(2030, 1, 5), date(2030, 1, 20))], False),  # overlap
    ([(date(2030, 1, 1), date(2030, 1, 10)), (date(2030, 1, 11), date(2030, 1, 20))], False),  # follow on
    ([(date(2030, 1, 1), date(2030, 1, 10)), (date(2030, 1, 12), date(2030, 1, 20))], True),
    ([(date(2030, 1, 1), date(2030, 1, 1))], True),  # one day
    ([(date(2030, 1, 1), date(2030, 1, 31)), (date(2030, 1, 10), date(2030, 1, 12))], False),  # inside another
])
def test_availability_periods_may_not_overlap_or_touch(app, periods, ok):
    given = [roster.Period(*p) for p in periods]
    if ok:
        assert [p.starts_on for p in roster.checked_periods(list(reversed(given)))] == sorted(p[0] for p in periods)
    else:
        with pytest.raises(UserError) as error:
            roster.checked_periods(given)
        assert "2030-01-01" in str(error.value)


def test_an_edit_by_someone_else_is_audited(app, member, people):
    profile = expert(member.parliament, "Owner", summary="Mine")
    roster.save_profile(profile.person, roster.ProfileInput(summary="Changed by the administrator"), people["admin"])
    event = db.session.scalars(select(AuditEvent)).one()
    assert event.action == AuditAction.EXPERT_PROFILE_CHANGED and event.actor_id == people["admin"].id
    assert event.object_id == profile.id and event.details["before"]["summary"] == "Mine"
    assert event.details["after"]["summary"] == "Changed by the administrator"


def test_experience_is_derived_from_missions_and_training(app, member, people):
    known = topics()
    host = factories.make_parliament(country_code="GM")
    old = past_mission(member, topic=known["budget"], host=host)
    future = past_mission(member, days_ago=-30)  # not over yet: not experience
    trained = past_mission(people["learner"], days_ago=100)
    db.session.execute(activity_trainer.insert().values(activity_id=trained.id, person_id=member.id))
    db.session.commit()
    missions = roster.past_missions([member.id])[member.id]
    assert [activity.id for activity, _role, _host in missions] == [old.id]
    assert missions[0][2].id == host.id and future.id not in [a.id for a, _r, _h in missions]
    assert [a.id for a in roster.trained_activities([member.id])[member.id]] == [trained.id]
    assert roster.past_missions([]) == {}


def test_deleting_a_profile_row_cascades(app, member):
    profile = expert(member.parliament, "Cascade", periods=[(date(2030, 1, 1), date(2030, 1, 2))])
    db.session.delete(profile)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ExpertLanguage)) == 0
    assert db.session.scalar(select(func.count()).select_from(ExpertAvailability)) == 0
