"""Filters of the results over a period: a GET form, so results have an address to share."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from elearn.forms import options
from elearn.scheduling.models import Modality


class ResultsForm(FlaskForm):
    class Meta:
        csrf = False  # reading figures changes nothing

    date_from = DateField(_l("From (activity's first day)"), validators=[Optional()])
    date_to = DateField(_l("Until (activity's first day)"), validators=[Optional()])
    programme_id = SelectField(_l("Programme"), coerce=str, validators=[Optional()])
    modality = SelectField(_l("Modality"), validators=[Optional()],
                           choices=lambda: options([("", _l("Any"))] + Modality.choices()))
    questionnaire_id = SelectField(_l("Questionnaire"), coerce=str, validators=[Optional()])

    def modality_value(self) -> Modality | None:
        return Modality(self.modality.data) if self.modality.data in {m.value for m in Modality} else None
