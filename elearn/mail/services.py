"""Queue mail in the outbox and deliver it over SMTP with retries."""
from __future__ import annotations

import logging
import smtplib
import ssl
from base64 import b64decode
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

from elearn.database import utcnow
from elearn.extensions import db
from elearn.mail.console import readable
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.mail.policy import MAIL_POLICY
from elearn.outbox import claim_batch, release_stale_claims, retry_delay

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a sender that died mid-send.


def one_line(text: str) -> str:
    """A header value on one line: each line break (CR, LF, and the others str.splitlines knows) becomes a space.

    A title or name with CR/LF in it must not start a new header line (nor make
    the message unsendable: the email package refuses line breaks in headers).
    Other spaces stay as they are: French puts a no-break space before a colon.
    """
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def queue_mail(*, to: str, template: str, locale: str, kind: str | None = None,
               headers: dict | None = None, attachments: list | None = None,
               **context) -> OutboxMessage:
    """Render `mail/<template>.{subject,txt,html}` in `locale` and add it to the outbox.

    Nothing is committed here: the message is saved with the caller's change or
    not at all.
    """
    with force_locale(locale):
        subject = one_line(render_template(f"mail/{template}.subject.txt", **context))
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


def _content_type(value: str) -> tuple[str, str, dict]:
    """Split "text/calendar; method=REQUEST; charset=utf-8" into main type, subtype and parameters."""
    maintype, _, rest = value.partition("/")
    subtype, *params = rest.split(";")
    return maintype, subtype.strip(), dict(p.strip().split("=", 1) for p in params if "=" in p)


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage(policy=MAIL_POLICY)
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = one_line(message.subject)  # also for messages queued before one_line() existed
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(">") or None)
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    attachments = message.attachments or []
    # A calendar invitation is also offered as an alternative body, as calendar
    # servers send them: Outlook acts on that part, Gmail and Apple Mail on
    # either. It must be added before the first attachment turns the message
    # into multipart/mixed.
    for attachment in attachments:
        if attachment.get("alternative"):
            _maintype, subtype, params = _content_type(attachment["content_type"])
            params.pop("charset", None)
            email.add_alternative(b64decode(attachment["content"]).decode("utf-8"), subtype=subtype, params=params)
    for attachment in attachments:
        maintype, subtype, params = _content_type(attachment["content_type"])
        email.add_attachment(
            b64decode(attachment["content"]), maintype=maintype, subtype=subtype,
            filename=attachment["filename"], params=params,
        )
    return email


def _reply(code: int, text: bytes | str) -> str:
    # smtplib gives the server's text as bytes; administrators read it on the outbox page.
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {text}"


def _failure(exc: Exception) -> Exception:
    """The server's answer as a permanent (5xx) or temporary (4xx, unreachable) failure."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        error = "; ".join(f"{address}: {_reply(code, text)}" for address, (code, text) in exc.recipients.items())
        return TemporaryFailure(error) if all(400 <= code < 500 for code in codes) else PermanentFailure(error)
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = _reply(exc.smtp_code, exc.smtp_error)
        return TemporaryFailure(reply) if 400 <= exc.smtp_code < 500 else PermanentFailure(reply)
    return TemporaryFailure(f"{type(exc).__name__}: {exc}")


class SMTPSession:
    """One SMTP connection for a few messages (a claimed batch), opened on the first.

    A connection costs a TCP and TLS handshake and a login: sharing it between
    the messages of a batch is what lets a sender keep up with a large queue.
    A batch is short, so the server has no time to drop an idle connection; if
    it drops it anyway, that message is retried later like any temporary
    failure (never resent at once: the server may have taken it).
    """

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "SMTPSession":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _open(self) -> smtplib.SMTP:
        config = self.config
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        smtp = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, email: EmailMessage) -> None:
        """Hand one message to the SMTP server, or print it when none is configured."""
        if not self.config["MAIL_SERVER"]:
            print(f"--- mail (no MAIL_SERVER set) ---\n{readable(email)}\n--- end of mail ---", flush=True)
            return
        try:
            if self.smtp is None:
                self.smtp = self._open()
            self.smtp.send_message(email)
        except (OSError, smtplib.SMTPException) as exc:
            # After a refusal (4xx/5xx) smtplib resets the transaction and the
            # connection serves the next message; after a 421 or a network
            # error it is gone: open a new one for the next message.
            if self.smtp is not None and (self.smtp.sock is None or not isinstance(
                    exc, (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused))):
                self.close()
            raise _failure(exc) from exc

    def close(self) -> None:
        if self.smtp is None:
            return
        smtp, self.smtp = self.smtp, None
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def deliver(email: EmailMessage, config) -> None:
    """Hand one message to the SMTP server on a connection of its own."""
    with SMTPSession(config) as session:
        session.send(email)


def _release_stale_claims(now: datetime) -> None:
    release_stale_claims(OutboxMessage, sending=OutboxStatus.SENDING, pending=OutboxStatus.PENDING, now=now)


def _claim_batch(sender_id: str, now: datetime, size: int) -> list[int]:
    return claim_batch(OutboxMessage, pending=OutboxStatus.PENDING, sending=OutboxStatus.SENDING, sender_id=sender_id,
                       now=now, size=size)


def send_due(*, sender_id: str, now: datetime | None = None, limit: int = 100) -> SendReport:
    """Deliver pending messages whose time has come, up to `limit`.

    Messages are claimed a few at a time (MAIL_CLAIM_BATCH), so that a claim
    never waits long enough behind slow deliveries to look stale to another
    sender; each batch shares one SMTP connection.
    """
    config = current_app.config
    now = now or utcnow()
    report = SendReport()
    # Features above this one queue work that becomes mail here (people/resets.py: password resets).
    for produce in current_app.extensions.get("mail_producers", ()):
        produce()
    _release_stale_claims(now)
    handled = 0
    while handled < limit:
        claimed = _claim_batch(sender_id, now, min(config["MAIL_CLAIM_BATCH"], limit - handled))
        if not claimed:
            break
        handled += len(claimed)
        with SMTPSession(config) as session:
            for message_id in claimed:
                _deliver_claimed(db.session.get(OutboxMessage, message_id), session, config, now, report)
    return report


def _deliver_claimed(message: OutboxMessage, session: SMTPSession, config, now: datetime,
                     report: SendReport) -> None:
    message.attempts += 1
    try:
        session.send(build_email(message, config["MAIL_DEFAULT_SENDER"]))
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


def retry_failed(message: OutboxMessage) -> None:
    """Give a failed message a fresh set of attempts (from the admin page)."""
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.commit()
