"""Calendar files served over HTTP."""
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.access import public
from elearn.extensions import db
from elearn.feeds.ical import FeedInfo, build_calendar
from elearn.scheduling.models import Activity, ActivityStatus
from elearn.urls import absolute_url

bp = Blueprint("feeds", __name__)


def site_host() -> str:
    return urlsplit(current_app.config["SITE_URL"]).hostname or "hemicycle.localhost"


def calendar_response(body: bytes, filename: str, *, public_feed: bool = True) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=900" if public_feed else "private, max-age=300"
    return response


@bp.get("/activities/<int:activity_id>.ics")
@public
def activity_ics(activity_id: int):
    activity = db.session.scalar(select(Activity).where(Activity.id == activity_id)
                                 .options(selectinload(Activity.sessions)))
    if activity is None or activity.status == ActivityStatus.DRAFT:
        abort(404)
    info = FeedInfo(name=activity.title, description=activity.title, host=site_host(),
                    activity_url=lambda id_: absolute_url("scheduling.activity", activity_id=id_))
    return calendar_response(build_calendar(activity.sessions, info), f"activity-{activity.id}.ics")
