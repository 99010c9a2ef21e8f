"""Choices about optional mail, one-click unsubscribe links, and queuing a mail only once."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.mail.services import queue_mail
from elearn.notifications.models import NotificationPreference, OptionalMail
from elearn.people.models import Person
from elearn.topics import Topic
from elearn.urls import absolute_url

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


# Preferences ------------------------------------------------------------------

def preference_for(person: Person) -> NotificationPreference:
    """The person's choices; the defaults (every optional mail) if they never changed them.

    A default is not added to the session: nothing is written by reading.
    """
    found = db.session.get(NotificationPreference, person.id)
    return found or NotificationPreference(person_id=person.id, reminders=True, digest=True, languages=[])


def wants(person: Person, mail: OptionalMail) -> bool:
    return person.is_active and preference_for(person).wants(mail)


def followed_languages(person: Person, preference: NotificationPreference | None = None) -> set[str]:
    preference = preference or preference_for(person)
    return set(preference.languages or [person.preferred_language])


@dataclass(frozen=True)
class PreferenceInput:
    reminders: bool
    digest: bool
    languages: tuple[str, ...] = ()
    topic_ids: tuple[int, ...] = ()


def _stored_preference(person_id: int) -> NotificationPreference:
    preference = db.session.get(NotificationPreference, person_id)
    if preference is None:
        preference = NotificationPreference(person_id=person_id, reminders=True, digest=True, languages=[])
        db.session.add(preference)
    return preference


def save_preferences(person: Person, data: PreferenceInput) -> NotificationPreference:
    preference = _stored_preference(person.id)
    preference.reminders, preference.digest = data.reminders, data.digest
    preference.languages = sorted(set(data.languages))
    preference.topics = list(db.session.scalars(select(Topic).where(Topic.id.in_(data.topic_ids)))) \
        if data.topic_ids else []
    preference.updated_at = utcnow()
    db.session.commit()
    return preference


# Unsubscribe links ------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(person_id: int, mail: OptionalMail) -> str:
    """A signed token naming a person and one kind of optional mail.

    It does not expire: an unsubscribe link in an old mail must keep working.
    It only turns mail off, so a leaked link cannot do more than that.
    """
    return _serializer().dumps([person_id, OptionalMail(mail).value])


def read_unsubscribe_token(token: str) -> tuple[Person, OptionalMail] | None:
    try:
        person_id, mail = _serializer().loads(token)
        mail = OptionalMail(mail)
    except (BadSignature, ValueError, TypeError):
        return None
    person = db.session.get(Person, person_id) if isinstance(person_id, int) else None
    return (person, mail) if person is not None else None


def unsubscribe(person: Person, mail: OptionalMail) -> None:
    preference = _stored_preference(person.id)
    if mail == OptionalMail.REMINDERS:
        preference.reminders = False
    else:
        preference.digest = False
    preference.updated_at = utcnow()
    db.session.commit()


def queue_optional_mail(person: Person, mail: OptionalMail, *, template: str, kind: str | None = None,
                        **context) -> OutboxMessage | None:
    """Queue a mail the person may turn off, with its one-click unsubscribe headers; None if turned off."""
    if not wants(person, mail):
        return None
    link = absolute_url("notifications.unsubscribe", token=unsubscribe_token(person.id, mail))
    headers = {
        # RFC 2369 and RFC 8058: mail clients show an "Unsubscribe" button that
        # POSTs "List-Unsubscribe=One-Click" to this address.
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return queue_mail(to=person.email, template=template, locale=person.preferred_language, kind=kind,
                      headers=headers, person=person, unsubscribe_link=link, optional_mail=mail.value,
                      preferences_link=absolute_url("notifications.preferences"), **context)
