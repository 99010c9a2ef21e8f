"""Forms of the calendar subscriptions page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField


class AddressForm(FlaskForm):
    """Make a private address (or a new one in place of the old)."""

    include_tentative = BooleanField(_l("Also show activities I am waitlisted for or waiting approval for, "
                                        "marked as tentative"))
    submit = SubmitField(_l("Make my private address"))


class OptionsForm(FlaskForm):
    include_tentative = BooleanField(_l("Also show activities I am waitlisted for or waiting approval for, "
                                        "marked as tentative"))
    submit = SubmitField(_l("Save"))
