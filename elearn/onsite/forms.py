"""The check-in page's one field, and the helpers page's."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import InputRequired, Length


class CheckInForm(FlaskForm):
    # A handheld scanner types the code and presses Enter: one field, nothing else to fill.
    code = StringField(_l("Ticket code"), validators=[InputRequired(), Length(max=200)])


class HelperForm(FlaskForm):
    email = EmailField(_l("Email address of their account"), validators=[InputRequired(), Length(max=254)])
