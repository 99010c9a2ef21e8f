"""Forms of the questionnaire pages: one text field per interface language, made when the form is."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.evaluation.models import QuestionKind
from elearn.evaluation.questionnaires import QuestionInput, QuestionnaireInput
from elearn.forms import options
from elearn.languages import interface_languages
from elearn.scheduling.models import Modality


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuestionnaireForm(FlaskForm):
    anonymous = BooleanField(_l("Anonymous: responses keep no name"), default=True)
    default_for_modalities = MultiCheckboxField(_l("The default questionnaire for these modalities"),
                                                choices=[])

    def texts(self, prefix: str) -> dict[str, str]:
        return {language: self[f"{prefix}_{language}"].data or "" for language in languages()}

    def to_input(self) -> QuestionnaireInput:
        return QuestionnaireInput(title=self.texts("title"), intro=self.texts("intro"),
                                  anonymous=self.anonymous.data,
                                  default_for_modalities=tuple(self.default_for_modalities.data or ()))

    def fill(self, questionnaire) -> None:
        for language in languages():
            self[f"title_{language}"].data = questionnaire.title.get(language, "")
            self[f"intro_{language}"].data = questionnaire.intro.get(language, "")
        self.anonymous.data = questionnaire.anonymous
        self.default_for_modalities.data = list(questionnaire.default_for_modalities or [])


def questionnaire_form(**kwargs) -> QuestionnaireForm:
    names = interface_languages()

    class Form(QuestionnaireForm):
        pass

    for language in languages():
        setattr(Form, f"title_{language}", StringField(_l("Title (%(language)s)", language=names[language])))
        setattr(Form, f"intro_{language}", TextAreaField(_l("Introduction (%(language)s)",
                                                            language=names[language])))
    form = Form(**kwargs)
    form.default_for_modalities.choices = options(Modality.choices())
    return form


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of question"), choices=[], validators=[InputRequired()])
    required = BooleanField(_l("An answer is required"), default=True)
    scale_points = IntegerField(_l("Points on the scale (ratings: 2 to 11)"), default=5,
                                validators=[Optional(), NumberRange(min=2, max=11)])

    def _lines(self, prefix: str) -> dict[str, list[str]]:
        return {language: (self[f"{prefix}_{language}"].data or "").splitlines() for language in languages()}

    def to_input(self) -> QuestionInput:
        return QuestionInput(kind=QuestionKind(self.kind.data),
                             prompt={language: self[f"prompt_{language}"].data or "" for language in languages()},
                             required=self.required.data, scale_points=self.scale_points.data,
                             scale_labels=self._lines("labels"), option_labels=self._lines("options"))

    def fill(self, question) -> None:
        self.kind.data, self.required.data, self.scale_points.data = \
            question.kind.value, question.required, question.scale_points
        for language in languages():
            self[f"prompt_{language}"].data = question.prompt.get(language, "")
            self[f"labels_{language}"].data = "\n".join((question.scale_labels or {}).get(language, []))
            self[f"options_{language}"].data = "\n".join(
                option["label"].get(language, "") for option in question.options or []) \
                if any(option["label"].get(language) for option in question.options or []) else ""


def question_form(**kwargs) -> QuestionForm:
    names = interface_languages()

    class Form(QuestionForm):
        pass

    for language in languages():
        name = names[language]
        setattr(Form, f"prompt_{language}", TextAreaField(_l("Question (%(language)s)", language=name)))
        setattr(Form, f"labels_{language}", TextAreaField(
            _l("Labels of the points, one per line, from the lowest (%(language)s)", language=name)))
        setattr(Form, f"options_{language}", TextAreaField(
            _l("Options, one per line (%(language)s)", language=name)))
    form = Form(**kwargs)
    form.kind.choices = options(QuestionKind.choices())
    return form


class AttachForm(FlaskForm):
    questionnaire = SelectField(_l("Questionnaire"), choices=[])
