"""The notification settings form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, SubmitField
from wtforms.validators import Optional

from elearn.forms import content_language_options


class PreferencesForm(FlaskForm):
    reminders = BooleanField(_l("Reminders before the activities where my seat is confirmed"))
    digest = BooleanField(_l("A weekly digest of new activities open to me"))
    languages = SelectMultipleField(_l("Languages I can follow an activity in"),
                                    choices=content_language_options, validators=[Optional()])
    topic_ids = SelectMultipleField(_l("Topics of interest"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save my choices"))
