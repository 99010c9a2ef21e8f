"""Forms of the results framework; numbers are read by the services, which name the field they refuse."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from elearn.evaluation.indicator_models import Direction, Measure
from elearn.forms import options


class IndicatorForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    measure = SelectField(_l("Measure"), choices=lambda: options(Measure.choices()), validate_choice=False,
                          description=_l("Computed from the data, or entered by hand each period."))
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=40)], description=_l("e.g. %, people, days"))
    baseline_value = StringField(_l("Baseline"), validators=[Optional(), Length(max=30)])
    baseline_on = DateField(_l("Baseline date"), validators=[Optional()])
    target_value = StringField(_l("Target"), validators=[Length(max=30)])
    direction = SelectField(_l("Direction"), choices=lambda: options(Direction.choices()), validate_choice=False)
    submit = SubmitField(_l("Save"))


class ValueForm(FlaskForm):
    period_start = DateField(_l("Period from"), validators=[Optional()])
    period_end = DateField(_l("Period until"), validators=[Optional()])
    value = StringField(_l("Value"), validators=[Length(max=30)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)],
                         description=_l("Where the figure comes from; needed when it replaces a computed one."))
    submit = SubmitField(_l("Save the value"))


class DonorReportForm(FlaskForm):
    class Meta:
        csrf = False  # reading a report changes nothing

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
