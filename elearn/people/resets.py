"""Password-reset requests: taken by the form, turned into mail by the mail sender.

The form only stores the address typed, whatever it is, and answers; the sender (`flask mail
send`) looks the address up and mails a link if it belongs to an active account. So the form
does the same work, and takes the same time, for every address: answering faster for unknown
ones would tell who has an account (bench/reset_timing.py measures it).

How many reset mails one account gets is limited twice, by RESET_LIMIT_PER_ACCOUNT (say
"3 per hour"): the form refuses more requests for one address (Flask-Limiter, in Redis in
production, so every worker counts alike; unknown addresses are counted the same way), and the
sender mails no more links than that to one account, whatever reached it, and one mail for
several requests waiting together (each new link retires the previous one anyway).
"""
from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from flask import Flask, current_app
from limits import parse
from sqlalchemy import delete, func, select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.people import notices
from elearn.people.links import issue_token
from elearn.people.models import OneTimeToken, PasswordResetRequest, Person, TokenPurpose
from elearn.validation import normalise_email

# The mail layer runs these before each delivery round (see install).
PRODUCERS = "mail_producers"


def ask_for_reset(email: str) -> None:
    """Queue a reset for this address; the same single insert whether or not it is anyone's."""
    db.session.add(PasswordResetRequest(email=normalise_email(email)[:254], requested_at=utcnow()))
    db.session.commit()


def limit_per_account():
    return parse(current_app.config["RESET_LIMIT_PER_ACCOUNT"])


def mail_reset_link(person: Person) -> bool:
    """Issue a link and queue its mail, unless this account had its share of links lately. Not committed."""
    if not person.is_active:
        return False
    limit = limit_per_account()
    recent = db.session.scalar(select(func.count(OneTimeToken.id)).where(
        OneTimeToken.person_id == person.id, OneTimeToken.purpose == TokenPurpose.PASSWORD_RESET,
        OneTimeToken.created_at >= utcnow() - timedelta(seconds=limit.get_expiry())))
    if recent >= limit.amount:
        return False
    notices.mail_password_reset(person, issue_token(person, TokenPurpose.PASSWORD_RESET))
    return True


def process_reset_requests(batch: int = 100) -> int:
    """Handle waiting requests (up to `batch`), oldest first; returns how many mails were queued.

    Each address is claimed by deleting its rows: of two senders, the one whose delete removes
    nothing leaves it to the other. The delete, the link and its mail are one transaction.
    """
    rows = db.session.execute(select(PasswordResetRequest.id, PasswordResetRequest.email)
                              .order_by(PasswordResetRequest.id).limit(batch)).all()
    mailed = 0
    for email, group in groupby(sorted(rows, key=lambda row: (row.email, row.id)), key=lambda row: row.email):
        ids = [row.id for row in group]
        claimed = db.session.execute(delete(PasswordResetRequest).where(PasswordResetRequest.id.in_(ids)))
        if claimed.rowcount:
            person = db.session.scalar(select(Person).where(Person.email == email))
            mailed += bool(person is not None and mail_reset_link(person))
        db.session.commit()
    return mailed


def install(app: Flask) -> None:
    """Let the mail sender turn reset requests into messages before each delivery round."""
    app.extensions.setdefault(PRODUCERS, []).append(process_reset_requests)
