"""The demo's meetings: held ones behind every active or ended pair, two to come for an active one, added once."""
from __future__ import annotations

from sqlalchemy import select

from elearn.database import utcnow
from elearn.demo.mentoring_meetings import seed_mentoring_meetings
from elearn.extensions import db
from elearn.mentoring.models import MeetingStatus, PairStatus
from tests.mentoring.meetings_helpers import make_pair


def test_demo_meetings_for_active_and_ended_pairs_only_and_once(app):
    active, ended, proposed = (make_pair(status=status)
                               for status in (PairStatus.ACTIVE, PairStatus.ENDED, PairStatus.PROPOSED))
    assert seed_mentoring_meetings() > 0
    assert seed_mentoring_meetings() == 0
    db.session.expire_all()
    now = utcnow()
    statuses = [m.status for m in active.meetings]
    assert statuses.count(MeetingStatus.SCHEDULED) == 2 and MeetingStatus.HELD in statuses
    assert all(m.starts_at > now for m in active.meetings if m.status == MeetingStatus.SCHEDULED)
    assert all(m.ends_at < now for m in active.meetings if m.status == MeetingStatus.HELD)
    assert ended.meetings and {m.status for m in ended.meetings} == {MeetingStatus.HELD}
    assert proposed.meetings == []
    assert all(m.online_url or m.place for m in db.session.scalars(select(type(active.meetings[0]))))
