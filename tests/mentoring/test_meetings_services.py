"""Scheduling, changing, cancelling and recording mentoring meetings: who may, what is stored, who is mailed."""
from __future__ import annotations

from base64 import b64decode
from datetime import date, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.mentoring import meetings
from elearn.mentoring.models import MeetingStatus, MentoringMeeting, PairStatus
from tests import factories
from tests.mentoring.meetings_helpers import UTC, make_pair, meeting_input, past_meeting
from tests.notifications.conftest import outbox


def calendar_of(message) -> tuple[dict, Calendar]:
    [attachment] = [a for a in message.attachments if a["content_type"].startswith("text/calendar")]
    return attachment, Calendar.from_ical(b64decode(attachment["content"]))


def test_a_meeting_is_stored_in_utc_with_its_zone_and_both_people_get_an_invitation(app):
    pair = make_pair()
    meeting = meetings.schedule(pair, meeting_input(date(2031, 1, 15), time(10), time(11, 30)), pair.mentee)
    assert meeting.starts_at.astimezone(UTC).hour == 9 and meeting.ends_at.astimezone(UTC).minute == 30  # CET
    assert meeting.timezone == "Europe/Paris" and meeting.sequence == 0 and meeting.scheduled_by == pair.mentee
    mails = outbox(kind="mentoring_meeting_request")
    assert sorted(m.to_address for m in mails) == sorted([pair.mentor.email, pair.mentee.email])
    to_mentee = next(m for m in mails if m.to_address == pair.mentee.email)
    # The mentee lives in Banjul (UTC+0): 09:00 there.
    assert "Claire Mentor" in to_mentee.subject and "(your time, Africa/Banjul)" in to_mentee.body_text
    assert "9:00" in to_mentee.body_text and "https://meet.example.org/pair" in to_mentee.body_text
    to_mentor = next(m for m in mails if m.to_address == pair.mentor.email)
    assert "Africa/Banjul" not in to_mentor.body_text and "Europe/Paris" in to_mentor.body_text
    attachment, calendar = calendar_of(to_mentee)
    assert attachment["content_type"] == "text/calendar; method=REQUEST; charset=utf-8"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"mentoring-meeting-{meeting.id}@hemicycle.test" and event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Paris" and event.decoded("DTSTART").hour == 10
    assert str(event["ATTENDEE"]) == f"mailto:{pair.mentee.email}"
    assert "Claire Mentor" in str(event["SUMMARY"])
    assert [c["TZID"] for c in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


@pytest.mark.parametrize("changes, field", [
    (dict(start=time(11), end=time(10)), "end_time"),
    (dict(start=time(8), end=time(21)), "end_time"),
    (dict(online_url="", place=""), "place"),
    (dict(online_url="javascript:alert(1)"), "online_url"),
    (dict(online_url="https://meet.example.org/a b"), "online_url"),
    (dict(zone="Asia/Tokyo"), "timezone"),  # nobody's zone in this pair
    (dict(day=date(2031, 3, 30), start=time(2, 30), end=time(3, 30)), "start_time"),  # Paris skips 02:00-03:00
    (dict(day=date(2031, 10, 26), start=time(1), end=time(2, 30)), "end_time"),  # 02:30 happens twice in Paris
    (dict(place="x" * 301), "place"),
])
def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(app, changes, field):
    pair = make_pair()
    values = dict(changes)
    data = meeting_input(values.pop("day", date(2031, 1, 15)), values.pop("start", time(10)),
                         values.pop("end", time(11)), **values)
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.schedule(pair, data, pair.mentor)
    assert refused.value.field == field and str(refused.value)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(MentoringMeeting)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_only_the_two_people_and_the_pair_s_trainer_schedule_and_only_while_the_pair_is_active(app, people):
    pair = make_pair()
    outsiders = [people["admin"], people["focal_point"], factories.make_person(Role.TRAINER), people["learner"]]
    for person in outsiders:
        with pytest.raises(meetings.MeetingError):
            meetings.schedule(pair, meeting_input(), person)
    assert meetings.schedule(pair, meeting_input(zone="Europe/Brussels"), pair.trainer).timezone == "Europe/Brussels"
    for status in (PairStatus.PROPOSED, PairStatus.REQUESTED, PairStatus.ENDED, PairStatus.WITHDRAWN):
        other = make_pair(status=status)
        with pytest.raises(meetings.MeetingError):
            meetings.schedule(other, meeting_input(), other.mentor)


def test_a_move_sends_an_update_with_a_higher_sequence_and_an_agenda_change_only_raises_it(app):
    pair = make_pair()
    meeting = meetings.schedule(pair, meeting_input(date(2031, 1, 15)), pair.mentor)
    first = len(outbox())
    assert meetings.update(meeting, meeting_input(date(2031, 1, 15)), pair.mentee) is False
    assert meeting.sequence == 0 and len(outbox()) == first

    assert meetings.update(meeting, meeting_input(date(2031, 1, 15), agenda="Budget questions"), pair.mentee)
    assert meeting.sequence == 1 and len(outbox()) == first  # in DESCRIPTION: raised, but nobody is mailed

    meetings.update(meeting, meeting_input(date(2031, 1, 16), time(15), time(16), agenda="Budget questions"),
                    pair.mentee)
    moved = outbox(kind="mentoring_meeting_request")[2:]
    assert sorted(m.to_address for m in moved) == sorted([pair.mentor.email, pair.mentee.email])
    [event] = calendar_of(moved[0])[1].walk("VEVENT")
    assert event["SEQUENCE"] == 2 and event.decoded("DTSTART").hour == 15
    assert "Budget questions" in str(event["DESCRIPTION"])


def test_a_cancellation_goes_to_both_and_a_cancelled_meeting_cannot_change_again(app):
    pair = make_pair()
    meeting = meetings.schedule(pair, meeting_input(place="Salle 2", online_url=""), pair.mentor)
    meetings.cancel(meeting, pair.mentee)
    assert meeting.status == MeetingStatus.CANCELLED and meeting.sequence == 1
    cancels = outbox(kind="mentoring_meeting_cancel")
    assert sorted(m.to_address for m in cancels) == sorted([pair.mentor.email, pair.mentee.email])
    attachment, calendar = calendar_of(cancels[0])
    assert calendar["METHOD"] == "CANCEL" and attachment["filename"] == "cancel.ics"
    [event] = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1 and str(event["LOCATION"]) == "Salle 2"
    for attempt in (lambda: meetings.cancel(meeting, pair.mentor),
                    lambda: meetings.update(meeting, meeting_input(), pair.mentor)):
        with pytest.raises(meetings.MeetingError):
            attempt()


def test_held_is_recorded_once_the_meeting_began_even_after_the_pair_ended(app, people):
    pair = make_pair()
    coming = meetings.schedule(pair, meeting_input(), pair.mentor)
    with pytest.raises(meetings.MeetingError):
        meetings.mark_held(coming, pair.mentor)
    done = past_meeting(pair)
    with pytest.raises(meetings.MeetingError):
        meetings.mark_held(done, people["admin"])  # sees the pair, but is not its trainer
    pair.status = PairStatus.ENDED
    db.session.commit()
    meetings.mark_held(done, pair.trainer)
    assert done.status == MeetingStatus.HELD
    with pytest.raises(meetings.MeetingError):
        meetings.mark_held(done, pair.mentor)


def test_a_pair_that_ends_calls_off_its_meetings_still_to_come(app):
    pair = make_pair()
    done = past_meeting(pair)
    coming = meetings.schedule(pair, meeting_input(), pair.mentor)
    before = len(outbox())
    pair.status = PairStatus.WITHDRAWN
    pair.ended_at = utcnow()
    db.session.commit()
    assert coming.status == MeetingStatus.CANCELLED and coming.sequence == 1
    assert done.status == MeetingStatus.SCHEDULED  # over already: it may still be marked held or not
    cancels = outbox(kind="mentoring_meeting_cancel")
    assert len(outbox()) == before + 2 and len(cancels) == 2


def test_the_zones_offered_are_the_scheduler_s_first_then_the_pair_s(app):
    pair = make_pair()
    assert meetings.timezone_choices(pair, pair.mentee) == ["Africa/Banjul", "Europe/Paris", "UTC"]
    assert meetings.timezone_choices(pair, pair.trainer) == ["Europe/Brussels", "Europe/Paris", "Africa/Banjul",
                                                              "UTC"]
    assert meetings.timezone_choices(pair, pair.mentor, "Asia/Tokyo")[0] == "Asia/Tokyo"
    assert (utcnow() - timedelta(days=1)).tzinfo is not None
