"""A focal point's parliament: its people, their registrations, nominations and attendance; nominating.

Everything is read within the caller's own parliament: another parliament's rows never appear, and its
people do not exist as far as a nomination is concerned (404), as on the web's nomination page.
"""
from __future__ import annotations

from flask import abort
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from elearn.api.auth import ApiView, current_caller, person_or_404, requires
from elearn.api.pagination import PageArgs, keyset_page, link_header, page_schema
from elearn.api.registration_items import (
    RegistrationItemSchema,
    one_registration_data,
    registration_items,
    registration_loading,
    visible_activity_or_404,
)
from elearn.api.schemas import Instant
from elearn.api.scopes import Scope
from elearn.extensions import db
from elearn.params import MAX_ID  # posted ids stay within a database integer, as path ids do
from elearn.people.models import Person, PersonKind
from elearn.scheduling import nominations, services
from elearn.scheduling.models import Attendance, AttendanceStatus, Registration

blp = Blueprint("api_parliament", __name__, url_prefix="/api/v1/parliament",
                description="For focal points: their parliament's people, registrations, nominations and attendance")

class ParliamentPersonSchema(Schema):
    """What the nomination page shows of a colleague: a name and whether a member or staff."""

    id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": [kind.value for kind in PersonKind]})


class ParliamentRegistrationSchema(RegistrationItemSchema):
    person = fields.Nested(ParliamentPersonSchema, required=True)


class ParliamentRegistrationArgs(PageArgs):
    activity_id = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID),
                                 metadata={"description": "Only this activity's registrations"})


class NominationInputSchema(Schema):
    activity_id = fields.Integer(required=True, strict=True, validate=validate.Range(1, MAX_ID))
    person_id = fields.Integer(required=True, strict=True, validate=validate.Range(1, MAX_ID))


class ParliamentAttendanceSchema(Schema):
    id = fields.Integer(required=True)
    registration_id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    activity_id = fields.Integer(required=True)
    session_id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": [status.value for status in AttendanceStatus]})
    recorded_at = Instant(required=True)


ParliamentPersonPage = page_schema(ParliamentPersonSchema, "ParliamentPersonPage")
ParliamentRegistrationPage = page_schema(ParliamentRegistrationSchema, "ParliamentRegistrationPage")
ParliamentAttendancePage = page_schema(ParliamentAttendanceSchema, "ParliamentAttendancePage")


def own_parliament_id() -> int:
    """The focal point's parliament; the scope is only granted to a focal point who has one."""
    parliament_id = person_or_404(current_caller()).parliament_id
    if parliament_id is None:
        abort(403)
    return parliament_id


def person_data(person: Person) -> dict:
    return {"id": person.id, "full_name": person.full_name, "kind": person.kind.value}


def with_person(registration: Registration) -> dict:
    return {"person": person_data(registration.person)}


def delegation_registrations(parliament_id: int, activity_id: int | None = None):
    """Registrations of the parliament's people, each with its person and activity, in one statement."""
    statement = (select(Registration).join(Person, Person.id == Registration.person_id)
                 .where(Person.parliament_id == parliament_id)
                 .options(contains_eager(Registration.person), registration_loading()))
    if activity_id is not None:
        statement = statement.where(Registration.activity_id == activity_id)
    return statement


def registration_page(statement, args: dict):
    page = keyset_page(statement, [Registration.id], args)
    page.items = registration_items(page.items, with_person)
    return page.as_dict(), 200, link_header(page)


@blp.route("/people/")
class ParliamentPeople(ApiView):
    @requires(Scope.READ_PARLIAMENT)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ParliamentPersonPage)
    def get(self, args):
        """The active accounts of the caller's parliament, by id"""
        statement = select(Person).where(Person.parliament_id == own_parliament_id(), Person.is_active.is_(True))
        page = keyset_page(statement, [Person.id], args)
        page.items = [person_data(person) for person in page.items]
        return page.as_dict(), 200, link_header(page)


@blp.route("/registrations/")
class ParliamentRegistrations(ApiView):
    @requires(Scope.READ_PARLIAMENT)
    @blp.etag
    @blp.arguments(ParliamentRegistrationArgs, location="query")
    @blp.response(200, ParliamentRegistrationPage)
    def get(self, args):
        """Registrations of the caller's parliament's people, by id"""
        return registration_page(delegation_registrations(own_parliament_id(), args.get("activity_id")), args)


@blp.route("/nominations/")
class ParliamentNominations(ApiView):
    @requires(Scope.READ_PARLIAMENT)
    @blp.etag
    @blp.arguments(ParliamentRegistrationArgs, location="query")
    @blp.response(200, ParliamentRegistrationPage)
    def get(self, args):
        """Registrations of the caller's parliament's people made by a focal point, by id"""
        statement = delegation_registrations(own_parliament_id(), args.get("activity_id"))
        return registration_page(statement.where(Registration.nominated_by_id.is_not(None)), args)

    @requires(Scope.WRITE_PARLIAMENT)
    @blp.arguments(NominationInputSchema)
    @blp.response(201, ParliamentRegistrationSchema)
    @blp.alt_response(200, schema=ParliamentRegistrationSchema,
                      description="Already registered: the registration as it is")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Nominate a colleague for an activity, within the parliament's quota, with the same mails as the web"""
        focal_point = person_or_404(current_caller())
        own_parliament_id()
        activity = visible_activity_or_404(data["activity_id"])
        nominee = nominations.nominable_person(activity, focal_point, data["person_id"])
        if nominee is None:
            existing = already_registered(activity.id, focal_point, data["person_id"])
            if existing is None:
                abort(404)  # another parliament's person, a closed account, or nobody this activity is for
            return {**one_registration_data(existing), **with_person(existing)}, 200
        try:
            outcome = services.nominate(activity.id, nominee, focal_point)
        except services.SchedulingError as error:
            abort(409, description=str(error))
        registration = outcome.registration
        return {**one_registration_data(registration), **with_person(registration)}, 201 if outcome.created else 200


def already_registered(activity_id: int, focal_point: Person, person_id: int) -> Registration | None:
    """A colleague's active registration for the activity: nominating them again changes nothing (200)."""
    return db.session.scalar(
        select(Registration).join(Person, Person.id == Registration.person_id)
        .where(Registration.activity_id == activity_id, Registration.person_id == person_id,
               Registration.state.in_(services.ACTIVE_STATES), Person.parliament_id == focal_point.parliament_id))


@blp.route("/attendance/")
class ParliamentAttendance(ApiView):
    @requires(Scope.READ_PARLIAMENT)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ParliamentAttendancePage)
    def get(self, args):
        """Attendance recorded for the caller's parliament's people, by id"""
        statement = (select(Attendance).join(Registration, Registration.id == Attendance.registration_id)
                     .join(Person, Person.id == Registration.person_id)
                     .where(Person.parliament_id == own_parliament_id())
                     .options(contains_eager(Attendance.registration)))
        page = keyset_page(statement, [Attendance.id], args)
        page.items = [{"id": mark.id, "registration_id": mark.registration_id,
                       "person_id": mark.registration.person_id, "activity_id": mark.registration.activity_id,
                       "session_id": mark.session_id, "status": mark.status.value, "recorded_at": mark.recorded_at}
                      for mark in page.items]
        return page.as_dict(), 200, link_header(page)
