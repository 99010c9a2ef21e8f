"""What the public feeds hold: filters, the time window, statuses, programmes; and the calendar page."""
import re
from datetime import timedelta
from html import unescape

import pytest
from icalendar import Calendar

from elearn.database import utcnow
from elearn.extensions import db
from elearn.scheduling.models import ActivityStatus, Audience, Modality
from elearn.topics import Topic, seed_topics
from tests.factories import make_parliament
from tests.feeds.helpers import vevents
from tests.helpers import frozen_clock, text
from tests.scheduling.factories import make_activity, make_programme, one_session


def titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return sorted({str(e["SUMMARY"]) for e in vevents(response.data)})


@pytest.fixture
def catalogue(app):
    seed_topics()
    topic = {t.slug: t.id for t in db.session.query(Topic)}
    gambia = make_parliament(name_en="National Assembly of The Gambia", country_code="GM")
    bhutan = make_parliament(name_en="Parliament of Bhutan", country_code="BT")
    programme = make_programme(slug="west-africa")
    make_activity(title="Seminar on budget", modality=Modality.SEMINAR, topic_ids=(topic["budget"],),
                  languages=("fr",), audience=Audience.MPS, host_parliament_id=gambia.id, programme=programme)
    make_activity(title="Workshop on archives", modality=Modality.TRAINING_WORKSHOP, topic_ids=(topic["archives"],),
                  languages=("en",), audience=Audience.STAFF, invited_parliament_ids=(bhutan.id,))
    make_activity(title="Briefing for everyone", modality=Modality.BRIEFING, topic_ids=(topic["budget"],),
                  languages=("en", "fr"), audience=Audience.BOTH, programme=programme)
    return {"gambia": gambia.id, "bhutan": bhutan.id}


@pytest.mark.parametrize("query, expected", [
    ("", ["Briefing for everyone", "Seminar on budget", "Workshop on archives"]),
    ("modality=seminar", ["Seminar on budget"]),
    ("modality=seminar&modality=training_workshop", ["Seminar on budget", "Workshop on archives"]),
    ("topic=budget", ["Briefing for everyone", "Seminar on budget"]),
    ("topic=archives&topic=budget", ["Briefing for everyone", "Seminar on budget", "Workshop on archives"]),
    ("lang=fr", ["Briefing for everyone", "Seminar on budget"]),
    ("lang=en&lang=fr", ["Briefing for everyone", "Seminar on budget", "Workshop on archives"]),
    ("programme=west-africa", ["Briefing for everyone", "Seminar on budget"]),
    ("audience=staff", ["Briefing for everyone", "Workshop on archives"]),  # "both" suits either
    ("audience=mps&audience=staff", ["Briefing for everyone", "Seminar on budget", "Workshop on archives"]),
    ("topic=budget&lang=en", ["Briefing for everyone"]),  # groups combine with AND
    ("lang=FR&topic=Budget", ["Briefing for everyone", "Seminar on budget"]),  # case does not matter
])
def test_filters_take_several_values(client, catalogue, query, expected):
    assert titles(client, f"/calendar.ics?{query}") == expected


@pytest.mark.parametrize("query, named", [
    ("modality=not-a-modality", "modality"),
    ("topic=no-such-topic", "topic"),
    ("programme=nowhere", "programme"),
    ("parliament=999999", "parliament"),
    ("parliament=2147483648", "parliament"),
    ("lang=%25", "lang"),
    ("audience=everyone", "audience"),
])
def test_a_filter_value_that_names_nothing_is_refused(client, catalogue, query, named):
    response = client.get(f"/calendar.ics?{query}")
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert f"Unknown {named}" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_parliament_filter_matches_host_or_invited(client, catalogue):
    assert titles(client, f"/calendar.ics?parliament={catalogue['gambia']}") == ["Seminar on budget"]
    assert titles(client, f"/calendar.ics?parliament={catalogue['bhutan']}") == ["Workshop on archives"]
    both = f"/calendar.ics?parliament={catalogue['gambia']}&parliament={catalogue['bhutan']}"
    assert titles(client, both) == ["Seminar on budget", "Workshop on archives"]


def test_a_filtered_feed_says_so_in_its_name(client, catalogue):
    body = client.get("/calendar.ics?modality=seminar").data
    assert b"X-WR-CALNAME:Hemicycle activities (selection)" in body


def test_the_next_year_and_the_last_90_days_published_cancelled_completed_never_drafts(client):
    make_activity(title="Published")
    make_activity(title="Draft", status=ActivityStatus.DRAFT)
    make_activity(title="Cancelled", status=ActivityStatus.CANCELLED)
    make_activity(title="Next year", sessions=one_session(days_ahead=360))
    make_activity(title="Beyond a year", sessions=one_session(days_ahead=400))
    with frozen_clock(utcnow() - timedelta(days=80)):
        make_activity(title="Done 80 days ago", sessions=one_session(days_ahead=0), status=ActivityStatus.COMPLETED)
    with frozen_clock(utcnow() - timedelta(days=100)):
        make_activity(title="Done 100 days ago", sessions=one_session(days_ahead=0), status=ActivityStatus.COMPLETED)
    assert titles(client, "/calendar.ics") == ["Cancelled: Cancelled", "Done 80 days ago", "Next year", "Published"]
    description = vevents_calendar_description(client.get("/calendar.ics").data)
    assert "the next 365 days and the last 90 days" in description


