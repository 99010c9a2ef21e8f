"""Serve a feed cheaply: answer from the database cache when nothing changed, render when something did.

Three paths, from cheapest to dearest:

1. One query reads the feed's versions (`feeds/versions.py`: counters bumped in
   the same transaction as any change a feed may show) and the feed's cache row.
   If the row was checked against those same versions, the same day's window and
   options (less than RECHECK ago), the answer comes from the row: a 304, or the
   stored body. Nothing is rendered; nothing is written (but `used_at`, hourly).
2. A version moved: one more query reads the feed's rows (ids, sequences,
   statuses, change times) and hashes them. If the hash is the stored one, the
   change did not concern this feed; the row is marked checked, and the next
   request takes path 1 again.
3. The feed changed (or is new): load its sessions, render, store body, ETag (a
   hash of the body) and Last-Modified (never earlier than the last one served).
   Renders count against the client's FEED_RENDER_LIMIT_PER_IP; a new row may
   push the least recently used ones out (`limits.eviction`).

The cache lives in the database (`feed_cache`), so every worker shares it.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from flask import Response, current_app, request
from sqlalchemy import Engine, Select, bindparam, insert, literal, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import contains_eager
from werkzeug.http import is_resource_modified
from werkzeug.routing import MapAdapter

from elearn.database import utcnow
from elearn.delegations import agenda_ical
from elearn.extensions import db
from elearn.feeds import limits
from elearn.feeds.models import FeedCache, FeedVersion
from elearn.feeds.queries import TENTATIVE_STATES, Selection
from elearn.feeds.versions import PUBLIC, person_scope
from elearn.mentoring import meetings_ical
from elearn.scheduling.ical import Entry, FeedInfo, build_calendar, renderer_version
from elearn.scheduling.models import Activity, ActivitySession, RegistrationState

log = logging.getLogger(__name__)

# A feed is re-checked (path 2) at least this often whatever its versions say: a
# write that bypassed the ORM session (raw SQL, a manual fix) shows within this time.
RECHECK = timedelta(hours=1)
# `used_at` (for the cache's least-recently-used order) is refreshed at most this often.
USE_STAMP = timedelta(hours=1)


@dataclass(frozen=True)
class FeedSite:
    """What every feed request needs from the app's set-up, worked out once per app."""

    url: str                  # SITE_URL
    host: str                 # its host name, part of every UID
    adapter: MapAdapter       # builds absolute links to pages
    engine: Engine
    # FEED_FRESHNESS_SECONDS: how long this process may answer a conditional request
    # from what the last check found, without asking the database (0: always ask).
    freshness: float = 0.0
    recent: dict = field(default_factory=dict)  # (key, person scope) -> (deadline, etag, last_modified)


def feed_site() -> FeedSite:
    app = current_app._get_current_object()
    site = app.extensions.get("hemicycle.feed_site")
    if site is None:
        url = app.config["SITE_URL"]
        parts = urlsplit(url)
        adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
        site = FeedSite(url=url, host=parts.hostname or "hemicycle.localhost", adapter=adapter, engine=db.engine,
                        freshness=float(app.config["FEED_FRESHNESS_SECONDS"]))
        app.extensions["hemicycle.feed_site"] = site
    return site


@dataclass(frozen=True)
class Feed:
    """A feed as a view describes it to `serve`."""

    identity: str                    # what makes this feed this feed: kind, filters, language, token id
    selection: Selection
    info: FeedInfo
    filename: str
    personal: bool = False
    options: str = ""                # anything else the body depends on (the person's settings)
    locale: str = "en"               # the language of a personal feed's own sentences (mentoring meetings)
    # Run before a feed is first stored: a refusal (an error response) for what the
    # cheap checks in the view could not judge, such as a topic that does not exist.
    check: Callable[[], Response | None] | None = None

    @cached_property
    def key(self) -> str:
        return cache_key(self.identity)

    @cached_property
    def context(self) -> str:
        """Everything besides the rows that the body depends on."""
        wording = self.info.wording
        return "\x1f".join([renderer_version(), feed_site().url, self.info.name, self.info.description,
                            wording.cancelled_prefix, wording.online, wording.join, wording.link_for_confirmed,
                            wording.details, self.options,
                            meetings_ical.meeting_title_template(self.locale) if self.personal else ""])


