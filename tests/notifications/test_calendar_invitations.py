"""Registration mails carry iTIP invitations that calendars add, move and remove."""
from __future__ import annotations

import json
import shutil
import subprocess
from base64 import b64decode
from datetime import date, datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from elearn.extensions import db
from elearn.mail.services import build_email, send_due
from elearn.scheduling import services
from elearn.scheduling.models import ActivitySession, ActivityStatus, RegistrationState
from elearn.scheduling.services import ActivityInput, SessionInput
from tests.factories import make_person
from tests.helpers import frozen_clock
from tests.notifications.conftest import calendars, events, last_mail, only_calendar, outbox
from tests.scheduling.factories import make_activity

UTC = timezone.utc
PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
ICALJS = ROOT / "node_modules" / "ical.js"


def across_dst(start: time = time(9), end: time = time(17)) -> tuple[SessionInput, ...]:
    """Friday before and Monday after Paris moves to summer time (28 March 2027)."""
    return (SessionInput(start_date=date(2027, 3, 26), start_time=start, end_time=end),
            SessionInput(start_date=date(2027, 3, 29), start_time=start, end_time=end))


def seminar(**overrides):
    values = dict(title="Budget oversight seminar", sessions=across_dst(), timezone="Europe/Paris",
                  venue_name="Salle Colbert", venue_city="Paris", capacity=1)
    values.update(overrides)
    return make_activity(**values)


def edit(activity, **changes) -> None:
    """Save the activity form with some fields changed, the others as they are."""
    sessions = changes.pop("sessions", None) or tuple(
        SessionInput(start_date=s.local_start.date(), start_time=s.local_start.time(),
                     end_time=s.local_end.time(), title=s.title) for s in activity.sessions)
    values = dict(title=activity.title, modality=activity.modality, timezone=activity.timezone, sessions=sessions,
                  capacity=activity.capacity, venue_name=activity.venue_name, venue_city=activity.venue_city,
                  online_url=activity.online_url)
    values.update(changes)
    services.update_activity(activity, ActivityInput(**values))


def icaljs(body: bytes) -> dict:
    """What Thunderbird's parser makes of a calendar: UTC instants from the message's own VTIMEZONEs."""
    if not shutil.which("node") or not ICALJS.exists():
        pytest.skip("node and ical.js (npm ci) are needed to read calendars as Thunderbird does")
    result = subprocess.run(["node", str(Path(__file__).with_name("icaljs_events.js"))], input=body,
                            capture_output=True, check=True, cwd=ROOT)
    return json.loads(result.stdout)


def test_a_confirmed_seat_comes_with_an_invitation_to_add_the_activity(app, feed_uids):
    app.config["MAIL_ORGANIZER"] = "Training Unit <training@parliament.example>"
    with frozen_clock(T0):
        activity = seminar()
        person = make_person(email="awa@example.org", full_name="Awa Jallow", timezone="Africa/Banjul")
        services.register(activity.id, person)

    message = last_mail("awa@example.org")
    assert message.kind == "registration_confirmed"
    [(attachment, calendar)] = calendars(message)
    assert attachment["content_type"] == "text/calendar; method=REQUEST; charset=utf-8"
    assert attachment["filename"] == "invite.ics"
    assert calendar["METHOD"] == "REQUEST"
    first, second = events(calendar)
    assert [str(e["UID"]) for e in (first, second)] == feed_uids(activity.id)
    assert [e["SEQUENCE"] for e in (first, second)] == [s.sequence for s in activity.sessions]
    # 09:00 in Paris on both days, an hour apart in UTC because of the change to summer time.
    for event, utc_start in ((first, datetime(2027, 3, 26, 8, tzinfo=UTC)),
                             (second, datetime(2027, 3, 29, 7, tzinfo=UTC))):
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert event.decoded("DTSTART").astimezone(PARIS).time() == time(9)
        assert event.decoded("DTSTART").astimezone(UTC) == utc_start
        assert event.decoded("DTEND").astimezone(PARIS).time() == time(17)
        assert event["STATUS"] == "CONFIRMED"
        assert str(event["ATTENDEE"]) == "mailto:awa@example.org"
        assert event["ATTENDEE"].params["CN"] == "Awa Jallow"
        assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
        assert str(event["ORGANIZER"]) == "mailto:training@parliament.example"
        assert event["ORGANIZER"].params["CN"] == "Training Unit"
        assert event["LOCATION"] == "Salle Colbert, Paris"
        assert f"http://hemicycle.test/activities/{activity.id}" in event["DESCRIPTION"]
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Paris"
    # The mail says when in the reader's timezone (Banjul is UTC all year).
    assert "When (your time, Africa/Banjul):" in message.body_text
    assert "8:00\u202fAM" in message.body_text and "7:00\u202fAM" in message.body_text
    assert "The attached invitation puts the activity in your calendar" in message.body_text


