"""Issue and reissue invitation letters, decide who may handle them, and find one by its code."""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.codes import normalise_code
from elearn.database import utcnow
from elearn.delegations.letters_models import InvitationLetter
from elearn.delegations.logistics import logistics_of
from elearn.delegations.logistics_models import Logistics
from elearn.errors import UserError
from elearn.extensions import db
from elearn.scheduling.display import country_names, place
from elearn.scheduling.models import Activity, ActivityStatus, Registration, RegistrationState, session_days

# Every letter is offered in these; the participant's own language is added when the site speaks it.
LETTER_LANGUAGES = ("en", "fr")


class LetterError(UserError):
    """A letter that cannot be issued; the message says why."""


def letter_languages(person) -> list[str]:
    """English and French, then the participant's preferred language if the pages are translated into it."""
    languages = list(LETTER_LANGUAGES)
    preferred = getattr(person, "preferred_language", "")
    if preferred in current_app.config["LANGUAGES"] and preferred not in languages:
        languages.append(preferred)
    return languages


def current_letter(registration: Registration, language: str) -> InvitationLetter | None:
    return db.session.scalar(select(InvitationLetter).where(
        InvitationLetter.registration_id == registration.id, InvitationLetter.language == language,
        InvitationLetter.superseded_at.is_(None)))


def current_letters(registration_ids: list[int]) -> dict[tuple[int, str], InvitationLetter]:
    """The current letters of these registrations, by (registration id, language): one query for a page."""
    if not registration_ids:
        return {}
    letters = db.session.scalars(select(InvitationLetter).where(
        InvitationLetter.registration_id.in_(registration_ids), InvitationLetter.superseded_at.is_(None)))
    return {(letter.registration_id, letter.language): letter for letter in letters}


def activity_days(activity: Activity) -> tuple[date, date] | None:
    """The first and last local day of the activity's sessions, or None before it has any."""
    days = [day for session in activity.sessions
            for day in session_days(session.starts_at, session.ends_at, session.all_day, activity.zone)]
    return (min(days), max(days)) if days else None


def _check(registration: Registration, language: str) -> tuple[Logistics, tuple[date, date]]:
    if language not in letter_languages(registration.person):
        raise LetterError(_("Letters are written in English, French or the participant's language."), "language")
    if registration.activity.status == ActivityStatus.CANCELLED:
        raise LetterError(_("This activity is cancelled."))
    if registration.state != RegistrationState.CONFIRMED:
        raise LetterError(_("Only a confirmed participant can be sent an invitation letter."))
    logistics = logistics_of(registration)
    if logistics is None or logistics.travel_paid_by is None or logistics.stay_paid_by is None:
        raise LetterError(_("State who pays the travel and who pays the stay of %(name)s before issuing a letter.",
                            name=registration.person.full_name))
    days = activity_days(registration.activity)
    if days is None:
        raise LetterError(_("This activity has no sessions yet: a letter needs its dates."))
    return logistics, days


def _new_letter(registration: Registration, language: str, by) -> InvitationLetter:
    logistics, (first, last) = _check(registration, language)
    person, activity = registration.person, registration.activity
    funders = activity.programme.funders if activity.programme else []
    with force_locale(language):
        where = place(activity, country_names(language))
    letter = InvitationLetter(
        registration=registration, language=language, issued_at=utcnow(),
        issued_by_id=getattr(by, "id", None), holder_name=person.full_name, holder_position=person.position or "",
        parliament_name=person.parliament.name(language) if person.parliament else "",
        activity_title=activity.title, starts_on=first, ends_on=last, place=where[:500],
        travel_paid_by=logistics.travel_paid_by, stay_paid_by=logistics.stay_paid_by,
        funder_name=", ".join(funders)[:300])
    db.session.add(letter)
    return letter


def _audit(action: AuditAction, letter: InvitationLetter, by, **details) -> None:
    # Never the passport details, nor the code (it opens the public check): ids and the language only.
    record(action, actor=by, object_type="invitation_letter", object_id=letter.id,
           details={"registration_id": letter.registration_id, "language": letter.language, **details})


def issue(registration: Registration, language: str, by) -> InvitationLetter:
    """A first letter in `language`; refused if one is current (reissue it instead)."""
    if current_letter(registration, language) is not None:
        raise LetterError(_("A letter in this language is already issued: reissue it to change it."), "language")
    letter = _new_letter(registration, language, by)
    db.session.flush()
    _audit(AuditAction.INVITATION_LETTER_ISSUED, letter, by)
    db.session.commit()
    return letter


def reissue(old: InvitationLetter, by) -> InvitationLetter:
    """A new letter with a new code, from today's facts; the old one is marked superseded."""
    if old.superseded_at is not None:
        raise LetterError(_("This letter was already replaced: reissue the current one."))
    _check(old.registration, old.language)  # refuse before touching the old letter
    old.superseded_at = utcnow()
    db.session.flush()  # the old letter leaves the one-current-letter index before the new one enters it
    letter = _new_letter(old.registration, old.language, by)
    db.session.flush()
    _audit(AuditAction.INVITATION_LETTER_REISSUED, letter, by, supersedes=old.id)
    db.session.commit()
    return letter


def record_download(letter: InvitationLetter, by) -> None:
    """Audit a download: the PDF holds passport data."""
    _audit(AuditAction.INVITATION_LETTER_DOWNLOADED, letter, by)
    db.session.commit()


def still_invited(letter: InvitationLetter) -> bool:
    """The participant's seat is still confirmed and the activity not cancelled: a consulate reading the check
    page must not be told a letter is current for someone who is no longer coming."""
    registration = letter.registration
    return (registration.state == RegistrationState.CONFIRMED
            and registration.activity.status != ActivityStatus.CANCELLED)


def letter_by_code(typed: str) -> InvitationLetter | None:
    code = normalise_code(typed[:100])
    if not code:
        return None
    return db.session.scalar(select(InvitationLetter).where(InvitationLetter.code == code))
