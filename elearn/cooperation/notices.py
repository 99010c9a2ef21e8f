"""The mails cooperation sends: a request's status, to its parliament's focal points and its submitter."""
from __future__ import annotations

from sqlalchemy import select

from elearn.access import Role
from elearn.cooperation.models import NeedsRequest
from elearn.extensions import db
from elearn.mail.services import queue_mail
from elearn.people.models import Person
from elearn.urls import absolute_url


def request_recipients(needs_request: NeedsRequest) -> list[Person]:
    """The parliament's active focal points, and whoever submitted the request."""
    people = db.session.scalars(select(Person).where(
        Person.parliament_id == needs_request.parliament_id, Person.role == Role.FOCAL_POINT,
        Person.is_active.is_(True)).order_by(Person.id)).all()
    submitter = needs_request.submitted_by
    if submitter is not None and submitter.is_active and submitter.parliament_id == needs_request.parliament_id:
        people = list(people) + [submitter]
    return list({person.email: person for person in people}.values())


def notify_request(needs_request: NeedsRequest) -> None:
    for person in request_recipients(needs_request):
        queue_mail(to=person.email, template="needs_request_status", locale=person.preferred_language,
                   kind=f"needs_request_{needs_request.status.value}", person=person, needs_request=needs_request,
                   link=absolute_url("cooperation.request_detail", request_id=needs_request.id))


# Action plans ---------------------------------------------------------------------
