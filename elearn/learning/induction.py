"""The induction course: offered to members of parliament in the first months of their term.

A course is an induction course when its course.toml says `induction = true`. A member is
newly elected for NEWLY_ELECTED_MONTHS after their term started (Person.is_newly_elected);
in that time the dashboard invites them to the induction courses they have not enrolled in,
the catalogue lists those courses first, and `flask notify due` mails them once
(notifications/induction.py, which reads `invitations_due`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from elearn.extensions import db
from elearn.learning.models import Audience, Course, Enrolment
from elearn.people.models import Person, PersonKind


def is_newly_elected(person, today: date) -> bool:
    """True for an active member within NEWLY_ELECTED_MONTHS of their term's start; False for anonymous visitors."""
    if not isinstance(person, Person):
        return False
    return bool(person.is_active and person.is_newly_elected(today, current_app.config["NEWLY_ELECTED_MONTHS"]))


def induction_courses() -> list[Course]:
    """Published induction courses open to members, in the catalogue's order."""
    return list(db.session.scalars(select(Course).where(
        Course.induction.is_(True), Course.published.is_(True), Course.audience != Audience.STAFF)
        .order_by(Course.slug)))


def offered_to(person, today: date) -> list[Course]:
    """The induction courses this person is invited to: newly elected, and not enrolled in them yet."""
    if not is_newly_elected(person, today):
        return []
    courses = induction_courses()
    if not courses:
        return []
    enrolled = set(db.session.scalars(select(Enrolment.course_id).where(
        Enrolment.person_id == person.id, Enrolment.course_id.in_([c.id for c in courses]))))
    return [course for course in courses if course.id not in enrolled]


@dataclass(frozen=True)
class Invitation:
    """A newly elected member and the induction courses to invite them to."""

    person_id: int
    course_ids: tuple[int, ...]


def invitations_due(today: date) -> list[Invitation]:
    """Every newly elected member with an induction course they have not enrolled in (a fixed number of queries)."""
    courses = induction_courses()
    if not courses:
        return []
    # A month is at most 31 days: this bound keeps the query narrow, is_newly_elected decides.
    earliest = today - timedelta(days=31 * current_app.config["NEWLY_ELECTED_MONTHS"] + 1)
    members = [person for person in db.session.scalars(select(Person).where(
        Person.kind == PersonKind.MP, Person.is_active.is_(True),
        Person.term_started_on >= earliest, Person.term_started_on <= today).order_by(Person.id))
        if is_newly_elected(person, today)]
    if not members:
        return []
    enrolled = {tuple(row) for row in db.session.execute(select(Enrolment.person_id, Enrolment.course_id).where(
        Enrolment.person_id.in_([p.id for p in members]), Enrolment.course_id.in_([c.id for c in courses])))}
    invitations = []
    for person in members:
        offered = tuple(course.id for course in courses if (person.id, course.id) not in enrolled)
        if offered:
            invitations.append(Invitation(person.id, offered))
    return invitations