def test_thunderbirds_parser_places_the_sessions_at_the_right_hour_across_dst(app):
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, make_person(email="awa@example.org"))
    [attachment] = [a for a in last_mail("awa@example.org").attachments if a["filename"] == "invite.ics"]

    read = icaljs(b64decode(attachment["content"]))

    assert read["method"] == "REQUEST"
    assert [(e["tzid"], e["floating"], e["start_utc"], e["end_utc"]) for e in read["events"]] == [
        ("Europe/Paris", False, "2027-03-26T08:00:00.000Z", "2027-03-26T16:00:00.000Z"),
        ("Europe/Paris", False, "2027-03-29T07:00:00.000Z", "2027-03-29T15:00:00.000Z"),
    ]


def test_the_organiser_defaults_to_the_sender_address(app):
    app.config.update(MAIL_ORGANIZER="", MAIL_DEFAULT_SENDER="Hemicycle <no-reply@hemicycle.test>")
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, make_person(email="awa@example.org"))
    event = events(only_calendar(last_mail("awa@example.org")))[0]
    assert str(event["ORGANIZER"]) == "mailto:no-reply@hemicycle.test"
    assert event["ORGANIZER"].params["CN"] == "Hemicycle"


def test_a_move_updates_the_event_with_a_higher_sequence_and_says_old_and_new_in_local_time(app, feed_uids):
    with frozen_clock(T0):
        activity = seminar(capacity=5)
        banjul = make_person(email="awa@example.org", timezone="Africa/Banjul")
        thimphu = make_person(email="karma@example.org", timezone="Asia/Thimphu", preferred_language="fr")
        for person in (banjul, thimphu):
            services.register(activity.id, person)
        before = only_calendar(last_mail("awa@example.org"))
        edit(activity, sessions=across_dst(start=time(10), end=time(18)))

    message = last_mail("awa@example.org")
    assert message.kind == "activity_changed"
    assert message.subject == "Changed: Budget oversight seminar"
    calendar = only_calendar(message)
    assert calendar["METHOD"] == "REQUEST"
    old_events, new_events = events(before), events(calendar)
    assert [str(e["UID"]) for e in new_events] == [str(e["UID"]) for e in old_events] == feed_uids(activity.id)
    assert all(new["SEQUENCE"] > old["SEQUENCE"] for old, new in zip(old_events, new_events, strict=False))
    assert [e["SEQUENCE"] for e in new_events] == [s.sequence for s in activity.sessions]
    assert [e.decoded("DTSTART").astimezone(UTC) for e in new_events] == [
        datetime(2027, 3, 26, 9, tzinfo=UTC), datetime(2027, 3, 29, 8, tzinfo=UTC)]
    # What changed, old → new, as Banjul (UTC) reads it: 08:00 became 09:00 on the Friday.
    assert "Moved: Fri, Mar 26, 2027, 8:00\u202fAM–4:00\u202fPM → Fri, Mar 26, 2027, 9:00\u202fAM–5:00\u202fPM" \
        in message.body_text
    assert "Moved: Mon, Mar 29, 2027, 7:00\u202fAM–3:00\u202fPM → Mon, Mar 29, 2027, 8:00\u202fAM–4:00\u202fPM" \
        in message.body_text
    # In French, for Thimphu (UTC+6): 14:00 became 15:00 on the Friday.
    french = last_mail("karma@example.org")
    assert french.subject == "Modification\xa0: Budget oversight seminar"
    assert "Séance déplacée\xa0: ven. 26 mars 2027, 14:00–22:00 → ven. 26 mars 2027, 15:00–23:00" in french.body_text
    assert events(only_calendar(french))[0]["ATTENDEE"] == "mailto:karma@example.org"


