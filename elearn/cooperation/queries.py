"""Short lists of the cooperation cycle for the dashboards; scoped like every cooperation page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from elearn.cooperation.models import NeedsRequest, RequestStatus
from elearn.cooperation.services import may_see_parliament, scoped, sees_every_parliament
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import Parliament, Person
from elearn.scheduling.models import Activity

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


# How many activities each group offers to link to a request: a short choice, not every activity there is.
CANDIDATES_PER_GROUP = 30
RECENTLY_HELD = timedelta(days=90)


def answer_candidates(needs_request: NeedsRequest, search: str = "", extra_ids: tuple[int, ...] = ()) -> list[Activity]:
    """Activities a trainer may link to a request, latest first (at most 5 queries, whatever the number of activities).

    Those already linked (and any just posted), those of the request's parliament (host or invited) or programme,
    the next ones to come, those held in the last 90 days, and those whose title matches `search`: each group
    bounded by CANDIDATES_PER_GROUP.
    """
    found: dict[int, Activity] = {}

    def add(statement) -> None:
        for activity in db.session.scalars(statement):
            found.setdefault(activity.id, activity)

    keep = {a.id for a in needs_request.activities} | {i for i in extra_ids if isinstance(i, int)}
    if keep:
        add(select(Activity).where(Activity.id.in_(keep)))
    near = [Activity.host_parliament_id == needs_request.parliament_id,
            Activity.invited_parliaments.any(Parliament.id == needs_request.parliament_id)]
    if needs_request.programme_id:
        near.append(Activity.programme_id == needs_request.programme_id)
    add(select(Activity).where(or_(*near)).order_by(Activity.starts_at.desc().nulls_last(), Activity.id.desc())
        .limit(CANDIDATES_PER_GROUP))
    now = utcnow()
    add(select(Activity).where(Activity.starts_at >= now).order_by(Activity.starts_at, Activity.id)
        .limit(CANDIDATES_PER_GROUP))
    # Just held: a workshop that answered the request is often linked in the weeks after it.
    add(select(Activity).where(Activity.starts_at < now, Activity.starts_at >= now - RECENTLY_HELD)
        .order_by(Activity.starts_at.desc(), Activity.id.desc()).limit(CANDIDATES_PER_GROUP))
    search = search.strip()[:100]
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        add(select(Activity).where(Activity.title.ilike(pattern, escape="\\"))
            .order_by(Activity.starts_at.desc().nulls_last(), Activity.id.desc()).limit(CANDIDATES_PER_GROUP))
    return sorted(found.values(), key=lambda a: (a.starts_at is not None, a.starts_at or 0, a.id), reverse=True)
