"""Factories for calls for applications: an activity with its trainer, an open call, candidates."""
from __future__ import annotations

from datetime import date, timedelta

from elearn.access import Role
from elearn.database import utcnow
from elearn.delegations import calls
from elearn.delegations.calls_models import Call
from elearn.extensions import db
from elearn.people.affiliations import record_change
from elearn.people.models import Gender, PersonKind, PoliticalSide
from tests import factories
from tests.scheduling.factories import make_activity


def open_call(*, trainer=None, capacity: int = 10, custom=("Which committee do you work for?",),
              target: calls.TargetInput | None = None, **activity_overrides) -> Call:
    trainer_ids = (trainer.id,) if trainer else ()
    activity = make_activity(capacity=capacity, trainer_ids=trainer_ids, **activity_overrides)
    now = utcnow()
    return calls.save_call(activity, calls.CallInput(
        opens_at=now - timedelta(days=1), deadline=now + timedelta(days=10), intro="Two weeks in Paris.",
        standard_questions=("motivation", "languages"), custom_questions=tuple(custom)),
        target or calls.TargetInput(), actor=trainer)


def candidate(parliament=None, *, kind=PersonKind.STAFF, gender=Gender.WOMAN, side=None, language="en",
              role=Role.LEARNER):
    person = factories.make_person(role, parliament=parliament or factories.make_parliament(), kind=kind,
                                   gender=gender, preferred_language=language)
    if side is not None:
        record_change(person, side, date(2020, 1, 1), actor=None, today=date(2020, 1, 1))
    return person


def answers(call: Call, text: str = "An answer.") -> dict[str, str]:
    return {key: text for key, _label in calls.questions(call)}


def member(parliament=None, side=PoliticalSide.RULING, gender=Gender.MAN):
    return candidate(parliament, kind=PersonKind.MP, gender=gender, side=side)


def applied(call: Call, person, **kwargs):
    return calls.apply(call, person, answers(call), **kwargs)


def count(model) -> int:
    from sqlalchemy import func, select
    return db.session.scalar(select(func.count()).select_from(model))
