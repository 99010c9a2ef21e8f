"""The form that makes a personal access token."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.api.scopes import allowed_scopes
from elearn.api.tokens import EXPIRY_CHOICES_DAYS


class ScopeChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What will use it, e.g. “Parliament HR system”."))
    scopes = ScopeChoices(_l("What it may do"), choices=[], validators=[DataRequired()])
    expires_in_days = SelectField(_l("Lasts"), coerce=int, default=90, choices=[])

    def offer(self, person) -> "TokenForm":
        self.scopes.choices = [(scope.value, f"{scope.value}: {scope.label}") for scope in allowed_scopes(person)]
        self.expires_in_days.choices = [(days, ngettext("%(num)d day", "%(num)d days", days))
                                        for days in EXPIRY_CHOICES_DAYS]
        return self
