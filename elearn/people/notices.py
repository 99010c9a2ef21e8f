"""The mails about an account: a password-reset link and an invitation to choose a password."""
from __future__ import annotations

from flask import current_app

from elearn.mail.services import queue_mail
from elearn.people.models import Person
from elearn.urls import absolute_url


def mail_password_reset(person: Person, secret: str) -> None:
    queue_mail(to=person.email, template="password_reset", locale=person.preferred_language,
               person=person, link=absolute_url("accounts.reset_password", token=secret),
               hours=int(current_app.config["RESET_TOKEN_LIFETIME"].total_seconds() // 3600))


def mail_invitation(person: Person, secret: str, invited_by: Person | None) -> None:
    queue_mail(to=person.email, template="invitation", locale=person.preferred_language,
               person=person, invited_by=invited_by,
               link=absolute_url("accounts.accept_invitation", token=secret),
               days=current_app.config["INVITATION_TOKEN_LIFETIME"].days)
