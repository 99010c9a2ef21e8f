"""The caller's own learning: enrolments, progress through each course, certificates (as the dashboard shows them)."""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn.api.auth import ApiView, current_caller, person_or_404, requires
from elearn.api.pagination import PageArgs, keyset_page, link_header, page_schema
from elearn.api.schemas import Instant
from elearn.api.scopes import Scope
from elearn.learning.lookups import done_counts, lesson_counts, percent
from elearn.learning.models import Certificate, Course, Enrolment
from elearn.urls import absolute_url

blp = Blueprint("api_me_learning", __name__, url_prefix="/api/v1/me",
                description="The caller's own enrolments, progress and certificates")


class MeCourseSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    title = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                        metadata={"description": "The title in each language of the course, by language code"})


class MeEnrolmentSchema(Schema):
    id = fields.Integer(required=True)
    course = fields.Nested(MeCourseSchema, required=True)
    enrolled_at = Instant(required=True)
    completed_at = Instant(allow_none=True, required=True)


class MeProgressSchema(Schema):
    enrolment_id = fields.Integer(required=True)
    course = fields.Nested(MeCourseSchema, required=True)
    lessons_done = fields.Integer(required=True)
    lessons_total = fields.Integer(required=True, metadata={"description": "The course's current lessons"})
    percent = fields.Integer(required=True)
    best_score = fields.Integer(allow_none=True, required=True,
                                metadata={"description": "The best quiz score in percent; null before any attempt"})
    quiz_passed_at = Instant(allow_none=True, required=True)
    completed_at = Instant(allow_none=True, required=True)


class MeCertificateSchema(Schema):
    id = fields.Integer(required=True)
    course = fields.Nested(MeCourseSchema, required=True,
                           metadata={"description": "The course; its title as printed on the certificate"})
    issued_at = Instant(required=True)
    code = fields.String(required=True, metadata={"description": "The verification code printed on it"})
    verify_url = fields.Url(required=True, metadata={"description": "The public page that confirms it"})


MeEnrolmentPage = page_schema(MeEnrolmentSchema, "MeEnrolmentPage")
MeProgressPage = page_schema(MeProgressSchema, "MeProgressPage")
MeCertificatePage = page_schema(MeCertificateSchema, "MeCertificatePage")


def course_data(course: Course, title: dict | None = None) -> dict:
    return {"id": course.id, "slug": course.slug, "title": dict(title if title is not None else course.title or {})}


def own_enrolments(args: dict):
    person = person_or_404(current_caller())
    statement = (select(Enrolment).where(Enrolment.person_id == person.id)
                 .options(joinedload(Enrolment.course)))
    return keyset_page(statement, [Enrolment.id], args)


@blp.route("/enrolments/")
class MyEnrolments(ApiView):
    @requires(Scope.READ_SELF)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MeEnrolmentPage)
    def get(self, args):
        """The courses the caller is enrolled in, by enrolment id"""
        page = own_enrolments(args)
        page.items = [{"id": e.id, "course": course_data(e.course), "enrolled_at": e.enrolled_at,
                       "completed_at": e.completed_at} for e in page.items]
        return page.as_dict(), 200, link_header(page)


@blp.route("/progress/")
class MyProgress(ApiView):
    @requires(Scope.READ_SELF)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MeProgressPage)
    def get(self, args):
        """The caller's progress through each course they are enrolled in, by enrolment id"""
        page = own_enrolments(args)
        # Two grouped queries for the whole page, retired lessons left out, as on the learner's dashboard.
        total = lesson_counts(sorted({e.course_id for e in page.items}))
        done = done_counts([e.id for e in page.items])
        page.items = [{"enrolment_id": e.id, "course": course_data(e.course),
                       "lessons_done": done.get(e.id, 0), "lessons_total": total.get(e.course_id, 0),
                       "percent": percent(done.get(e.id, 0), total.get(e.course_id, 0)),
                       "best_score": e.best_score, "quiz_passed_at": e.quiz_passed_at,
                       "completed_at": e.completed_at} for e in page.items]
        return page.as_dict(), 200, link_header(page)


@blp.route("/certificates/")
class MyCertificates(ApiView):
    @requires(Scope.READ_SELF)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MeCertificatePage)
    def get(self, args):
        """The caller's certificates, by id, each with the public address that verifies it"""
        person = person_or_404(current_caller())
        statement = (select(Certificate).join(Enrolment, Enrolment.id == Certificate.enrolment_id)
                     .where(Enrolment.person_id == person.id)
                     .options(joinedload(Certificate.enrolment).joinedload(Enrolment.course)))
        page = keyset_page(statement, [Certificate.id], args)
        page.items = [{"id": c.id, "course": course_data(c.enrolment.course, c.course_title),
                       "issued_at": c.issued_at, "code": c.code,
                       "verify_url": absolute_url("learning.verify_certificate", code=c.code)} for c in page.items]
        return page.as_dict(), 200, link_header(page)
