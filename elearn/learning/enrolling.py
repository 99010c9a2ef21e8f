"""Enrolling in a course: oneself, or people listed by a trainer (by address or delegation)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.extensions import db
from elearn.learning.errors import LearningError, UnknownAddresses
from elearn.learning.models import Course, Enrolment
from elearn.learning.notices import notify_enrolled
from elearn.people.models import Person, PersonKind


def _enrol(person: Person, course: Course, by: Person | None) -> tuple[Enrolment, bool]:
    existing = db.session.scalar(select(Enrolment).where(Enrolment.person_id == person.id,
                                                         Enrolment.course_id == course.id))
    if existing is not None:
        return existing, False
    enrolment = Enrolment(person=person, course=course, enrolled_by=by)
    db.session.add(enrolment)
    return enrolment, True


def enrol_self(person: Person, course: Course) -> Enrolment:
    if not course.published:
        raise LearningError(_("This course is not open for enrolment."))
    if not course.self_enrolment:
        raise LearningError(_("A trainer enrols learners in this course; ask your programme officer."))
    enrolment, _created = _enrol(person, course, None)
    db.session.commit()
    return enrolment


@dataclass
class BulkEnrolment:
    added: list[Person] = field(default_factory=list)
    already: list[Person] = field(default_factory=list)


def enrol_people(course: Course, people: Iterable[Person], by: Person) -> BulkEnrolment:
    """Enrol each person (once) and mail the newly enrolled, in one transaction."""
    result = BulkEnrolment()
    for person in people:
        if not person.is_active:
            continue
        _enrolment, created = _enrol(person, course, by)
        (result.added if created else result.already).append(person)
        if created:
            notify_enrolled(person, course, by)
    db.session.commit()
    return result


def enrol_listed(course: Course, *, emails: str, parliament_id: int | None, kind: str, by: Person) -> BulkEnrolment:
    """Enrol the accounts of the listed addresses and/or a parliament's delegation, all or none."""
    people, unknown = people_from_emails(emails)
    if unknown:
        raise UnknownAddresses(_("No active account for: %(emails)s", emails=", ".join(unknown)))
    if parliament_id:
        people += [person for person in delegation(parliament_id, kind) if person not in people]
    if not people:
        raise LearningError(_("Give at least one address or choose a parliament with members."))
    return enrol_people(course, people, by)


EMAIL_SPLIT_RE = re.compile(r"[\s,;]+")


def people_from_emails(text: str) -> tuple[list[Person], list[str]]:
    """The active accounts for the addresses in `text`, and the addresses that match none."""
    emails = list(dict.fromkeys(e.strip().lower() for e in EMAIL_SPLIT_RE.split(text) if e.strip()))
    found = {p.email: p for p in db.session.scalars(
        select(Person).where(Person.email.in_(emails), Person.is_active.is_(True)))} if emails else {}
    return [found[e] for e in emails if e in found], [e for e in emails if e not in found]


def delegation(parliament_id: int, kind: str = "") -> list[Person]:
    """The active members of a parliament's delegation, optionally only MPs or only staff."""
    statement = select(Person).where(Person.parliament_id == parliament_id, Person.is_active.is_(True))
    if kind in (PersonKind.MP, PersonKind.STAFF):
        statement = statement.where(Person.kind == PersonKind(kind))
    return list(db.session.scalars(statement.order_by(Person.full_name)))
