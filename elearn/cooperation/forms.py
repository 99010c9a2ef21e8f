"""Forms for needs requests, their triage, action plans, commitments and reviews."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput

from elearn.cooperation.models import CommitmentOwner, CommitmentStatus, SupportKind
from elearn.forms import content_language_options, options
from elearn.scheduling.models import Audience, Modality

COMMITMENT_ROWS = 5  # blank rows offered without JavaScript; empty ones are ignored


class PeriodCheck:
    def __init__(self, start_field: str):
        self.start_field = start_field

    def __call__(self, form, field):
        start = form[self.start_field].data
        if field.data and start and field.data < start:
            raise ValidationError(_l("The end cannot come before the start."))


class RequestForm(FlaskForm):
    parliament_id = SelectField(_l("Parliament"), coerce=int)
    kind = SelectField(_l("Kind of support"), choices=lambda: options(SupportKind.choices()),
                       description=_l("The cooperation unit cannot fund equipment; such requests are recorded "
                                      "and answered with advice where it can help."))
    title = StringField(_l("Subject in a few words"), validators=[DataRequired(), Length(max=200)])
    need = TextAreaField(_l("The need, in your own words"), validators=[DataRequired(), Length(max=10000)],
                         description=_l("What the parliament wants to improve, and why now."))
    topic_ids = SelectMultipleField(_l("Topics"), coerce=int)
    audience = SelectField(_l("Who would benefit"), choices=lambda: options(Audience.choices()))
    services = StringField(_l("Which services or committees"), validators=[Optional(), Length(max=300)],
                           description=_l("For example: committee secretariat, minutes service, library."))
    preferred_modality = SelectField(
        _l("Preferred kind of activity"),
        choices=lambda: options([("", _l("No preference"))] + Modality.choices()))
    preferred_from = DateField(_l("Preferred period: from"), validators=[Optional()])
    preferred_to = DateField(_l("Preferred period: until"), validators=[Optional(), PeriodCheck("preferred_from")])
    language = SelectField(_l("Language of the activity"), choices=content_language_options)
    submit = SubmitField(_l("Send the request"))


class TriageForm(FlaskForm):
    status = SelectField(_l("New status"))
    answer = TextAreaField(_l("Message to the parliament"), validators=[Optional(), Length(max=5000)],
                           description=_l("Required when declining: the reason. The focal points receive it by mail."))
    programme_id = SelectField(_l("Programme"), coerce=str, validators=[Optional()],
                               description=_l("Required when accepting."))
    activity_ids = SelectMultipleField(_l("Activities that answer the request"), coerce=int,
                                       description=_l("Such as a needs-assessment mission or a workshop."))
    # Sent only by the "Accept anyway" button, shown with the warning that the
    # parliament is not a partner of the programme: its value is that programme.
    confirmed_programme = HiddenField()
    submit = SubmitField(_l("Change the status"))


class LinksForm(FlaskForm):
    programme_id = SelectField(_l("Programme"), coerce=str, validators=[Optional()])
    activity_ids = SelectMultipleField(_l("Activities that answer the request"), coerce=int)
    submit = SubmitField(_l("Save the links"))


class CommitmentRow(Form):
    description = StringField(_l("Commitment"), validators=[Optional(), Length(max=1000)])
    owner = SelectField(_l("Owner"), choices=lambda: options(CommitmentOwner.choices()))
    responsible = StringField(_l("Responsible (optional)"), validators=[Optional(), Length(max=200)])
    due_on = DateField(_l("Due on"), validators=[Optional()])

    @property
    def is_blank(self) -> bool:
        return not (self.description.data or "").strip()


class PlanForm(FlaskForm):
    parliament_id = SelectField(_l("Partner parliament"), coerce=int)
    agreed_on = DateField(_l("Agreed on"), validators=[DataRequired()])
    summary = TextAreaField(_l("Summary of what was agreed"), validators=[Optional(), Length(max=5000)])
    commitments = FieldList(FormField(CommitmentRow), min_entries=COMMITMENT_ROWS, max_entries=40)
    review_months = SelectMultipleField(_l("Follow-up reviews"), coerce=int,
                                        choices=lambda: options([(3, _l("after 3 months")), (6, _l("after 6 months")),
                                                                 (12, _l("after 12 months"))]),
                                        default=[3, 6, 12], option_widget=CheckboxInput())
    submit = SubmitField(_l("Save the action plan"))


class CommitmentForm(FlaskForm):
    description = TextAreaField(_l("Commitment"), validators=[DataRequired(), Length(max=1000)])
    owner = SelectField(_l("Owner"), choices=lambda: options(CommitmentOwner.choices()))
    responsible = StringField(_l("Responsible (optional)"), validators=[Optional(), Length(max=200)])
    due_on = DateField(_l("Due on"), validators=[DataRequired()])
    submit = SubmitField(_l("Add the commitment"))


class ProgressForm(FlaskForm):
    status = SelectField(_l("Status"), choices=lambda: options(CommitmentStatus.choices()))
    progress_note = TextAreaField(_l("Progress note"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save progress"))


class ScheduleReviewForm(FlaskForm):
    review_due_on = DateField(_l("Review due on"), validators=[DataRequired()])
    submit = SubmitField(_l("Schedule a review"))


class ReviewForm(FlaskForm):
    held_on = DateField(_l("Held on"), validators=[DataRequired()])
    notes = TextAreaField(_l("Progress notes"), validators=[DataRequired(), Length(max=10000)],
                          description=_l("What has been done since the activity, what is blocked, what comes next."))
    submit = SubmitField(_l("Save the review"))
