"""Parliaments: the public reference list (as the calendar's filter offers it)."""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from elearn.api.auth import ApiView, requires
from elearn.api.pagination import PageArgs, keyset_page, link_header, page_schema
from elearn.api.schemas import Names, names_of
from elearn.api.scopes import Scope
from elearn.extensions import db
from elearn.people.models import Parliament

blp = Blueprint("api_parliaments", __name__, url_prefix="/api/v1/parliaments",
                description="Parliaments: those that give assistance and their partners")


class ParliamentSchema(Schema):
    id = fields.Integer(required=True)
    names = fields.Nested(Names, required=True)
    country_code = fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-2"})
    chamber_name = fields.String(required=True)
    gives_assistance = fields.Boolean(required=True)
    receives_assistance = fields.Boolean(required=True)
    working_languages = fields.List(fields.String(), required=True)


ParliamentPage = page_schema(ParliamentSchema, "ParliamentPage")


def parliament_data(parliament: Parliament) -> dict:
    return {"id": parliament.id, "names": names_of(parliament), "country_code": parliament.country_code,
            "chamber_name": parliament.chamber_name, "gives_assistance": parliament.gives_assistance,
            "receives_assistance": parliament.receives_assistance,
            "working_languages": list(parliament.working_languages or [])}


@blp.route("/")
class Parliaments(ApiView):
    @requires(Scope.READ_PUBLIC)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ParliamentPage)
    def get(self, args):
        """List parliaments, by id"""
        page = keyset_page(select(Parliament), [Parliament.id], args)
        page.items = [parliament_data(parliament) for parliament in page.items]
        return page.as_dict(), 200, link_header(page)


@blp.route("/<int:parliament_id>")
class OneParliament(ApiView):
    @requires(Scope.READ_PUBLIC)
    @blp.etag
    @blp.response(200, ParliamentSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, parliament_id):
        """One parliament"""
        parliament = db.session.get(Parliament, parliament_id)
        if parliament is None:
            from flask import abort

            abort(404)
        return parliament_data(parliament)
