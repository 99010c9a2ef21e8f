"""Forms of the institutions directory and the agenda items; the services judge what the forms cannot."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.delegations.agenda_models import InstitutionKind
from elearn.forms import options


class InstitutionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=lambda: options(InstitutionKind.choices()))
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    country = StringField(_l("Country code"), validators=[Optional(), Length(min=2, max=2)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    contact_email = StringField(_l("Contact email"), validators=[Optional(), Length(max=254)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)])


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class AgendaItemForm(FlaskForm):
    session_id = SelectField(_l("Session"), coerce=int)
    day = DateField(_l("Day"), validators=[DataRequired()])
    start_time = TimeField(_l("Starts at"), validators=[DataRequired()])
    end_time = TimeField(_l("Ends at"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    institution_id = SelectField(_l("Institution"), coerce=_optional_id, validate_choice=False)
    host = StringField(_l("Host (who receives the delegation)"), validators=[Optional(), Length(max=200)])
    room = StringField(_l("Room"), validators=[Optional(), Length(max=200)])
    briefing_md = TextAreaField(_l("Briefing note"), validators=[Optional(), Length(max=20000)],
                                description=_l("Markdown: **bold**, *italic*, lists and links."))
    for_everyone = BooleanField(_l("Every confirmed participant"), default=True)
    # Checked against the activity's confirmed registrations by the service (it names the field if not).
    registration_ids = SelectMultipleField(_l("Or only these participants"), coerce=int, validate_choice=False,
                                           widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
