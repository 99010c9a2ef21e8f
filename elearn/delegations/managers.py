"""Who manages an activity's delegation pages: one rule for the call, agenda, logistics, letters and costs.

An administrator, or one of this activity's own trainers; not any trainer (the pages hold passport data,
selection decisions and money), not the participant's focal point.
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from elearn.access import Role, has_role
from elearn.extensions import db
from elearn.scheduling.models import Activity, activity_trainer


def may_manage(person, activity: Activity) -> bool:
    """An administrator, or one of this activity's trainers (one indexed lookup, not the trainers' list)."""
    return may_manage_activity_id(person, activity.id)


def may_manage_activity_id(person, activity_id: int) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    if has_role(person, Role.ADMIN):
        return True
    if not has_role(person, Role.TRAINER):
        return False
    return db.session.scalar(select(activity_trainer.c.person_id).where(
        activity_trainer.c.activity_id == activity_id, activity_trainer.c.person_id == person.id)) is not None


def managed_activity_or_403(activity_id: int) -> Activity:
    """For the pages: the activity (404 if there is none), if the signed-in person manages it; else 403."""
    activity = db.get_or_404(Activity, activity_id)
    if not may_manage(current_user, activity):
        abort(403)
    return activity
