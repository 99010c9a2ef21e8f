"""Who manages an activity's delegation pages: one rule for the call, agenda, logistics, letters and costs.

An administrator, or one of this activity's own trainers; not any trainer (the pages hold passport data,
selection decisions and money), not the participant's focal point.
"""
from __future__ import annotations

from sqlalchemy import select

from elearn.access import Role, has_role
from elearn.extensions import db
from elearn.scheduling.models import Activity, activity_trainer


def may_manage(person, activity: Activity) -> bool:
    """An administrator, or one of this activity's trainers (one indexed lookup, not the trainers' list)."""
    if not getattr(person, "is_authenticated", False):
        return False
    if has_role(person, Role.ADMIN):
        return True
    if not has_role(person, Role.TRAINER):
        return False
    return db.session.scalar(select(activity_trainer.c.person_id).where(
        activity_trainer.c.activity_id == activity.id, activity_trainer.c.person_id == person.id)) is not None
