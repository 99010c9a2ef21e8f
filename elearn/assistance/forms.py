"""The forms of remote assistance: asking, replying, assigning, publishing, and the queue's filters (GET)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, Form, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from elearn.assistance.anonymise import PUBLISH_ACCESS
from elearn.assistance.attachments import FileInput
from elearn.assistance.models import QuestionStatus, Urgency
from elearn.assistance.services import TEXT_MAX, TITLE_MAX
from elearn.forms import options
from elearn.languages import WORKING_LANGUAGES

FILES_HINT = _l("Up to three files: PDF, images, Word, Excel, PowerPoint, OpenDocument, plain text or CSV.")


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def files_of(field) -> list[FileInput]:
    return [FileInput(filename=item.filename or "", stream=item.stream)
            for item in (field.data or []) if getattr(item, "filename", "")]


class AskForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)],
                        description=_l("One line saying what you need, e.g. “Rules on the quorum in committee”."))
    body = TextAreaField(_l("Your question"), validators=[DataRequired(), Length(max=TEXT_MAX)],
                         description=_l("What you want to know, the background, and what you have already found."),
                         render_kw={"rows": 10, "dir": "auto"})
    topic_id = SelectField(_l("Topic"), coerce=_int_or_none, validators=[InputRequired()])
    urgency = SelectField(_l("Urgency"), default=Urgency.NORMAL.value)
    files = MultipleFileField(_l("Attachments"), description=FILES_HINT)
    submit = SubmitField(_l("Send the question"))


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), validators=[DataRequired(), Length(max=TEXT_MAX)],
                         render_kw={"rows": 8, "dir": "auto"})
    files = MultipleFileField(_l("Attachments"), description=FILES_HINT)
    submit = SubmitField(_l("Send the reply"))


class AssignForm(FlaskForm):
    expert_id = SelectField(_l("Expert"), coerce=_int_or_none, validators=[InputRequired()], validate_choice=False,
                            description=_l("The roster's experts on the question's topic come first."))
    submit = SubmitField(_l("Assign"))


def publish_language_options():
    return options(sorted(WORKING_LANGUAGES.items(), key=lambda item: item[1].lower()))


def publish_access_options():
    return options([(access.value, access.label) for access in PUBLISH_ACCESS])


class PublishForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)],
                        render_kw={"dir": "auto"})
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3, "dir": "auto"})
    body = TextAreaField(_l("Text to publish"), validators=[DataRequired(), Length(max=2 * TEXT_MAX)],
                         description=_l("Names, parliaments, countries, e-mail addresses and telephone numbers are "
                                        "taken out; read it through and take out anything else that says who asked."),
                         render_kw={"rows": 16, "dir": "auto"})
    language = SelectField(_l("Language"), choices=publish_language_options)
    access = SelectField(_l("Who may read it"), choices=publish_access_options)
    submit = SubmitField(_l("Publish to the library"))


def status_options():
    return options([("", _l("Not closed"))] + QuestionStatus.choices())


def urgency_options():
    return options([("", _l("Any urgency"))] + Urgency.choices())


class QueueFilterForm(Form):
    """Read from the query string: no CSRF (it changes nothing)."""
    status = SelectField(_l("Status"), choices=status_options, default="", validators=[Optional()])
    urgency = SelectField(_l("Urgency"), choices=urgency_options, default="", validators=[Optional()])
    topic = SelectField(_l("Topic"), default="", validators=[Optional()])
    overdue = BooleanField(_l("Overdue only"))
    submit = SubmitField(_l("Filter"))
