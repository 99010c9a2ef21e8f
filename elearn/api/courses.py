"""The course catalogue: published courses and their lessons' outline (never a lesson's text).

As the catalogue page: only published courses (an unpublished one is a 404 here, even for trainers, who
preview it on the site), and only lessons not retired. Titles and summaries are given in every language
the course has, as stored; the caller picks.
"""
from __future__ import annotations

from flask import abort
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from elearn.api.auth import ApiView, requires
from elearn.api.pagination import PageArgs, keyset_page, link_header, page_schema
from elearn.api.scopes import Scope
from elearn.extensions import db
from elearn.learning.lookups import active_lessons, lesson_counts
from elearn.learning.models import Audience, Course, Lesson

blp = Blueprint("api_courses", __name__, url_prefix="/api/v1/courses",
                description="The e-learning catalogue: published courses and their lessons' outline")

BY_LANGUAGE = {"description": "Text by language code, in the languages the course has"}


class LessonOutlineSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    position = fields.Integer(required=True)
    minutes = fields.Integer(required=True, metadata={"description": "Estimated minutes"})
    title = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata=BY_LANGUAGE)


class CatalogueCourseSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    version = fields.Integer(required=True)
    title = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata=BY_LANGUAGE)
    summary = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata=BY_LANGUAGE)
    audience = fields.String(required=True, metadata={"enum": [a.value for a in Audience]})
    topics = fields.List(fields.String(), required=True, metadata={"description": "Topic slugs"})
    languages = fields.List(fields.String(), required=True)
    estimated_minutes = fields.Integer(required=True)
    induction = fields.Boolean(required=True)
    self_enrolment = fields.Boolean(required=True)
    lesson_count = fields.Integer(required=True)


class CatalogueCourseDetailSchema(CatalogueCourseSchema):
    lessons = fields.List(fields.Nested(LessonOutlineSchema), required=True)


CatalogueCoursePage = page_schema(CatalogueCourseSchema, "CatalogueCoursePage")
LessonOutlinePage = page_schema(LessonOutlineSchema, "LessonOutlinePage")


def _published():
    return select(Course).where(Course.published.is_(True))


def course_data(course: Course, lessons: int) -> dict:
    return {"id": course.id, "slug": course.slug, "version": course.version, "title": dict(course.title or {}),
            "summary": dict(course.summary or {}), "audience": Audience(course.audience).value,
            "topics": list(course.topics or []), "languages": list(course.languages or []),
            "estimated_minutes": course.estimated_minutes, "induction": course.induction,
            "self_enrolment": course.self_enrolment, "lesson_count": lessons}


def lesson_data(lesson: Lesson) -> dict:
    return {"id": lesson.id, "slug": lesson.slug, "position": lesson.position, "minutes": lesson.minutes,
            "title": dict(lesson.title or {})}


def published_course_or_404(course_id: int) -> Course:
    course = db.session.scalar(_published().where(Course.id == course_id))
    if course is None:
        abort(404)
    return course


@blp.route("/")
class CatalogueCourses(ApiView):
    @requires(Scope.READ_PUBLIC)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CatalogueCoursePage)
    def get(self, args):
        """List the published courses, by id"""
        page = keyset_page(_published(), [Course.id], args)
        counts = lesson_counts([course.id for course in page.items])
        page.items = [course_data(course, counts.get(course.id, 0)) for course in page.items]
        return page.as_dict(), 200, link_header(page)


@blp.route("/<int:course_id>")
class OneCatalogueCourse(ApiView):
    @requires(Scope.READ_PUBLIC)
    @blp.etag
    @blp.response(200, CatalogueCourseDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, course_id):
        """One published course, with its lessons' outline in order"""
        course = published_course_or_404(course_id)
        lessons = active_lessons(course)
        return {**course_data(course, len(lessons)), "lessons": [lesson_data(lesson) for lesson in lessons]}


@blp.route("/<int:course_id>/lessons")
class CatalogueLessons(ApiView):
    @requires(Scope.READ_PUBLIC)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, LessonOutlinePage)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, course_id):
        """List a published course's lessons in their order (outline only, never the text)"""
        course = published_course_or_404(course_id)
        page = keyset_page(select(Lesson).where(Lesson.course_id == course.id, Lesson.retired_at.is_(None)),
                           [Lesson.position, Lesson.id], args)
        page.items = [lesson_data(lesson) for lesson in page.items]
        return page.as_dict(), 200, link_header(page)
