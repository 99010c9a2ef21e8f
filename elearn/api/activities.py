"""Activities and their sessions as the public calendar lists them: anyone may read, drafts do not exist here.

The filters are the calendar's own (elearn.feeds.filters checks them, the scheduling queries apply them); a
value that names nothing is a 422 naming its parameter. Lists go by id, which never changes, so that a
walk through the pages sees each activity once even while dates are edited.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import abort, request
from flask_smorest import Blueprint
from sqlalchemy import select
from werkzeug.exceptions import UnprocessableEntity

from elearn.api.activity_schemas import (
    PublicActivityArgs,
    PublicActivityDetailSchema,
    PublicActivityPage,
    PublicSessionPage,
    activity_data,
    session_data,
)
from elearn.api.auth import ApiView, requires
from elearn.api.pagination import PageArgs, keyset_page, link_header
from elearn.api.scopes import Scope
from elearn.extensions import db
from elearn.feeds import filters as calendar_filters
from elearn.scheduling import queries
from elearn.scheduling.models import Activity, ActivitySession

blp = Blueprint("api_activities", __name__, url_prefix="/api/v1/activities",
                description="Activities and their sessions, as the public calendar lists them")


def refuse(field: str, message: str):
    """A 422 problem with the message under the query parameter it is about, like marshmallow's."""
    error = UnprocessableEntity(description=message)
    error.data = {"messages": {"query": {field: [message]}}}
    raise error


def _instant(args: dict, name: str) -> datetime | None:
    value = args.get(name)
    if value is None:
        return None
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:  # year 1 or 9999 with an offset has no UTC instant a database can hold
        refuse(name, "This time is out of range.")


def calendar_selection(args: dict):
    """The listed activities the request's filters and window choose (a SELECT, not yet ordered)."""
    try:
        chosen = calendar_filters.parse(request.args)
    except calendar_filters.FilterError as error:
        refuse(error.field, str(error))
    unknown = calendar_filters.unknown_reference(chosen.filters)
    if unknown is not None:
        refuse(unknown.field, str(unknown))
    since, until = _instant(args, "since"), _instant(args, "until")
    return queries.public_activities(chosen.filters, since=since, until=until).order_by(None)


def listed_activity_or_404(activity_id: int, *options) -> Activity:
    activity = db.session.scalar(select(Activity).where(Activity.id == activity_id,
                                                        Activity.status.in_(queries.LISTED_STATUSES))
                                 .options(*options))
    if activity is None:
        abort(404)  # a draft is not on the calendar: it does not exist for the public
    return activity


@blp.route("/")
class PublicActivities(ApiView):
    @requires(Scope.READ_PUBLIC)
    @blp.etag
    @blp.arguments(PublicActivityArgs, location="query")
    @blp.response(200, PublicActivityPage)
    def get(self, args):
        """List the activities of the public calendar, by id, with the calendar's filters"""
        page = keyset_page(calendar_selection(args), [Activity.id], args)
        confirmed = queries.confirmed_counts([activity.id for activity in page.items])
        page.items = [activity_data(activity, confirmed.get(activity.id, 0)) for activity in page.items]
        return page.as_dict(), 200, link_header(page)


@blp.route("/<int:activity_id>")
class OnePublicActivity(ApiView):
    @requires(Scope.READ_PUBLIC)
    @blp.etag
    @blp.response(200, PublicActivityDetailSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, activity_id):
        """One activity of the public calendar, with its sessions"""
        activity = listed_activity_or_404(activity_id, *queries.listing_options())
        confirmed = queries.confirmed_counts([activity.id]).get(activity.id, 0)
        return {**activity_data(activity, confirmed), "description_html": activity.description_html}


@blp.route("/<int:activity_id>/sessions")
class PublicSessions(ApiView):
    @requires(Scope.READ_PUBLIC)
    @blp.etag
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, PublicSessionPage)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, activity_id):
        """List an activity's sessions, by id"""
        activity = listed_activity_or_404(activity_id)
        page = keyset_page(select(ActivitySession).where(ActivitySession.activity_id == activity.id),
                           [ActivitySession.id], args)
        page.items = [session_data(session, activity.timezone) for session in page.items]
        return page.as_dict(), 200, link_header(page)
