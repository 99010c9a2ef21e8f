"""The weekly digest: newly published activities that suit each person, at most once per person per week."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.database import utcnow
from elearn.extensions import db
from elearn.languages import CONTENT_LANGUAGES
from elearn.notifications.models import NotificationPreference, OptionalMail, SentReminder
from elearn.notifications.once import Reminder, ReminderReport, deliver_once
from elearn.notifications.services import followed_languages
from elearn.people.models import Person, PersonKind
from elearn.scheduling.display import session_lines
from elearn.scheduling.models import Activity, ActivityStatus, Audience
from elearn.urls import absolute_url

DIGEST = "digest"


def week_key(moment: datetime) -> int:
    """The ISO week as a number (2026-W14 is 202614): the digest's once-only key."""
    year, week, _day = moment.isocalendar()
    return year * 100 + week


def new_activities(now: datetime, days: int) -> list[Activity]:
    """Published during the last `days` days, still published and not over."""
    return list(db.session.scalars(
        select(Activity)
        .where(Activity.status == ActivityStatus.PUBLISHED, Activity.published_at > now - timedelta(days=days),
               Activity.published_at <= now, Activity.ends_at > now)
        .options(selectinload(Activity.topics), selectinload(Activity.invited_parliaments),
                 selectinload(Activity.sessions))
        .order_by(Activity.starts_at, Activity.id)))


def suits(activity: Activity, person: Person, preference: NotificationPreference) -> bool:
    """Open to the person's parliament and kind, in a language they follow, on a topic they chose (if any)."""
    invited = {parliament.id for parliament in activity.invited_parliaments}
    if invited and person.parliament_id not in invited:
        return False
    if activity.audience == Audience.MPS and person.kind != PersonKind.MP:
        return False
    if activity.audience == Audience.STAFF and person.kind != PersonKind.STAFF:
        return False
    if activity.languages and not set(activity.languages) & followed_languages(person, preference):
        return False
    chosen = {topic.id for topic in preference.topics}
    return not chosen or bool(chosen & {topic.id for topic in activity.topics})


def send_digests(now: datetime | None = None) -> ReminderReport:
    """Queue this week's digest for each person who wants it and has something in it."""
    now = now or utcnow()
    report = ReminderReport()
    activities = new_activities(now, current_app.config["DIGEST_DAYS"])
    if not activities:
        return report
    week = week_key(now)
    had_it = set(db.session.scalars(select(SentReminder.person_id).where(
        SentReminder.kind == DIGEST, SentReminder.object_id == week)))
    preferences = {p.person_id: p for p in db.session.scalars(
        select(NotificationPreference).options(selectinload(NotificationPreference.topics)))}
    plan = []
    for person in db.session.scalars(select(Person).where(Person.is_active.is_(True)).order_by(Person.id)):
        preference = preferences.get(person.id) or NotificationPreference(
            person_id=person.id, reminders=True, digest=True, languages=[])
        if person.id in had_it or not preference.digest:
            continue
        chosen = [activity.id for activity in activities if suits(activity, person, preference)]
        if chosen:
            plan.append(Reminder(kind=DIGEST, object_id=week, person_id=person.id, offset_days=0,
                                 template="digest", context=_digest_context(chosen)))
    db.session.commit()
    for reminder in plan:
        if deliver_once(reminder, OptionalMail.DIGEST):
            report.queued += 1
        else:
            report.skipped += 1
    return report


def _digest_context(activity_ids: list[int]):
    def context(person: Person) -> dict:
        activities = db.session.scalars(select(Activity).where(Activity.id.in_(activity_ids))
                                        .options(selectinload(Activity.sessions))
                                        .order_by(Activity.starts_at, Activity.id)).all()
        languages = CONTENT_LANGUAGES
        items = [dict(
            title=activity.title, kind=activity.modality.label,
            languages=", ".join(languages.get(code, code) for code in activity.languages),
            when=session_lines(activity, zone=person.timezone, locale=person.preferred_language),
            place=", ".join(part for part in (activity.venue_name, activity.venue_city) if part)
            or (_l("Online") if activity.online_url else ""),
            link=absolute_url("scheduling.activity", activity_id=activity.id),
        ) for activity in activities]
        return dict(items=items, zone=person.timezone, activities_link=absolute_url("scheduling.activities"))

    return context
