"""Questionnaire templates: create, edit and retire them, and their questions of every kind.

Texts are {language: text}; a reader sees their language, else English, else any language that
has text. Once a questionnaire has answers, what would change their meaning (a question's kind,
its number of points or options, removing it, anonymity) is refused with a message: the trainer
edits the wording only, or makes a copy (`copy_questionnaire`) and changes the copy.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from elearn.database import utcnow
from elearn.errors import UserError
from elearn.evaluation.models import Answer, Question, QuestionKind, Questionnaire
from elearn.extensions import db
from elearn.learning.models import localised

CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
RATING_KINDS = (QuestionKind.RATING, QuestionKind.SESSION_RATING)
MAX_TEXT = 2000


class QuestionnaireError(UserError):
    pass


def text_in(values: dict | None, locale: str) -> str:
    """The text in `locale`, else English, else any language that has text."""
    return localised(values, locale, ("en",))


def labels_in(values: dict | None, locale: str) -> list[str]:
    """A list of labels (scale points) in `locale`, else English, else any language that has them."""
    values = values or {}
    for language in (locale, "en", *values.keys()):
        if any(values.get(language) or ()):
            return list(values[language])
    return []


def option_labels(question: Question, locale: str) -> list[tuple[str, str]]:
    """(key, label) of each option in the reader's language."""
    return [(option["key"], text_in(option.get("label"), locale)) for option in question.options or []]


@dataclass(frozen=True)
class QuestionnaireInput:
    title: dict[str, str]
    intro: dict[str, str] = field(default_factory=dict)
    anonymous: bool = True
    default_for_modalities: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionInput:
    kind: QuestionKind
    prompt: dict[str, str]
    required: bool = True
    scale_points: int | None = None
    scale_labels: dict[str, list[str]] = field(default_factory=dict)
    # {language: [label of option 1, label of option 2, ...]}: the options are the lines, in order.
    option_labels: dict[str, list[str]] = field(default_factory=dict)


def _clean(values: dict[str, str]) -> dict[str, str]:
    return {language: text.strip() for language, text in values.items() if text and text.strip()}


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60] or "questionnaire"
    slug, n = base, 1
    while db.session.scalar(select(Questionnaire.id).where(Questionnaire.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def is_answered(questionnaire: Questionnaire) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Answer.question_id == Question.id, Question.questionnaire_id == questionnaire.id))))


def _check_questionnaire(data: QuestionnaireInput) -> None:
    if not _clean(data.title):
        raise QuestionnaireError(_("Give the questionnaire a title in at least one language."), "title_en")


def _claim_modalities(questionnaire: Questionnaire, modalities: tuple[str, ...]) -> None:
    """One default per modality: a questionnaire that takes a modality takes it from the others."""
    others = db.session.scalars(select(Questionnaire).where(Questionnaire.id != questionnaire.id)).all()
    for other in others:
        kept = [m for m in other.default_for_modalities or [] if m not in modalities]
        if kept != list(other.default_for_modalities or []):
            other.default_for_modalities = kept


def create_questionnaire(data: QuestionnaireInput) -> Questionnaire:
    _check_questionnaire(data)
    title = _clean(data.title)
    questionnaire = Questionnaire(slug=_slug(title.get("en") or next(iter(title.values()))), title=title,
                                  intro=_clean(data.intro), anonymous=data.anonymous,
                                  default_for_modalities=list(data.default_for_modalities))
    db.session.add(questionnaire)
    db.session.flush()
    _claim_modalities(questionnaire, data.default_for_modalities)
    db.session.commit()
    return questionnaire


def update_questionnaire(questionnaire: Questionnaire, data: QuestionnaireInput) -> None:
    _check_questionnaire(data)
    if data.anonymous != questionnaire.anonymous and is_answered(questionnaire):
        raise QuestionnaireError(_("People have answered this questionnaire: whether it is anonymous can no "
                                   "longer change. Make a copy and change the copy."), "anonymous")
    questionnaire.title, questionnaire.intro = _clean(data.title), _clean(data.intro)
    questionnaire.anonymous = data.anonymous
    questionnaire.default_for_modalities = list(data.default_for_modalities)
    _claim_modalities(questionnaire, data.default_for_modalities)
    db.session.commit()


def retire(questionnaire: Questionnaire) -> None:
    """No longer offered nor a default; activities it is attached to keep it."""
    questionnaire.retired_at = questionnaire.retired_at or utcnow()
    questionnaire.default_for_modalities = []
    db.session.commit()


