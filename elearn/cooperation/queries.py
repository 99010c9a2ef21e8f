"""Short lists of the cooperation cycle for the dashboards; scoped like every cooperation page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from elearn.cooperation.models import NeedsRequest, RequestStatus
from elearn.cooperation.services import may_see_parliament, scoped, sees_every_parliament
from elearn.extensions import db
from elearn.people.models import Person

# A request is open until it is declined or closed: accepted ones are being answered.
OPEN_REQUEST_STATES = (RequestStatus.RECEIVED, RequestStatus.UNDER_ASSESSMENT, RequestStatus.ACCEPTED)


@dataclass(frozen=True)
class OpenRequest:
    id: int
    title: str
    status: RequestStatus
    status_changed_at: datetime


def open_requests(person: Person, limit: int) -> list[OpenRequest]:
    """The open requests this person may see (a focal point: their parliament's), latest change first (1 query)."""
    if not (sees_every_parliament(person) or may_see_parliament(person, person.parliament_id)):
        return []
    statement = scoped(select(NeedsRequest.id, NeedsRequest.title, NeedsRequest.status,
                              NeedsRequest.status_changed_at)
                       .where(NeedsRequest.status.in_(OPEN_REQUEST_STATES)), NeedsRequest.parliament_id, person)
    rows = db.session.execute(statement.order_by(NeedsRequest.status_changed_at.desc(), NeedsRequest.id.desc())
                              .limit(limit))
    return [OpenRequest(*row) for row in rows]
