"""Queue mail in the outbox and deliver it over SMTP with retries."""
from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from base64 import b64decode
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select, update

from elearn.database import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a sender that died mid-send.
STALE_CLAIM = timedelta(minutes=10)


def queue_mail(*, to: str, template: str, locale: str, kind: str | None = None,
               headers: dict | None = None, attachments: list | None = None,
               **context) -> OutboxMessage:
    """Render `mail/<template>.{subject,txt,html}` in `locale` and add it to the outbox.

    Nothing is committed here: the message is saved with the caller's change or
    not at all.
    """
    with force_locale(locale):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        body_text = render_template(f"mail/{template}.txt", **context)
        body_html = render_template(f"mail/{template}.html", subject=subject, **context)
    message = OutboxMessage(
        kind=kind or template, to_address=to, subject=subject, body_text=body_text,
        body_html=body_html, headers=headers or {}, attachments=attachments or [],
        status=OutboxStatus.PENDING, next_attempt_at=utcnow(),
    )
    db.session.add(message)
    return message


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying will not help."""


class TemporaryFailure(Exception):
    """The server is unreachable or asked us to try later (4xx)."""


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(">") or None)
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments or []:
        maintype, _, subtype = attachment["content_type"].partition("/")
        subtype, *params = subtype.split(";")
        email.add_attachment(
            b64decode(attachment["content"]), maintype=maintype, subtype=subtype.strip(),
            filename=attachment["filename"],
            params=dict(p.strip().split("=", 1) for p in params if "=" in p),
        )
    return email


def _reply(code: int, text: bytes | str) -> str:
    # smtplib gives the server's text as bytes; administrators read it on the outbox page.
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {text}"


def deliver(email: EmailMessage, config) -> None:
    """Hand one message to the SMTP server, or print it when none is configured."""
    if not config["MAIL_SERVER"]:
        print(f"--- mail (no MAIL_SERVER set) ---\n{email.as_string()}\n--- end of mail ---", flush=True)
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    try:
        with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        error = "; ".join(f"{address}: {_reply(code, text)}" for address, (code, text) in exc.recipients.items())
        if all(400 <= code < 500 for code in codes):
            raise TemporaryFailure(error) from exc
        raise PermanentFailure(error) from exc
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:
            raise TemporaryFailure(_reply(exc.smtp_code, exc.smtp_error)) from exc
        raise PermanentFailure(_reply(exc.smtp_code, exc.smtp_error)) from exc
    except (OSError, smtplib.SMTPException, socket.timeout) as exc:
        raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc


def _release_stale_claims(now: datetime) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING,
               OutboxMessage.claimed_at < now - STALE_CLAIM)
        .values(status=OutboxStatus.PENDING, claimed_by=None)
    )
    db.session.commit()


def _claim(message_id: int, sender_id: str, now: datetime) -> bool:
    # A conditional update is atomic on every backend: of two senders racing
    # for the same row, exactly one sees rowcount 1.
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SENDING, claimed_by=sender_id, claimed_at=now)
    )
    db.session.commit()
    return result.rowcount == 1


def retry_delay(attempts: int, base_seconds: int) -> timedelta:
    return timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0))


def send_due(*, sender_id: str, now: datetime | None = None, limit: int = 100) -> SendReport:
    """Deliver every pending message whose time has come; one SMTP session each."""
    config = current_app.config
    now = now or utcnow()
    report = SendReport()
    _release_stale_claims(now)
    due_ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
    for message_id in due_ids:
        if not _claim(message_id, sender_id, now):
            continue
        message = db.session.get(OutboxMessage, message_id)
        message.attempts += 1
        try:
            deliver(build_email(message, config["MAIL_DEFAULT_SENDER"]), config)
        except PermanentFailure as exc:
            message.status, message.last_error = OutboxStatus.FAILED, str(exc)
            report.failed += 1
        except TemporaryFailure as exc:
            message.last_error = str(exc)
            if message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
                message.status = OutboxStatus.FAILED
                report.failed += 1
            else:
                message.status = OutboxStatus.PENDING
                message.next_attempt_at = now + retry_delay(message.attempts, config["MAIL_RETRY_BASE_SECONDS"])
                report.retried += 1
        else:
            message.status, message.sent_at, message.last_error = OutboxStatus.SENT, utcnow(), None
            report.sent += 1
        message.claimed_by = None
        db.session.commit()
    return report


def retry_failed(message: OutboxMessage) -> None:
    """Give a failed message a fresh set of attempts (from the admin page)."""
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.commit()
