"""Issue, find, reissue and revoke tickets; draw their QR codes."""
from __future__ import annotations

import io
import re
import secrets

import segno
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from elearn.database import utcnow
from elearn.extensions import db
from elearn.onsite.models import Ticket
from elearn.scheduling.models import Registration, RegistrationState

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 random bits
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """The code in `text` as typed, pasted or sent by a handheld scanner: case, spaces and dashes ignored."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper()).translate(_MISREAD)[:64]


def grouped(code: str) -> str:
    """The code as printed under its QR code: four groups of four."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def find_ticket(code: str) -> Ticket | None:
    normalised = normalise_code(code)
    if len(normalised) != CODE_LENGTH:
        return None
    return db.session.scalar(select(Ticket).where(Ticket.code == normalised))


def ticket_of(registration: Registration) -> Ticket | None:
    return db.session.scalar(select(Ticket).where(Ticket.registration_id == registration.id))


def issue(registration: Registration) -> Ticket:
    """The registration's live ticket, issued now if it has none (or a revoked one). Does not commit."""
    ticket = ticket_of(registration)
    if ticket is None:
        ticket = Ticket(registration_id=registration.id, code=new_code(), issued_at=utcnow())
        db.session.add(ticket)
    elif not ticket.is_live:
        ticket.code, ticket.issued_at, ticket.revoked_at = new_code(), utcnow(), None
    return ticket


def reissue(ticket: Ticket) -> Ticket:
    """A new code for a lost or shared ticket: the old one stops checking in. Does not commit."""
    ticket.code, ticket.issued_at, ticket.revoked_at = new_code(), utcnow(), None
    return ticket


def revoke(registration: Registration) -> None:
    """Does not commit."""
    ticket = ticket_of(registration)
    if ticket is not None and ticket.is_live:
        ticket.revoked_at = utcnow()


def revoke_all(activity_id: int) -> None:
    """A cancelled activity: every live ticket stops checking in. One UPDATE; does not commit."""
    db.session.execute(update(Ticket).where(Ticket.revoked_at.is_(None), Ticket.registration_id.in_(
        select(Registration.id).where(Registration.activity_id == activity_id))).values(revoked_at=utcnow()))


def restore_confirmed(activity_id: int) -> None:
    """A reinstated activity: the confirmed seats' tickets work again with the codes people already hold.
    A confirmed seat's ticket is revoked only by a cancellation; those who left keep theirs revoked."""
    db.session.execute(update(Ticket).where(Ticket.revoked_at.is_not(None), Ticket.registration_id.in_(
        select(Registration.id).where(Registration.activity_id == activity_id,
                                      Registration.state == RegistrationState.CONFIRMED))).values(revoked_at=None))


def live_ticket(registration: Registration) -> Ticket | None:
    """The ticket to show a confirmed participant, created (and committed) for a registration confirmed
    before tickets existed; None unless confirmed."""
    if registration.state != RegistrationState.CONFIRMED:
        return None
    ticket = ticket_of(registration)
    if ticket is not None and ticket.is_live:
        return ticket
    issue(registration)
    try:
        db.session.commit()
    except IntegrityError:  # another request issued it at the same moment
        db.session.rollback()
    return ticket_of(registration)


def qr_svg(code: str, *, scale: int = 4) -> str:
    """The QR code as inline SVG (alphanumeric mode: the code is digits and capitals), with a quiet zone."""
    out = io.BytesIO()
    segno.make_qr(code, error="m").save(out, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True,
                                        title=None, desc=None, nl=False)
    return out.getvalue().decode()


def qr_png(code: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make_qr(code, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
