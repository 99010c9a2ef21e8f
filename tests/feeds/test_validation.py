"""Independent parsers read every kind of feed: Mozilla's ical.js, vobject, and icalendar itself."""
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from elearn.scheduling.models import ActivitySession, ActivityStatus, RegistrationState
from elearn.scheduling.services import SessionInput
from tests.factories import make_person
from tests.feeds.conftest import UTC, WINTER_2027, edit, register, session_on
from tests.feeds.helpers import icaljs, vobject_validate
from tests.helpers import frozen_clock
from tests.scheduling.factories import make_activity, make_programme

HOST = "hemicycle.test"


@pytest.fixture
def world(app, personal_url):
    """Activities around DST changes in both hemispheres, all-day and UTC ones, and every feed URL."""
    with frozen_clock(WINTER_2027):
        programme = make_programme(slug="west-africa")
        # Paris springs forward on Sunday 28 March 2027: 09:00 is 08:00 UTC before, 07:00 UTC after.
        paris = make_activity(title="Paris, either side of the spring change", timezone="Europe/Paris",
                              programme=programme,
                              sessions=(session_on(date(2027, 3, 26)), session_on(date(2027, 3, 29)),
                                        session_on(date(2027, 10, 29)), session_on(date(2027, 11, 1))))
        # Santiago falls back on Sunday 4 April 2027 and springs forward on Sunday 5 September 2027.
        santiago = make_activity(title="Santiago, both changes", timezone="America/Santiago",
                                 sessions=(session_on(date(2027, 4, 2), 10, 12), session_on(date(2027, 4, 5), 10, 12),
                                           session_on(date(2027, 9, 3), 10, 12), session_on(date(2027, 9, 6), 10, 12)))
        thimphu = make_activity(title="Training period", timezone="Asia/Thimphu", programme=programme, sessions=(
            SessionInput(start_date=date(2027, 5, 3), end_date=date(2027, 5, 14), all_day=True),))
        online = make_activity(title="Live e-learning", timezone="UTC", venue_name="", venue_city="",
                               online_url="https://meet.example.org/live", sessions=(session_on(date(2027, 2, 1), 13, 14),))
        cancelled = make_activity(title="Mission", timezone="America/La_Paz", status=ActivityStatus.CANCELLED,
                                  sessions=(session_on(date(2027, 6, 1)),))
        person = make_person()
        register(paris, person, RegistrationState.CONFIRMED)
        register(online, person, RegistrationState.CONFIRMED)
        register(santiago, person, RegistrationState.WAITLISTED)
        urls = ["/calendar.ics", "/calendar.ics?locale=fr", f"/programmes/{programme.slug}/calendar.ics",
                f"/activities/{paris.id}.ics", f"/activities/{cancelled.id}.ics",
                personal_url(person, include_tentative=True), "/calendar.ics?modality=briefing"]
    return {"urls": urls, "activities": [paris, santiago, thimphu, online, cancelled]}


@pytest.fixture
def bodies(client, world):
    with frozen_clock(WINTER_2027):
        responses = [client.get(url) for url in world["urls"]]
    assert [r.status_code for r in responses] == [200] * len(responses)
    return [r.data for r in responses]


def test_icaljs_reads_every_feed_and_places_every_start_at_the_right_utc_instant(app, world, bodies):
    sessions = {f"session-{s.id}@{HOST}": s for a in world["activities"] for s in a.sessions}
    checked = 0
    for parsed in icaljs(*bodies):
        assert parsed["name"] == parsed["x_wr_calname"]
        for event in parsed["events"]:
            session: ActivitySession = sessions[event["uid"]]
            assert not event["floating"], event
            if session.all_day:
                local_start = session.local_start.date()
                assert event["start_date"] == local_start.isoformat()
                assert event["end_date"] == session.local_end.date().isoformat()
            else:
                assert datetime.fromisoformat(event["start_utc"]) == session.starts_at, event
                assert datetime.fromisoformat(event["end_utc"]) == session.ends_at, event
                assert event["tzid"] in (session.activity.timezone, "UTC")
            checked += 1
    assert checked > 20


