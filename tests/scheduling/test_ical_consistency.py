"""A session reads the same in a calendar feed and in the invitation mailed for it: one VEVENT builder."""
from __future__ import annotations

from base64 import b64decode

import pytest
from icalendar import Calendar

from elearn.feeds import services as feed_services
from elearn.scheduling import services
from tests.factories import make_person
from tests.notifications.conftest import last_mail
from tests.scheduling.factories import make_activity, one_session

COMPARED = ("UID", "SEQUENCE", "LOCATION", "DESCRIPTION")


def by_uid(body: bytes) -> dict[str, dict[str, str]]:
    return {str(event["UID"]): {name: str(event[name]) for name in COMPARED}
            for event in Calendar.from_ical(body).walk("VEVENT")}


def invitation_events(to: str) -> dict[str, dict[str, str]]:
    [attachment] = [a for a in last_mail(to).attachments if a["filename"] == "invite.ics"]
    return by_uid(b64decode(attachment["content"]))


@pytest.fixture
def activity(app):
    return make_activity(title="Budget oversight seminar", venue_name="Room A", venue_address="1 Unter den Linden",
                         venue_city="Berlin", venue_country="DE", online_url="https://meet.example.org/budget",
                         description_md="Practical cases.", sessions=one_session(20) + one_session(21))


@pytest.mark.parametrize(("language", "location"), [
    ("en", "Room A, 1 Unter den Linden, Berlin, Germany"),
    ("fr", "Room A, 1 Unter den Linden, Berlin, Allemagne"),
])
def test_the_personal_feed_and_the_invitation_agree_on_uid_sequence_location_and_description(
        client, activity, language, location):
    person = make_person(email="awa@example.org", preferred_language=language)
    services.register(activity.id, person)
    secret = feed_services.issue_token(person)

    mailed = invitation_events("awa@example.org")
    feed = by_uid(client.get(f"/feeds/{secret}.ics").data)

    assert len(mailed) == 2
    assert mailed == {uid: feed[uid] for uid in mailed}
    assert {event["LOCATION"] for event in mailed.values()} == {location}
    assert all("https://meet.example.org/budget" in event["DESCRIPTION"] for event in mailed.values())
    # The mail's own text names the country as the calendars do, not by its code.
    assert f" {location}\n" in last_mail("awa@example.org").body_text


def test_after_a_change_the_new_invitation_still_matches_the_feed(client, activity):
    person = make_person(email="awa@example.org")
    services.register(activity.id, person)
    secret = feed_services.issue_token(person)
    before = invitation_events("awa@example.org")

    services.update_activity(activity, services.activity_input(activity, venue_name="Room B", venue_country="BE"))

    mailed = invitation_events("awa@example.org")
    assert mailed == {uid: by_uid(client.get(f"/feeds/{secret}.ics").data)[uid] for uid in mailed}
    assert all(int(mailed[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"]) for uid in mailed)
    assert {event["LOCATION"] for event in mailed.values()} == {"Room B, 1 Unter den Linden, Berlin, Belgium"}
    assert "Place: Room A, 1 Unter den Linden, Berlin, Germany → Room B, 1 Unter den Linden, Berlin, Belgium" \
        in last_mail("awa@example.org").body_text


def test_the_activity_page_gives_the_place_as_the_calendars_do(client, activity):
    page = client.get(f"/activities/{activity.id}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Room A, 1 Unter den Linden, Berlin, Allemagne" in page
