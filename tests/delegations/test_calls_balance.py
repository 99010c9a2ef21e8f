"""The balance of a selection and the warnings of missed targets; the side rule shared with the focal dashboard."""
from __future__ import annotations

from datetime import date

import pytest

from elearn.access import Role
from elearn.delegations import balance as balances
from elearn.delegations import calls, selection
from elearn.delegations.calls_models import ApplicationStatus, SelectionTarget
from elearn.extensions import db
from elearn.people.affiliations import record_change
from elearn.people.models import Gender, PersonKind, PoliticalSide
from elearn.people.side_balance import sides_may_be_shown
from tests import factories
from tests.delegations.calls_factories import applied, candidate, member, open_call
from tests.scheduling.factories import make_programme


@pytest.mark.parametrize(("counts", "shown"), [
    ((3, 3, 0, 0), True), ((3, 2, 0, 0), False), ((5, 0, 0, 0), False), ((0, 0, 0, 0), False), ((3, 3, 3, 4), True)])
def test_sides_are_shown_when_two_sides_or_more_each_count_the_minimum(counts, shown):
    assert sides_may_be_shown(counts, 3) is shown


@pytest.fixture
def trainer(app):
    return factories.make_person(Role.TRAINER)


def select_all(call, people, trainer):
    for person in people:
        selection.decide(applied(call, person), ApplicationStatus.SELECTED, actor=trainer)


def test_the_balance_counts_parliaments_genders_kinds_and_sides_on_the_activity_date(trainer):
    call = open_call(trainer=trainer)
    gambia, senegal = factories.make_parliament(name_en="Gambia"), factories.make_parliament(name_en="Senegal")
    changed = member(gambia, PoliticalSide.OPPOSITION, Gender.WOMAN)
    # Crossed the floor after the activity: counted with the side held on the activity's day.
    after = balances.activity_day(call.activity)
    record_change(changed, PoliticalSide.RULING, after.replace(year=after.year + 1), actor=None,
                  today=date(after.year + 2, 1, 1))
    people = [changed, member(gambia), candidate(senegal, gender=Gender.MAN), candidate(senegal, gender=None)]
    select_all(call, people, trainer)
    applied(call, candidate(senegal))  # submitted: not in the balance
    balance = balances.compute(call)
    assert balance.selected == 4 and balance.capacity == 10
    assert balance.by_parliament == [("Gambia", 2), ("Senegal", 2)]
    assert balance.by_gender == {"woman": 1, "man": 2, "not_stated": 1}
    assert balance.by_kind == {PersonKind.MP.value: 2, PersonKind.STAFF.value: 2}
    assert balance.sides == {"opposition": 1, "ruling": 1}
    assert balance.women_percent == 25


def test_warnings_name_each_missed_target(trainer):
    target = calls.TargetInput(women_min_percent=50, max_per_parliament=1, both_sides_required=True,
                               opposition_min_percent=40)
    call = open_call(trainer=trainer, target=target)
    gambia = factories.make_parliament(name_en="Gambia")
    select_all(call, [member(gambia), member(gambia), candidate(gender=Gender.WOMAN)], trainer)
    balance = balances.compute(call)
    found = balances.warnings(balance, balances.target_for(call.activity), sides_visible=True)
    assert any("Women are 33 %" in w for w in found)
    assert any("More than 1 seat for: Gambia" in w for w in found)
    assert any("both the majority and the opposition" in w for w in found)
    assert any("Opposition members are 0 %" in w for w in found)
    hidden = balances.warnings(balance, balances.target_for(call.activity), sides_visible=False)
    assert not any("opposition" in w.lower() and "%" in w for w in hidden)
    assert any("cannot be checked" in w for w in hidden)


def test_a_balanced_selection_has_no_warning(trainer):
    call = open_call(trainer=trainer, target=calls.TargetInput(women_min_percent=40, both_sides_required=True))
    select_all(call, [member(side=PoliticalSide.OPPOSITION, gender=Gender.WOMAN), member()], trainer)
    assert balances.warnings(balances.compute(call), balances.target_for(call.activity), sides_visible=True) == []


def test_the_programmes_targets_apply_when_the_activity_has_none(trainer):
    programme = make_programme(women_target_percent=40)
    call = open_call(trainer=trainer, programme=programme)
    assert balances.target_for(call.activity).women_min_percent == 40
    db.session.add(SelectionTarget(programme_id=programme.id, max_per_parliament=2))
    db.session.commit()
    assert balances.target_for(call.activity).max_per_parliament == 2


def test_the_activitys_quota_is_checked_when_no_target_sets_a_maximum(trainer):
    call = open_call(trainer=trainer, quota_per_parliament=1)
    gambia = factories.make_parliament(name_en="Gambia")
    select_all(call, [candidate(gambia), candidate(gambia)], trainer)
    found = balances.warnings(balances.compute(call), balances.target_for(call.activity), sides_visible=False,
                              quota=call.activity.quota_per_parliament)
    assert found == ["More than 1 seat for: Gambia."]