def test_the_dst_cases_land_where_a_person_in_that_city_expects(app, world, bodies):
    [parsed] = icaljs(bodies[0])
    starts = {e["summary"]: [] for e in parsed["events"]}
    for event in parsed["events"]:
        starts[event["summary"]].append(event["start_utc"])
    assert starts["Paris, either side of the spring change"][:2] == ["2027-03-26T08:00:00.000Z",
                                                                      "2027-03-29T07:00:00.000Z"]
    assert starts["Paris, either side of the spring change"][2:] == ["2027-10-29T07:00:00.000Z",
                                                                      "2027-11-01T08:00:00.000Z"]
    # 10:00 in Santiago: UTC-3 in summer (until 4 April, from 5 September), UTC-4 in winter.
    assert starts["Santiago, both changes"] == ["2027-04-02T13:00:00.000Z", "2027-04-05T14:00:00.000Z",
                                                "2027-09-03T14:00:00.000Z", "2027-09-06T13:00:00.000Z"]


def test_icaljs_sees_statuses_and_sequences(app, world, bodies):
    personal = icaljs(bodies[5])[0]["events"]
    statuses = {e["summary"]: e["status"] for e in personal}
    assert statuses == {"Paris, either side of the spring change": "CONFIRMED", "Live e-learning": "CONFIRMED",
                        "Santiago, both changes": "TENTATIVE"}
    public = icaljs(bodies[0])[0]["events"]
    assert {e["status"] for e in public if e["summary"].startswith("Cancelled:")} == {"CANCELLED"}
    assert all(e["sequence"] >= 1 for e in public)  # publishing counts as a change


def test_vobject_validates_every_feed_and_writes_back_the_same_events(app, world, bodies):
    for body in bodies:
        calendar = vobject_validate(body)
        for event in calendar.contents.get("vevent", []):
            assert event.dtend.value > event.dtstart.value
        # vobject's own serialisation, read back by icalendar, holds the same events.
        again = {str(e["UID"]): e for e in Calendar.from_ical(calendar.serialize()).walk("VEVENT")}
        original = {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
        assert again.keys() == original.keys()
        for uid, event in original.items():
            for name in ("SUMMARY", "LOCATION", "DESCRIPTION", "STATUS", "SEQUENCE"):
                assert str(again[uid].get(name)) == str(event.get(name)), (uid, name)
            assert again[uid]["DTSTART"].dt == event["DTSTART"].dt


def test_icalendar_reads_back_every_feed_unchanged_with_no_missing_timezone(app, world, bodies):
    for body in bodies:
        calendar = Calendar.from_ical(body)
        assert calendar.to_ical() == body
        assert calendar.get_missing_tzids() == set()
        for event in calendar.walk("VEVENT"):
            start = event["DTSTART"].dt
            assert isinstance(start, date) and (not isinstance(start, datetime) or start.tzinfo is not None)


def test_an_empty_personal_feed_and_an_empty_filter_parse_everywhere(app, client, personal_url):
    bodies = [client.get(personal_url(make_person())).data, client.get("/calendar.ics?modality=briefing").data]
    for body in bodies:
        vobject_validate(body)
        assert Calendar.from_ical(body).to_ical() == body
    assert [parsed["events"] for parsed in icaljs(*bodies)] == [[], []]


def test_a_session_moved_across_a_dst_change_moves_in_icaljs_too(app, client):
    with frozen_clock(WINTER_2027):
        activity = make_activity(timezone="Europe/Paris", sessions=(session_on(date(2027, 3, 26)),))
        before = icaljs(client.get("/calendar.ics").data)[0]["events"][0]
    with frozen_clock(WINTER_2027 + timedelta(minutes=1)):
        edit(activity, sessions=(session_on(date(2027, 3, 29)),))
    with frozen_clock(WINTER_2027 + timedelta(minutes=2)):
        after = icaljs(client.get("/calendar.ics").data)[0]["events"][0]
    assert before["uid"] == after["uid"]
    assert (before["start_utc"], after["start_utc"]) == ("2027-03-26T08:00:00.000Z", "2027-03-29T07:00:00.000Z")
    assert after["sequence"] == before["sequence"] + 1
    assert datetime.fromisoformat(after["start_utc"]) == activity.sessions[0].starts_at.astimezone(UTC)
