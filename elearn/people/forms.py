"""Forms for signing in, passwords, profiles and the administration of people."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from elearn.access import Role
from elearn.forms import KnownTimezone, interface_language_options, options
from elearn.languages import WORKING_LANGUAGES
from elearn.people.models import Gender, PersonKind, PoliticalSide
from elearn.people.password_policy import password_problem
from elearn.validation import ValidEmail


def gender_choices():
    return [("", _l("Not stated"))] + Gender.choices()


def side_choices():
    return [("", _l("Not applicable"))] + PoliticalSide.choices()


class StrongPassword:
    def __call__(self, form, field):
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), ValidEmail()])
    submit = SubmitField(_l("Send me a reset link"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), StrongPassword()])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Save the password"))


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class ProfileForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position or committee"), validators=[Optional(), Length(max=200)])
    preferred_language = SelectField(_l("Preferred language"), choices=interface_language_options)
    timezone = StringField(_l("Timezone"), validators=[DataRequired(), KnownTimezone()],
                           description=_l("An IANA name such as Europe/Paris or America/Panama."))
    gender = SelectField(_l("Gender (optional, self-declared)"), choices=lambda: options(gender_choices()))
    political_side = SelectField(_l("Political side"), choices=lambda: options(side_choices()))
    term_started_on = DateField(_l("Start of the current term"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class PersonForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), ValidEmail(), Length(max=254)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    parliament_id = SelectField(_l("Parliament"), coerce=str)
    kind = SelectField(_l("Kind"), choices=lambda: options(PersonKind.choices()))
    role = SelectField(_l("Role"), choices=lambda: options(Role.choices()))
    position = StringField(_l("Position or committee"), validators=[Optional(), Length(max=200)])
    preferred_language = SelectField(_l("Preferred language"), choices=interface_language_options)
    timezone = StringField(_l("Timezone"), validators=[DataRequired(), KnownTimezone()], default="UTC")
    gender = SelectField(_l("Gender"), choices=lambda: options(gender_choices()))
    political_side = SelectField(_l("Political side"), choices=lambda: options(side_choices()))
    term_started_on = DateField(_l("Start of the current term"), validators=[Optional()])
    send_invitation = BooleanField(_l("Email an invitation to choose a password"), default=True)
    # Asked only when the administrator's own password was typed too long ago (see login.is_fresh).
    your_password = PasswordField(_l("Your own password"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class ActivationForm(FlaskForm):
    # Asked only to reactivate an account above learner when the administrator's password is not fresh.
    your_password = PasswordField(_l("Your own password"), validators=[Optional()])
    submit = SubmitField(_l("Confirm"))


class SideChangeForm(FlaskForm):
    side = SelectField(_l("New political side"), choices=lambda: options(side_choices()))
    effective_from = DateField(_l("In force from"), validators=[DataRequired()],
                               description=_l("The day the change took effect, e.g. the day of the election."))
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=200)],
                       description=_l("For example: general election, change of parliamentary group."))
    submit = SubmitField(_l("Record the change"))


class ParliamentForm(FlaskForm):
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    name_fr = StringField(_l("Name in French"), validators=[DataRequired(), Length(max=200)])
    # Optional: a reader of a language whose name is left empty sees the English one.
    name_es = StringField(_l("Name in Spanish"), validators=[Optional(), Length(max=200)])
    name_pt = StringField(_l("Name in Portuguese"), validators=[Optional(), Length(max=200)])
    name_ar = StringField(_l("Name in Arabic"), validators=[Optional(), Length(max=200)])
    country_code = StringField(_l("Country code (ISO 3166, two letters)"),
                               validators=[DataRequired(), Length(min=2, max=2)])
    chamber_name = StringField(_l("Chamber"), validators=[DataRequired(), Length(max=200)])
    gives_assistance = BooleanField(_l("Gives assistance"))
    receives_assistance = BooleanField(_l("Receives assistance"))
    working_languages = SelectMultipleField(
        _l("Working languages"),
        choices=lambda: options(WORKING_LANGUAGES.items()))
    submit = SubmitField(_l("Save"))

    def validate_country_code(self, field):
        if not field.data.isalpha():
            raise ValidationError(_l("Two letters, such as GM or BT."))
        field.data = field.data.upper()


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
    send_invitations = BooleanField(_l("Email each new person an invitation"), default=True)
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(FlaskForm):
    # Asked only when the file gives someone a role above learner and the password is not fresh.
    your_password = PasswordField(_l("Your own password"), validators=[Optional()])
    submit = SubmitField(_l("Import these people"))

