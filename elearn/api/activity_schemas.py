"""What the public calendar shows of an activity and its sessions, as JSON (never private logistics).

The online link is not here: the activity's page gives it to confirmed participants only, so the public
read says just whether the activity is online. Seats left are shown, as on the page, while it is published.
"""
from __future__ import annotations

from datetime import timezone

from marshmallow import Schema, fields, validate

from elearn.api.pagination import PageArgs, page_schema
from elearn.api.schemas import Instant, Names, names_of
from elearn.scheduling.display import Place
from elearn.scheduling.models import Activity, ActivitySession, ActivityStatus, Audience, Modality

MULTI = {"description": "Repeat the parameter for several values (any of them matches)"}


class PublicActivityArgs(PageArgs):
    """The public calendar's filters (elearn.feeds.filters checks their values), and a time window."""

    modality = fields.List(fields.String(metadata={"enum": [m.value for m in Modality]}), load_default=list,
                           metadata=MULTI)
    topic = fields.List(fields.String(), load_default=list, metadata={**MULTI, "description": "Topic slugs"})
    lang = fields.List(fields.String(), load_default=list, metadata={"description": "Content language codes"})
    parliament = fields.List(fields.String(), load_default=list,
                             metadata={"description": "Parliament ids: hosting or invited"})
    programme = fields.List(fields.String(), load_default=list, metadata={"description": "Programme slugs"})
    audience = fields.List(fields.String(metadata={"enum": [a.value for a in Audience]}), load_default=list,
                           metadata=MULTI)
    q = fields.String(load_default="", validate=validate.Length(max=500),
                      metadata={"description": "Words of the title"})
    since = fields.AwareDateTime(load_default=None, default_timezone=timezone.utc,
                                 metadata={"description": "Only activities not over by then (ISO 8601)"})
    until = fields.AwareDateTime(load_default=None, default_timezone=timezone.utc,
                                 metadata={"description": "Only activities starting before then (ISO 8601)"})


class PublicProgrammeRef(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    title = fields.String(required=True)


class PublicTopic(Schema):
    slug = fields.String(required=True)
    names = fields.Nested(Names, required=True)


class PublicHost(Schema):
    id = fields.Integer(required=True)
    names = fields.Nested(Names, required=True)


class PublicPlace(Schema):
    venue = fields.String(required=True)
    address = fields.String(required=True)
    city = fields.String(required=True)
    country = fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-2, or empty"})


class PublicSessionSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    starts_at = Instant(required=True)
    ends_at = Instant(required=True)
    all_day = fields.Boolean(required=True, metadata={
        "description": "Whole local days: from midnight of the first day to midnight after the last, in timezone"})
    timezone = fields.String(required=True, metadata={"description": "The activity's IANA timezone"})


class PublicActivitySchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": [s.value for s in ActivityStatus if s.value != "draft"]})
    modality = fields.String(required=True, metadata={"enum": [m.value for m in Modality]})
    audience = fields.String(required=True, metadata={"enum": [a.value for a in Audience]})
    languages = fields.List(fields.String(), required=True)
    timezone = fields.String(required=True, metadata={"description": "IANA timezone of its local times"})
    starts_at = Instant(required=True, allow_none=True, metadata={"description": "Start of the first session"})
    ends_at = Instant(required=True, allow_none=True, metadata={"description": "End of the last session"})
    programme = fields.Nested(PublicProgrammeRef, required=True, allow_none=True)
    topics = fields.List(fields.Nested(PublicTopic), required=True)
    host_parliament = fields.Nested(PublicHost, required=True, allow_none=True)
    place = fields.Nested(PublicPlace, required=True, allow_none=True)
    online = fields.Boolean(required=True, metadata={"description": "Held online (the link goes to confirmed "
                                                                    "participants only)"})
    course_id = fields.Integer(required=True, allow_none=True)
    prerequisite_course_id = fields.Integer(required=True, allow_none=True)
    capacity = fields.Integer(required=True)
    seats_left = fields.Integer(required=True, allow_none=True,
                                metadata={"description": "While published; null once cancelled or completed"})
    sessions = fields.List(fields.Nested(PublicSessionSchema), required=True)


class PublicActivityDetailSchema(PublicActivitySchema):
    description_html = fields.String(required=True, metadata={"description": "Sanitised HTML, as on its page"})


PublicActivityPage = page_schema(PublicActivitySchema, "PublicActivityPage")
PublicSessionPage = page_schema(PublicSessionSchema, "PublicSessionPage")


def session_data(session: ActivitySession, zone: str) -> dict:
    return {"id": session.id, "title": session.title, "starts_at": session.starts_at, "ends_at": session.ends_at,
            "all_day": session.all_day, "timezone": zone}


def _place(activity: Activity) -> dict | None:
    place = Place.of(activity)
    if not place:
        return None
    return {"venue": place.venue, "address": place.address, "city": place.city, "country": place.country}


def activity_data(activity: Activity, confirmed: int) -> dict:
    """One listed activity; `confirmed` is its count of confirmed seats (queries.confirmed_counts)."""
    programme, host = activity.programme, activity.host_parliament
    published = activity.status == ActivityStatus.PUBLISHED
    return {
        "id": activity.id, "title": activity.title, "status": activity.status.value,
        "modality": activity.modality.value, "audience": activity.audience.value,
        "languages": list(activity.languages or []), "timezone": activity.timezone,
        "starts_at": activity.starts_at, "ends_at": activity.ends_at,
        "programme": {"id": programme.id, "slug": programme.slug, "title": programme.title} if programme else None,
        "topics": [{"slug": topic.slug, "names": names_of(topic)} for topic in activity.topics],
        "host_parliament": {"id": host.id, "names": names_of(host)} if host else None,
        "place": _place(activity), "online": activity.is_online,
        "course_id": activity.course_id, "prerequisite_course_id": activity.prerequisite_course_id,
        "capacity": activity.capacity,
        "seats_left": max(activity.capacity - confirmed, 0) if published else None,
        "sessions": [session_data(session, activity.timezone) for session in activity.sessions],
    }
