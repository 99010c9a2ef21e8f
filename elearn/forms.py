"""Form helpers every feature uses: choice options, action buttons, timezone and language fields."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from elearn.errors import UserError
from elearn.i18n import valid_timezones
from elearn.languages import CONTENT_LANGUAGES, interface_languages


def options(pairs):
    """(value, label) pairs as the option objects WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def content_language_options():
    return options(CONTENT_LANGUAGES.items())


def interface_language_options():
    return options(interface_languages().items())


class KnownTimezone:
    def __call__(self, form, field):
        if field.data not in valid_timezones():
            raise ValidationError(_l("Unknown timezone. Use a name such as Europe/Paris or Africa/Banjul."))


def show_error(form: FlaskForm, error: UserError) -> None:
    """Put a service's refusal under the field it names, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    (field.errors if field is not None else form.form_errors).append(str(error))


class SimpleActionForm(FlaskForm):
    """A form with only a CSRF token, for buttons that post an action."""

    submit = SubmitField(_l("Confirm"))