def test_a_new_place_is_told_old_to_new_and_raises_the_sequence(app):
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, make_person(email="awa@example.org"))
        sequences = [s.sequence for s in activity.sessions]
        edit(activity, venue_name="Salle Lamartine")

    message = last_mail("awa@example.org")
    assert "Place: Salle Colbert, Paris → Salle Lamartine, Paris" in message.body_text
    assert "Place: Salle Colbert, Paris → Salle Lamartine, Paris" in message.body_html
    new_events = events(only_calendar(message))
    assert [e["SEQUENCE"] for e in new_events] == [n + 1 for n in sequences]
    assert all(e["LOCATION"] == "Salle Lamartine, Paris" for e in new_events)


def test_a_removed_session_is_cancelled_in_calendars(app, feed_uids):
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, make_person(email="awa@example.org"))
        first_uid, second_uid = feed_uids(activity.id)
        second_sequence = activity.sessions[1].sequence
        edit(activity, sessions=across_dst()[:1])

    message = last_mail("awa@example.org")
    assert "Session cancelled: Mon, Mar 29, 2027, 7:00\u202fAM–3:00\u202fPM" in message.body_text
    (request_attachment, request), (cancel_attachment, cancel) = calendars(message)
    assert request["METHOD"] == "REQUEST" and [str(e["UID"]) for e in events(request)] == [first_uid]
    assert cancel["METHOD"] == "CANCEL" and cancel_attachment["filename"] == "cancel.ics"
    [cancelled] = events(cancel)
    assert (str(cancelled["UID"]), cancelled["SEQUENCE"], cancelled["STATUS"]) == (
        second_uid, second_sequence + 1, "CANCELLED")
    # Only the invitation is the message's calendar part; the cancellation is an attachment.
    assert request_attachment["alternative"] and not cancel_attachment["alternative"]


def test_cancelling_the_activity_sends_cancel_to_confirmed_people_only(app, feed_uids):
    with frozen_clock(T0):
        activity = seminar(capacity=1)
        confirmed = make_person(email="awa@example.org", preferred_language="fr")
        waiting = make_person(email="lamin@example.org")
        services.register(activity.id, confirmed)
        services.register(activity.id, waiting)
        sequences = [s.sequence for s in activity.sessions]
        services.set_status(activity, ActivityStatus.CANCELLED)

    message = last_mail("awa@example.org")
    assert message.kind == "activity_cancelled"
    assert message.subject == "Annulation\xa0: Budget oversight seminar"
    calendar = only_calendar(message)
    assert calendar["METHOD"] == "CANCEL"
    assert [str(e["UID"]) for e in events(calendar)] == feed_uids(activity.id)
    assert [e["STATUS"] for e in events(calendar)] == ["CANCELLED", "CANCELLED"]
    assert all(e["SEQUENCE"] > old for e, old in zip(events(calendar), sequences, strict=False))
    assert "L'annulation jointe retire l'activité de votre agenda." in message.body_text
    assert last_mail("lamin@example.org").kind == "activity_cancelled"
    assert calendars(last_mail("lamin@example.org")) == []


