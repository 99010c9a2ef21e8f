"""Forms of the expert roster: a profile (rows of languages and periods) and the search filters (GET, no CSRF)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.forms import options
from elearn.languages import WORKING_LANGUAGES
from elearn.missions.models import LanguageLevel

SPARE_ROWS = 2  # blank rows offered below the saved ones, so that no script is needed to add one


def language_options():
    return options([("", _l("(none)"))] + sorted(WORKING_LANGUAGES.items(), key=lambda item: item[1].lower()))


def level_options():
    return options([("", _l("(choose)"))] + list(LanguageLevel.choices()))


class LanguageRow(Form):
    language = SelectField(_l("Language"), choices=language_options, default="")
    level = SelectField(_l("Level"), choices=level_options, default="")

    @property
    def is_blank(self) -> bool:
        return not self.language.data

    def validate_level(self, field):
        if self.language.data and not field.data:
            raise ValidationError(_l("Choose a level for this language."))


class PeriodRow(Form):
    starts_on = DateField(_l("From"), validators=[Optional()])
    ends_on = DateField(_l("To (inclusive)"), validators=[Optional()])
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=200)])

    @property
    def is_blank(self) -> bool:
        return not (self.starts_on.data or self.ends_on.data or self.starts_on.raw_data and self.starts_on.raw_data[0]
                    or self.ends_on.raw_data and self.ends_on.raw_data[0])

    def validate(self, extra_validators=None):
        # Here rather than on a field: Optional() ends a field's own checks when it is empty.
        valid = super().validate(extra_validators)
        if valid and bool(self.starts_on.data) != bool(self.ends_on.data):
            self.ends_on.errors = [*self.ends_on.errors, _l("Give both the first and the last day of the period.")]
            return False
        return valid


class ProfileForm(FlaskForm):
    summary = TextAreaField(_l("What you know and have done"), validators=[Optional(), Length(max=5000)])
    topic_ids = SelectMultipleField(_l("Areas of expertise"), coerce=int, option_widget=CheckboxInput(),
                                    widget=ListWidget(prefix_label=False))
    keywords = TextAreaField(_l("Keywords"), validators=[Optional(), Length(max=2000)],
                             description=_l("Separated by commas: at most 20, each up to 40 characters."))
    languages = FieldList(FormField(LanguageRow), min_entries=SPARE_ROWS, max_entries=30)
    availability = FieldList(FormField(PeriodRow), min_entries=SPARE_ROWS, max_entries=40)
    willing_to_travel = BooleanField(_l("Willing to travel on missions"))
    travel_note = StringField(_l("Travel constraints (optional)"), validators=[Optional(), Length(max=300)])
    active = BooleanField(_l("Offer my profile in searches"))
    submit = SubmitField(_l("Save the profile"))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing; its address can be bookmarked and shared

    q = StringField(_l("Words"), validators=[Optional(), Length(max=200)],
                    description=_l("Searched in names, summaries and keywords."))
    topic = SelectMultipleField(_l("Topics"), coerce=int, option_widget=CheckboxInput(),
                                widget=ListWidget(prefix_label=False))
    language = SelectField(_l("Language"), choices=lambda: options([("", _l("Any"))] + sorted(
        WORKING_LANGUAGES.items(), key=lambda item: item[1].lower())), default="")
    level = SelectField(_l("At least"), choices=lambda: options([("", _l("Any level"))]
                                                                + list(LanguageLevel.choices())), default="")
    available_from = DateField(_l("Available from"), validators=[Optional()])
    available_to = DateField(_l("Available until"), validators=[Optional()])
    parliament = SelectField(_l("Parliament"), coerce=lambda v: int(v) if v else None)
    country = SelectField(_l("Partner country (ranks past missions there higher)"), default="")

    def validate_level(self, field):
        if field.data and not self.language.data:
            raise ValidationError(_l("Choose the language this level is for."))

    def validate_available_to(self, field):
        if field.data and self.available_from.data and field.data < self.available_from.data:
            raise ValidationError(_l("The end of the range is before its start."))
