"""HTTP: headers, conditional requests, HEAD, and a cache that every worker shares."""
import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from werkzeug.http import http_date, parse_date

from elearn import database
from elearn.database import utcnow
from elearn.extensions import db
from elearn.feeds import cache
from elearn.feeds.models import FeedCache, FeedVersion
from elearn.scheduling import services
from elearn.scheduling.models import Activity, ActivityStatus, Modality, RegistrationState
from elearn.topics import seed_topics
from tests.factories import PASSWORD, make_person
from tests.feeds.conftest import edit, register
from tests.helpers import count_queries, sign_in
from tests.learning.factories import make_course
from tests.scheduling.factories import make_activity, make_programme, one_session


@pytest.fixture
def clock():
    """A frozen clock that tests move forward: `clock.tick(minutes=10)`."""

    class Clock:
        def __init__(self):
            self.now = utcnow().replace(microsecond=0)
            database.frozen_now = self.now

        def tick(self, **delta):
            self.now += timedelta(**delta)
            database.frozen_now = self.now

    previous = database.frozen_now
    yield Clock()
    database.frozen_now = previous


@pytest.fixture
def renders(monkeypatch):
    """Count the renders of a feed (builds of a calendar)."""
    calls = []
    real = cache.build_calendar

    def counting(entries, info):
        calls.append(info.name)
        return real(entries, info)

    monkeypatch.setattr(cache, "build_calendar", counting)
    return calls


def settle(clock):
    """Let some time pass (the cache needs none: its versions change in the same transaction as the data)."""
    clock.tick(minutes=6)


def test_headers_of_a_public_feed(client):
    make_activity()
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="hemicycle.ics"'
    assert response.headers["ETag"] == f'"{hashlib.sha256(response.data).hexdigest()[:32]}"'
    assert parse_date(response.headers["Last-Modified"]) is not None
    assert response.headers["Cache-Control"] == "public, max-age=900"
    assert "Set-Cookie" not in response.headers


def test_programme_and_activity_feeds_have_their_own_file_names(client):
    programme = make_programme(slug="bhutan")
    activity = make_activity(programme=programme)
    assert client.get("/programmes/bhutan/calendar.ics").headers["Content-Disposition"] == \
        'attachment; filename="hemicycle-bhutan.ics"'
    assert client.get(f"/activities/{activity.id}.ics").headers["Content-Disposition"] == \
        f'attachment; filename="activity-{activity.id}.ics"'


def test_last_modified_is_the_newest_change_of_the_feed(client, clock):
    make_activity()
    clock.tick(hours=1)
    newest = make_activity()
    clock.tick(hours=1)
    make_activity(status=ActivityStatus.DRAFT)  # not in the feed: does not count
    clock.tick(hours=1)
    response = client.get("/calendar.ics")
    assert parse_date(response.headers["Last-Modified"]) == newest.updated_at.replace(microsecond=0)


def test_if_none_match_and_if_modified_since_answer_304_without_a_body(client, clock):
    make_activity()
    first = client.get("/calendar.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    for headers in ({"If-None-Match": etag}, {"If-None-Match": f"W/{etag}"}, {"If-Modified-Since": modified},
                    {"If-None-Match": f'"other", {etag}'}):
        response = client.get("/calendar.ics", headers=headers)
        assert response.status_code == 304, headers
        assert response.data == b""
        assert response.headers["ETag"] == etag
        assert response.headers["Cache-Control"] == "public, max-age=900"
    # An old copy, or a date before the change, gets the whole feed.
    assert client.get("/calendar.ics", headers={"If-None-Match": '"stale"'}).data == first.data
    earlier = http_date(parse_date(modified) - timedelta(seconds=1))
    assert client.get("/calendar.ics", headers={"If-Modified-Since": earlier}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110).
    assert client.get("/calendar.ics", headers={"If-None-Match": '"stale"',
                                                "If-Modified-Since": modified}).status_code == 200


