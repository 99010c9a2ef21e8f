"""Rules the delegation's parts share, defined once: the currency check and who manages an activity."""
import pytest
from flask_login import AnonymousUserMixin

from elearn.access import Role
from elearn.delegations import costs
from elearn.delegations.costs import CostError, CostInput
from elearn.delegations.logistics import LogisticsError
from elearn.delegations.managers import may_manage
from elearn.delegations.money import check_currency
from tests import factories
from tests.scheduling.factories import make_activity


@pytest.mark.parametrize("error", [CostError, LogisticsError])
@pytest.mark.parametrize("code", ["FRF", "XXX", "XTS", "EURO", ""])
def test_costs_and_per_diems_refuse_the_same_codes(app, error, code):
    with pytest.raises(error) as raised:
        check_currency(code, error, "currency")
    assert raised.value.field == "currency"


def test_a_withdrawn_currency_is_refused_on_a_cost_line_as_on_a_per_diem(app, people):
    data = CostInput(category="travel", payer="ministry", planned_amount="10", currency="frf")
    with pytest.raises(CostError) as raised:
        costs.add_line(make_activity(), data, people["trainer"])
    assert raised.value.field == "currency"
    assert check_currency(" xof ", CostError, "currency") == "XOF"


def test_only_the_activitys_own_trainers_and_administrators_manage_it(app, people):
    activity = make_activity()
    activity.trainers.append(people["trainer"])
    assert may_manage(people["trainer"], activity) and may_manage(people["admin"], activity)
    assert not may_manage(factories.make_person(Role.TRAINER), activity)
    assert not may_manage(people["focal_point"], activity)
    assert not may_manage(AnonymousUserMixin(), activity)
