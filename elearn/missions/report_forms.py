"""The forms of the mission report pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from elearn.cooperation.models import CommitmentOwner
from elearn.forms import options
from elearn.missions.report_models import Priority
from elearn.missions.reports import MAX_FINDINGS, MAX_NOTE, MAX_RECOMMENDATION


class FindingsForm(FlaskForm):
    findings = TextAreaField(_l("Findings"), validators=[Length(max=MAX_FINDINGS)],
                             description=_l("Markdown: headings, lists, links and emphasis are kept."))


class RecommendationForm(FlaskForm):
    text = TextAreaField(_l("Recommendation"), validators=[DataRequired(), Length(max=MAX_RECOMMENDATION)])
    priority = SelectField(_l("Priority"), default=Priority.MEDIUM.value)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.priority.choices = options((p.value, p.label) for p in Priority)


class ReturnForm(FlaskForm):
    note = TextAreaField(_l("What should be changed"), validators=[DataRequired(), Length(max=MAX_NOTE)])


class CommitmentForm(FlaskForm):
    plan_id = SelectField(_l("Action plan"), coerce=int, validate_choice=False)
    owner = SelectField(_l("Carried by"), default=CommitmentOwner.PARTNER.value)
    due_on = DateField(_l("Due on"), validators=[DataRequired()])

    def __init__(self, plans=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_id.choices = options((plan.id, plan.activity.title) for plan in plans)
        self.owner.choices = options((o.value, o.label) for o in CommitmentOwner)
