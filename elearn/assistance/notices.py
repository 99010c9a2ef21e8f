"""The mails remote assistance sends, queued in the caller's transaction: to the expert a question is assigned
to, and to the other side when someone replies (the asker when answered, the expert when followed up)."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from elearn.assistance.models import Side
from elearn.languages import interface_locale
from elearn.mail.services import queue_mail
from elearn.urls import absolute_url


def _reachable(person) -> bool:
    return person is not None and person.is_active and person.erased_at is None


def _local_day(moment, person):
    """The day in the person's own zone (a mail is read where they are, not where it was sent)."""
    try:
        return moment.astimezone(ZoneInfo(person.timezone or "UTC")).date()
    except (KeyError, ValueError):
        return moment.date()


def tell_expert(question, expert) -> None:
    if _reachable(expert):
        queue_mail(to=expert.email, template="assistance_assigned", locale=interface_locale(expert.preferred_language),
                   person=expert, question=question, due_on=_local_day(question.due_at, expert),
                   link=absolute_url("assistance.question", question_id=question.id))


def tell_about_reply(question, message, author) -> None:
    """Whoever waits for this reply: the asker for an answer; the expert for a follow-up or the unit's word."""
    recipients = []
    if message.side in (Side.EXPERT, Side.STAFF):
        recipients.append(question.asker)
    if message.side in (Side.ASKER, Side.STAFF) and question.expert is not None:
        recipients.append(question.expert)
    link = absolute_url("assistance.question", question_id=question.id)
    for person in recipients:
        if _reachable(person) and person.id != author.id:
            queue_mail(to=person.email, template="assistance_reply", locale=interface_locale(person.preferred_language),
                       person=person, question=question, answered=message.side != Side.ASKER, link=link)
