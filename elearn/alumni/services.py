"""Who is an alumnus, a person's choices saved whole or not at all, and what of a card another person may see."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, exists, select

from elearn.alumni.models import AlumniEntry
from elearn.errors import UserError
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import (
    Activity,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Registration,
)
from elearn.topics import Topic

MAX_BIO = 1000
MAX_TOPICS = 10


@dataclass(frozen=True)
class EntryInput:
    listed: bool = False
    show_parliament: bool = False
    show_position: bool = False
    show_topics: bool = False
    show_activities: bool = False
    show_bio: bool = False
    show_email: bool = False
    bio: str = ""
    topic_ids: tuple[int, ...] = ()


def took_part(person_id):
    """SQL: the person was present at one session at least of an activity that was not cancelled."""
    return (select(Attendance.id)
            .join(Registration, Registration.id == Attendance.registration_id)
            .join(Activity, Activity.id == Registration.activity_id)
            .where(Registration.person_id == person_id, Attendance.status == AttendanceStatus.PRESENT,
                   Activity.status != ActivityStatus.CANCELLED).exists())


def is_alumnus(person) -> bool:
    return bool(person is not None and person.is_active and person.erased_at is None
                and db.session.scalar(select(took_part(person.id))))


def listed_condition():
    """SQL, over AlumniEntry joined to Person: the entries anyone signed in may see."""
    return and_(AlumniEntry.listed.is_(True), Person.is_active.is_(True), Person.erased_at.is_(None),
                took_part(AlumniEntry.person_id))


def entry_of(person) -> AlumniEntry | None:
    return db.session.scalar(select(AlumniEntry).where(AlumniEntry.person_id == person.id))


def activities_of(person_ids: list[int]) -> dict[int, list[Activity]]:
    """The activities each person took part in, latest first, in one query."""
    found: dict[int, list[Activity]] = {person_id: [] for person_id in person_ids}
    if not person_ids:
        return found
    rows = db.session.execute(
        select(Registration.person_id, Activity)
        .join(Activity, Activity.id == Registration.activity_id)
        .where(Registration.person_id.in_(person_ids), Activity.status != ActivityStatus.CANCELLED,
               exists().where(Attendance.registration_id == Registration.id,
                              Attendance.status == AttendanceStatus.PRESENT))
        .order_by(Activity.starts_at.desc(), Activity.id))
    for person_id, activity in rows:
        found[person_id].append(activity)
    return found


def save_entry(person, data: EntryInput) -> AlumniEntry:
    """Saves the person's choices; refused (nothing saved) for someone who took part in no activity."""
    if not is_alumnus(person):
        raise UserError(_("The directory lists people who took part in an activity: you have not yet."))
    bio = data.bio.strip()
    if len(bio) > MAX_BIO:
        raise UserError(_("The short biography is too long: at most %(max)d characters.", max=MAX_BIO), field="bio")
    if data.show_bio and not bio:
        raise UserError(_("Write a short biography, or do not choose to show it."), field="bio")
    topic_ids = list(dict.fromkeys(data.topic_ids))
    if len(topic_ids) > MAX_TOPICS:
        raise UserError(_("Choose at most %(max)d topics.", max=MAX_TOPICS), field="topic_ids")
    topics = list(db.session.scalars(select(Topic).where(Topic.id.in_(topic_ids)))) if topic_ids else []
    if len(topics) != len(topic_ids):
        raise UserError(_("One of the topics chosen does not exist."), field="topic_ids")
    if data.show_topics and not topics:
        raise UserError(_("Choose your topics of interest, or do not choose to show them."), field="topic_ids")
    entry = entry_of(person) or AlumniEntry(person_id=person.id)
    for name in ("listed", "show_parliament", "show_position", "show_topics", "show_activities", "show_bio",
                 "show_email"):
        setattr(entry, name, getattr(data, name))
    entry.bio = bio
    entry.topics = topics
    db.session.add(entry)
    db.session.commit()
    return entry


def card_for(entry_id: int, viewer) -> AlumniEntry | None:
    """The entry if the viewer may see its card: listed (and still an alumnus), or the viewer's own."""
    entry = db.session.get(AlumniEntry, entry_id)
    if entry is None:
        return None
    if entry.person_id == viewer.id:
        return entry
    visible = db.session.scalar(select(AlumniEntry.id).join(Person, Person.id == AlumniEntry.person_id)
                                .where(AlumniEntry.id == entry_id, listed_condition()))
    return entry if visible else None
