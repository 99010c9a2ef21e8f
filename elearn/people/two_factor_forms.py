"""Forms of strong sign-in: the code at sign-in, enrolment, and the changes that need the password."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional


class SignInCodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("The 6 digits your authenticator app shows now, or one of your recovery codes."))
    trust = BooleanField()  # labelled by the view: the number of days is a setting
    submit = SubmitField(_l("Continue"))


class EnrolForm(FlaskForm):
    code = StringField(_l("Code from the app"), validators=[DataRequired(), Length(max=20)])
    # Asked only when the password was typed too long ago (a restored session is never fresh).
    your_password = PasswordField(_l("Your password"), validators=[Optional()])
    submit = SubmitField(_l("Turn on two-step sign-in"))


class PasswordConfirmForm(FlaskForm):
    your_password = PasswordField(_l("Your password"), validators=[Optional()])
    submit = SubmitField(_l("Confirm"))
