"""Pairs made straight from the models (the pairs' services are another part's), and meetings through ours."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.mentoring import meetings
from elearn.mentoring.models import MentoringPair, PairStatus
from elearn.people.models import Person, PersonKind
from tests import factories

UTC = timezone.utc


def make_pair(*, mentee: Person | None = None, mentor: Person | None = None, trainer: Person | None = None,
              status: PairStatus = PairStatus.ACTIVE) -> MentoringPair:
    """An active pair: a mentor of an assisting parliament (Paris time), a mentee of a partner one (Banjul)."""
    if mentor is None:
        mentor = factories.make_person(full_name="Claire Mentor", kind=PersonKind.STAFF, timezone="Europe/Paris",
                                       preferred_language="fr",
                                       parliament=factories.make_parliament(name_en="French Senate", country_code="FR",
                                                                            receives_assistance=False,
                                                                            gives_assistance=True))
    if mentee is None:
        mentee = factories.make_person(full_name="Lamin Mentee", kind=PersonKind.MP, timezone="Africa/Banjul")
    if trainer is None:
        trainer = factories.make_person(Role.TRAINER, full_name="Tessa Trainer", timezone="Europe/Brussels")
    now = utcnow()
    pair = MentoringPair(mentor=mentor, mentee=mentee, trainer=trainer, requested_by=trainer, status=status,
                         purpose="Committee work", starts_on=now.date(), ends_on=now.date() + timedelta(days=180),
                         mentor_accepted_at=now, mentee_accepted_at=now)
    db.session.add(pair)
    db.session.commit()
    return pair


def meeting_input(day: date | None = None, start: time = time(10), end: time = time(11), *,
                  zone: str = "Europe/Paris", **changes) -> meetings.MeetingInput:
    values = dict(day=day or (utcnow() + timedelta(days=7)).date(), start_time=start, end_time=end, timezone=zone,
                  online_url="https://meet.example.org/pair", place="", agenda="Rules of procedure")
    values.update(changes)
    return meetings.MeetingInput(**values)


def past_meeting(pair: MentoringPair, days_ago: int = 3, hours: int = 1):
    """A meeting already over, scheduled by the mentee (as if recorded after the fact)."""
    start = (utcnow() - timedelta(days=days_ago)).replace(hour=9, minute=0, second=0, microsecond=0)
    data = meeting_input(start.date(), time(9), time(9 + hours), zone="UTC")
    return meetings.schedule(pair, data, pair.mentee)


def at_utc(meeting) -> tuple[datetime, datetime]:
    return meeting.starts_at.astimezone(UTC), meeting.ends_at.astimezone(UTC)
