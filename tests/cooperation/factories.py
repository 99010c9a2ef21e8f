"""Factories for needs requests and action plans, built through the services (so the rules apply)."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from elearn.cooperation import services
from elearn.cooperation.models import ActionPlan, CommitmentOwner, NeedsRequest, SupportKind
from elearn.database import utcnow

_counter = itertools.count(1)


def make_request(submitted_by, *, parliament=None, kind: SupportKind = SupportKind.TRAINING,
                 **overrides) -> NeedsRequest:
    n = next(_counter)
    values = dict(parliament_id=(parliament or submitted_by.parliament).id, kind=kind,
                  title=f"Request {n}", need=f"We would like help with item {n}.")
    values.update(overrides)
    return services.submit_request(services.RequestInput(**values), submitted_by)


def make_plan(activity, parliament, *, actor=None, agreed_on: date | None = None, commitments=None,
              review_months=(3,)) -> ActionPlan:
    agreed_on = agreed_on or utcnow().date()
    if commitments is None:
        commitments = (services.CommitmentInput(description="Publish the committee's report template",
                                                owner=CommitmentOwner.PARTNER, due_on=agreed_on + timedelta(days=60)),
                       services.CommitmentInput(description="Send the model rules of procedure",
                                                owner=CommitmentOwner.ASSISTING, due_on=agreed_on + timedelta(days=30)))
    return services.create_plan(services.PlanInput(activity_id=activity.id, parliament_id=parliament.id,
                                                   agreed_on=agreed_on, commitments=tuple(commitments),
                                                   review_months=tuple(review_months)), actor)
