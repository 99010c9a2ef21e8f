"""The alumni settings (what a person shows) and the directory's search (GET, no CSRF)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.alumni.services import MAX_BIO


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class SettingsForm(FlaskForm):
    listed = BooleanField(_l("List me in the alumni directory"))
    show_parliament = BooleanField(_l("My parliament"))
    show_position = BooleanField(_l("My position"))
    show_topics = BooleanField(_l("My topics of interest"))
    show_activities = BooleanField(_l("The activities I took part in"))
    show_bio = BooleanField(_l("My short biography"))
    show_email = BooleanField(_l("My email address"))
    bio = TextAreaField(_l("Short biography"), validators=[Optional(), Length(max=MAX_BIO)],
                        description=_l("Plain text, at most 1,000 characters."))
    topic_ids = SelectMultipleField(_l("Topics of interest"), coerce=int, option_widget=CheckboxInput(),
                                    widget=ListWidget(prefix_label=False))
    submit = SubmitField(_l("Save my choices"))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing; its address can be bookmarked and shared

    q = StringField(_l("Name"), validators=[Optional(), Length(max=200)],
                    description=_l("One or more words of the person's name."))
    parliament = SelectField(_l("Parliament"), coerce=_optional_int, validate_choice=True)
    topic = SelectField(_l("Topic"), coerce=_optional_int)
    activity = SelectField(_l("Activity"), coerce=_optional_int)
