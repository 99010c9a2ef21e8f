"""Serve a feed cheaply: answer from the database cache when nothing changed, render when something did.

Three paths, from cheapest to dearest:

1. One query reads the newest change time (an index lookup per table) and the
   feed's cache row. If the row was checked against that same state, long
   enough after it (see MARGIN), the answer comes from the row: a 304, or the
   stored body. Nothing is rendered and nothing is written.
2. Something changed somewhere: one more query reads the feed's rows (ids,
   sequences, statuses, change times) and hashes them. If the hash is the stored one, the
   change did not concern this feed; the row is marked checked.
3. The feed changed: load its sessions, render, store body, ETag (a hash of the
   body) and Last-Modified (never earlier than the last one served).

The cache lives in the database (`feed_cache`), so every worker shares it.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from flask import Response, current_app, request
from sqlalchemy import Engine, Select, bindparam, delete, insert, literal, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import contains_eager
from werkzeug.http import is_resource_modified
from werkzeug.routing import MapAdapter

from elearn.database import utcnow
from elearn.extensions import db
from elearn.feeds.models import FeedCache
from elearn.feeds.queries import TENTATIVE_STATES, Selection, clock_parts
from elearn.scheduling.ical import Entry, FeedInfo, build_calendar, renderer_version
from elearn.scheduling.models import Activity, ActivitySession, RegistrationState

log = logging.getLogger(__name__)

# A change is stamped with updated_at before its transaction commits, and the
# workers' clocks may differ a little: for this long after the newest stamp a
# feed is re-checked on every request (path 2) rather than trusted (path 1),
# so a slow transaction that commits an "older" stamp is still noticed.
MARGIN = timedelta(minutes=5)
# Cache rows not checked for this long are dropped when a new feed is stored.
KEEP = timedelta(days=30)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class FeedSite:
    """What every feed request needs from the app's set-up, worked out once per app."""

    url: str                  # SITE_URL
    host: str                 # its host name, part of every UID
    adapter: MapAdapter       # builds absolute links to pages
    engine: Engine


def feed_site() -> FeedSite:
    app = current_app._get_current_object()
    site = app.extensions.get("hemicycle.feed_site")
    if site is None:
        url = app.config["SITE_URL"]
        parts = urlsplit(url)
        adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
        site = FeedSite(url=url, host=parts.hostname or "hemicycle.localhost", adapter=adapter, engine=db.engine)
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

    @cached_property
    def key(self) -> str:
        return cache_key(self.identity)

    def context(self) -> str:
        """Everything besides the rows that the body depends on."""
        wording = self.info.wording
        return "\x1f".join([renderer_version(), feed_site().url, self.info.name, self.info.description,
                            wording.cancelled_prefix, wording.online, wording.join, wording.link_for_confirmed,
                            wording.details, self.options])


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


@lru_cache(maxsize=4)
def freshness_statement(personal: bool, with_body: bool) -> Select:
    """The one query of path 1: the newest change time and the feed's cache row.

    Built once per process (only the statement; the data is read every time):
    constructing it would cost more than running it.
    """
    one = select(literal(1).label("one")).subquery()
    columns = [FeedCache.validator, FeedCache.verified_at, FeedCache.fingerprint, FeedCache.etag,
               FeedCache.last_modified]
    if with_body:
        columns.append(FeedCache.body)
    cache_row = one.outerjoin(FeedCache, FeedCache.key == bindparam("key"))
    return select(*clock_parts(personal), *columns).select_from(cache_row)


def serve(feed: Feed) -> Response:
    selection = feed.selection
    # A plain GET from a warm cache then needs no second query for the body.
    conditional = "HTTP_IF_NONE_MATCH" in request.environ or "HTTP_IF_MODIFIED_SINCE" in request.environ
    # Straight from the pool rather than through the ORM session: at this size
    # the session's set-up and tear-down would cost more than the query.
    with feed_site().engine.connect() as connection:
        state = connection.execute(freshness_statement(selection.personal, not conditional),
                                   {"key": feed.key, "person_id": selection.person_id}).one()
    clock_columns = 3 if selection.personal else 2  # the row starts with clock_parts()
    clock = max(filter(None, state[:clock_columns]), default=EPOCH)
    since = selection.since.date().isoformat() if selection.since else ""
    context = feed.context()
    validator = _digest(clock.isoformat(), since, context)
    body = None if conditional else state.body
    now = utcnow()

    if state.validator == validator and state.verified_at >= clock + MARGIN:
        return _respond(feed, state.etag, state.last_modified, body)

    settled = now >= clock + MARGIN
    rows = db.session.execute(selection.rows(
        ActivitySession.id, ActivitySession.sequence, Activity.status,
        ActivitySession.updated_at.label("session_changed"), Activity.updated_at.label("activity_changed"))).all()
    fingerprint = _digest(context, since, repr([tuple(row) for row in rows]))
    if state.fingerprint == fingerprint:
        if settled:
            _write(update(FeedCache).where(FeedCache.key == feed.key).values(validator=validator, verified_at=now))
        return _respond(feed, state.etag, state.last_modified, body)

    body = render(feed)
    etag = hashlib.sha256(body).hexdigest()[:32]
    if etag == state.etag:
        last_modified = state.last_modified
    else:
        stamps = (stamp for row in rows for stamp in (row.session_changed, row.activity_changed, row.registered_at))
        newest = max(filter(None, stamps), default=None)
        last_modified = next_last_modified(state.last_modified, newest, now)
    values = dict(validator=validator, verified_at=now, fingerprint=fingerprint, etag=etag,
                  last_modified=last_modified, body=body)
    if state.validator is None:
        _write(delete(FeedCache).where(FeedCache.verified_at < now - KEEP),
               insert(FeedCache).values(key=feed.key, **values))
    else:
        _write(update(FeedCache).where(FeedCache.key == feed.key).values(**values))
    return _respond(feed, etag, last_modified, body)


def render(feed: Feed) -> bytes:
    """Load the feed's sessions (one query, activities joined in) and build the calendar."""
    statement = feed.selection.rows(ActivitySession).options(contains_eager(ActivitySession.activity))
    entries = []
    for session, state, registered_at, teaching in db.session.execute(statement):
        confirmed = bool(teaching) or state == RegistrationState.CONFIRMED
        entries.append(Entry(session, tentative=not confirmed and state in TENTATIVE_STATES,
                             join_link=feed.personal and confirmed, changed_at=registered_at))
    return build_calendar(entries, feed.info)


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
