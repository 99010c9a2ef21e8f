"""The mails the learning feature sends."""
from __future__ import annotations

from elearn.learning.models import Course
from elearn.mail.services import queue_mail
from elearn.people.models import Person
from elearn.urls import absolute_url


def notify_enrolled(person: Person, course: Course, by: Person) -> None:
    """Tell a person a trainer enrolled them, in their language, with the course's length and link."""
    queue_mail(to=person.email, template="course_enrolment", locale=person.preferred_language,
               person=person, course_title=course.title_in(person.preferred_language),
               enrolled_by=by, minutes=course.estimated_minutes,
               link=absolute_url("learning.course", slug=course.slug))
