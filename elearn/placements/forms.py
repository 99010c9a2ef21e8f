"""The placement form (staff), a programme entry (staff and tutor), a report (tutor and placed person)."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from elearn.extensions import db
from elearn.forms import KnownTimezone, options
from elearn.i18n import by_name
from elearn.people.models import Parliament
from elearn.placements.models import DayPart, PlacementStatus
from elearn.placements.services import EntryInput, PlacementInput
from elearn.scheduling.models import Activity, Modality, Programme
from elearn.topics import Topic

# The modalities a placement can be part of: the visits and stays at a host parliament.
VISIT_MODALITIES = (Modality.EXCHANGE_VISIT, Modality.TRAINING_PERIOD, Modality.SHADOWING)
VISITS_OFFERED = 200


def _id_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class PlacementForm(FlaskForm):
    person_email = EmailField(_l("Placed person (their e-mail address)"), validators=[DataRequired(), Length(max=254)],
                              description=_l("A person of a partner parliament with an account."))
    host_parliament_id = SelectField(_l("Host parliament"), coerce=_id_or_none, validators=[DataRequired()])
    service = StringField(_l("Host service"), validators=[DataRequired(), Length(max=200)],
                          description=_l("For example: Table Office, Committee secretariat, Official Report."))
    tutor_email = EmailField(_l("Host tutor (their e-mail address)"), validators=[DataRequired(), Length(max=254)],
                             description=_l("A person of the host parliament with an account."))
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])
    timezone = StringField(_l("Timezone of the host"), validators=[DataRequired(), KnownTimezone()])
    status = SelectField(_l("Status"), choices=lambda: options(PlacementStatus.choices()))
    objectives = TextAreaField(_l("Objectives"), validators=[Optional(), Length(max=5000)])
    activity_id = SelectField(_l("Part of the visit"), coerce=_id_or_none, validators=[Optional()],
                              description=_l("Its agenda can then be copied into the daily programme."))
    programme_id = SelectField(_l("Programme"), coerce=_id_or_none, validators=[Optional()])
    topic_id = SelectField(_l("Topic"), coerce=_id_or_none, validators=[Optional()])
    submit = SubmitField(_l("Save the placement"))

    def fill_choices(self) -> None:
        locale = str(get_locale())
        none = [("", _l("None"))]
        self.host_parliament_id.choices = options(
            [("", _l("Choose…"))] + [(p.id, p.name(locale)) for p in by_name(db.session.scalars(select(Parliament)).all(), locale)])
        visits = db.session.scalars(select(Activity).where(Activity.modality.in_(VISIT_MODALITIES))
                                    .order_by(Activity.starts_at.desc()).limit(VISITS_OFFERED))
        self.activity_id.choices = options(none + [(a.id, a.title) for a in visits])
        programmes = db.session.scalars(select(Programme).order_by(Programme.title))
        self.programme_id.choices = options(none + [(p.id, p.title) for p in programmes])
        self.topic_id.choices = options(none + [(t.id, t.name(locale))
                                                for t in by_name(db.session.scalars(select(Topic)).all(), locale)])

    def fill(self, placement) -> None:
        for name in ("host_parliament_id", "service", "starts_on", "ends_on", "timezone", "objectives",
                     "activity_id", "programme_id", "topic_id"):
            getattr(self, name).data = getattr(placement, name)
        self.person_email.data = placement.person.email
        self.tutor_email.data = placement.tutor.email
        self.status.data = placement.status.value

    def to_input(self) -> PlacementInput:
        return PlacementInput(
            person_email=self.person_email.data, tutor_email=self.tutor_email.data,
            host_parliament_id=self.host_parliament_id.data, service=self.service.data,
            starts_on=self.starts_on.data, ends_on=self.ends_on.data, timezone=self.timezone.data.strip(),
            status=PlacementStatus(self.status.data), objectives=self.objectives.data or "",
            activity_id=self.activity_id.data, programme_id=self.programme_id.data, topic_id=self.topic_id.data)


class EntryForm(FlaskForm):
    day = DateField(_l("Day"), validators=[DataRequired()])
    part = SelectField(_l("Part of the day"), choices=lambda: options(DayPart.choices()))
    what = StringField(_l("What"), validators=[DataRequired(), Length(max=300)])
    place = StringField(_l("Where"), validators=[Optional(), Length(max=200)])
    with_whom = StringField(_l("With whom"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add to the programme"))

    def to_input(self) -> EntryInput:
        return EntryInput(day=self.day.data, part=DayPart(self.part.data), what=self.what.data,
                          place=self.place.data or "", with_whom=self.with_whom.data or "")


class ReportForm(FlaskForm):
    what_was_done = TextAreaField(_l("What was done and learnt"), validators=[Optional(), Length(max=10000)])
    follow_up = TextAreaField(_l("Follow-up and recommendations"), validators=[Optional(), Length(max=10000)])
    save = SubmitField(_l("Save the draft"))
    submit = SubmitField(_l("Submit the report"))
