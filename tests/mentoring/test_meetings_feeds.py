"""Meetings in both people's personal feeds: the invitation's UID and SEQUENCE, VTIMEZONE, and a cache that
notices every change of a meeting (and only in the two feeds concerned)."""
from __future__ import annotations

from base64 import b64decode
from datetime import date, time

from elearn.access import Role
from elearn.extensions import db
from elearn.feeds import services as feed_services
from elearn.mentoring import meetings
from elearn.mentoring.models import MentoringMeeting
from tests import factories
from tests.feeds.helpers import by_uid, icaljs, values, vobject_validate
from tests.mentoring.meetings_helpers import make_pair, meeting_input
from tests.notifications.conftest import outbox

HOST = "hemicycle.test"


def feed_url(person) -> str:
    return f"/feeds/{feed_services.issue_token(person)}.ics"


def uid(meeting) -> str:
    return f"mentoring-meeting-{meeting.id}@{HOST}"


def conditional(client, url: str, response):
    return client.get(url, headers={"If-None-Match": response.headers["ETag"]})


def test_both_people_s_feeds_carry_the_meeting_as_their_invitation_does_and_nobody_else_s(client, people):
    pair = make_pair(mentee=people["learner"], trainer=people["trainer"])
    meeting = meetings.schedule(pair, meeting_input(date(2031, 1, 15), time(10), time(11, 30)), pair.mentor)
    mentee_body = client.get(feed_url(pair.mentee)).data
    mentor_body = client.get(feed_url(pair.mentor)).data
    for body, other in ((mentee_body, "Claire Mentor"), (mentor_body, pair.mentee.full_name)):
        event = by_uid(body)[uid(meeting)]
        assert other in str(event["SUMMARY"]) and event["SEQUENCE"] == 0
        assert event["DTSTART"].params["TZID"] == "Europe/Paris" and "Europe/Paris" in values(body, "TZID")
        assert str(event["URL"]) == "https://meet.example.org/pair"
        assert "Rules of procedure" in str(event["DESCRIPTION"])
        assert str(event["LOCATION"]) in ("Online", "En ligne")
        vobject_validate(body)
    [parsed] = icaljs(mentee_body)
    read = {e["uid"]: e for e in parsed["events"]}[uid(meeting)]
    assert read["start_utc"] == "2031-01-15T09:00:00.000Z"
    for person in (pair.trainer, people["focal_point"], factories.make_person()):
        assert uid(meeting) not in by_uid(client.get(feed_url(person)).data)

    [mail] = outbox(to=pair.mentee.email, kind="mentoring_meeting_request")
    [attachment] = mail.attachments
    [mailed] = by_uid(b64decode(attachment["content"])).values()
    feed_event = by_uid(mentee_body)[uid(meeting)]
    for name in ("UID", "SEQUENCE", "SUMMARY", "LOCATION", "DESCRIPTION", "URL"):
        assert str(mailed[name]) == str(feed_event[name]), name
    assert mailed.decoded("DTSTART") == feed_event.decoded("DTSTART")


def test_a_cached_feed_is_not_served_as_unchanged_after_a_meeting_changes(client):
    pair = make_pair()
    bystander = factories.make_person(Role.TRAINER)
    url, other_url = feed_url(pair.mentee), feed_url(bystander)
    first, other_first = client.get(url), client.get(other_url)
    assert conditional(client, url, first).status_code == 304

    meeting = meetings.schedule(pair, meeting_input(date(2031, 1, 15)), pair.mentor)
    second = conditional(client, url, first)
    assert second.status_code == 200 and uid(meeting) in by_uid(second.data)
    assert conditional(client, url, second).status_code == 304

    meetings.update(meeting, meeting_input(date(2031, 1, 15), time(14), time(15)), pair.mentor)
    third = conditional(client, url, second)
    assert third.status_code == 200 and by_uid(third.data)[uid(meeting)]["SEQUENCE"] == 1
    assert by_uid(third.data)[uid(meeting)].decoded("DTSTART").hour == 14

    meetings.cancel(meeting, pair.mentee)
    fourth = conditional(client, url, third)
    assert fourth.status_code == 200
    event = by_uid(fourth.data)[uid(meeting)]
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 2
    assert str(event["SUMMARY"]).startswith("Cancelled:")

    # A pair given another mentee: the meeting leaves the first one's feed.
    pair.mentee = factories.make_person(full_name="Another Mentee")
    db.session.commit()
    fifth = conditional(client, url, fourth)
    assert fifth.status_code == 200 and uid(meeting) not in by_uid(fifth.data)
    # None of this concerned the bystander's feed: still the cached answer.
    assert conditional(client, other_url, other_first).status_code == 304


def test_a_meeting_deleted_with_its_pair_leaves_both_feeds(client):
    pair = make_pair()
    meeting = meetings.schedule(pair, meeting_input(date(2031, 1, 15)), pair.mentor)
    url = feed_url(pair.mentor)
    first = client.get(url)
    assert uid(meeting) in by_uid(first.data)
    db.session.delete(pair)
    db.session.commit()
    assert db.session.get(MentoringMeeting, meeting.id) is None
    second = conditional(client, url, first)
    assert second.status_code == 200 and uid(meeting) not in by_uid(second.data)