def test_a_cancelled_activity_published_again_sends_the_invitation_again(app):
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, make_person(email="awa@example.org"))
        services.set_status(activity, ActivityStatus.CANCELLED)
        services.set_status(activity, ActivityStatus.PUBLISHED)

    message = last_mail("awa@example.org")
    assert message.kind == "activity_changed"
    assert "The activity is no longer cancelled" in message.body_text
    assert only_calendar(message)["METHOD"] == "REQUEST"


def test_withdrawing_a_confirmed_seat_cancels_the_event_for_that_person(app, feed_uids):
    with frozen_clock(T0):
        activity = seminar(capacity=1)
        first, second = make_person(email="awa@example.org"), make_person(email="lamin@example.org")
        registration = services.register(activity.id, first).registration
        services.register(activity.id, second)
        services.withdraw(registration)

    message = last_mail("awa@example.org")
    assert message.kind == "registration_withdrawn"
    calendar = only_calendar(message)
    assert calendar["METHOD"] == "CANCEL"
    cancelled = events(calendar)
    assert [str(e["UID"]) for e in cancelled] == feed_uids(activity.id)
    assert [str(e["ATTENDEE"]) for e in cancelled] == ["mailto:awa@example.org"] * 2
    # Only this person leaves: the event itself is not cancelled (RFC 5546, 3.2.5).
    assert all("STATUS" not in e for e in cancelled)
    assert "The attached cancellation removes the activity from your calendar." in message.body_text
    # The seat went to the next in line, with an invitation of their own.
    promoted = last_mail("lamin@example.org")
    assert promoted.subject == "A seat is free for you: Budget oversight seminar"
    assert only_calendar(promoted)["METHOD"] == "REQUEST"
    assert str(events(only_calendar(promoted))[0]["ATTENDEE"]) == "mailto:lamin@example.org"


def test_leaving_a_waiting_list_or_a_request_carries_no_calendar(app):
    with frozen_clock(T0):
        activity = seminar(capacity=1)
        services.register(activity.id, make_person())
        waiting = services.register(activity.id, make_person(email="lamin@example.org")).registration
        assert waiting.state == RegistrationState.WAITLISTED
        services.withdraw(waiting)
    assert [calendars(m) for m in outbox("lamin@example.org")] == [[], []]


def test_a_trainer_removing_a_confirmed_person_sends_cancel(app):
    with frozen_clock(T0):
        activity = seminar()
        registration = services.register(activity.id, make_person(email="awa@example.org")).registration
        services.remove(registration, message="Places are kept for committee clerks.")

    message = last_mail("awa@example.org")
    assert message.kind == "registration_removed"
    assert "Places are kept for committee clerks." in message.body_text
    assert only_calendar(message)["METHOD"] == "CANCEL"


def test_an_approved_request_gets_the_invitation(app):
    with frozen_clock(T0):
        activity = seminar(approval_required=True)
        registration = services.register(activity.id, make_person(email="awa@example.org")).registration
        assert calendars(last_mail("awa@example.org")) == []
        services.decide(registration, approve=True)
    message = last_mail("awa@example.org")
    assert message.kind == "registration_confirmed"
    assert only_calendar(message)["METHOD"] == "REQUEST"


def test_all_day_sessions_are_dates_without_a_timezone(app):
    with frozen_clock(T0):
        activity = seminar(sessions=(SessionInput(start_date=date(2027, 3, 26), end_date=date(2027, 3, 29),
                                                  all_day=True),))
        services.register(activity.id, make_person(email="awa@example.org"))
    calendar = only_calendar(last_mail("awa@example.org"))
    [event] = events(calendar)
    assert event.decoded("DTSTART") == date(2027, 3, 26)
    assert event.decoded("DTEND") == date(2027, 3, 30)  # the day after the last, as RFC 5545 wants
    assert calendar.walk("VTIMEZONE") == []


