"""Bounds on what anonymous requests can make a feed do: renders per client, and the cache's size."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import lru_cache

from flask import Response, current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from sqlalchemy import Delete, delete, func, or_, select

from elearn.extensions import limiter
from elearn.feeds.models import FeedCache

log = logging.getLogger(__name__)

# Cache rows not used for this long are dropped whatever the caps.
KEEP = timedelta(days=30)


@lru_cache(maxsize=4)
def _limit(text: str) -> RateLimitItem:
    return parse(text)


def may_render() -> bool:
    """Count one render for this client; False once it is over FEED_RENDER_LIMIT_PER_IP.

    Counted in the rate limiter's storage (Redis in production), so every worker
    and host shares the count. Served copies are never counted. If the storage is
    unreachable the render goes ahead: a cached feed must not fail for it.
    """
    item = _limit(current_app.config["FEED_RENDER_LIMIT_PER_IP"])
    try:
        return limiter.limiter.hit(item, "feed-render", get_remote_address())
    except Exception as error:  # noqa: BLE001 (any storage failure)
        log.warning("feed render limit not checked: %s", error.__class__.__name__)
        return True


def too_many_renders() -> Response:
    response = Response("Too many new feeds from this address; try again in a minute.\n", status=429,
                        mimetype="text/plain")
    response.headers["Retry-After"] = "60"
    return response


def eviction(now: datetime) -> Delete:
    """Drop the rows beyond the caps (rows and bytes, most recently used kept) and those unused for KEEP."""
    config = current_app.config
    order = (FeedCache.used_at.desc(), FeedCache.key)
    ranked = select(FeedCache.key, FeedCache.used_at,
                    func.row_number().over(order_by=order).label("rank"),
                    func.sum(FeedCache.size).over(order_by=order).label("running")).subquery()
    victims = select(ranked.c.key).where(or_(ranked.c.rank > int(config["FEED_CACHE_MAX_ROWS"]),
                                             ranked.c.running > int(config["FEED_CACHE_MAX_BYTES"]),
                                             ranked.c.used_at < now - KEEP))
    return delete(FeedCache).where(FeedCache.key.in_(victims))
