"""Forms for activities, sessions, programmes, registrations and attendance."""
from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from elearn.forms import KnownTimezone, content_language_options, options
from elearn.i18n import valid_timezones
from elearn.scheduling.models import Audience, Modality, ProgrammeKind, ProgrammeStatus
from elearn.scheduling.wall_clock import (
    FIRST,
    SECOND,
    ClockChange,
    clock_change,
    occurrence_labels,
    repeated_time_message,
    skipped_time_message,
)

SESSION_ROWS = 6  # blank rows offered without JavaScript; empty ones are ignored
OCCURRENCE_VALUES = (("first", "first"), ("second", "second"))


class SessionForm(Form):
    start_date = DateField(_l("First day"), validators=[Optional()])
    end_date = DateField(_l("Last day"), validators=[Optional()])
    start_time = TimeField(_l("Starts at"), validators=[Optional()])
    end_time = TimeField(_l("Ends at"), validators=[Optional()])
    all_day = BooleanField(_l("All day"))
    title = StringField(_l("Session title"), validators=[Optional(), Length(max=200)])
    # Offered only when the start or end time occurs twice (the night the clocks go back).
    # The labels are the times themselves (occurrence_labels): the template writes them.
    start_occurrence = RadioField(_l("Which start time"), choices=options(OCCURRENCE_VALUES), validate_choice=False)
    end_occurrence = RadioField(_l("Which end time"), choices=options(OCCURRENCE_VALUES), validate_choice=False)

    @property
    def is_blank(self) -> bool:
        return self.start_date.data is None

    def local_times(self) -> list[tuple[str, date, time]]:
        """The start and end the row gives as local clock times: (start|end, day, time)."""
        if self.is_blank or self.all_day.data:
            return []
        times = [("start", self.start_date.data, self.start_time.data),
                 ("end", self.end_date.data or self.start_date.data, self.end_time.data)]
        return [(which, day, clock) for which, day, clock in times if clock is not None]

    def repeated_times(self, timezone: str) -> list[tuple[str, date, time, ClockChange]]:
        """The row's times the clocks show twice in `timezone`, for which the form offers a choice."""
        if timezone not in valid_timezones():
            return []
        zone = ZoneInfo(timezone)
        found = [(which, day, clock, clock_change(day, clock, zone)) for which, day, clock in self.local_times()]
        return [(which, day, clock, change) for which, day, clock, change in found
                if change is not None and not change.skipped]

    def occurrence_choices(self, timezone: str) -> list[tuple[RadioField, str, tuple[str, str]]]:
        """For the template: each choice to offer, with its question and the labels of its two options."""
        return [(self[f"{which}_occurrence"], repeated_time_message(day, clock, ZoneInfo(timezone), change,
                                                                     choose=True),
                 occurrence_labels(clock, change))
                for which, day, clock, change in self.repeated_times(timezone)]

    def fold(self, which: str) -> int:
        return SECOND if self[f"{which}_occurrence"].data == "second" else FIRST

    def clock_problems(self, timezone: str) -> list[str]:
        """Refuse a time the clocks skip; ask which one of a time they show twice (under the field too)."""
        zone = ZoneInfo(timezone)
        problems = []
        for which, day, clock in self.local_times():
            change = clock_change(day, clock, zone)
            if change is None:
                continue
            if change.skipped:
                problems.append(skipped_time_message(day, clock, zone, change))
                self[f"{which}_time"].errors.append(problems[-1])
            elif self[f"{which}_occurrence"].data not in ("first", "second"):
                problems.append(repeated_time_message(day, clock, zone, change, choose=True))
                self[f"{which}_occurrence"].errors.append(problems[-1])
        return problems


class ActivityForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    modality = SelectField(_l("Modality"), choices=lambda: options(Modality.choices()))
    programme_id = SelectField(_l("Programme"), coerce=str, validators=[Optional()])
    description_md = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)],
                                   description=_l("Markdown: **bold**, lists, links."))
    languages = SelectMultipleField(_l("Languages"), choices=content_language_options,
                                    validators=[DataRequired()])
    audience = SelectField(_l("Audience"), choices=lambda: options(Audience.choices()))
    topic_ids = SelectMultipleField(_l("Topics"), coerce=int)
    course_id = SelectField(_l("Part of the e-learning course"), coerce=str, validators=[Optional()],
                            description=_l("Its sessions then appear in the course's calendar."))
    prerequisite_course_id = SelectField(_l("Course to complete before registering"), coerce=str,
                                         validators=[Optional()])
    host_parliament_id = SelectField(_l("Host parliament"), coerce=str, validators=[Optional()])
    invited_parliament_ids = SelectMultipleField(_l("Invited parliaments"), coerce=int,
                                                 description=_l("Leave empty to open the activity to every parliament."))
    trainer_ids = SelectMultipleField(_l("Trainers and facilitators"), coerce=int)
    timezone = StringField(_l("Timezone of the activity"), validators=[DataRequired(), KnownTimezone()],
                           description=_l("Where it takes place, e.g. Europe/Paris; sessions are typed in this local time."))
    venue_name = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    venue_address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    venue_city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    venue_country = StringField(_l("Country code"), validators=[Optional(), Length(min=2, max=2)])
    online_url = URLField(_l("Online link"), validators=[Optional(), Length(max=500)])
    capacity = IntegerField(_l("Seats"), validators=[DataRequired(), NumberRange(min=1, max=10000)], default=20)
    quota_per_parliament = IntegerField(_l("Seats per parliament (optional)"),
                                        validators=[Optional(), NumberRange(min=1, max=10000)])
    opposition_target_percent = IntegerField(
        _l("Opposition among members: at least (%) (optional)"), validators=[Optional(), NumberRange(min=0, max=100)],
        description=_l("Leave empty to use the programme's target."))
    registration_opens_at = DateTimeLocalField(_l("Registration opens"), validators=[Optional()])
    registration_closes_at = DateTimeLocalField(_l("Registration closes"), validators=[Optional()])
    approval_required = BooleanField(_l("Registrations need a trainer's approval"))
    # Labelled: the error summary names the list ("Sessions: Session 1: …"), and WTForms' default is the English "Sessions".
    sessions = FieldList(FormField(SessionForm), _l("Sessions"), min_entries=SESSION_ROWS, max_entries=60)
    submit = SubmitField(_l("Save"))

    def validate_sessions(self, field):
        if all(row.form.is_blank for row in field):
            raise ValidationError(_l("Give at least one session with its first day."))
        timezone = (self.timezone.data or "").strip()
        if timezone not in valid_timezones():
            return
        problems = [_("Session %(n)d: %(problem)s", n=number, problem=problem)
                    for number, row in enumerate(field, start=1) for problem in row.form.clock_problems(timezone)]
        if problems:
            raise ValidationError(" ".join(problems))

    def _check_clock(self, field):
        """A registration date must be a time the clocks show once: there is no choice to offer there."""
        timezone = (self.timezone.data or "").strip()
        if field.data is None or timezone not in valid_timezones():
            return
        zone, day, clock = ZoneInfo(timezone), field.data.date(), field.data.time()
        change = clock_change(day, clock, zone)
        if change is not None:
            raise ValidationError(skipped_time_message(day, clock, zone, change) if change.skipped
                                  else repeated_time_message(day, clock, zone, change, choose=False))

    validate_registration_opens_at = _check_clock
    validate_registration_closes_at = _check_clock


class ProgrammeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Short name for addresses"), validators=[DataRequired(), Length(max=80)],
                       description=_l("Lower-case letters, digits and hyphens, e.g. gambia-2027."))
    kind = SelectField(_l("Kind"), choices=lambda: options(ProgrammeKind.choices()))
    partner_ids = SelectMultipleField(_l("Partner parliaments"), coerce=int)
    consortium_ids = SelectMultipleField(_l("Consortium members (assisting parliaments)"), coerce=int)
    funders = StringField(_l("Funders"), validators=[Optional(), Length(max=500)],
                          description=_l("Separated by commas, e.g. European Union, UNDP."))
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    women_target_percent = IntegerField(
        _l("Target share of women (%)"), validators=[Optional(), NumberRange(min=0, max=100)],
        description=_l("Optional: the share of women among participations the programme aims at, e.g. 40."))
    opposition_target_percent = IntegerField(
        _l("Target share of opposition among members (%)"), validators=[Optional(), NumberRange(min=0, max=100)],
        description=_l("Optional: the least share of opposition members among the members of parliament of each "
                       "activity, e.g. 30. An activity may set its own."))
    status = SelectField(_l("Status"), choices=lambda: options(ProgrammeStatus.choices()))
    submit = SubmitField(_l("Save"))

    def validate_slug(self, field):
        import re

        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", field.data or ""):
            raise ValidationError(_l("Use lower-case letters, digits and hyphens only."))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The programme cannot end before it starts."))


class CloneForm(FlaskForm):
    shift_days = IntegerField(_l("Move the dates by (days)"), default=364,
                              validators=[DataRequired(), NumberRange(min=-3650, max=3650)],
                              description=_l("364 days keeps the same weekday next year."))
    submit = SubmitField(_l("Make a draft copy"))


class DecisionForm(FlaskForm):
    message = TextAreaField(_l("Message to the participant (optional)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Confirm"))


class NominationForm(FlaskForm):
    person_id = SelectField(_l("Person to nominate"), coerce=int)
    submit = SubmitField(_l("Nominate"))
