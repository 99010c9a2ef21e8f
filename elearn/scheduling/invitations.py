"""Calendar invitations attached to registration mails: the site's organiser, host and language around ical.build_itip.

Each VEVENT carries the same UID as the calendar feeds and the session's stored
SEQUENCE, so a calendar app that has the event from a feed or an earlier mail
updates that event instead of adding a second one.
"""
from __future__ import annotations

from base64 import b64encode
from email.utils import parseaddr
from typing import Iterable
from urllib.parse import urlsplit

from flask import current_app

from elearn.database import utcnow
from elearn.languages import interface_locale
from elearn.people.models import Person
from elearn.scheduling.display import calendar_wording
from elearn.scheduling.ical import CANCEL as CANCEL  # re-exported: the methods callers choose from
from elearn.scheduling.ical import REQUEST as REQUEST
from elearn.scheduling.ical import Invitation, build_itip
from elearn.scheduling.models import Activity, ActivitySession


def site_host() -> str:
    """The host part of every UID, as the feeds make it (FeedSite.host)."""
    return urlsplit(current_app.config["SITE_URL"]).hostname or "hemicycle.localhost"


def organizer() -> tuple[str, str]:
    """(name, address) of the ORGANIZER: MAIL_ORGANIZER, else the sender of every mail."""
    name, address = parseaddr(current_app.config["MAIL_ORGANIZER"] or current_app.config["MAIL_DEFAULT_SENDER"])
    return name or "Hemicycle", address


def attachment(body: bytes, method: str, *, alternative: bool = True) -> dict:
    """An outbox attachment; `alternative`: also the message's calendar part (see mail.services.build_email).

    A message has one calendar part at most: a second invitation in the same
    mail (sessions removed while others moved) travels as an attachment only.
    """
    return {
        "filename": "invite.ics" if method == REQUEST else "cancel.ics",
        "content_type": f"text/calendar; method={method}; charset=utf-8",
        "content": b64encode(body).decode("ascii"),
        "alternative": alternative,
    }


def invitation(activity: Activity, attendee: Person, *, link: str, method: str = REQUEST,
               sessions: Iterable[ActivitySession] | None = None, cancelled: bool = False,
               alternative: bool = True) -> dict:
    """The attachment for one person: every session of the activity unless `sessions` is given.

    `cancelled`: the sessions themselves are cancelled, not only the person's place in them.
    """
    organizer_name, organizer_address = organizer()
    details = Invitation(method=method, attendee_name=attendee.full_name, attendee_address=attendee.email,
                         organizer_name=organizer_name, organizer_address=organizer_address, host=site_host(),
                         page=link, wording=calendar_wording(interface_locale(attendee.preferred_language)), now=utcnow(),
                         cancelled=cancelled)
    body = build_itip(activity, activity.sessions if sessions is None else sessions, details)
    return attachment(body, method, alternative=alternative)
