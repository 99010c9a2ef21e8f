"""Shared data for the cost tests: two programmes, two currencies, a line whose actual amount is not known yet."""
from __future__ import annotations

from datetime import date

from elearn.delegations import costs
from elearn.delegations.costs import CostInput
from elearn.scheduling import services
from tests.scheduling.factories import make_activity, make_programme


def on(day: date, **overrides):
    """An activity whose one session is on `day` (09:00–17:00 in its timezone)."""
    from datetime import time
    return make_activity(sessions=(services.SessionInput(start_date=day, start_time=time(9), end_time=time(17)),),
                         **overrides)


def line(activity, category="travel", payer="programme", planned="100", currency="EUR", actual="",
         description="", actor=None):
    return costs.add_line(activity, CostInput(category=category, payer=payer, planned_amount=planned,
                                              currency=currency, actual_amount=actual, description=description),
                          actor)


def two_programmes(trainer=None):
    """Programme A (funders EU and Ministry) and B (funder EU), an activity each in March 2030, lines in EUR and XOF."""
    a = make_programme(title="Alpha programme", funders=["EU", "Ministry"])
    b = make_programme(title="Beta programme", funders=["EU"])
    trainers = (trainer.id,) if trainer else ()
    first = on(date(2030, 3, 10), programme=a, trainer_ids=trainers)
    second = on(date(2030, 3, 20), programme=b, trainer_ids=trainers)
    line(first, "travel", "programme", "1000.50", "EUR", "900")
    line(first, "travel", "programme", "500", "EUR", "")  # no actual yet
    line(first, "stay", "ministry", "2000", "EUR", "2100.25")
    line(first, "per_diem", "host_parliament", "150000", "XOF", "150000")
    line(second, "travel", "programme", "300", "EUR", "250")
    line(second, "venue", "host_parliament", "50000", "XOF", "")
    return a, b, first, second
