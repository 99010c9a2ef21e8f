"""The mails scheduling sends: registration states, changes and cancellations, with calendar invitations."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from elearn.mail.services import queue_mail
from elearn.people.models import Person
from elearn.scheduling import invitations as itip
from elearn.scheduling.display import Place, format_span, session_lines
from elearn.scheduling.events import registration_changed
from elearn.scheduling.models import Activity, ActivitySession, Registration, RegistrationState
from elearn.scheduling.seats import waitlist_rank, waits_for_quota
from elearn.urls import absolute_url


@dataclass(frozen=True)
class Span:
    """A session's time as it was or is: kept to tell participants "old → new"."""

    starts_at: datetime
    ends_at: datetime
    all_day: bool
    title: str = ""

    @classmethod
    def of(cls, session: ActivitySession) -> "Span":
        return cls(session.starts_at, session.ends_at, session.all_day, session.title)


@dataclass
class ActivityChanges:
    """What changed in an edit, as instants and values; each recipient reads it in their timezone and language."""

    details: list[tuple[str, str, str]] = field(default_factory=list)  # (title|place|online, old, new)
    moved: list[tuple[Span, Span]] = field(default_factory=list)
    added: list[Span] = field(default_factory=list)
    # Sessions deleted by the edit (SEQUENCE already raised): calendars get a CANCEL for them.
    removed: list[ActivitySession] = field(default_factory=list)
    reinstated: bool = False

    def __bool__(self) -> bool:
        return bool(self.details or self.moved or self.added or self.removed or self.reinstated)


@dataclass(frozen=True)
class MailExtra:
    """What a higher feature adds to a registration mail: outbox attachments (content base64, as
    `invitations.attachment` makes them), sentences and links (label, address): the words lazy
    (`lazy_gettext`), worded as the mail is rendered."""

    attachments: tuple[dict, ...] = ()
    lines: tuple = ()
    links: tuple[tuple, ...] = ()


MAIL_EXTRAS = "hemicycle.registration_mail_extras"


def register_mail_extra(app, extra: Callable[[Registration], MailExtra | None]) -> None:
    """Hook for features above scheduling (on site: the ticket of a confirmed seat). `extra(registration)` is
    called inside the change's transaction, under the recipient's locale, after `registration_changed` was sent."""
    app.extensions.setdefault(MAIL_EXTRAS, []).append(extra)


def mail_extras(registration: Registration) -> list[MailExtra]:
    """What the features above add to a mail about this registration; call under the recipient's locale."""
    return [extra for provider in current_app.extensions.get(MAIL_EXTRAS, ()) if (extra := provider(registration))]


def registration_summary(registration: Registration, *, promoted: bool, nominated: bool) -> list[str]:
    """The sentences of a registration mail; rendered in the recipient's locale by queue_mail's caller."""
    lines = []
    if nominated and registration.nominated_by:
        lines.append(_("%(name)s, your parliament's focal point, has nominated you.",
                       name=registration.nominated_by.full_name))
    state = registration.state
    if state == RegistrationState.CONFIRMED:
        lines.append(_("A seat has become free and it is yours: you are now confirmed for this activity.")
                     if promoted else _("Your seat is confirmed."))
    elif state == RegistrationState.WAITLISTED and waits_for_quota(registration):
        lines.append(ngettext(
            "Your parliament's quota of %(num)d seat is reached. You are on the waiting list at position %(n)d; "
            "we will write as soon as a seat is yours.",
            "Your parliament's quota of %(num)d seats is reached. You are on the waiting list at position %(n)d; "
            "we will write as soon as a seat is yours.",
            registration.activity.quota_per_parliament, n=waitlist_rank(registration)))
    elif state == RegistrationState.WAITLISTED:
        lines.append(_("The activity is full. You are on the waiting list at position %(n)d; we will write as "
                       "soon as a seat is yours.", n=waitlist_rank(registration)))
    elif state == RegistrationState.REQUESTED:
        lines.append(_("Your request is received. A trainer will review it and you will hear from us."))
    elif state in (RegistrationState.DECLINED, RegistrationState.REMOVED):
        lines.append(_("Your registration was declined.") if state == RegistrationState.DECLINED
                     else _("A trainer has removed you from this activity."))
        if registration.trainer_message:
            lines.append(_("Message from the trainer: %(message)s", message=registration.trainer_message))
    else:
        lines.append(_("Your withdrawal is recorded; your seat goes to someone on the waiting list."))
    return lines


def activity_link(activity: Activity) -> str:
    return absolute_url("scheduling.activity", activity_id=activity.id)


