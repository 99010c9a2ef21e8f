"""Rosters and attendance for trainers: an activity's registrations, a session's marks, and recording them.

The web pages these mirror (elearn/scheduling/admin.py: the overview's roster and the attendance sheet) are
open to every trainer and administrator, for any activity: so is the API, under read:reports and
write:attendance. Marks are written only through scheduling.attendance.record_attendance, as the sheet does.
"""
from __future__ import annotations

from flask import abort
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as FieldError
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from elearn.api.auth import ApiView, requires
from elearn.api.pagination import PageArgs, keyset_page, link_header, page_schema
from elearn.api.schemas import Instant
from elearn.api.scopes import Scope
from elearn.extensions import db
from elearn.people.models import Gender, PersonKind
from elearn.scheduling import rosters
from elearn.scheduling.attendance import attendance_problem, hours_attended, record_attendance
from elearn.scheduling.errors import SchedulingError
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    Attendance,
    AttendanceStatus,
    Registration,
    RegistrationState,
)

blp = Blueprint("api_rosters", __name__, url_prefix="/api/v1",
                description="Rosters and attendance, for trainers and administrators")

MAX_ID = 2 ** 31 - 1  # an integer column's largest value: a bigger id names nothing (and PostgreSQL refuses it)
MAX_MARKS = 500


class RosterArgs(PageArgs):
    state = fields.String(validate=validate.OneOf([s.value for s in RegistrationState]))
    parliament = fields.Integer(validate=validate.Range(1, MAX_ID), metadata={"description": "A parliament's id"})
    gender = fields.String(validate=validate.OneOf([g.value for g in Gender] + ["not_stated"]))
    kind = fields.String(validate=validate.OneOf([k.value for k in PersonKind]))


class RosterEntrySchema(Schema):
    registration_id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    parliament_id = fields.Integer(allow_none=True, required=True)
    kind = fields.String(required=True, metadata={"description": "mp, staff, officer or expert"})
    state = fields.String(required=True)
    waitlist_position = fields.Integer(allow_none=True, required=True)
    nominated = fields.Boolean(required=True, metadata={"description": "Nominated by a focal point"})
    hours_attended = fields.Float(required=True)


RosterPage = page_schema(RosterEntrySchema, "RosterPage")


class SessionMarkSchema(Schema):
    registration_id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "present, absent or excused"})
    recorded_at = Instant(required=True)


SessionMarkPage = page_schema(SessionMarkSchema, "SessionMarkPage")


class MarkInput(Schema):
    registration_id = fields.Integer(required=True, strict=True, validate=validate.Range(1, MAX_ID))
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in AttendanceStatus]))


class MarksInput(Schema):
    marks = fields.List(fields.Nested(MarkInput), required=True, validate=validate.Length(1, MAX_MARKS))

    @validates_schema
    def once_each(self, data, **kwargs):
        ids = [mark["registration_id"] for mark in data.get("marks", [])]
        if len(ids) != len(set(ids)):
            raise FieldError("Mark each registration once.", "marks")


class MarksWritten(Schema):
    marks = fields.List(fields.Nested(SessionMarkSchema), required=True)


def _activity_or_404(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    return activity


def _session_or_404(session_id: int) -> ActivitySession:
    session = db.session.get(ActivitySession, session_id)
    if session is None:
        abort(404)
    return session


def roster_entry(registration: Registration) -> dict:
    person = registration.person
    return {"registration_id": registration.id, "person_id": person.id, "full_name": person.full_name,
            "parliament_id": person.parliament_id, "kind": person.kind.value, "state": registration.state.value,
            "waitlist_position": registration.waitlist_position,
            "nominated": registration.nominated_by_id is not None, "hours_attended": hours_attended(registration)}


def mark_data(mark: Attendance) -> dict:
    return {"registration_id": mark.registration_id, "status": mark.status.value, "recorded_at": mark.recorded_at}


@blp.route("/activities/<int:activity_id>/roster")
class Roster(ApiView):
    @requires(Scope.READ_REPORTS)
    @blp.etag
    @blp.arguments(RosterArgs, location="query")
    @blp.response(200, RosterPage)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, activity_id):
        """An activity's registrations (every state), under the roster's filters, by registration id"""
        activity = _activity_or_404(activity_id)
        list(activity.sessions)  # loaded once: each mark's session (for the hours) is then found without a query
        filters = {key: str(args[key]) for key in ("state", "parliament", "gender", "kind") if key in args}
        statement = rosters.roster_statement(activity, filters).order_by(None)
        page = keyset_page(statement, [Registration.id], args)
        page.items = [roster_entry(registration) for registration in page.items]
        return page.as_dict(), 200, link_header(page)


def _refuse_marks(session: ActivitySession, marks: dict[int, AttendanceStatus], error: SchedulingError):
    """The service's refusal as the caller reads it: 409 for the session's time, 422 naming each bad mark."""
    problem = attendance_problem(session)
    if problem:
        abort(409, description=problem)
    confirmed = set(db.session.scalars(select(Registration.id).where(
        Registration.id.in_(marks), Registration.activity_id == session.activity_id,
        Registration.state == RegistrationState.CONFIRMED)))
    positions = {registration_id: index for index, registration_id in enumerate(marks)}
    errors = {str(positions[registration_id]): {"registration_id": [str(error)]}
              for registration_id in marks if registration_id not in confirmed}
    if not errors:
        abort(409, description=str(error))
    try:
        abort(422, description=str(error))
    except HTTPException as refusal:
        refusal.data = {"messages": {"json": {"marks": errors}}}
        raise


@blp.route("/sessions/<int:session_id>/attendance")
class SessionAttendance(ApiView):
    @requires(Scope.READ_REPORTS)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, SessionMarkPage)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, session_id):
        """The marks recorded for a session, by registration id"""
        session = _session_or_404(session_id)
        statement = select(Attendance).where(Attendance.session_id == session.id)
        page = keyset_page(statement, [Attendance.registration_id], args)
        page.items = [mark_data(mark) for mark in page.items]
        return page.as_dict(), 200, link_header(page)

    @requires(Scope.WRITE_ATTENDANCE)
    @blp.arguments(MarksInput)
    @blp.response(200, MarksWritten)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def put(self, data, session_id):
        """Record present, absent or excused for confirmed participants, as the attendance sheet does.

        Refused as a whole (nothing written) before the session starts (409) or when a registration is not a
        confirmed one of this activity (422, naming the marks at fault)."""
        session = _session_or_404(session_id)
        marks = {mark["registration_id"]: AttendanceStatus(mark["status"]) for mark in data["marks"]}
        try:
            record_attendance(session, marks)
        except SchedulingError as error:
            db.session.rollback()
            _refuse_marks(session, marks, error)
        written = db.session.scalars(select(Attendance).where(
            Attendance.session_id == session.id, Attendance.registration_id.in_(marks))
            .order_by(Attendance.registration_id))
        return {"marks": [mark_data(mark) for mark in written]}
