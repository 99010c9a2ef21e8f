"""The boards' filters: a GET form (an activity, local dates from and to) and what it resolves to.

Bad input (dates the wrong way round, a period over a year, an activity id that names nothing
or is not a number) is a message on the form, never a 500; an activity the trainer does not
train is a 404, as if it did not exist for them.
"""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import abort
from flask_babel import format_date, get_locale, get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from elearn.access import Role, has_role
from elearn.database import utcnow
from elearn.delegations.boards import BoardFilters, trained_by
from elearn.extensions import db
from elearn.forms import options
from elearn.params import parse_int
from elearn.scheduling.models import Activity, ActivityStatus, activity_trainer

DEFAULT_DAYS = 30  # with no activity chosen: the coming 30 days
MARGIN_DAYS = 7  # with an activity: its days, and a week either side for the arrivals and departures
LONGEST_DAYS = 366
FIRST_YEAR, LAST_YEAR = 1970, 2199  # past these, a date is a typing error (and its UTC bounds could overflow)


class BoardFilterForm(FlaskForm):
    class Meta:
        csrf = False  # reading a board changes nothing

    activity = SelectField(_l("Activity"), coerce=str, validators=[Optional()], validate_choice=False)
    # "from" and "to" in the address (short, and what a person would type); Python names can't be "from".
    date_from = DateField(_l("From"), validators=[Optional()], name="from")
    date_to = DateField(_l("Until"), validators=[Optional()], name="to")


def _activity(form: BoardFilterForm, person) -> Activity | None:
    """The chosen activity, or None (none chosen, or a message on the field); a 404 for a trainer not training it."""
    raw = (form.activity.data or "").strip()
    if not raw:
        return None
    number = parse_int(raw)
    if number is None:
        form.activity.errors.append(_("Choose an activity from the list: “%(value)s” is not one.", value=raw[:40]))
        return None
    activity = db.session.get(Activity, number)
    if activity is None:
        form.activity.errors.append(_("There is no activity number %(id)d.", id=number))
        return None
    if not has_role(person, Role.ADMIN) and db.session.scalar(
            trained_by(person.id).where(activity_trainer.c.activity_id == number)) is None:
        abort(404)
    if activity.status == ActivityStatus.CANCELLED:
        form.activity.errors.append(_("This activity was cancelled: it has no logistics boards."))
        return None
    return activity


def _default_dates(activity: Activity | None) -> tuple[date, date]:
    if activity is not None and activity.starts_at and activity.ends_at:
        return (activity.starts_at.astimezone(activity.zone).date() - timedelta(days=MARGIN_DAYS),
                activity.ends_at.astimezone(activity.zone).date() + timedelta(days=MARGIN_DAYS))
    today = utcnow().astimezone(activity.zone if activity else get_timezone()).date()
    return today, today + timedelta(days=DEFAULT_DAYS)


def _dates(form: BoardFilterForm, activity: Activity | None) -> tuple[date, date] | None:
    first, last = form.date_from.data, form.date_to.data
    for field in (form.date_from, form.date_to):
        if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            field.errors.append(_("Give a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
    if form.date_from.errors or form.date_to.errors:
        return None
    if first is None and last is None:
        first, last = _default_dates(activity)
    elif first is None:
        first = last - timedelta(days=DEFAULT_DAYS)
    elif last is None:
        last = first + timedelta(days=DEFAULT_DAYS)
    if last < first:
        form.date_to.errors.append(_("The end date is before the start date."))
        return None
    if (last - first).days >= LONGEST_DAYS:
        form.date_to.errors.append(_("Choose a period of at most %(days)d days.", days=LONGEST_DAYS))
        return None
    form.date_from.data, form.date_to.data = first, last
    return first, last


def _choices(form: BoardFilterForm, person, chosen: Activity | None) -> None:
    """The activities the viewer may choose: not cancelled, not ended more than a year ago, theirs for a trainer."""
    recent = or_(Activity.ends_at >= utcnow() - timedelta(days=365), Activity.ends_at.is_(None))
    if chosen is not None:
        recent = or_(recent, Activity.id == chosen.id)
    statement = (select(Activity.id, Activity.title, Activity.starts_at, Activity.timezone)
                 .where(Activity.status != ActivityStatus.CANCELLED, recent)
                 .order_by(Activity.starts_at.desc(), Activity.id.desc()).limit(300))
    if not has_role(person, Role.ADMIN):
        statement = statement.where(Activity.id.in_(trained_by(person.id)))
    pairs = [("", _("All your activities") if not has_role(person, Role.ADMIN) else _("All activities"))]
    for number, title, starts_at, zone in db.session.execute(statement):
        when = format_date(starts_at.astimezone(ZoneInfo(zone)), "medium") if starts_at else ""
        pairs.append((str(number), f"{title} ({when})" if when else title))
    form.activity.choices = options(pairs)


def resolve(args, person) -> tuple[BoardFilterForm, BoardFilters | None]:
    """The form, filled from the address, and the filters it gives (None while a field is wrong)."""
    form = BoardFilterForm(args)
    form.validate()
    activity = _activity(form, person)
    dates = _dates(form, activity)
    _choices(form, person, activity)
    if dates is None or form.activity.errors:
        return form, None
    trainer_id = None if has_role(person, Role.ADMIN) else person.id
    return form, BoardFilters(date_from=dates[0], date_to=dates[1], activity_id=activity.id if activity else None,
                              trainer_id=trainer_id, locale=str(get_locale()))
