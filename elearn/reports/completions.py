"""E-learning completions as a source for participation reports."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn.extensions import db
from elearn.learning.models import Enrolment
from elearn.reports.facts import Completion, ReportFilters, register_completion_source
from elearn.topics import Topic


def course_completions(filters: ReportFilters) -> list[Completion]:
    """Completed enrolments; courses belong to no programme, funder or modality, so those filters exclude them."""
    if filters.programme_id or filters.funder or filters.modality:
        return []
    topic_slug = db.session.get(Topic, filters.topic_id).slug if filters.topic_id else None
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.completed_at.is_not(None))
        .options(joinedload(Enrolment.person), joinedload(Enrolment.course))).all()
    return [Completion(person_id=e.person_id, parliament_id=e.person.parliament_id, kind=e.person.kind,
                       gender=e.person.gender, completed_on=e.completed_at.date(), course=e.course.slug)
            for e in enrolments if topic_slug is None or topic_slug in (e.course.topics or [])]


def install(app) -> None:
    register_completion_source(app, course_completions)
