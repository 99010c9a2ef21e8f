"""Calendar invitations for agenda items: a change queues one job; a worker mails the participants in batches.

The change's transaction only saves a job (REQUEST: the item's id, read again
when mailing so the newest time and place go out; CANCEL: the item as it was,
since it may be deleted). `flask jobs run` / `flask mail send` mail a batch of
registrations per transaction, each in the recipient's language and timezone,
with the same VEVENT the personal feed carries (agenda_ical).
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn.database import utcnow
from elearn.delegations.agenda_ical import ItemEvent, build_item_itip
from elearn.delegations.agenda_models import AgendaItem
from elearn.extensions import db
from elearn.jobs.services import Step, queue_job, register_job_handler
from elearn.languages import interface_locale
from elearn.mail.services import queue_mail
from elearn.people.models import Person
from elearn.scheduling import invitations as itip
from elearn.scheduling.display import calendar_wording, format_span
from elearn.scheduling.ical import Invitation
from elearn.scheduling.models import Registration, RegistrationState
from elearn.urls import absolute_url

JOB_KIND = "agenda_item_invitations"


def queue_request(item: AgendaItem, registration_ids: list[int]) -> None:
    """In the change's transaction: invite these registrations to the item as it will then be."""
    if registration_ids:
        queue_job(JOB_KIND, {"method": itip.REQUEST, "item_id": item.id, "registration_ids": registration_ids,
                             "at": 0})


def queue_cancel(item: AgendaItem, registration_ids: list[int], event_data: ItemEvent | None = None) -> None:
    """In the change's transaction: take the item (as it is now, SEQUENCE raised, unless `event_data` says
    otherwise) out of these calendars."""
    if registration_ids:
        queue_job(JOB_KIND, {"method": itip.CANCEL, "event": (event_data or ItemEvent.of(item)).dump(),
                             "registration_ids": registration_ids, "at": 0})


def _attachment(event_data: ItemEvent, person: Person, method: str, link: str) -> dict:
    organizer_name, organizer_address = itip.organizer()
    details = Invitation(method=method, attendee_name=person.full_name, attendee_address=person.email,
                         organizer_name=organizer_name, organizer_address=organizer_address, host=itip.site_host(),
                         page=link, wording=calendar_wording(interface_locale(person.preferred_language)),
                         now=utcnow())
    return itip.attachment(build_item_itip([event_data], details), method)


def mail_item(event_data: ItemEvent, person: Person, method: str) -> None:
    """One mail with its invitation, in the person's language, times in their timezone."""
    link = absolute_url("scheduling.activity", activity_id=event_data.activity_id)
    locale = person.preferred_language
    when = format_span(event_data.starts_at, event_data.ends_at, False, activity_zone=ZoneInfo(event_data.timezone),
                       zone=ZoneInfo(person.timezone or "UTC"), locale=locale)
    queue_mail(to=person.email, template="agenda_item", locale=locale,
               kind="agenda_item_request" if method == itip.REQUEST else "agenda_item_cancel",
               attachments=[_attachment(event_data, person, method, link)], person=person, item=event_data,
               cancelled=method == itip.CANCEL, when=when, zone=person.timezone or "UTC", link=link,
               agenda_link=absolute_url("delegations_agenda.my_agenda", activity_id=event_data.activity_id),
               calendar="request" if method == itip.REQUEST else "cancel")


def run(payload: dict, size: int) -> Step:
    """Mail one batch of the registrations named in the job."""
    ids = payload["registration_ids"][payload["at"]:payload["at"] + size]
    if payload["method"] == itip.REQUEST:
        item = db.session.get(AgendaItem, payload["item_id"])
        if item is None:  # deleted since: its CANCEL job tells them
            return Step(payload=payload, done=True)
        event_data = ItemEvent.of(item)
    else:
        event_data = ItemEvent.load(payload["event"])
    registrations = db.session.scalars(select(Registration).where(Registration.id.in_(ids))
                                       .options(joinedload(Registration.person)).order_by(Registration.id)).all()
    for registration in registrations:
        # A REQUEST goes only to those still confirmed; a CANCEL to all it was meant for.
        if payload["method"] == itip.CANCEL or registration.state == RegistrationState.CONFIRMED:
            mail_item(event_data, registration.person, payload["method"])
    payload = {**payload, "at": payload["at"] + len(ids)}
    return Step(payload=payload, done=payload["at"] >= len(payload["registration_ids"]))


def install(app: Flask) -> None:
    """Have the job workers send agenda invitations (called by create_app)."""
    register_job_handler(app, JOB_KIND, run)
