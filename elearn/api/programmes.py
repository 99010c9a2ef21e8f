"""Programmes, as the public pages show them: the calendar's programme filter and each one's calendar feed.

A programme has no draft state: every one is offered in the public calendar's filter and has a public
feed, so every one is here. Only what those pages show is given (its name and short name, the feed's
address); funders, targets and partners stay on the staff pages.
"""
from __future__ import annotations

from flask import abort, url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from elearn.api.auth import ApiView, requires
from elearn.api.pagination import PageArgs, keyset_page, link_header, page_schema
from elearn.api.scopes import Scope
from elearn.extensions import db
from elearn.scheduling.models import Programme

blp = Blueprint("api_programmes", __name__, url_prefix="/api/v1/programmes",
                description="Programmes: the public calendar's programme filter and their calendar feeds")


class PublicProgrammeSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True, metadata={"description": "The `programme` filter of /api/v1/activities/"})
    title = fields.String(required=True)
    calendar_url = fields.String(required=True, metadata={"description": "Its public iCalendar feed"})


PublicProgrammePage = page_schema(PublicProgrammeSchema, "PublicProgrammePage")


def programme_data(programme: Programme) -> dict:
    return {"id": programme.id, "slug": programme.slug, "title": programme.title,
            "calendar_url": url_for("feeds.programme_ics", slug=programme.slug, _external=True)}


@blp.route("/")
class PublicProgrammes(ApiView):
    @requires(Scope.READ_PUBLIC)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, PublicProgrammePage)
    def get(self, args):
        """List programmes, by id"""
        page = keyset_page(select(Programme), [Programme.id], args)
        page.items = [programme_data(programme) for programme in page.items]
        return page.as_dict(), 200, link_header(page)


@blp.route("/<int:programme_id>")
class OnePublicProgramme(ApiView):
    @requires(Scope.READ_PUBLIC)
    @blp.etag
    @blp.response(200, PublicProgrammeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, programme_id):
        """One programme"""
        programme = db.session.get(Programme, programme_id)
        if programme is None:
            abort(404)
        return programme_data(programme)
