"""What an anonymous client can make the public feed cache hold: canonical keys, a cap, a render limit."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.feeds.models import FeedCache
from elearn.topics import seed_topics
from tests.feeds.helpers import vevents
from tests.helpers import frozen_clock
from tests.scheduling.factories import make_activity


def cache_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(FeedCache))


@pytest.fixture
def bounded(make_app):
    """An app with a small cache and no render limit to speak of, and its client."""
    app = make_app(FEED_CACHE_MAX_ROWS=20, FEED_RENDER_LIMIT_PER_IP="10000 per minute")
    with app.app_context():
        make_activity(title="Budget seminar")
        yield app.test_client()


def test_junk_filter_values_are_refused_and_store_nothing(bounded):
    for number in range(200):
        name = ("topic", "lang", "modality", "audience", "parliament", "programme")[number % 6]
        response = bounded.get(f"/calendar.ics?{name}=junk-{number}%25")
        assert response.status_code == 400, name
    assert cache_rows() == 0


def test_200_distinct_searches_leave_no_more_rows_than_the_cap(bounded):
    for number in range(200):
        assert bounded.get(f"/calendar.ics?q=seminar+{number}").status_code == 200
    assert cache_rows() == 20


def test_the_cap_in_bytes_keeps_the_most_recently_used(make_app):
    app = make_app(FEED_CACHE_MAX_BYTES=5000, FEED_RENDER_LIMIT_PER_IP="10000 per minute")
    with app.app_context():
        make_activity(title="Budget seminar")
        client = app.test_client()
        searches = ["budget", "seminar", "budget seminar", "get sem", "dget", "semi", "bud"]
        sizes = [len(client.get(f"/calendar.ics?q={search}").data) for search in searches]
        assert sum(sizes) > 5000 and max(sizes) < 2500
        held = db.session.scalars(select(FeedCache.size)).all()
        assert 1 <= len(held) < len(searches) and sum(held) <= 5000
        last = client.get("/calendar.ics?q=bud", headers={"If-None-Match": "x"})
        assert last.status_code == 200
        assert db.session.scalar(select(func.max(FeedCache.used_at))) is not None


def test_a_recently_used_feed_outlives_newer_junk(make_app):
    app = make_app(FEED_CACHE_MAX_ROWS=3, FEED_RENDER_LIMIT_PER_IP="10000 per minute")
    with app.app_context():
        make_activity(title="Budget seminar")
        client = app.test_client()
        body = client.get("/calendar.ics").data
        key = db.session.scalar(select(FeedCache.key))
        start = db.session.scalar(select(FeedCache.used_at))
        for hour in range(1, 6):
            with frozen_clock(start + timedelta(hours=2 * hour)):
                assert client.get("/calendar.ics").data == body  # the subscribers keep polling
                client.get(f"/calendar.ics?q=junk{hour}")
        assert cache_rows() == 3
        assert db.session.get(FeedCache, key) is not None


def test_a_percent_sign_or_underscore_matches_itself_only(client):
    make_activity(title="Budget seminar")
    make_activity(title="Rates up 5% in 2027")
    assert client.get("/calendar.ics?lang=%25").status_code == 400
    assert client.get("/calendar.ics?lang=_n").status_code == 400
    titles = {str(e["SUMMARY"]) for e in vevents(client.get("/calendar.ics?q=%25").data)}
    assert titles == {"Rates up 5% in 2027"}
    assert vevents(client.get("/calendar.ics?q=_").data) == []
    assert vevents(client.get("/calendar.ics?q=b%25t").data) == []


def test_the_21st_new_feed_in_a_minute_gets_429_while_cached_ones_still_serve(client):
    seed_topics()
    make_activity(title="Budget seminar")
    cached = client.get("/calendar.ics")
    assert cached.status_code == 200
    for number in range(1, 20):  # 20 renders in all, with the first
        assert client.get(f"/calendar.ics?q=s{number}").status_code == 200, number
    refused = client.get("/calendar.ics?q=one-more")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert "Set-Cookie" not in refused.headers
    # What is cached is still served, whole or as a 304, to this client and to others.
    assert client.get("/calendar.ics").data == cached.data
    assert client.get("/calendar.ics?q=s5").status_code == 200
    assert client.get("/calendar.ics", headers={"If-None-Match": cached.headers["ETag"]}).status_code == 304
    # Another client has its own count.
    other = client.application.test_client()
    assert other.get("/calendar.ics?q=one-more", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200


def test_the_same_filters_in_any_order_or_case_hit_one_row_and_one_render(client, monkeypatch):
    from elearn.feeds import cache

    seed_topics()
    make_activity(title="Budget seminar")
    renders = []
    real = cache.build_calendar
    monkeypatch.setattr(cache, "build_calendar", lambda entries, info: renders.append(1) or real(entries, info))
    bodies = {client.get(url).data for url in (
        "/calendar.ics?lang=fr&topic=budget&q=Budget++Seminar",
        "/calendar.ics?q=budget%20seminar&topic=BUDGET&lang=FR&lang=fr",
        "/calendar.ics?topic=budget&lang=fr&q=%20budget%20seminar%20&locale=en")}
    assert len(bodies) == 1 and renders == [1] and cache_rows() == 1
