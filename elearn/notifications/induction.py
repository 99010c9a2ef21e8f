"""Learning's induction invitations as a kind of reminder: one mail to each newly elected member.

Learning is below notifications, so the finder lives here, as reports/completions.py holds
learning's completions. The once-only key is (induction, person, person, 0): however often
`flask notify due` runs, a member is invited once; someone who enrols first is not invited.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import select

from elearn.extensions import db
from elearn.learning.induction import invitations_due
from elearn.learning.models import Course
from elearn.notifications.once import Reminder
from elearn.people.models import Person
from elearn.urls import absolute_url

KIND = "induction"


def induction_invitations(now: datetime) -> list[Reminder]:
    return [Reminder(kind=KIND, object_id=invitation.person_id, person_id=invitation.person_id, offset_days=0,
                     template="induction_invitation", context=_context(invitation.course_ids))
            for invitation in invitations_due(now.date())]


def _context(course_ids: tuple[int, ...]) -> Callable[[Person], dict]:
    def context(person: Person) -> dict:
        locale = person.preferred_language
        courses = db.session.scalars(select(Course).where(Course.id.in_(course_ids)).order_by(Course.slug))
        return dict(courses=[dict(title=course.title_in(locale), minutes=course.estimated_minutes,
                                  link=absolute_url("learning.course", slug=course.slug)) for course in courses])
    return context
