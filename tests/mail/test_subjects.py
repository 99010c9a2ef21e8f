"""Subjects reach the reader exactly as written: spaces around emoji and accents, long ones folded properly."""
from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from elearn.database import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.mail.services import build_email, send_due

# The space before the emoji falls where a line is folded: Python's own folder drops it there.
EMOJI = "Rappel : Séance plénière du Parlement — 🏛️ Séance des questions au gouvernement"
# Fits a line of its own but not after "Subject: ": Python's folder leaves "Subject:" alone on the first line.
LONG_ASCII = "Your request is under assessment: Hearings in the committees of parliament"
SUBJECTS = [EMOJI, LONG_ASCII, "Accepted: a short one", "Reminder: 🏛️ " + "Séance plénière " * 12 + "🗳️ fin"]


def outbox_message(subject: str) -> OutboxMessage:
    return OutboxMessage(kind="test", to_address="awa@example.org", subject=subject, body_text="Hello.\n",
                         body_html="", headers={}, attachments=[], status=OutboxStatus.PENDING,
                         next_attempt_at=utcnow())


def header_lines(raw: bytes, name: str) -> list[bytes]:
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    start = next(i for i, line in enumerate(head) if line.lower().startswith(name.lower().encode() + b":"))
    end = next((i for i in range(start + 1, len(head)) if head[i][:1] not in (b" ", b"\t")), len(head))
    return head[start:end]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_the_subject_reads_back_exactly_from_the_bytes_sent(app, subject):
    email = build_email(outbox_message(subject), "Hemicycle <noreply@example.org>")
    raw = email.as_bytes(policy=email.policy.clone(linesep="\r\n"))  # what smtplib.send_message writes
    assert message_from_bytes(raw, policy=policy.default)["Subject"] == subject
    lines = header_lines(raw, "Subject")
    assert lines[0].strip() != b"Subject:"
    assert all(len(line) <= 78 for line in lines), lines


def test_subjects_arrive_unchanged_over_real_smtp(app, smtp_server):
    for subject in SUBJECTS:
        db.session.add(outbox_message(subject))
    db.session.commit()

    assert send_due(sender_id="test").sent == len(SUBJECTS)

    assert sorted(email["Subject"] for email in smtp_server.received) == sorted(SUBJECTS)
