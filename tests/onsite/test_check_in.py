"""The check-in service, without HTTP: who is recorded, when, once; what is refused and why."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.onsite import tickets
from elearn.onsite.checkin import Scan, check_in, check_in_many
from elearn.onsite.models import CheckInScan, ScanOutcome
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus, Attendance, AttendanceStatus
from tests import factories
from tests.onsite.factories import participant, two_day_activity
from tests.scheduling.factories import make_activity

counter = iter(range(10**6))


def scan(activity, code, at, *, by=None, scan_id=None, now=None):
    return check_in(activity, code, scanned_by=by, scan_id=scan_id or f"scan-{next(counter)}", scanned_at=at,
                    now=now or at)


@pytest.fixture
def setting(app, people):
    activity = two_day_activity()
    gambia = factories.make_parliament(name_en="National Assembly of The Gambia", name_fr="Assemblée nationale de Gambie")
    registration, code = participant(activity, full_name="Awa Jallow", parliament=gambia)
    first = activity.sessions[0]
    return activity, registration, code, first


def attendance_rows(registration):
    return db.session.scalars(select(Attendance).where(Attendance.registration_id == registration.id)).all()


def test_a_confirmed_participants_code_marks_them_present_at_the_session_under_way(setting, people):
    activity, registration, code, first = setting
    result = scan(activity, tickets.grouped(code).lower(), first.starts_at + timedelta(minutes=5), by=people["trainer"])
    assert result.outcome == ScanOutcome.RECORDED
    assert result.name == "Awa Jallow" and result.parliament == "National Assembly of The Gambia"
    assert "Awa Jallow checked in at" in result.message
    [mark] = attendance_rows(registration)
    assert mark.session_id == first.id and mark.status == AttendanceStatus.PRESENT


def test_the_same_person_twice_is_already_there_with_the_first_time_and_one_row(setting, people):
    activity, registration, code, first = setting
    people["trainer"].timezone = "Europe/Paris"
    db.session.commit()
    scan(activity, code, first.starts_at - timedelta(minutes=10), by=people["trainer"])
    again = scan(activity, code, first.starts_at + timedelta(minutes=20), by=people["trainer"])
    assert again.outcome == ScanOutcome.ALREADY
    assert "already checked in at 8:50" in again.message  # 9:00 Paris, ten minutes before: doors open
    assert len(attendance_rows(registration)) == 1
    assert db.session.scalar(select(func.count(CheckInScan.id))) == 2  # every scan is kept


def test_an_absent_mark_becomes_present_and_says_so(setting):
    activity, registration, code, first = setting
    db.session.add(Attendance(registration_id=registration.id, session_id=first.id, status=AttendanceStatus.ABSENT))
    db.session.commit()
    result = scan(activity, code, first.starts_at + timedelta(hours=1))
    assert (result.outcome, result.reason) == (ScanOutcome.RECORDED, "was_absent")
    assert "was marked absent, now present" in result.message
    [mark] = attendance_rows(registration)
    assert mark.status == AttendanceStatus.PRESENT


def test_a_replayed_scan_id_gives_the_first_result_without_evaluating_again(setting):
    activity, registration, code, first = setting
    first_result = scan(activity, code, first.starts_at, scan_id="same-id")
    # Sent again much later (the session is over) and with another code: the stored answer stands.
    replay = scan(activity, "WRONG", first.ends_at + timedelta(hours=2), scan_id="same-id")
    assert replay.replayed and not first_result.replayed
    assert (replay.outcome, replay.name) == (ScanOutcome.RECORDED, "Awa Jallow")
    assert db.session.scalar(select(func.count(CheckInScan.id))) == 1


def test_a_batch_holding_one_scan_twice_counts_it_once(setting):
    activity, registration, code, first = setting
    at = first.starts_at + timedelta(minutes=1)
    results = check_in_many(activity, [Scan("a", code, at), Scan("a", code, at), Scan("b", code, at)],
                            scanned_by=None, now=at)
    assert [(r.outcome, r.replayed) for r in results] == [
        (ScanOutcome.RECORDED, False), (ScanOutcome.RECORDED, True), (ScanOutcome.ALREADY, False)]


def test_each_session_is_its_own_check_in(setting):
    activity, registration, code, first = setting
    second = activity.sessions[1]
    assert scan(activity, code, first.starts_at).outcome == ScanOutcome.RECORDED
    assert scan(activity, code, second.starts_at).outcome == ScanOutcome.RECORDED
    assert sorted(m.session_id for m in attendance_rows(registration)) == sorted([first.id, second.id])


def test_no_session_under_way_names_the_next_and_when_doors_open(setting, people):
    activity, registration, code, first = setting
    people["trainer"].timezone = "Europe/Paris"
    db.session.commit()
    result = scan(activity, code, first.starts_at - timedelta(hours=2), by=people["trainer"])
    assert (result.outcome, result.reason) == (ScanOutcome.REFUSED, "no_session")
    assert "The next one starts" in result.message and "check-in opens at 8:30" in result.message
    after = scan(activity, code, activity.sessions[1].ends_at + timedelta(minutes=1))
    assert after.reason == "no_session" and "none is left" in after.message
    assert attendance_rows(registration) == []


def test_unknown_revoked_and_other_activity_codes_are_refused(setting, people):
    activity, registration, code, first = setting
    at = first.starts_at
    assert scan(activity, "0000-0000-0000-0000", at).reason == "unknown"
    assert scan(activity, "nonsense", at).reason == "unknown"
    other = make_activity(title="Budget oversight seminar")
    _, other_code = participant(other, full_name="Someone Else")
    # The scanner does not work at the other activity: it is not named, nor its participant.
    hidden = scan(activity, other_code, at, by=factories.make_person())
    assert (hidden.reason, hidden.name) == ("other_activity", "")
    assert "not for this activity" in hidden.message and "Budget" not in hidden.message
    shown = scan(activity, other_code, at, by=people["admin"])
    assert "Budget oversight seminar" in shown.message
    services.withdraw(registration)
    revoked = scan(activity, code, at)
    assert (revoked.outcome, revoked.reason, revoked.name) == (ScanOutcome.REFUSED, "revoked", "Awa Jallow")
    assert attendance_rows(registration) == []


@pytest.mark.parametrize("status, reason", [(ActivityStatus.CANCELLED, "activity_cancelled"),
                                            (ActivityStatus.DRAFT, "activity_not_published")])
def test_a_cancelled_or_draft_activity_checks_nobody_in(app, status, reason):
    activity = two_day_activity(status=ActivityStatus.PUBLISHED)
    registration, code = participant(activity)
    if status == ActivityStatus.DRAFT:
        activity.status = ActivityStatus.DRAFT  # as if unpublished since (the service refuses that move)
        db.session.commit()
    else:
        services.set_status(activity, status)
    result = scan(activity, code, activity.sessions[0].starts_at)
    assert (result.outcome, result.reason) == (ScanOutcome.REFUSED, reason)


def test_late_offline_scans_count_at_their_own_time_within_a_day(setting):
    activity, registration, code, first = setting
    # Scanned during the session, received two hours after it ended: recorded.
    late = scan(activity, code, first.starts_at + timedelta(minutes=3), now=first.ends_at + timedelta(hours=2))
    assert late.outcome == ScanOutcome.RECORDED
    stale = scan(activity, code, first.starts_at, now=first.starts_at + timedelta(hours=25))
    assert (stale.outcome, stale.reason) == (ScanOutcome.REFUSED, "stale")
    ahead = scan(activity, code, first.starts_at + timedelta(minutes=30), now=first.starts_at)
    assert (ahead.outcome, ahead.reason) == (ScanOutcome.REFUSED, "clock_ahead")


def test_a_check_in_is_told_to_webhooks_like_an_attendance_sheet(setting, people):
    from elearn.webhooks.models import WebhookDelivery, WebhookEvent
    from elearn.webhooks.subscriptions import create_subscription

    activity, registration, code, first = setting
    # An address literal: no DNS in CI.
    create_subscription(people["admin"], "HR", "https://93.184.216.34/hook", [WebhookEvent.ATTENDANCE_RECORDED])
    scan(activity, code, first.starts_at)
    scan(activity, code, first.starts_at)  # already there: nothing new to tell
    [delivery] = db.session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.event == WebhookEvent.ATTENDANCE_RECORDED)).all()
    assert delivery.payload["data"]["registration_ids"] == [registration.id]
    assert delivery.payload["data"]["session_id"] == first.id


def test_cancelling_revokes_every_ticket_and_reinstating_restores_the_seats_codes(app):
    activity = two_day_activity(status=ActivityStatus.PUBLISHED)
    (staying, staying_code), (leaving, leaving_code) = participant(activity), participant(activity)
    services.withdraw(leaving)
    services.set_status(activity, ActivityStatus.CANCELLED)
    db.session.expire_all()
    assert tickets.ticket_of(staying).is_live is False  # the table says what the door says

    services.set_status(activity, ActivityStatus.PUBLISHED)
    db.session.expire_all()
    kept = tickets.ticket_of(staying)
    assert kept.is_live and kept.code == staying_code  # the printed ticket works again
    assert not tickets.ticket_of(leaving).is_live
    at = activity.sessions[0].starts_at
    assert scan(activity, staying_code, at).outcome == ScanOutcome.RECORDED
    assert scan(activity, leaving_code, at).reason == "revoked"
