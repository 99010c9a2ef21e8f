"""Searching the directory: only listed alumni, matched only on what each shows, a page in a fixed number of queries.

A filter never reaches a hidden part of a card: a search by parliament finds only those who show their
parliament, by topic only those who show that topic among their interests or an activity on it among theirs, by
activity only those who show their activities. A page costs one count, one page of (entry, person, parliament),
one query for the page's topics and one for its activities, whatever the page size.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import and_, exists, func, or_, select

from elearn.alumni.models import AlumniEntry, alumni_topic
from elearn.alumni.services import activities_of, listed_condition
from elearn.extensions import db
from elearn.people.models import Parliament, Person
from elearn.scheduling.models import (
    Activity,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Registration,
    activity_topic,
)
from elearn.topics import Topic

MAX_WORDS = 8


@dataclass(frozen=True)
class Filters:
    words: str = ""
    parliament_id: int | None = None
    topic_id: int | None = None
    activity_id: int | None = None


@dataclass
class Card:
    """What one listed person shows; a part they keep hidden stays empty here, so no template can show it."""
    entry: AlumniEntry
    person: Person
    parliament: Parliament | None = None
    position: str = ""
    email: str = ""
    bio: str = ""
    topics: list[Topic] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)


class CardPagination(SelectPagination):
    """The rows whole (db.paginate would keep only their first column)."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(statement).all())


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _attended(activity_condition):
    """SQL: the entry's person was present at an activity meeting the condition."""
    return (select(Attendance.id)
            .join(Registration, Registration.id == Attendance.registration_id)
            .join(Activity, Activity.id == Registration.activity_id)
            .where(Registration.person_id == AlumniEntry.person_id, Attendance.status == AttendanceStatus.PRESENT,
                   Activity.status != ActivityStatus.CANCELLED, activity_condition).exists())


def statement(filters: Filters):
    conditions = [listed_condition()]
    for word in filters.words.lower().split()[:MAX_WORDS]:
        conditions.append(func.lower(Person.full_name).like(_like(word), escape="\\"))
    if filters.parliament_id:
        conditions.append(and_(AlumniEntry.show_parliament.is_(True), Person.parliament_id == filters.parliament_id))
    if filters.topic_id:
        interested = exists().where(alumni_topic.c.entry_id == AlumniEntry.id,
                                    alumni_topic.c.topic_id == filters.topic_id)
        on_topic = exists().where(activity_topic.c.activity_id == Activity.id,
                                  activity_topic.c.topic_id == filters.topic_id)
        conditions.append(or_(and_(AlumniEntry.show_topics.is_(True), interested),
                              and_(AlumniEntry.show_activities.is_(True), _attended(on_topic))))
    if filters.activity_id:
        conditions.append(and_(AlumniEntry.show_activities.is_(True),
                               _attended(Activity.id == filters.activity_id)))
    return (select(AlumniEntry, Person, Parliament)
            .join(Person, Person.id == AlumniEntry.person_id)
            .outerjoin(Parliament, Parliament.id == Person.parliament_id)
            .where(*conditions)
            .order_by(Person.full_name, AlumniEntry.id))


def search(filters: Filters, page: int = 1, per_page: int = 20) -> CardPagination:
    pagination = CardPagination(select=statement(filters), session=db.session, page=page, per_page=per_page,
                                max_per_page=per_page, error_out=False)
    pagination.items = cards(pagination.items)
    return pagination


def cards(rows) -> list[Card]:
    """(entry, person, parliament) rows as cards holding only what each person shows."""
    result = []
    for entry, person, parliament in rows:
        result.append(Card(entry=entry, person=person,
                           parliament=parliament if entry.show_parliament else None,
                           position=person.position if entry.show_position else "",
                           email=person.email if entry.show_email else "",
                           bio=entry.bio if entry.show_bio else ""))
    topic_ids = [c.entry.id for c in result if c.entry.show_topics]
    if topic_ids:
        by_entry = {c.entry.id: c for c in result}
        for entry_id, topic in db.session.execute(
                select(alumni_topic.c.entry_id, Topic).join(Topic, Topic.id == alumni_topic.c.topic_id)
                .where(alumni_topic.c.entry_id.in_(topic_ids)).order_by(Topic.slug)):
            by_entry[entry_id].topics.append(topic)
    showing = {c.person.id: c for c in result if c.entry.show_activities}
    for person_id, activities in activities_of(list(showing)).items():
        showing[person_id].activities = activities
    return result


def card(entry: AlumniEntry) -> Card:
    person = entry.person
    return cards([(entry, person, person.parliament)])[0]


def filter_choices() -> dict:
    """The parliaments and activities that some listed person shows (a filter that can find someone), and
    every topic; three queries."""
    visible = (select(AlumniEntry.person_id).join(Person, Person.id == AlumniEntry.person_id)
               .where(listed_condition()).correlate(None))
    # IN rather than DISTINCT: PostgreSQL cannot compare the JSON columns of parliaments and activities.
    parliaments = db.session.scalars(select(Parliament).where(Parliament.id.in_(
        select(Person.parliament_id).join(AlumniEntry, AlumniEntry.person_id == Person.id)
        .where(AlumniEntry.show_parliament.is_(True), Person.id.in_(visible))))).all()
    activities = db.session.scalars(select(Activity).where(Activity.id.in_(
        select(Registration.activity_id).join(AlumniEntry, AlumniEntry.person_id == Registration.person_id)
        .where(AlumniEntry.show_activities.is_(True), Registration.person_id.in_(visible),
               exists().where(Attendance.registration_id == Registration.id,
                              Attendance.status == AttendanceStatus.PRESENT))),
        Activity.status != ActivityStatus.CANCELLED).order_by(Activity.starts_at.desc(), Activity.id)).all()
    topics = db.session.scalars(select(Topic)).all()
    return {"parliaments": parliaments, "activities": activities, "topics": topics}
