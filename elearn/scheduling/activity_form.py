"""The activity form's choices, and its conversion to and from the scheduling services' ActivityInput."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.access import Role
from elearn.extensions import db
from elearn.forms import options
from elearn.i18n import by_name, valid_timezones
from elearn.learning.models import Course
from elearn.people.models import Parliament, Person
from elearn.scheduling.activities import ActivityInput, SessionInput
from elearn.scheduling.forms import SESSION_ROWS, ActivityForm
from elearn.scheduling.models import Activity, Audience, Modality, Programme
from elearn.scheduling.wall_clock import FIRST, SECOND
from elearn.topics import Topic

OCCURRENCES = {FIRST: "first", SECOND: "second"}  # fold → the form's value


def set_choices(form: ActivityForm) -> None:
    """The programmes, parliaments, courses, topics and trainers the form offers."""
    locale = str(get_locale())
    parliaments = by_name(db.session.scalars(select(Parliament)), locale)
    form.programme_id.choices = options([("", _("None"))] + [
        (str(p.id), p.title) for p in db.session.scalars(select(Programme).order_by(Programme.title))])
    form.host_parliament_id.choices = options([("", _("None"))] + [(str(p.id), p.name(locale)) for p in parliaments])
    form.invited_parliament_ids.choices = options([(p.id, p.name(locale)) for p in parliaments])
    courses = [("", _("None"))] + [(str(c.id), c.title_in(locale)) for c in
                                   db.session.scalars(select(Course).order_by(Course.slug))]
    form.course_id.choices = options(courses)
    form.prerequisite_course_id.choices = options(courses)
    form.topic_ids.choices = options([(t.id, t.name(locale)) for t in by_name(db.session.scalars(select(Topic)), locale)])
    form.trainer_ids.choices = options([(p.id, p.full_name) for p in db.session.scalars(
        select(Person).where(Person.role.in_((Role.TRAINER, Role.ADMIN)), Person.is_active.is_(True))
        .order_by(Person.full_name))])


def _local(moment: datetime | None, timezone: str) -> datetime | None:
    """A datetime-local value typed in the activity's timezone, as aware UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


def to_input(form: ActivityForm) -> ActivityInput:
    """What the trainer typed, as the scheduling services take it (local times made UTC)."""
    timezone = form.timezone.data.strip()
    sessions = tuple(
        SessionInput(start_date=row.start_date.data, end_date=row.end_date.data,
                     start_time=row.start_time.data, end_time=row.end_time.data,
                     all_day=row.all_day.data, title=row.title.data or "",
                     start_fold=row.fold("start"), end_fold=row.fold("end"))
        for row in (entry.form for entry in form.sessions) if not row.is_blank)
    return ActivityInput(
        title=form.title.data, modality=Modality(form.modality.data), timezone=timezone, sessions=sessions,
        description_md=form.description_md.data or "",
        programme_id=int(form.programme_id.data) if form.programme_id.data else None,
        languages=tuple(form.languages.data), audience=Audience(form.audience.data),
        topic_ids=tuple(form.topic_ids.data), host_parliament_id=int(form.host_parliament_id.data) if form.host_parliament_id.data else None,
        invited_parliament_ids=tuple(form.invited_parliament_ids.data), trainer_ids=tuple(form.trainer_ids.data),
        venue_name=form.venue_name.data or "", venue_address=form.venue_address.data or "",
        venue_city=form.venue_city.data or "", venue_country=form.venue_country.data or "",
        online_url=form.online_url.data or "", capacity=form.capacity.data,
        quota_per_parliament=form.quota_per_parliament.data,
        opposition_target_percent=form.opposition_target_percent.data,
        registration_opens_at=_local(form.registration_opens_at.data, timezone) if timezone in valid_timezones() else None,
        registration_closes_at=_local(form.registration_closes_at.data, timezone) if timezone in valid_timezones() else None,
        approval_required=form.approval_required.data,
        course_id=int(form.course_id.data) if form.course_id.data else None,
        prerequisite_course_id=int(form.prerequisite_course_id.data) if form.prerequisite_course_id.data else None)


def fill(form: ActivityForm, activity: Activity) -> None:
    """The form holding what is stored, with blank session rows to add more."""
    zone = activity.zone
    form.programme_id.data = str(activity.programme_id or "")
    form.host_parliament_id.data = str(activity.host_parliament_id or "")
    form.course_id.data = str(activity.course_id or "")
    form.prerequisite_course_id.data = str(activity.prerequisite_course_id or "")
    form.topic_ids.data = [t.id for t in activity.topics]
    form.invited_parliament_ids.data = [p.id for p in activity.invited_parliaments]
    form.trainer_ids.data = [p.id for p in activity.trainers]
    form.modality.data = activity.modality.value
    form.audience.data = activity.audience.value
    for name in ("registration_opens_at", "registration_closes_at"):
        value = getattr(activity, name)
        getattr(form, name).data = value.astimezone(zone).replace(tzinfo=None) if value else None
    while len(form.sessions) > 0:
        form.sessions.pop_entry()
    for session in activity.sessions:
        start, end = session.local_start, session.local_end
        if session.all_day:
            end = end - timedelta(days=1)  # stored as local midnight after the last day
        form.sessions.append_entry({
            "start_date": start.date(), "end_date": end.date(),
            "start_time": None if session.all_day else start.time(),
            "end_time": None if session.all_day else end.time(),
            "all_day": session.all_day, "title": session.title,
            # Says which reading of a time the clocks show twice was stored (shown only for those).
            "start_occurrence": OCCURRENCES[start.fold], "end_occurrence": OCCURRENCES[end.fold]})
    for _extra in range(max(2, SESSION_ROWS - len(activity.sessions))):
        form.sessions.append_entry()
