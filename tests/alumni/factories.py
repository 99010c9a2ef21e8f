"""Alumni for the tests: a person present at a session of a past activity, with the directory choices given."""
from __future__ import annotations

from elearn.alumni.models import AlumniEntry
from elearn.extensions import db
from elearn.scheduling.models import Activity, Attendance, AttendanceStatus, Registration, RegistrationState
from tests.factories import make_person
from tests.scheduling.factories import make_activity, one_session


def past_activity(**overrides) -> Activity:
    return make_activity(sessions=one_session(days_ahead=-30), **overrides)


def attend(person, activity: Activity, status: AttendanceStatus = AttendanceStatus.PRESENT) -> Registration:
    session_id = activity.sessions[0].id
    registration = Registration(activity_id=activity.id, person_id=person.id, state=RegistrationState.CONFIRMED,
                                attendance=[Attendance(session_id=session_id, status=status)])
    db.session.add(registration)
    db.session.commit()
    return registration


def make_alumnus(person=None, activity: Activity | None = None, topics=(), **choices) -> AlumniEntry:
    """Listed by default (pass listed=False for an entry kept out of the directory)."""
    person = person or make_person()
    attend(person, activity or past_activity())
    entry = AlumniEntry(person_id=person.id, **{"listed": True, **choices})
    entry.topics = list(topics)
    db.session.add(entry)
    db.session.commit()
    return entry