def vevents_calendar_description(body: bytes) -> str:
    return str(Calendar.from_ical(body).get("X-WR-CALDESC") or Calendar.from_ical(body).get("DESCRIPTION"))


def test_the_window_is_configurable(make_app):
    app = make_app(FEED_PAST_DAYS=30, FEED_FUTURE_DAYS=0)
    with app.app_context():
        make_activity(title="Beyond a year", sessions=one_session(days_ahead=400))
        with frozen_clock(utcnow() - timedelta(days=40)):
            make_activity(title="Done 40 days ago", sessions=one_session(days_ahead=0),
                          status=ActivityStatus.COMPLETED)
        client = app.test_client()
        assert titles(client, "/calendar.ics") == ["Beyond a year"]
        assert "what is coming and the last 30 days" in vevents_calendar_description(client.get("/calendar.ics").data)


def test_the_programme_feed_holds_its_activities_only(client):
    programme = make_programme(slug="bhutan-bilateral", title="Bilateral cooperation with Bhutan")
    make_activity(title="In the programme", programme=programme)
    make_activity(title="Elsewhere")
    response = client.get("/programmes/bhutan-bilateral/calendar.ics")
    assert sorted(str(e["SUMMARY"]) for e in vevents(response.data)) == ["In the programme"]
    assert b"X-WR-CALNAME:Hemicycle: Bilateral cooperation with Bhutan" in response.data


def test_the_programme_feed_follows_a_new_title(client):
    programme = make_programme(slug="p", title="Old title")
    make_activity(programme=programme)
    assert b"Old title" in client.get("/programmes/p/calendar.ics").data
    programme.title = "New title"
    db.session.commit()
    assert b"New title" in client.get("/programmes/p/calendar.ics").data


def test_the_activity_feed_holds_every_session_of_the_activity(client):
    with frozen_clock(utcnow() - timedelta(days=200)):
        old = make_activity(title="Long ago", sessions=one_session(days_ahead=1), status=ActivityStatus.COMPLETED)
    other = make_activity(title="Other")
    assert titles(client, f"/activities/{old.id}.ics") == ["Long ago"]  # no 90-day window for one activity
    assert titles(client, f"/activities/{other.id}.ics") == ["Other"]


# The calendar page ---------------------------------------------------------------

def addresses(page):
    return {unescape(m) for m in re.findall(r'class="feed-url" value="([^"]+)"', page)}


def test_the_calendar_page_builds_the_feed_address_with_a_plain_get_form(client, catalogue):
    page = text(client.get("/calendar"))
    assert addresses(page) == {"http://hemicycle.test/calendar.ics", "webcal://hemicycle.test/calendar.ics"}
    form = re.search(r'<form method="get" action="/calendar"', page)
    assert form, "a GET form that works without JavaScript"
    for name in ("modality", "topic", "lang", "parliament", "programme", "audience"):
        assert f'type="checkbox" name="{name}"' in page, name
    page = text(client.get("/calendar?modality=seminar&modality=briefing&topic=budget&lang=fr"
                           f"&parliament={catalogue['gambia']}&programme=west-africa&audience=mps"))
    query = (f"modality=briefing&modality=seminar&topic=budget&lang=fr&parliament={catalogue['gambia']}"
             "&programme=west-africa&audience=mps")
    assert addresses(page) == {f"http://hemicycle.test/calendar.ics?{query}",
                               f"webcal://hemicycle.test/calendar.ics?{query}"}
    assert 'value="seminar" checked' in page and 'value="budget" checked' in page
    assert f'href="webcal://hemicycle.test/calendar.ics?{query.replace("&", "&amp;")}"' in page
    assert "it holds 1 session now" in page
    # The address it shows is a working feed with those filters.
    assert titles(client, f"/calendar.ics?{query}") == ["Seminar on budget"]


def test_the_calendar_page_offers_the_feed_in_the_reader_s_language(client, catalogue):
    page = text(client.get("/calendar", headers={"Accept-Language": "fr"}))
    assert "http://hemicycle.test/calendar.ics?locale=fr" in addresses(page)
    page = text(client.get("/calendar?locale=en", headers={"Accept-Language": "fr"}))
    assert "http://hemicycle.test/calendar.ics" in addresses(page)


def test_the_calendar_page_lists_programme_feeds_and_the_personal_page(client, catalogue, login_as):
    page = text(client.get("/calendar"))
    assert 'href="/programmes/west-africa/calendar.ics"' in page
    assert "Sign in to get a private address" in page
    page = text(login_as("learner").get("/calendar"))
    assert 'href="/my/calendar"' in page


def test_navigation_and_activity_page_link_to_the_feeds(client, login_as):
    programme = make_programme(slug="west-africa")
    activity = make_activity(programme=programme)
    page = text(client.get(f"/activities/{activity.id}"))
    assert 'href="/calendar"' in page  # in the navigation, for everyone
    assert 'href="/programmes/west-africa/calendar.ics?locale=en"' in page
    assert f'href="/activities/{activity.id}.ics?locale=en"' in page
    assert 'href="/my/calendar"' in text(login_as("learner").get("/dashboard"))