def cache_key(identity: str) -> str:
    return _digest(identity)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def _seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def next_last_modified(previous: datetime | None, newest: datetime | None, now: datetime) -> datetime:
    """Last-Modified for a body that differs from the previous one; it never goes backwards.

    Normally the newest change among the feed's sessions. When that is not later
    than what was served before, something left the feed (an unpublished activity,
    one that aged out of the window): that happened now.
    """
    candidate = _seconds(min(newest or now, now))
    if previous is None or candidate > previous:
        return candidate
    return max(previous, _seconds(now))


def _version_of(scope) -> Select:
    return select(FeedVersion.version).where(FeedVersion.scope == scope).scalar_subquery()


@lru_cache(maxsize=4)
def freshness_statement(personal: bool, with_body: bool) -> Select:
    """The one query of path 1: the feed's versions and its cache row.

    Built once per process (only the statement; the data is read every time):
    constructing it would cost more than running it.
    """
    one = select(literal(1).label("one")).subquery()
    versions = [_version_of(PUBLIC).label("public_version")]
    if personal:
        versions.append(_version_of(bindparam("person_scope")).label("person_version"))
    columns = [FeedCache.validator, FeedCache.verified_at, FeedCache.fingerprint, FeedCache.etag,
               FeedCache.last_modified, FeedCache.used_at]
    if with_body:
        columns.append(FeedCache.body)
    cache_row = one.outerjoin(FeedCache, FeedCache.key == bindparam("key"))
    return select(*versions, *columns).select_from(cache_row)


def serve(feed: Feed) -> Response:
    selection = feed.selection
    # A plain GET from a warm cache then needs no second query for the body.
    conditional = "HTTP_IF_NONE_MATCH" in request.environ or "HTTP_IF_MODIFIED_SINCE" in request.environ
    parameters = {"key": feed.key}
    if selection.personal:
        parameters["person_scope"] = person_scope(selection.person_id)
    site = feed_site()
    recent = site.recent.get((feed.key, parameters.get("person_scope"))) if conditional and site.freshness else None
    if recent is not None and recent[0] > time.monotonic():
        return _respond(feed, recent[1], recent[2], None)
    # Straight from the pool rather than through the ORM session: at this size
    # the session's set-up and tear-down would cost more than the query.
    with site.engine.connect() as connection:
        state = connection.execute(freshness_statement(selection.personal, not conditional), parameters).one()
    versions = (state.public_version, state.person_version if selection.personal else None)
    window = "|".join(moment.date().isoformat() if moment else "" for moment in (selection.since, selection.until))
    context = feed.context
    validator = _digest(repr(versions), window, context)
    body = None if conditional else state.body
    now = utcnow()

    if state.validator == validator and state.verified_at > now - RECHECK:
        if state.used_at < now - USE_STAMP:
            _write(update(FeedCache).where(FeedCache.key == feed.key).values(used_at=now))
        _remember(site, (feed.key, parameters.get("person_scope")), state.etag, state.last_modified)
        return _respond(feed, state.etag, state.last_modified, body)

    if state.validator is None:  # a new feed: judged and counted before any work
        refusal = feed.check() if feed.check else None
        if refusal is not None:
            return refusal
        if not limits.may_render():
            return limits.too_many_renders()
    # Read after the versions: the rows are at least as new as what `validator` names.
    rows = db.session.execute(selection.rows(
        ActivitySession.id, ActivitySession.sequence, Activity.status,
        ActivitySession.updated_at.label("session_changed"), Activity.updated_at.label("activity_changed"))).all()
    # A personal feed also carries the person's agenda items and mentoring meetings: their rows join the fingerprint.
    agenda_rows, meeting_rows = ((agenda_ical.personal_rows(selection.person_id, selection.since, selection.until),
                                  meetings_ical.personal_rows(selection.person_id, selection.since, selection.until))
                                 if selection.personal else ([], []))
    fingerprint = _digest(context, window, repr([tuple(row) for row in rows]), repr(agenda_rows),
                          repr(meeting_rows))
    if state.fingerprint == fingerprint:
        _write(update(FeedCache).where(FeedCache.key == feed.key)
               .values(validator=validator, verified_at=now, used_at=now))
        return _respond(feed, state.etag, state.last_modified, body)

    if state.validator is not None and not limits.may_render():
        return limits.too_many_renders()
    body = render(feed)
    etag = hashlib.sha256(body).hexdigest()[:32]
    if etag == state.etag:
        last_modified = state.last_modified
    else:
        stamps = [stamp for row in rows for stamp in (row.session_changed, row.activity_changed, row.registered_at)]
        stamps += [row[3] for row in meeting_rows]  # each meeting's updated_at
        newest = max(filter(None, stamps), default=None)
        last_modified = next_last_modified(state.last_modified, newest, now)
    values = dict(validator=validator, verified_at=now, fingerprint=fingerprint, etag=etag,
                  last_modified=last_modified, used_at=now, size=len(body), body=body)
    if state.validator is None:
        _write(insert(FeedCache).values(key=feed.key, **values), limits.eviction(now))
    else:
        _write(update(FeedCache).where(FeedCache.key == feed.key).values(**values))
    return _respond(feed, etag, last_modified, body)


