"""The mails a pair's life cycle sends: proposed (to both people), started, declined (to its trainer), ended."""
from __future__ import annotations

from elearn.languages import interface_locale
from elearn.mail.services import queue_mail
from elearn.mentoring.models import MentoringPair
from elearn.people.models import Person
from elearn.urls import absolute_url


def _send(person: Person | None, template: str, pair: MentoringPair, **context) -> None:
    if person is None or not person.is_active or person.erased_at is not None:
        return
    queue_mail(to=person.email, template=template, locale=interface_locale(person.preferred_language),
               person=person, pair=pair, link=absolute_url("mentoring.pair", pair_id=pair.id), **context)


def proposed(pair: MentoringPair) -> None:
    """Each side is asked to accept or decline (the mentor's and the mentee's wording differ)."""
    _send(pair.mentor, "mentoring_proposed", pair, as_mentor=True, other=pair.mentee)
    _send(pair.mentee, "mentoring_proposed", pair, as_mentor=False, other=pair.mentor)


def started(pair: MentoringPair) -> None:
    for person in (pair.mentor, pair.mentee, pair.trainer):
        _send(person, "mentoring_started", pair)


def declined(pair: MentoringPair, by: Person) -> None:
    _send(pair.trainer, "mentoring_declined", pair, declined_by=by)


def ended(pair: MentoringPair) -> None:
    """Both people are asked for their review of the pairing."""
    _send(pair.mentor, "mentoring_ended", pair)
    _send(pair.mentee, "mentoring_ended", pair)
