"""The agreement form (a trainer's proposal or change, a focal point's request), the log, objectives, reviews."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Optional

from elearn.extensions import db
from elearn.forms import options
from elearn.i18n import name_sort_key
from elearn.languages import WORKING_LANGUAGES
from elearn.mentoring.models import MeetingFrequency, ObjectiveStatus
from elearn.mentoring.pairs import AgreementInput, objectives_from_text
from elearn.scheduling.models import Programme
from elearn.topics import Topic


def _id(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _person_label(person, locale: str) -> str:
    parliament = person.parliament.name(locale) if person.parliament else ""
    return f"{person.full_name} ({parliament})" if parliament else person.full_name


class AgreementForm(FlaskForm):
    mentor_id = SelectField(_l("Mentor"), coerce=str, validators=[Optional()],
                            description=_l("A member or official of an assisting parliament."))
    mentee_id = SelectField(_l("Mentee"), coerce=str, validators=[Optional()],
                            description=_l("A member or official of a partner parliament."))
    trainer_id = SelectField(_l("Trainer who follows the pair"), coerce=str, validators=[Optional()])
    purpose = TextAreaField(_l("Purpose"), description=_l("What the mentee wants to learn, and why."),
                            render_kw={"rows": 4, "maxlength": 5000, "dir": "auto"})
    objectives = TextAreaField(_l("Objectives"), description=_l("One objective a line."),
                               render_kw={"rows": 5, "dir": "auto"})
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    frequency = SelectField(_l("How often the pair meets"), choices=lambda: options(
        (member.value, member.label) for member in MeetingFrequency))
    language = SelectField(_l("Working language"), choices=lambda: options(WORKING_LANGUAGES.items()))
    topic_id = SelectField(_l("Topic"), coerce=str, validators=[Optional()])
    programme_id = SelectField(_l("Programme"), coerce=str, validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def offer(self, *, mentors=None, mentees=None, trainers=None, locale: str = "en") -> None:
        """Fill the choices; a field left without choices is not shown and not read."""
        none = [("", "—")]
        self.mentor_id.choices = options(none + [(str(p.id), _person_label(p, locale)) for p in mentors or ()])
        self.mentee_id.choices = options(none + [(str(p.id), _person_label(p, locale)) for p in mentees or ()])
        self.trainer_id.choices = options(none + [(str(p.id), p.full_name) for p in trainers or ()])
        topics = sorted(db.session.scalars(select(Topic)), key=lambda t: name_sort_key(t.name(locale)))
        self.topic_id.choices = options(none + [(str(t.id), t.name(locale)) for t in topics])
        self.programme_id.choices = options(none + [(str(p.id), p.title) for p in db.session.scalars(
            select(Programme).order_by(Programme.title))])

    def fill(self, pair) -> None:
        self.mentor_id.data = str(pair.mentor_id or "")
        self.mentee_id.data = str(pair.mentee_id)
        self.trainer_id.data = str(pair.trainer_id or "")
        self.purpose.data = pair.purpose
        self.objectives.data = "\n".join(objective.text for objective in pair.objectives)
        self.starts_on.data, self.ends_on.data = pair.starts_on, pair.ends_on
        self.frequency.data = pair.frequency.value
        self.language.data = pair.language
        self.topic_id.data = str(pair.topic_id or "")
        self.programme_id.data = str(pair.programme_id or "")

    def chosen(self, name: str) -> int | None:
        return _id(getattr(self, name).data)

    def to_input(self) -> AgreementInput:
        return AgreementInput(purpose=self.purpose.data or "", objectives=objectives_from_text(self.objectives.data),
                              starts_on=self.starts_on.data, ends_on=self.ends_on.data,
                              frequency=MeetingFrequency(self.frequency.data), language=self.language.data,
                              topic_id=self.chosen("topic_id"), programme_id=self.chosen("programme_id"))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"), validators=[InputRequired()],
                         description=_l("Seen only by the mentor, the mentee and the pair's trainer."),
                         render_kw={"rows": 4, "maxlength": 20000, "dir": "auto"})
    meeting_id = SelectField(_l("About the meeting of"), coerce=str, validators=[Optional()])
    submit = SubmitField(_l("Add to the log"))


class ObjectiveForm(FlaskForm):
    status = SelectField(_l("Progress"), choices=lambda: options((s.value, s.label) for s in ObjectiveStatus))
    submit = SubmitField(_l("Update"))


class ReviewForm(FlaskForm):
    rating = RadioField(_l("How useful was the pairing?"), coerce=str, validators=[InputRequired()],
                        choices=options([("1", _l("1: not useful")), ("2", "2"), ("3", "3"), ("4", "4"),
                                         ("5", _l("5: very useful"))]))
    what_worked = TextAreaField(_l("What worked"), render_kw={"rows": 4, "maxlength": 5000, "dir": "auto"})
    what_to_change = TextAreaField(_l("What should change"), render_kw={"rows": 4, "maxlength": 5000, "dir": "auto"})
    submit = SubmitField(_l("Send my review"))

    def rating_value(self) -> int | None:
        return _id(self.rating.data)

