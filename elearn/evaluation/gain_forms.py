"""Forms of the learning gain: the trainer's choice of test, and the participant's submission (answers read by the service)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField


class LearningTestForm(FlaskForm):
    # validate_choice off: an unknown quiz reaches the service, which refuses it under the field.
    quiz_id = SelectField(_l("Test"), coerce=str, validate_choice=False,
                          description=_l("The same quiz is taken before the first session and after the last."))
    submit = SubmitField(_l("Save"))


class TakeTestForm(FlaskForm):
    """Only the CSRF token and the button: the answers are fields named question-<id>, read by the service."""

    submit = SubmitField(_l("Submit my answers"))