def _remember(site: FeedSite, memo: tuple, etag: str, last_modified: datetime) -> None:
    if site.freshness:
        if len(site.recent) >= 1024:
            site.recent.clear()
        site.recent[memo] = (time.monotonic() + site.freshness, etag, last_modified)


def render(feed: Feed) -> bytes:
    """Load the feed's sessions (one query, activities joined in) and build the calendar."""
    statement = feed.selection.rows(ActivitySession).options(contains_eager(ActivitySession.activity))
    entries = []
    for session, state, registered_at, teaching in db.session.execute(statement):
        confirmed = bool(teaching) or state == RegistrationState.CONFIRMED
        entries.append(Entry(session, tentative=not confirmed and state in TENTATIVE_STATES,
                             join_link=feed.personal and confirmed, changed_at=registered_at))
    if not feed.personal:
        return build_calendar(entries, feed.info)
    # A personal feed also carries the person's agenda items and mentoring meetings (two more queries).
    selection, site = feed.selection, feed_site()
    items = agenda_ical.personal_events(selection.person_id, selection.since, selection.until,
                                        host=site.host, wording=feed.info.wording,
                                        activity_url=feed.info.activity_url)
    meetings = meetings_ical.personal_events(
        selection.person_id, selection.since, selection.until, host=site.host, wording=feed.info.wording,
        locale=feed.locale, page=lambda pair_id: site.adapter.build("mentoring_meetings.meetings",
                                                                     {"pair_id": pair_id}, force_external=True))
    return build_calendar(entries, feed.info, [*items, *meetings])


def _write(*statements) -> None:
    """Store in the cache; a failure (another worker storing the same feed) only costs a later render."""
    db.session.commit()  # end the reading transaction, so SQLite takes the write lock afresh
    try:
        for statement in statements:
            db.session.execute(statement)
        db.session.commit()
    except (IntegrityError, OperationalError) as error:
        db.session.rollback()
        log.warning("feed cache not stored: %s", error.__class__.__name__)


def _respond(feed: Feed, etag: str, last_modified: datetime, body: bytes | None) -> Response:
    if not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = Response(status=304, content_type=None)
    else:
        if body is None:
            body = db.session.scalar(select(FeedCache.body).where(FeedCache.key == feed.key))
        if body is None:  # the row was pruned or never stored: rare, and the data is the same
            body = render(feed)
        response = Response(body, content_type="text/calendar; charset=utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{feed.filename}"'
    response.set_etag(etag)
    response.last_modified = last_modified
    # Calendar apps poll hourly; a short max-age lets shared caches (public
    # feeds only) absorb bursts, and revalidation is cheap.
    response.headers["Cache-Control"] = "private, max-age=300" if feed.personal else "public, max-age=900"
    if feed.personal:
        response.headers["X-Robots-Tag"] = "noindex"
    return response
