"""The correctness checklist of the feeds, one test per line, on the public feeds."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from icalendar import Calendar
from sqlalchemy import delete

from elearn.extensions import db
from elearn.feeds.models import FeedCache
from elearn.scheduling import services
from elearn.scheduling.errors import SchedulingError
from elearn.scheduling.models import ActivityStatus, RegistrationState
from elearn.scheduling.services import SessionInput
from tests.factories import make_person
from tests.feeds.conftest import edit, register, session_on
from tests.feeds.helpers import by_uid, icaljs, lines, values, vevents, vobject_validate
from tests.helpers import frozen_clock
from tests.scheduling.factories import make_activity, one_session

HOST = "hemicycle.test"  # from SITE_URL in the test configuration
UTC = timezone.utc


def feed(client, url="/calendar.ics") -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.data


def fresh_render(client, url="/calendar.ics") -> bytes:
    """Render again from the data, not from the cache."""
    db.session.execute(delete(FeedCache))
    db.session.commit()
    return feed(client, url)


def test_every_line_ends_with_crlf(client):
    make_activity(description_md="First line\nsecond line\r\nthird line")
    body = feed(client)
    assert body.endswith(b"\r\n")
    assert body.count(b"\n") == body.count(b"\r\n")
    assert b"\r\r" not in body


def test_long_lines_fold_at_75_octets_without_splitting_a_utf8_character(client):
    title = "Séminaire régional 🏛️ النظام الداخلي للبرلمان " * 4
    make_activity(title=title, venue_name="Assemblée nationale — salle Colbert, 126 rue de l'Université " * 2)
    body = feed(client)
    physical = body.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    assert any(len(line) >= 70 for line in physical)  # folding did happen
    for line in physical:
        line.decode("utf-8")  # each folded piece is whole UTF-8: no character cut in two
    assert str(vevents(body)[0]["SUMMARY"]) == title.strip()


def test_one_version_one_prodid_and_no_method(client):
    make_activity()
    body = feed(client)
    assert values(body, "VERSION") == ["2.0"]
    assert len(values(body, "PRODID")) == 1
    assert values(body, "METHOD") == []  # a published feed, not a scheduling message


def test_public_feeds_carry_no_attendee_and_no_personal_data(client):
    trainer = make_person(full_name="Aminata Trainer", email="aminata@example.org")
    learner = make_person(full_name="Karim Learner", email="karim@example.org")
    activity = make_activity(trainer_ids=(trainer.id,), online_url="https://meet.example.org/secret-room")
    register(activity, learner, RegistrationState.CONFIRMED)
    for url in ("/calendar.ics", f"/activities/{activity.id}.ics",):
        body = feed(client, url)
        assert values(body, "ATTENDEE") == [] and values(body, "ORGANIZER") == []
        for private in (b"Aminata", b"aminata@", b"Karim", b"karim@", b"secret-room"):
            assert private not in body, private


def test_no_alarms(client):
    make_activity()
    assert b"BEGIN:VALARM" not in feed(client)


def test_name_and_x_wr_calname_are_the_same_and_there_is_a_description(client):
    make_activity()
    body = feed(client)
    assert values(body, "NAME") == values(body, "X-WR-CALNAME") == ["Hemicycle activities"]
    assert values(body, "X-WR-CALDESC") and values(body, "X-WR-CALDESC")[0].startswith("Seminars")


def test_refresh_interval_and_published_ttl_are_one_hour(client):
    make_activity()
    feed_lines = lines(feed(client))
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in feed_lines
    assert "X-PUBLISHED-TTL:PT1H" in feed_lines


def test_one_event_per_session_with_a_uid_from_the_session_and_the_site(client):
    first = make_activity(sessions=(session_on(date.today() + timedelta(days=10)),
                                    session_on(date.today() + timedelta(days=11)),
                                    session_on(date.today() + timedelta(days=12))))
    second = make_activity()
    body = feed(client)
    expected = {f"session-{s.id}@{HOST}" for s in first.sessions + second.sessions}
    assert values(body, "UID") and set(values(body, "UID")) == expected
    assert len(values(body, "UID")) == 4


def test_uids_survive_edits_and_redeployments(client, make_app):
    activity = make_activity()
    before = values(feed(client), "UID")
    edit(activity, title="Renamed", venue_name="Room B", sessions=one_session(days_ahead=30))
    assert values(feed(client), "UID") == before
    other_process = make_app().test_client()  # another worker, or the next deployment
    assert values(other_process.get("/calendar.ics").data, "UID") == before


def test_two_renders_of_unchanged_data_are_byte_identical(client, make_app):
    make_activity(timezone="America/Santiago")
    make_activity(timezone="Europe/Paris", sessions=one_session(all_day=True, length_days=3))
    make_activity(timezone="Asia/Thimphu", status=ActivityStatus.CANCELLED)
    first = fresh_render(client)
    second = fresh_render(client)
    assert first == second
    db.session.execute(delete(FeedCache))
    db.session.commit()
    with frozen_clock(datetime.now().astimezone() + timedelta(hours=5)):  # later, in another process
        third = make_app().test_client().get("/calendar.ics").data
    assert third == first
    assert values(first, "TZID") == ["America/Santiago", "Asia/Thimphu"]  # a fixed order; all-day needs none


def test_dtstamp_and_last_modified_come_from_the_data(client):
    activity = make_activity()
    body = feed(client)
    stamp = max(activity.updated_at, activity.sessions[0].updated_at).strftime("%Y%m%dT%H%M%SZ")
    assert values(body, "DTSTAMP") == values(body, "LAST-MODIFIED") == [stamp]


def test_sequence_grows_when_time_place_or_status_changes(client):
    activity = make_activity()
    uid = f"session-{activity.sessions[0].id}@{HOST}"

    def sequence():
        return int(by_uid(feed(client))[uid]["SEQUENCE"])

    start = sequence()
    edit(activity, sessions=one_session(start=time(10)))
    assert sequence() == start + 1
    edit(activity, venue_name="Room B")
    assert sequence() == start + 2
    services.set_status(activity, ActivityStatus.CANCELLED)
    assert sequence() == start + 3
    stamp_before = by_uid(feed(client))[uid]["DTSTAMP"].dt
    edit(activity, description_md="Only the description changes.")
    assert sequence() == start + 3  # not a change of time, place or status
    assert by_uid(feed(client))[uid]["DTSTAMP"].dt >= stamp_before


def test_every_tzid_has_a_vtimezone_and_no_time_is_floating(client):
    for zone in ("Europe/Paris", "America/Santiago", "Asia/Thimphu", "Africa/Banjul", "UTC"):
        make_activity(timezone=zone)
    body = feed(client)
    calendar = Calendar.from_ical(body)
    assert calendar.get_missing_tzids() == set()
    # Zones always at UTC+0 (Banjul, UTC) are written as UTC times ("Z") and need none.
    assert values(body, "TZID") == ["America/Santiago", "Asia/Thimphu", "Europe/Paris"]
    in_event = False
    for line in lines(body):
        in_event = (in_event or line == "BEGIN:VEVENT") and line != "END:VEVENT"
        if in_event and line.startswith(("DTSTART", "DTEND")):
            assert ";TZID=" in line or line.endswith("Z") or ";VALUE=DATE:" in line, line


def test_dtend_is_after_dtstart(client):
    make_activity(sessions=(session_on(date.today() + timedelta(days=5), 9, 10),))
    make_activity(sessions=one_session(all_day=True))
    for event in vevents(feed(client)):
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert end > start


def test_all_day_sessions_are_dates_with_an_exclusive_end(client):
    first = date.today() + timedelta(days=40)
    make_activity(timezone="Asia/Thimphu",
                  sessions=(SessionInput(start_date=first, end_date=first + timedelta(days=2), all_day=True),))
    feed_lines = lines(feed(client))
    assert f"DTSTART;VALUE=DATE:{first:%Y%m%d}" in feed_lines
    assert f"DTEND;VALUE=DATE:{first + timedelta(days=3):%Y%m%d}" in feed_lines  # the day after the last


def test_cancelled_activities_stay_with_status_cancelled_and_say_so(client):
    activity = make_activity(title="Budget seminar")
    uid = f"session-{activity.sessions[0].id}@{HOST}"
    assert str(by_uid(feed(client))[uid]["STATUS"]) == "CONFIRMED"
    services.set_status(activity, ActivityStatus.CANCELLED)
    event = by_uid(feed(client))[uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Cancelled: Budget seminar"


def test_location_comes_from_the_venue_and_the_description_links_back(client):
    activity = make_activity(venue_name="Salle Colbert", venue_address="126 rue de l'Université",
                             venue_city="Paris", venue_country="FR", description_md="Practical cases.")
    event = vevents(feed(client))[0]
    page = f"http://{HOST}/activities/{activity.id}"
    assert str(event["LOCATION"]) == "Salle Colbert, 126 rue de l'Université, Paris, France"
    assert str(event["URL"]) == page
    assert str(event["DESCRIPTION"]) == f"Practical cases.\n\nDetails and registration: {page}"


def test_online_sessions_keep_the_link_out_of_public_feeds(client):
    activity = make_activity(venue_name="", venue_city="", online_url="https://meet.example.org/room-42")
    event = vevents(feed(client))[0]
    assert str(event["LOCATION"]) == "Online"
    assert str(event["URL"]) == f"http://{HOST}/activities/{activity.id}"
    assert "CONFERENCE" not in event
    assert "the link is given to confirmed participants" in str(event["DESCRIPTION"])


TRICKY = {
    "title": "Budget; oversight, and \\ back-slashes: «contrôle» 🏛️",
    "venue_name": "Salle Émile-Zola; 2ᵉ étage, aile nord",
    "venue_city": "طرابلس",
    "description_md": "Ligne un, avec virgule; point-virgule \\ barre\nLigne deux: مجلس النواب ✅\n\nFin.",
}


def test_text_round_trips_through_every_parser(client):
    activity = make_activity(**TRICKY)
    body = feed(client)
    location = f"{TRICKY['venue_name']}, {TRICKY['venue_city']}"
    page = f"http://{HOST}/activities/{activity.id}"
    description = f"{TRICKY['description_md']}\n\nDetails and registration: {page}"

    event = vevents(body)[0]
    assert (str(event["SUMMARY"]), str(event["LOCATION"]), str(event["DESCRIPTION"])) == (
        TRICKY["title"], location, description)

    read = vobject_validate(body).vevent
    assert (read.summary.value, read.location.value, read.description.value) == (
        TRICKY["title"], location, description)

    [parsed] = icaljs(body)
    [seen] = parsed["events"]
    assert (seen["summary"], seen["location"], seen["description"]) == (TRICKY["title"], location, description)


def test_an_empty_feed_is_a_valid_calendar(client):
    make_activity(status=ActivityStatus.DRAFT)  # drafts never show
    body = feed(client)
    assert b"BEGIN:VEVENT" not in body
    assert lines(body)[0] == "BEGIN:VCALENDAR" and lines(body)[-1] == "END:VCALENDAR"
    assert Calendar.from_ical(body).to_ical() == body
    vobject_validate(body)
    [parsed] = icaljs(body)
    assert parsed["events"] == [] and parsed["name"] == "Hemicycle activities"


def test_feeds_speak_french_when_asked(client):
    activity = make_activity(title="Séminaire budgétaire")
    services.set_status(activity, ActivityStatus.CANCELLED)
    body = feed(client, "/calendar.ics?locale=fr")
    assert values(body, "X-WR-CALNAME") == ["Activités Hemicycle"]
    assert str(vevents(body)[0]["SUMMARY"]) == "Annulé : Séminaire budgétaire"
    assert "Détails et inscription" in str(vevents(body)[0]["DESCRIPTION"])


def test_sessions_from_2038_on_land_at_the_right_hour_in_every_parser(client):
    # Paris 09:00: UTC+2 in July, UTC+1 in December, in 2038 and 2045 as now.
    activity = make_activity(title="Far ahead", sessions=(session_on(date(2038, 7, 5), 9, 12),
                                                          session_on(date(2045, 7, 3), 9, 12),
                                                          session_on(date(2045, 12, 4), 9, 12)))
    body = feed(client, f"/activities/{activity.id}.ics")  # the public calendar ends a year ahead
    expected = ["2038-07-05T07:00:00+00:00", "2045-07-03T07:00:00+00:00", "2045-12-04T08:00:00+00:00"]

    [parsed] = icaljs(body)
    assert sorted(datetime.fromisoformat(e["start_utc"]).isoformat() for e in parsed["events"]) == expected
    read = vobject_validate(body)
    assert sorted(e.dtstart.value.astimezone(UTC).isoformat() for e in read.vevent_list) == expected


def test_a_session_typed_after_2100_is_refused(client):
    with pytest.raises(SchedulingError, match="Give dates between 1970 and 2100"):
        make_activity(sessions=(session_on(date(2101, 1, 5)),))


def test_a_session_in_the_repeated_hour_of_a_clock_change_is_the_same_instant_for_every_parser(client):
    # Paris goes back from 03:00 to 02:00 on 31 October 2027, Chatham from 03:45 to 02:45 on 4 April 2027.
    first_paris = SessionInput(start_date=date(2027, 10, 31), start_time=time(2, 30), end_time=time(3, 30))
    second_paris = SessionInput(start_date=date(2027, 10, 31), start_time=time(2, 30), end_time=time(3, 30),
                                start_fold=1)
    paris = make_activity(timezone="Europe/Paris", sessions=(first_paris, second_paris))
    chatham = make_activity(timezone="Pacific/Chatham", sessions=(
        SessionInput(start_date=date(2027, 4, 4), start_time=time(3), end_time=time(4)),))
    stored = {session_uid: (session.starts_at, session.ends_at)
              for session in [*paris.sessions, *chatham.sessions]
              for session_uid in [f"session-{session.id}@{HOST}"]}
    assert sorted(stored.values()) == [
        (datetime(2027, 4, 3, 13, 15, tzinfo=UTC), datetime(2027, 4, 3, 15, 15, tzinfo=UTC)),  # 03:00 at UTC+13:45
        (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), datetime(2027, 10, 31, 2, 30, tzinfo=UTC)),  # the first 02:30
        (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), datetime(2027, 10, 31, 2, 30, tzinfo=UTC)),  # the second
    ]
    body = feed(client)

    [parsed] = icaljs(body)
    assert {e["uid"]: (datetime.fromisoformat(e["start_utc"]), datetime.fromisoformat(e["end_utc"]))
            for e in parsed["events"]} == stored
    assert {str(e.uid.value): (e.dtstart.value, e.dtend.value) for e in vobject_validate(body).vevent_list} == stored
    assert {uid: (e["DTSTART"].dt, e["DTEND"].dt) for uid, e in by_uid(body).items()} == stored