def _check_question(data: QuestionInput) -> tuple[dict, dict, list]:
    prompt = _clean(data.prompt)
    if not prompt:
        raise QuestionnaireError(_("Write the question in at least one language."), "prompt_en")
    if any(len(text) > MAX_TEXT for text in prompt.values()):
        raise QuestionnaireError(_("A question is at most %(n)d characters.", n=MAX_TEXT), "prompt_en")
    labels: dict = {}
    options: list = []
    if data.kind in RATING_KINDS:
        if data.scale_points is None or not 2 <= data.scale_points <= 11:
            raise QuestionnaireError(_("A scale has from 2 to 11 points."), "scale_points")
        for language, lines in data.scale_labels.items():
            lines = [line.strip() for line in lines]
            if not any(lines):
                continue
            if len(lines) != data.scale_points:
                raise QuestionnaireError(_("Give one label per point of the scale (%(n)d), one per line.",
                                           n=data.scale_points), f"labels_{language}")
            labels[language] = lines
    elif data.kind in CHOICE_KINDS:
        counts = {len(lines) for lines in (_lines(v) for v in data.option_labels.values()) if lines}
        if not counts or max(counts) < 2:
            raise QuestionnaireError(_("Give at least two options, one per line."), "options_en")
        if len(counts) > 1:
            raise QuestionnaireError(_("Give the same number of options in every language."), "options_en")
        options = _lines_by_position(data.option_labels, counts.pop())
    return prompt, labels, options


def _lines(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


def _lines_by_position(option_labels: dict[str, list[str]], count: int) -> list[dict]:
    cleaned = {language: _lines(lines) for language, lines in option_labels.items() if _lines(lines)}
    return [{"key": f"o{n + 1}", "label": {language: lines[n] for language, lines in cleaned.items()}}
            for n in range(count)]


def add_question(questionnaire: Questionnaire, data: QuestionInput) -> Question:
    prompt, labels, options = _check_question(data)
    position = (db.session.scalar(select(func.max(Question.position))
                                  .where(Question.questionnaire_id == questionnaire.id)) or 0) + 1
    question = Question(questionnaire_id=questionnaire.id, position=position, kind=data.kind, prompt=prompt,
                        required=data.required, scale_labels=labels, options=options,
                        scale_points=data.scale_points if data.kind in RATING_KINDS else None)
    db.session.add(question)
    db.session.commit()
    return question


def question_answered(question: Question) -> bool:
    return bool(db.session.scalar(select(exists().where(Answer.question_id == question.id))))


def update_question(question: Question, data: QuestionInput) -> None:
    """Wording may always change; once answered, the kind, the points and the number of options may not."""
    prompt, labels, options = _check_question(data)
    if question_answered(question):
        same_shape = (data.kind == question.kind
                      and (data.kind not in RATING_KINDS or data.scale_points == question.scale_points)
                      and len(options) == len(question.options or []))
        if not same_shape:
            raise QuestionnaireError(_("People have answered this question: only its wording can change. "
                                       "Make a copy of the questionnaire to ask it another way."), "kind")
    question.kind, question.prompt, question.required = data.kind, prompt, data.required
    question.scale_points = data.scale_points if data.kind in RATING_KINDS else None
    question.scale_labels, question.options = labels, options
    db.session.commit()


def remove_question(question: Question) -> None:
    if question_answered(question):
        raise QuestionnaireError(_("People have answered this question: it cannot be removed. "
                                   "Make a copy of the questionnaire without it."))
    questionnaire_id, position = question.questionnaire_id, question.position
    db.session.delete(question)
    db.session.flush()
    # Close the gap one row at a time, upwards, so the unique (questionnaire, position) holds at each step.
    for later in db.session.scalars(select(Question).where(Question.questionnaire_id == questionnaire_id,
                                                           Question.position > position)
                                    .order_by(Question.position)).all():
        later.position -= 1
        db.session.flush()
    db.session.commit()


def copy_questionnaire(questionnaire: Questionnaire) -> Questionnaire:
    """A new template with the same texts and questions, not a default, free to change."""
    title = {language: _("%(title)s (copy)", title=text) for language, text in questionnaire.title.items()}
    copy = Questionnaire(slug=_slug((questionnaire.title.get("en") or questionnaire.slug) + " copy"), title=title,
                         intro=dict(questionnaire.intro or {}), anonymous=questionnaire.anonymous,
                         default_for_modalities=[])
    copy.questions = [Question(position=q.position, kind=q.kind, prompt=dict(q.prompt), required=q.required,
                               scale_points=q.scale_points, scale_labels=dict(q.scale_labels or {}),
                               options=[dict(o) for o in q.options or []]) for q in questionnaire.questions]
    db.session.add(copy)
    db.session.commit()
    return copy


def list_statement():
    return select(Questionnaire).options(selectinload(Questionnaire.questions)).order_by(Questionnaire.retired_at.is_not(None), Questionnaire.created_at.desc(),
                                          Questionnaire.id.desc())
