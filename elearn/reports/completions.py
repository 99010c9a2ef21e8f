"""E-learning completions as a source for participation reports: a SELECT the report adds up in SQL."""
from __future__ import annotations

from sqlalchemy import Select, false, literal, select

from elearn import sql_dates as sql
from elearn.extensions import db
from elearn.learning.models import Course, Enrolment
from elearn.reports.facts import ReportFilters, register_completion_source
from elearn.topics import Topic


def course_completions(filters: ReportFilters) -> Select:
    """Completed enrolments as (person_id, completed_on); courses belong to no programme, funder or
    modality, so those filters exclude them. A topic filter reads the courses (a short list), never
    the enrolments."""
    statement = select(Enrolment.person_id.label("person_id"),
                       sql.local_date(Enrolment.completed_at, literal("UTC")).label("completed_on")).where(
        Enrolment.completed_at.is_not(None))
    if filters.programme_id or filters.funder or filters.modality:
        return statement.where(false())
    if filters.topic_id:
        topic = db.session.get(Topic, filters.topic_id)
        courses = [course_id for course_id, topics in db.session.execute(select(Course.id, Course.topics))
                   if topic and topic.slug in (topics or [])]
        statement = statement.where(Enrolment.course_id.in_(courses or [-1]))
    return statement


def install(app) -> None:
    register_completion_source(app, course_completions)
