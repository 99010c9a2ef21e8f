"""The caller's own account and registrations: read them, register for an activity, withdraw."""
from __future__ import annotations

from flask import abort
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from elearn.api.auth import ApiView, current_caller, person_or_404, requires
from elearn.api.pagination import PageArgs, keyset_page, link_header, page_schema
from elearn.api.registration_items import (
    RegistrationItemSchema,
    one_registration_data,
    registration_items,
    registration_loading,
    visible_activity_or_404,
)
from elearn.api.scopes import Scope
from elearn.extensions import db
from elearn.params import MAX_ID  # posted ids stay within a database integer, as path ids do
from elearn.scheduling import services
from elearn.scheduling.models import Registration

blp = Blueprint("api_me", __name__, url_prefix="/api/v1/me",
                description="The caller's own account, registrations, enrolments, progress and certificates")

class MeProfileSchema(Schema):
    id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "mp or staff"})
    parliament_id = fields.Integer(allow_none=True, required=True)
    preferred_language = fields.String(required=True)
    timezone = fields.String(required=True)


class MeRegistrationSchema(RegistrationItemSchema):
    pass


class MeRegistrationInputSchema(Schema):
    activity_id = fields.Integer(required=True, strict=True, validate=validate.Range(1, MAX_ID))


MeRegistrationPage = page_schema(MeRegistrationSchema, "MeRegistrationPage")


@blp.route("")
class Me(ApiView):
    @requires(Scope.READ_SELF)
    @blp.etag
    @blp.response(200, MeProfileSchema)
    def get(self):
        """The caller's own profile"""
        person = person_or_404(current_caller())
        return {"id": person.id, "full_name": person.full_name, "email": person.email, "role": person.role.value,
                "kind": person.kind.value, "parliament_id": person.parliament_id,
                "preferred_language": person.preferred_language, "timezone": person.timezone}


def own_registration_or_404(registration_id: int) -> Registration:
    """The caller's registration; anyone else's does not exist, as on the web pages."""
    person = person_or_404(current_caller())
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.person_id != person.id:
        abort(404)
    return registration


@blp.route("/registrations/")
class MyRegistrations(ApiView):
    @requires(Scope.READ_SELF)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MeRegistrationPage)
    def get(self, args):
        """The caller's registrations, by id"""
        person = person_or_404(current_caller())
        statement = select(Registration).where(Registration.person_id == person.id).options(registration_loading())
        page = keyset_page(statement, [Registration.id], args)
        page.items = registration_items(page.items)
        return page.as_dict(), 200, link_header(page)

    @requires(Scope.WRITE_SELF)
    @blp.arguments(MeRegistrationInputSchema)
    @blp.response(201, MeRegistrationSchema)
    @blp.alt_response(200, schema=MeRegistrationSchema, description="Already registered: the registration as it is")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data):
        """Register the caller for an activity: a seat, a request for approval or the waiting list, and the mail"""
        person = person_or_404(current_caller())
        activity = visible_activity_or_404(data["activity_id"])
        try:
            outcome = services.register(activity.id, person)
        except services.SchedulingError as error:
            abort(409, description=str(error))
        return one_registration_data(outcome.registration), 201 if outcome.created else 200


@blp.route("/registrations/<int:registration_id>")
class MyRegistration(ApiView):
    @requires(Scope.READ_SELF)
    @blp.etag
    @blp.response(200, MeRegistrationSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, registration_id):
        """One of the caller's registrations"""
        return one_registration_data(own_registration_or_404(registration_id))

    @requires(Scope.WRITE_SELF)
    @blp.response(200, MeRegistrationSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def delete(self, registration_id):
        """Withdraw: the seat or the place in line is freed, the next person waiting moves up"""
        registration = own_registration_or_404(registration_id)
        try:
            services.withdraw(registration)
        except services.SchedulingError as error:
            abort(409, description=str(error))
        return one_registration_data(db.session.get(Registration, registration_id))
