from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from elearn.documents.services import TITLE_MAX


class UploadForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    file = FileField(_l("File"), validators=[FileRequired()],
                     description=_l("PDF, images (PNG, JPEG, WebP), Word, Excel, PowerPoint, OpenDocument, "
                                    "plain text or CSV."))
    submit = SubmitField(_l("Add the document"))
