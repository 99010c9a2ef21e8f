"""The form that makes a webhook subscription."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.forms import options
from elearn.webhooks.models import WebhookEvent

EVENT_LABELS = {
    WebhookEvent.REGISTRATION_CONFIRMED: _l("A registration is confirmed"),
    WebhookEvent.REGISTRATION_PROMOTED: _l("Someone on a waiting list gets a seat"),
    WebhookEvent.REGISTRATION_WITHDRAWN: _l("A registration is withdrawn or removed"),
    WebhookEvent.ACTIVITY_PUBLISHED: _l("An activity is published"),
    WebhookEvent.ACTIVITY_CHANGED: _l("A published activity changes or is reinstated"),
    WebhookEvent.ACTIVITY_CANCELLED: _l("An activity is cancelled"),
    WebhookEvent.ATTENDANCE_RECORDED: _l("Attendance is recorded"),
}


class EventChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SubscriptionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What receives it, e.g. “Parliament HR system”."))
    url = StringField(_l("Address (URL)"), validators=[DataRequired(), Length(max=500)],
                      description=_l("Hemicycle posts each event there as JSON, e.g. https://hr.example.org/hemicycle."))
    events = EventChoices(_l("Events"), validators=[DataRequired()], choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: the labels are read in the visitor's language.
        self.events.choices = options((event.value, f"{event.value}: {label}") for event, label in EVENT_LABELS.items())
