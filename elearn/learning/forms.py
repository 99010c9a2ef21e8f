"""Forms of the learner portal and of the trainers' course pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from elearn.forms import options


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token to check."""


class QuizForm(FlaskForm):
    """The quiz's CSRF token; answers are read from question-<id> fields by services.read_answers."""

    submit = SubmitField(_l("Submit my answers"))


class EnrolPeopleForm(FlaskForm):
    emails = TextAreaField(_l("Email addresses"), validators=[Optional(), Length(max=20000)],
                           description=_l("One or more addresses of existing accounts, separated by spaces, commas or new lines."))
    parliament_id = SelectField(_l("Or a parliament's delegation"), validators=[Optional()], choices=[])
    kind = RadioField(_l("Who in the delegation"), default="",
                      choices=options([("", _l("Everyone")), ("mp", _l("Members of parliament")),
                                       ("staff", _l("Parliamentary staff"))]))
    submit = SubmitField(_l("Enrol"))
