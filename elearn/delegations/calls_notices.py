"""The mails calls send: a candidate is told each decision on their application, in their language."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from elearn.delegations.calls_models import Application, ApplicationStatus
from elearn.mail.services import queue_mail
from elearn.scheduling import invitations as itip
from elearn.scheduling.display import Place, session_lines
from elearn.scheduling.notices import mail_extras
from elearn.urls import absolute_url


def decision_summary(application: Application) -> list[str]:
    """The sentences of a decision mail; call under the candidate's locale."""
    status = application.status
    lines = []
    if application.proposed_by is not None:
        lines.append(_("%(name)s, your parliament's focal point, proposed you for this activity.",
                       name=application.proposed_by.full_name))
    if status == ApplicationStatus.SELECTED:
        lines.append(_("You are selected: your seat at the activity is confirmed."))
    elif status == ApplicationStatus.WAITLISTED:
        lines.append(_("You are on the waiting list for this activity: we will write if a seat becomes yours."))
    else:
        lines.append(_("We are sorry: your application was not selected."))
    if application.decision_reason:
        lines.append(_("Message from the trainer: %(message)s", message=application.decision_reason))
    return lines


def notify_decision(application: Application) -> None:
    """Queue the mail of the application's new status (saved with the caller's change); a selection carries
    the calendar invitation of the activity and what features above add (the ticket), as a confirmed
    registration does."""
    person, activity = application.person, application.call.activity
    locale = person.preferred_language
    link = absolute_url("calls.listing")
    attachments, calendar, when, extras = [], None, [], []
    selected = application.status == ApplicationStatus.SELECTED
    if selected:
        attachments.append(itip.invitation(activity, person, link=absolute_url("scheduling.activity",
                                                                                activity_id=activity.id),
                                           method=itip.REQUEST))
        calendar = "request"
        when = session_lines(activity, zone=person.timezone, locale=locale)
    with force_locale(locale):
        summary = decision_summary(application)
        if selected and application.registration is not None:
            extras = mail_extras(application.registration)  # the seat's ticket, as a confirmation mail has it
    attachments.extend(attachment for extra in extras for attachment in extra.attachments)
    queue_mail(to=person.email, template="application_decision", locale=locale,
               kind=f"application_{application.status.value}", attachments=attachments, person=person,
               activity=activity, application=application, summary=summary, when=when,
               place=Place.of(activity) if when else "", calendar=calendar, zone=person.timezone, link=link,
               extra_lines=[line for extra in extras for line in extra.lines],
               extra_links=[link for extra in extras for link in extra.links])