def test_the_delivered_mail_offers_the_invitation_as_a_calendar_part_and_a_file(app, smtp_server):
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, make_person(email="awa@example.org"))
        assert send_due(sender_id="test").sent == 1

    [email] = smtp_server.received
    assert email.get_content_type() == "multipart/mixed"
    alternative = next(part for part in email.walk() if part.get_content_type() == "multipart/alternative")
    kinds = [part.get_content_type() for part in alternative.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    calendar_part = list(alternative.iter_parts())[2]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_content_charset() == "utf-8"
    attached, ticket = email.iter_attachments()  # the ticket's QR code comes second (tests/onsite)
    assert (attached.get_filename(), ticket.get_filename()) == ("invite.ics", "ticket.png")
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_param("method") == "REQUEST"
    from icalendar import Calendar
    inline, as_file = Calendar.from_ical(calendar_part.get_content()), Calendar.from_ical(attached.get_content())
    assert [str(e["UID"]) for e in inline.walk("VEVENT")] == [str(e["UID"]) for e in as_file.walk("VEVENT")]
    assert build_email(last_mail("awa@example.org"), "x@example.org")["To"] == "awa@example.org"


def test_session_ids_and_so_uids_survive_an_edit(app):
    with frozen_clock(T0):
        activity = seminar()
        ids = [s.id for s in activity.sessions]
        edit(activity, sessions=across_dst(start=time(8)))
    db.session.expire_all()
    assert [s.id for s in db.session.query(ActivitySession).order_by(ActivitySession.starts_at)] == ids


def test_thunderbirds_parser_reads_every_summer_time_of_a_programme_over_two_years(app):
    # Each observance of the VTIMEZONE lists several onsets; ical.js reads only the
    # first value of a comma-separated RDATE, so they are written one per line.
    sessions = tuple(SessionInput(start_date=day, start_time=time(9), end_time=time(12))
                     for day in (date(2027, 3, 29), date(2028, 7, 3), date(2028, 11, 6)))
    with frozen_clock(T0):
        activity = seminar(sessions=sessions)
        services.register(activity.id, make_person(email="awa@example.org"))
    [attachment] = [a for a in last_mail("awa@example.org").attachments if a["filename"] == "invite.ics"]

    read = icaljs(b64decode(attachment["content"]))

    assert [e["start_utc"] for e in read["events"]] == [
        "2027-03-29T07:00:00.000Z", "2028-07-03T07:00:00.000Z", "2028-11-06T08:00:00.000Z"]


def test_thunderbirds_parser_places_sessions_of_2038_and_2045_and_of_the_repeated_hour(app):
    # The invitation's VTIMEZONE comes from the builder the feeds use, for the years of its sessions;
    # a start in the hour the clocks repeat (Paris, 31 October 2027) is given in UTC.
    sessions = (SessionInput(start_date=date(2027, 10, 31), start_time=time(2, 30), end_time=time(3, 30)),
                SessionInput(start_date=date(2038, 7, 5), start_time=time(9), end_time=time(12)),
                SessionInput(start_date=date(2045, 12, 4), start_time=time(9), end_time=time(12)))
    with frozen_clock(T0):
        activity = seminar(sessions=sessions)
        services.register(activity.id, make_person(email="awa@example.org"))
    [attachment] = [a for a in last_mail("awa@example.org").attachments if a["filename"] == "invite.ics"]

    read = icaljs(b64decode(attachment["content"]))

    assert [(e["start_utc"], e["end_utc"]) for e in read["events"]] == [
        ("2027-10-31T00:30:00.000Z", "2027-10-31T02:30:00.000Z"),
        ("2038-07-05T07:00:00.000Z", "2038-07-05T10:00:00.000Z"),
        ("2045-12-04T08:00:00.000Z", "2045-12-04T11:00:00.000Z")]
    assert [e["tzid"] for e in read["events"]] == ["UTC", "Europe/Paris", "Europe/Paris"]