def notify_registration(registration: Registration, *, promoted: bool = False, nominated: bool = False,
            had_seat: bool = False) -> None:
    """Mail the person about their registration's new state.

    A confirmed seat carries a calendar invitation (REQUEST); losing a confirmed
    seat (withdrawn, declined, removed) carries its cancellation (CANCEL).
    """
    registration_changed.send(registration, promoted=promoted)
    person, activity = registration.person, registration.activity
    locale = person.preferred_language
    link = activity_link(activity)
    attachments, calendar = [], None
    if registration.state == RegistrationState.CONFIRMED:
        attachments.append(itip.invitation(activity, person, link=link, method=itip.REQUEST))
        calendar = "request"
    elif had_seat and registration.state in (RegistrationState.WITHDRAWN, RegistrationState.DECLINED,
                                             RegistrationState.REMOVED):
        attachments.append(itip.invitation(activity, person, link=link, method=itip.CANCEL))
        calendar = "cancel"
    with force_locale(locale):
        summary = registration_summary(registration, promoted=promoted, nominated=nominated)
        extras = mail_extras(registration)
    attachments.extend(attachment for extra in extras for attachment in extra.attachments)
    when = (session_lines(activity, zone=person.timezone, locale=locale)
            if registration.state == RegistrationState.CONFIRMED else [])
    queue_mail(to=person.email, template="registration_state", locale=locale,
               kind=f"registration_{registration.state.value}", attachments=attachments, person=person,
               activity=activity, registration=registration, promoted=promoted, summary=summary, when=when,
               place=Place.of(activity) if when else "", calendar=calendar, zone=person.timezone, link=link,
               extra_lines=[line for extra in extras for line in extra.lines],
               extra_links=[link for extra in extras for link in extra.links])


def describe_changes(changes: ActivityChanges, activity: Activity, person: Person) -> list[str]:
    """One sentence per change, "old → new", with times in the person's timezone; call under their locale."""
    locale, zone = person.preferred_language, ZoneInfo(person.timezone or "UTC")

    def when(span: Span) -> str:
        text = format_span(span.starts_at, span.ends_at, span.all_day, activity_zone=activity.zone, zone=zone,
                           locale=locale)
        return f"{span.title}: {text}" if span.title else text

    labels = {"title": _("Title"), "place": _("Place"), "online": _("Online link")}
    lines = []
    if changes.reinstated:
        lines.append(_("The activity is no longer cancelled: it takes place as planned."))
    for what, old, new in changes.details:
        lines.append(_("%(what)s: %(old)s → %(new)s", what=labels[what], old=old or _("none"), new=new or _("none")))
    for old, new in changes.moved:
        lines.append(_("Moved: %(old)s → %(new)s", old=when(old), new=when(new)))
    for span in changes.added:
        lines.append(_("New session: %(when)s", when=when(span)))
    for session in changes.removed:
        lines.append(_("Session cancelled: %(when)s", when=when(Span.of(session))))
    return lines


def mail_changed(registration: Registration, changes: ActivityChanges, link: str) -> None:
    """Tell one person still registered what changed; a confirmed seat gets the updated invitation.

    Called by the worker for each registration (scheduling.fanout), never by the edit itself.
    """
    activity, person = registration.activity, registration.person
    attachments = []
    if registration.state == RegistrationState.CONFIRMED:
        attachments.append(itip.invitation(activity, person, link=link, method=itip.REQUEST))
        if changes.removed:
            attachments.append(itip.invitation(activity, person, link=link, method=itip.CANCEL,
                                               sessions=changes.removed, cancelled=True, alternative=False))
    with force_locale(person.preferred_language):
        lines = describe_changes(changes, activity, person)
    queue_mail(to=person.email, template="activity_changed", locale=person.preferred_language,
               attachments=attachments, person=person, activity=activity, registration=registration,
               changes=lines, calendar="request" if attachments else None, zone=person.timezone,
               place=Place.of(activity),
               when=session_lines(activity, zone=person.timezone, locale=person.preferred_language),
               link=link)


def mail_cancelled(registration: Registration, link: str) -> None:
    """Tell one person still registered that the activity is cancelled (scheduling.fanout's worker)."""
    activity, person = registration.activity, registration.person
    attachments = []
    if registration.state == RegistrationState.CONFIRMED:
        attachments.append(itip.invitation(activity, person, link=link, method=itip.CANCEL, cancelled=True))
    queue_mail(to=person.email, template="activity_cancelled", locale=person.preferred_language,
               attachments=attachments, person=person, activity=activity, registration=registration,
               calendar="cancel" if attachments else None, link=link)
