"""Links to the check-in page: on the activity's management page, and on the dashboard of whoever checks in
today (a helper has no other way to it)."""
from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_login import current_user
from sqlalchemy import exists, or_, select

from elearn import panels
from elearn.database import utcnow
from elearn.extensions import db
from elearn.onsite.helpers import teaches
from elearn.onsite.models import CheckInHelper
from elearn.scheduling.models import Activity, ActivitySession, ActivityStatus, activity_trainer

AHEAD = timedelta(hours=24)


def render_manage(activity: Activity):
    if not teaches(current_user, activity.id):
        return None
    return render_template("onsite/activity_panel.html", activity=activity)


def today_for(person) -> list[tuple[int, str]]:
    """Published activities the person checks people in at (as helper or trainer) with a session between now
    and a day from now: one query."""
    now = utcnow()
    soon = exists().where(ActivitySession.activity_id == Activity.id, ActivitySession.ends_at > now,
                          ActivitySession.starts_at < now + AHEAD)
    theirs = or_(Activity.id.in_(select(CheckInHelper.activity_id).where(CheckInHelper.person_id == person.id)),
                 Activity.id.in_(select(activity_trainer.c.activity_id)
                                 .where(activity_trainer.c.person_id == person.id)))
    return list(db.session.execute(select(Activity.id, Activity.title).where(
        Activity.status == ActivityStatus.PUBLISHED, soon, theirs).order_by(Activity.starts_at, Activity.id)
        .limit(10)))


def render_dashboard(person):
    activities = today_for(person)
    if not activities:
        return None
    return render_template("onsite/dashboard_panel.html", activities=activities)


def install() -> None:
    panels.register("activity_manage", "check-in", render_manage)
    panels.register("dashboard", "check-in", render_dashboard)
