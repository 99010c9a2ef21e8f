"""Publishing an answered question to the library without saying who asked: the asker's name, their
parliament and its country (in every interface language), e-mail addresses and telephone numbers are taken
out of the text staff start from; staff edit it; what they publish is checked again for the same things."""
from __future__ import annotations

import re
from dataclasses import dataclass

from babel import Locale
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.assistance import rules
from elearn.assistance.models import AssistanceQuestion, Side
from elearn.assistance.services import AssistanceError
from elearn.database import utcnow
from elearn.extensions import db
from elearn.languages import WORKING_LANGUAGES
from elearn.library.models import ResourceAccess, ResourceKind
from elearn.library.services import LibraryError, publish

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A run of digits with the separators people type in telephone numbers; at least 7 digits (checked below).
PHONE = re.compile(r"(?<![\w+])(?:\+|\(\+?)?\d[\d \t().\-/]{5,}\d(?!\w)")
DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
NAME_LANGUAGES = ("en", "fr", "es", "pt", "ar")
# Who may read a published answer: anonymised, it is for the whole network or the public.
PUBLISH_ACCESS = (ResourceAccess.NETWORK, ResourceAccess.PUBLIC)


def _name_parts(question: AssistanceQuestion) -> list[str]:
    name = (question.asker.full_name or "").strip()
    parts = [name] + [part for part in re.split(r"[\s,]+", name) if len(part) >= 3]
    return [part for part in parts if part]


def _places(question: AssistanceQuestion) -> tuple[list[str], list[str]]:
    parliament = question.parliament
    names = [parliament.chamber_name] + [getattr(parliament, f"name_{code}") for code in NAME_LANGUAGES]
    countries = []
    for code in NAME_LANGUAGES:
        country = Locale(code).territories.get((parliament.country_code or "").upper())
        if country:
            countries.append(country)
    return [name for name in names if name], countries


def _phones(text: str) -> list[str]:
    found = []
    for match in PHONE.finditer(text):
        candidate = match.group(0).strip()
        if sum(ch.isdigit() for ch in candidate) >= 7 and not DATE.fullmatch(candidate):
            found.append(candidate)
    return found


def _words(values: list[str]):
    """One pattern for whole words, the longest first (a parliament's name before its country's)."""
    values = sorted({value for value in values if value}, key=len, reverse=True)
    if not values:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(value) for value in values) + r")(?!\w)", re.IGNORECASE)


def anonymise(text: str, question: AssistanceQuestion) -> str:
    parliaments, countries = _places(question)
    text = EMAIL.sub(_("[e-mail]"), text or "")
    for phone in _phones(text):
        text = text.replace(phone, _("[telephone]"))
    for values, placeholder in ((parliaments, _("[parliament]")), (countries, _("[country]")),
                                (_name_parts(question), _("[name]"))):
        pattern = _words(values)
        if pattern is not None:
            text = pattern.sub(placeholder, text)
    return text


def leftovers(text: str, question: AssistanceQuestion) -> list[str]:
    """What would still tell who asked: names, places, addresses and numbers found in `text`."""
    parliaments, countries = _places(question)
    found = EMAIL.findall(text) + _phones(text)
    for values in (parliaments, countries, _name_parts(question)):
        pattern = _words(values)
        if pattern is not None:
            found += pattern.findall(text)
    return found


def draft(question: AssistanceQuestion) -> tuple[str, str]:
    """(title, body) to start from: the question and its thread, anonymised, each part under its heading."""
    headings = {Side.ASKER: _("Follow-up"), Side.EXPERT: _("Answer"), Side.STAFF: _("Answer")}
    parts = [_("Question") + "\n\n" + question.body]
    parts += [headings[message.side] + "\n\n" + message.body for message in question.messages]
    return anonymise(question.title, question), anonymise("\n\n".join(parts), question)


@dataclass(frozen=True)
class PublishInput:
    title: str
    summary: str
    body: str
    language: str
    access: ResourceAccess = ResourceAccess.NETWORK


def default_language(question: AssistanceQuestion) -> str:
    code = question.asker.preferred_language if question.asker else "en"
    return code if code in WORKING_LANGUAGES else "en"


def publish_answer(question: AssistanceQuestion, data: PublishInput, actor):
    """Add the edited, anonymised thread to the library as a published answer, once."""
    db.session.execute(select(AssistanceQuestion.id).where(AssistanceQuestion.id == question.id).with_for_update())
    db.session.refresh(question)
    if not rules.may_publish(actor, question):
        raise AssistanceError(_("Only an answered question that is not yet published can be published."))
    if ResourceAccess(data.access) not in PUBLISH_ACCESS:
        raise AssistanceError(_("A published answer is for the network or the public."), "access")
    for name in ("title", "summary", "body"):
        found = leftovers(getattr(data, name), question)
        if found:
            raise AssistanceError(_("This still says who asked: %(found)s. Take it out before publishing.",
                                    found=", ".join(sorted(set(found)))), name)
    try:
        resource = publish(title=data.title, summary=data.summary, body=data.body, kind=ResourceKind.ANSWER,
                           language=data.language, topic_id=question.topic_id, access=data.access,
                           added_by=actor)
    except LibraryError as error:
        db.session.rollback()
        raise AssistanceError(str(error), error.field) from None
    question.resource_id = resource.id
    question.published_at = utcnow()
    db.session.commit()
    return resource