def test_head_gives_the_headers_without_the_body(client):
    make_activity()
    full = client.get("/calendar.ics")
    head = client.head("/calendar.ics")
    assert head.status_code == 200 and head.data == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Last-Modified", "Content-Disposition"):
        assert head.headers[name] == full.headers[name], name
    assert client.head("/calendar.ics", headers={"If-None-Match": full.headers["ETag"]}).status_code == 304


def test_a_change_gives_a_new_etag_and_a_later_last_modified(client, clock):
    activity = make_activity()
    first = client.get("/calendar.ics")
    clock.tick(minutes=3)
    edit(activity, venue_name="Room B")
    clock.tick(minutes=1)
    response = client.get("/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert response.status_code == 200
    assert response.headers["ETag"] != first.headers["ETag"]
    assert parse_date(response.headers["Last-Modified"]) > parse_date(first.headers["Last-Modified"])
    assert b"Room B" in response.data


def test_last_modified_never_goes_back_when_an_activity_leaves_the_feed(client, clock):
    older = make_activity()
    clock.tick(hours=1)
    newer = make_activity(title="Newest")
    clock.tick(hours=1)
    first = client.get("/calendar.ics")
    assert parse_date(first.headers["Last-Modified"]) == newer.updated_at.replace(microsecond=0)
    # Back to draft: it leaves the feed, and what remains is older than what was served.
    clock.tick(hours=1)
    services.set_status(newer, ActivityStatus.DRAFT)
    clock.tick(minutes=1)
    after = client.get("/calendar.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert after.status_code == 200 and b"Newest" not in after.data
    assert parse_date(after.headers["Last-Modified"]) > parse_date(first.headers["Last-Modified"])
    assert parse_date(after.headers["Last-Modified"]) > older.updated_at


def test_sessions_age_out_of_the_window_and_last_modified_still_moves_forward(client, clock):
    make_activity(sessions=one_session(days_ahead=2))
    make_activity(title="Later", sessions=one_session(days_ahead=200))
    first = client.get("/calendar.ics")
    assert first.data.count(b"BEGIN:VEVENT") == 2
    clock.tick(days=95)  # the first session ended more than 90 days ago
    later = client.get("/calendar.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert later.status_code == 200 and later.data.count(b"BEGIN:VEVENT") == 1
    assert parse_date(later.headers["Last-Modified"]) > parse_date(first.headers["Last-Modified"])


def test_a_304_costs_one_small_query_and_no_render(client, clock, renders):
    for _ in range(5):
        make_activity()
    etag = client.get("/calendar.ics").headers["ETag"]
    del renders[:]
    with count_queries() as counter:
        response = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert counter.count == 1, counter.statements
    assert "feed_cache" in counter.statements[0] and "feed_version" in counter.statements[0]
    assert renders == []
    with count_queries() as counter:
        response = client.get("/calendar.ics")
    assert response.status_code == 200 and counter.count == 1  # the stored body comes with the check


def test_a_change_elsewhere_costs_a_check_not_a_render(client, clock, renders):
    make_activity(modality=Modality.SEMINAR)
    briefing = make_activity(modality=Modality.BRIEFING, title="A briefing")
    etag = client.get("/calendar.ics?modality=seminar").headers["ETag"]
    settle(clock)
    edit(briefing, venue_name="Elsewhere")  # not in the seminar feed
    settle(clock)
    del renders[:]
    response = client.get("/calendar.ics?modality=seminar", headers={"If-None-Match": etag})
    assert response.status_code == 304 and renders == []
    register(briefing, make_person(), RegistrationState.CONFIRMED)  # registrations never touch public feeds
    with count_queries() as counter:
        assert client.get("/calendar.ics?modality=seminar", headers={"If-None-Match": etag}).status_code == 304
    assert counter.count == 1


def test_in_the_minutes_after_an_unrelated_change_a_304_is_still_one_query(client, clock, renders):
    seminar = make_activity(modality=Modality.SEMINAR)
    briefing = make_activity(modality=Modality.BRIEFING, title="A briefing")
    draft = make_activity(status=ActivityStatus.DRAFT, title="Not yet")
    feeds = {url: client.get(url).headers["ETag"] for url in ("/calendar.ics?modality=seminar", "/calendar.ics",
                                                             f"/activities/{seminar.id}.ics")}
    clock.tick(seconds=30)
    edit(draft, venue_name="Room C")  # in no feed: bumps nothing
    clock.tick(seconds=30)
    del renders[:]
    for url, etag in feeds.items():
        with count_queries() as counter:
            assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        # The freshness check alone (the activity feed looks its activity up first): no session is read.
        assert counter.count == (2 if url.startswith("/activities/") else 1), (url, counter.statements)
        assert not any("activity_session" in statement for statement in counter.statements), url
    edit(briefing, venue_name="Elsewhere")  # a published activity outside the seminar feed
    clock.tick(seconds=30)
    with count_queries() as first:  # one check of the feed's rows, then trusted again
        assert client.get("/calendar.ics?modality=seminar",
                          headers={"If-None-Match": feeds["/calendar.ics?modality=seminar"]}).status_code == 304
    assert first.count > 1
    for _ in range(3):
        clock.tick(seconds=20)
        with count_queries() as counter:
            assert client.get("/calendar.ics?modality=seminar",
                              headers={"If-None-Match": feeds["/calendar.ics?modality=seminar"]}).status_code == 304
        assert counter.count == 1, counter.statements
    assert renders == []
    # The whole calendar holds the briefing: it changes at once, no waiting.
    response = client.get("/calendar.ics", headers={"If-None-Match": feeds["/calendar.ics"]})
    assert response.status_code == 200 and b"Elsewhere" in response.data


def test_a_registration_changes_only_its_person_s_versions(client, clock, personal_url):
    activity = make_activity()
    learner, other = make_person(), make_person()
    register(activity, learner, RegistrationState.CONFIRMED)
    url, other_url = personal_url(learner), personal_url(other)
    etags = {u: client.get(u).headers["ETag"] for u in (url, other_url, "/calendar.ics")}
    register(activity, other, RegistrationState.CONFIRMED)
    for unchanged in (url, "/calendar.ics"):
        with count_queries() as counter:
            assert client.get(unchanged, headers={"If-None-Match": etags[unchanged]}).status_code == 304
        # The freshness check alone (a personal feed looks its address up first): no session is read.
        assert not any("activity_session" in statement for statement in counter.statements), unchanged
    assert client.get(other_url, headers={"If-None-Match": etags[other_url]}).status_code == 200


def test_a_change_made_with_a_bulk_statement_is_seen(client, clock):
    activity = make_activity(title="Before")
    etag = client.get("/calendar.ics").headers["ETag"]
    clock.tick(seconds=1)
    db.session.execute(update(Activity).where(Activity.id == activity.id).values(title="After", updated_at=utcnow()))
    db.session.commit()
    response = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert response.status_code == 200 and b"After" in response.data


def test_the_cache_is_in_the_database_and_shared_by_workers(client, make_app, clock, renders):
    make_activity()
    body = client.get("/calendar.ics").data
    settle(clock)
    assert client.get("/calendar.ics").data == body
    assert db.session.scalar(select(func.count()).select_from(FeedCache)) == 1
    del renders[:]
    other_worker = make_app().test_client()
    response = other_worker.get("/calendar.ics")
    assert response.data == body and renders == []


def test_equal_filters_in_any_order_share_one_cache_row(client):
    seed_topics()
    make_activity()
    for url in ("/calendar.ics?modality=seminar&topic=budget&topic=archives",
                "/calendar.ics?topic=archives&modality=seminar&topic=budget&topic=archives",
                "/calendar.ics?topic=Archives&unknown=1&modality=SEMINAR&topic=budget&q=",
                "/calendar.ics?modality=seminar&topic=budget&topic=archives&locale=xx"):
        assert client.get(url).status_code == 200, url
    assert db.session.scalar(select(func.count()).select_from(FeedCache)) == 1


def test_query_count_does_not_grow_with_the_number_of_events(client, clock):
    def queries_for(count):
        db.session.execute(FeedCache.__table__.delete())
        db.session.commit()
        for _ in range(count):
            make_activity(sessions=one_session(days_ahead=10) + one_session(days_ahead=11))
        clock.tick(minutes=1)
        with count_queries() as cold:
            assert client.get("/calendar.ics").status_code == 200
        settle(clock)
        with count_queries() as warm:
            etag = client.get("/calendar.ics").headers["ETag"]
        with count_queries() as revalidation:
            assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 304
        return cold.count, warm.count, revalidation.count

    small, large = queries_for(2), queries_for(40)
    assert small == large, (small, large)
    assert large[2] == 1


def test_unknown_programme_and_draft_activity_are_plain_404s(client):
    draft = make_activity(status=ActivityStatus.DRAFT)
    for url in ("/programmes/nowhere/calendar.ics", f"/activities/{draft.id}.ics", "/activities/999999.ics"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.mimetype == "text/plain"
        assert "Set-Cookie" not in response.headers


def every_feed(app, person, personal_url) -> list[str]:
    """One URL for each feed route the app has (a new feed route fails here until it is added)."""
    programme = make_programme(slug="bhutan")
    course = make_course(lessons=1)
    activity = make_activity(programme=programme, course_id=course.id)
    urls = {"/calendar.ics": "/calendar.ics?lang=fr&locale=fr",
            "/programmes/<slug>/calendar.ics": "/programmes/bhutan/calendar.ics",
            "/courses/<slug>/calendar.ics": f"/courses/{course.slug}/calendar.ics",
            "/activities/<int:activity_id>.ics": f"/activities/{activity.id}.ics",
            "/feeds/<token>.ics": personal_url(person)}
    assert {rule.rule for rule in app.url_map.iter_rules() if rule.rule.endswith(".ics")} == set(urls)
    return list(urls.values())


def test_feeds_never_set_a_cookie_even_when_the_session_is_due_for_a_refresh(app, people, login_as, personal_url):
    browser = login_as("learner")
    feeds = every_feed(app, people["learner"], personal_url)
    with browser.session_transaction() as session:
        session["seen_at"] -= 120  # the session's once-a-minute refresh is due
    for url in feeds:
        fresh = browser.get(url)
        assert fresh.status_code == 200 and fresh.mimetype == "text/calendar", url
        revalidated = browser.get(url, headers={"If-None-Match": fresh.headers["ETag"]})
        assert revalidated.status_code == 304, url
        head = browser.head(url)
        for response in (fresh, revalidated, head):
            assert "Set-Cookie" not in response.headers, (url, response.status_code)
    for missing in ("/programmes/nowhere/calendar.ics", "/feeds/not-a-token.ics", "/activities/999999.ics"):
        assert "Set-Cookie" not in browser.get(missing).headers, missing
    # The refresh was indeed due: the first page the browser opens does it.
    assert "session=" in browser.get("/my/schedule").headers.get("Set-Cookie", "")


def test_a_browser_remembered_but_without_a_session_gets_no_cookie_from_a_feed(app, people, personal_url):
    signing_in = app.test_client()
    sign_in(signing_in, "learner@example.org", PASSWORD, remember=True)
    remembered = app.test_client()
    remembered.set_cookie("device_token", signing_in.get_cookie("device_token").value)
    for url in every_feed(app, people["learner"], personal_url):
        response = remembered.get(url)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers, url


def test_a_change_rolled_back_bumps_nothing_and_one_kept_past_a_savepoint_does(client):
    activity = make_activity(title="Before")
    etag = client.get("/calendar.ics").headers["ETag"]
    versions = db.session.execute(select(FeedVersion.scope, FeedVersion.version)).all()
    activity.title = "Never saved"
    db.session.flush()
    db.session.rollback()
    assert db.session.execute(select(FeedVersion.scope, FeedVersion.version)).all() == versions
    assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 304
    activity.title, activity.updated_at = "After", utcnow() + timedelta(seconds=1)
    db.session.flush()
    with db.session.begin_nested():
        db.session.execute(update(Activity).where(Activity.id == -1).values(title="no row"))
    savepoint = db.session.begin_nested()
    savepoint.rollback()
    db.session.commit()
    response = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert response.status_code == 200 and b"After" in response.data
