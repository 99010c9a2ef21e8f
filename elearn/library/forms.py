"""The library's forms: the staff's resource form and everyone's search."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from elearn.forms import options
from elearn.library.models import ResourceAccess, ResourceKind
from elearn.library.services import TITLE_LENGTH


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class ResourceForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_LENGTH)])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=2000)])
    body = TextAreaField(_l("Text"), validators=[Length(max=200_000)],
                         description=_l("The words of a model text or an answer; searched with the rest."))
    keywords = StringField(_l("Keywords"), validators=[Length(max=500)], description=_l("Separated by commas."))
    kind = SelectField(_l("Kind"), choices=lambda: options(ResourceKind.choices()), validators=[DataRequired()])
    language = SelectField(_l("Language"), validators=[DataRequired()])
    topic_id = SelectField(_l("Topic"), coerce=_optional_int, validators=[Optional()])
    access = SelectField(_l("Who may read it"), choices=lambda: options(ResourceAccess.choices()),
                         validators=[DataRequired()])
    parliament_id = SelectField(_l("Parliament"), coerce=_optional_int, validators=[Optional()],
                                description=_l("For a resource of one parliament."))
    pair_id = SelectField(_l("Mentoring pair"), coerce=_optional_int, validators=[Optional()],
                          description=_l("For a resource of one mentoring pair."))
    programme_id = SelectField(_l("Programme"), coerce=_optional_int, validators=[Optional()])
    activity_id = SelectField(_l("Activity"), coerce=_optional_int, validators=[Optional()])
    external_url = StringField(_l("Web address"), validators=[Length(max=500)],
                               description=_l("For a resource kept elsewhere."))
    file = FileField(_l("File"), description=_l("PDF, images (PNG, JPEG, WebP), Word, Excel, PowerPoint, "
                                                "OpenDocument, plain text or CSV."))
    submit = SubmitField(_l("Save"))
