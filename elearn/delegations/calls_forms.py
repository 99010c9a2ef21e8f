"""Forms of calls for applications: the call and its targets, an application, a decision."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.database import utcnow
from elearn.delegations.calls import ANSWER_MAX, CallInput, TargetInput
from elearn.delegations.calls_models import DECISIONS, Call, SelectionTarget, StandardQuestion
from elearn.forms import options


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TargetForm(FlaskForm):
    women_min_percent = IntegerField(_l("Women: at least (%)"), validators=[Optional(), NumberRange(0, 100)])
    max_per_parliament = IntegerField(_l("Seats per parliament: at most"), validators=[Optional(), NumberRange(1)])
    both_sides_required = BooleanField(_l("Members from both the majority and the opposition"))
    opposition_min_percent = IntegerField(_l("Opposition among selected members: at least (%)"),
                                          validators=[Optional(), NumberRange(0, 100)],
                                          description=_l("One target, also shown on the activity's or "
                                                         "programme's form."))
    submit = SubmitField(_l("Save the targets"))

    def fill_target(self, target: SelectionTarget | None, opposition: int | None = None) -> None:
        """`opposition`: the activity's or programme's own target (one column, also on their forms)."""
        if target is not None:
            for name in ("women_min_percent", "max_per_parliament", "both_sides_required"):
                getattr(self, name).data = getattr(target, name)
        self.opposition_min_percent.data = opposition

    def to_target(self) -> TargetInput:
        return TargetInput(self.women_min_percent.data, self.max_per_parliament.data,
                           bool(self.both_sides_required.data), self.opposition_min_percent.data)


class CallForm(TargetForm):
    opens_at = DateTimeLocalField(_l("Applications open"), validators=[DataRequired()],
                                  description=_l("In the activity's timezone."))
    deadline = DateTimeLocalField(_l("Deadline"), validators=[DataRequired()],
                                  description=_l("In the activity's timezone. No application is taken after it."))
    intro = TextAreaField(_l("Introduction"), validators=[Length(max=5000)],
                          description=_l("Who the call is for and what the selection looks at."))
    standard_questions = CheckboxListField(_l("Questions to ask"))
    custom_questions = TextAreaField(_l("Other questions"), validators=[Length(max=3000)],
                                     description=_l("One question per line."))
    submit = SubmitField(_l("Save the call"))

    def set_choices(self) -> None:
        self.standard_questions.choices = options((q.value, q.label) for q in StandardQuestion)

    def fill(self, call: Call | None, target: SelectionTarget | None, zone: ZoneInfo,
             opposition: int | None = None) -> None:
        if call is not None:
            self.opens_at.data = call.opens_at.astimezone(zone).replace(tzinfo=None)
            self.deadline.data = call.deadline.astimezone(zone).replace(tzinfo=None)
            self.intro.data = call.intro
            self.standard_questions.data = list(call.standard_questions)
            self.custom_questions.data = "\n".join(q.text for q in call.questions)
        else:
            self.standard_questions.data = [q.value for q in StandardQuestion]
        self.fill_target(target, opposition)

    def suggest_dates(self, activity) -> None:
        """For a new call: open now, close two weeks before the activity (or in two weeks if it has no date)."""
        now = utcnow()
        deadline = activity.starts_at - timedelta(days=14) if activity.starts_at else now + timedelta(days=14)
        deadline = max(deadline, now + timedelta(days=1))
        self.opens_at.data = now.astimezone(activity.zone).replace(tzinfo=None, second=0, microsecond=0)
        self.deadline.data = deadline.astimezone(activity.zone).replace(tzinfo=None, second=0, microsecond=0)

    def to_input(self, zone: ZoneInfo) -> tuple[CallInput, TargetInput]:
        def utc(value: datetime) -> datetime:
            return value.replace(tzinfo=zone).astimezone(UTC)

        call = CallInput(opens_at=utc(self.opens_at.data), deadline=utc(self.deadline.data),
                         intro=self.intro.data or "", standard_questions=tuple(self.standard_questions.data or ()),
                         custom_questions=tuple((self.custom_questions.data or "").splitlines()))
        return call, self.to_target()


def application_form(asked: list[tuple[str, str]], formdata=None) -> FlaskForm:
    """A form with one text area per question of the call (its key is the field's name)."""

    class ApplicationForm(FlaskForm):
        submit = SubmitField(_l("Send the application"))

    for key, text in asked:
        setattr(ApplicationForm, key, TextAreaField(text, validators=[Length(max=ANSWER_MAX)]))
    return ApplicationForm(formdata=formdata) if formdata is not None else ApplicationForm()


def answers_of(form: FlaskForm, asked: list[tuple[str, str]]) -> dict[str, str]:
    return {key: form[key].data or "" for key, _text in asked}


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"))
    reason = StringField(_l("Reason"), validators=[Length(max=2000)],
                         description=_l("Required to decline: the candidate reads it."))
    submit = SubmitField(_l("Record"))

    def set_choices(self) -> None:
        self.decision.choices = options(zip((d.value for d in DECISIONS),
                                            (_l("Select"), _l("Waitlist"), _l("Decline")), strict=True))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by name or email"), validators=[Length(max=100)])
