"""Activities: time done right, bad input refused, clones, clashes, attendance."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.scheduling import services
from elearn.scheduling.models import Activity, ActivitySession, AttendanceStatus, Modality
from elearn.scheduling.services import ActivityInput, SessionInput
from tests.factories import make_person
from tests.helpers import frozen_clock, run_jobs
from tests.scheduling.factories import make_activity, one_session

UTC = timezone.utc


def sessions(activity):
    return [(s.starts_at, s.ends_at) for s in activity.sessions]


def test_sessions_across_the_paris_spring_dst_change_keep_their_local_time(app):
    # Clocks go forward in Paris on Sunday 28 March 2027: 09:00 local is 08:00 UTC before, 07:00 UTC after.
    activity = make_activity(timezone="Europe/Paris", sessions=(
        SessionInput(start_date=date(2027, 3, 26), start_time=time(9), end_time=time(12)),
        SessionInput(start_date=date(2027, 3, 29), start_time=time(9), end_time=time(12))))
    assert sessions(activity) == [
        (datetime(2027, 3, 26, 8, tzinfo=UTC), datetime(2027, 3, 26, 11, tzinfo=UTC)),
        (datetime(2027, 3, 29, 7, tzinfo=UTC), datetime(2027, 3, 29, 10, tzinfo=UTC))]
    assert [s.local_start.hour for s in activity.sessions] == [9, 9]


def test_southern_hemisphere_dst_in_santiago(app):
    # Chile moves to summer time in early September: 10:00 in Santiago is 14:00 UTC in August, 13:00 UTC in October.
    activity = make_activity(timezone="America/Santiago", sessions=(
        SessionInput(start_date=date(2027, 8, 20), start_time=time(10), end_time=time(11)),
        SessionInput(start_date=date(2027, 10, 20), start_time=time(10), end_time=time(11))))
    assert [s[0] for s in sessions(activity)] == [datetime(2027, 8, 20, 14, tzinfo=UTC),
                                                  datetime(2027, 10, 20, 13, tzinfo=UTC)]


def test_an_all_day_training_period_runs_from_local_midnight_to_the_day_after_its_last_day(app):
    activity = make_activity(timezone="Asia/Thimphu", sessions=(
        SessionInput(start_date=date(2027, 5, 3), end_date=date(2027, 5, 14), all_day=True),))
    session = activity.sessions[0]
    assert session.all_day
    assert session.starts_at == datetime(2027, 5, 2, 18, tzinfo=UTC)   # midnight in Thimphu (UTC+6)
    assert session.ends_at == datetime(2027, 5, 14, 18, tzinfo=UTC)
    assert session.local_end.date() == date(2027, 5, 15)
    assert session.hours == 7.0 * 12


def _input(**overrides):
    values = dict(title="Seminar", modality=Modality.SEMINAR, timezone="Europe/Paris", sessions=one_session())
    values.update(overrides)
    return ActivityInput(**values)


@pytest.mark.parametrize("overrides, message", [
    (dict(sessions=(SessionInput(start_date=date(2027, 1, 5), start_time=time(12), end_time=time(9)),)),
     "cannot end before it starts"),
    (dict(sessions=(SessionInput(start_date=date(2027, 1, 5), end_date=date(2027, 1, 3), all_day=True),)),
     "cannot end before it starts"),
    (dict(timezone="Europe/Atlantis"), "Unknown timezone"),
    (dict(registration_opens_at=datetime(2027, 1, 2, tzinfo=UTC), registration_closes_at=datetime(2027, 1, 1, tzinfo=UTC)),
     "must close after it opens"),
    (dict(capacity=0), "at least 1"),
    (dict(sessions=()), "at least one session"),
    (dict(online_url="javascript:alert(1)"), "must be a web address starting with https"),
])
def test_bad_activity_input_is_refused_with_a_message_and_nothing_saved(app, overrides, message):
    with pytest.raises(services.SchedulingError, match=message):
        services.create_activity(_input(**overrides))
    assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_capacity_cannot_drop_below_the_confirmed_count(app):
    activity = make_activity(capacity=3)
    for _ in range(3):
        services.register(activity.id, make_person())
    with pytest.raises(services.SchedulingError, match="below the 3 people already confirmed"):
        services.update_activity(activity, _input(capacity=2))


def test_changing_time_or_place_raises_the_sequence_and_notifies(app):
    activity = make_activity()
    person = make_person()
    services.register(activity.id, person)
    session_id, before = activity.sessions[0].id, activity.sessions[0].sequence
    services.update_activity(activity, _input(title=activity.title, sessions=one_session(start=time(10)),
                                              venue_name="Room A", venue_city="Paris"))
    session = db.session.get(ActivitySession, session_id)
    assert session.id == session_id and session.sequence == before + 1
    services.update_activity(activity, _input(title=activity.title, sessions=one_session(start=time(10)),
                                              venue_name="Room B", venue_city="Paris"))
    assert db.session.get(ActivitySession, session_id).sequence == before + 2
    from elearn.mail.models import OutboxMessage
    run_jobs()  # the background worker mails them
    changed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "activity_changed")).all()
    assert len(changed) == 2 and changed[0].to_address == person.email


def test_an_unchanged_save_keeps_the_sequence(app):
    activity = make_activity()
    before = activity.sessions[0].sequence
    services.update_activity(activity, _input(title=activity.title, sessions=one_session(),
                                              venue_name="Room A", venue_city="Paris"))
    assert activity.sessions[0].sequence == before


def test_clone_to_next_year_keeps_local_times_across_dst(app):
    # 10 March 2027 is before the change in Paris; 8 March 2028 (364 days later) too, but check the clock time.
    original = make_activity(timezone="Europe/Paris", sessions=(
        SessionInput(start_date=date(2027, 6, 10), start_time=time(9, 30), end_time=time(12)),
        SessionInput(start_date=date(2027, 11, 2), start_time=time(9, 30), end_time=time(12))))
    copy = services.clone_activity(original, 364)
    assert copy.status.value == "draft" and copy.registrations == []
    assert [(s.local_start.date(), s.local_start.time()) for s in copy.sessions] == [
        (date(2028, 6, 8), time(9, 30)), (date(2028, 10, 31), time(9, 30))]


def test_learner_clash_and_trainer_and_venue_clashes(app):
    trainer = make_person(full_name="Tess Trainer")
    first = make_activity(title="Budget seminar", trainer_ids=(trainer.id,), venue_name="Hall", venue_city="Banjul",
                          sessions=one_session(days_ahead=30, start=time(9), end=time(12)))
    second = make_activity(title="Oversight seminar", trainer_ids=(trainer.id,), venue_name="Hall",
                           venue_city="Banjul", sessions=one_session(days_ahead=30, start=time(11), end=time(13)))
    later = make_activity(title="Later", sessions=one_session(days_ahead=30, start=time(13), end=time(14)))
    learner = make_person()
    services.register(first.id, learner)
    outcome = services.register(second.id, learner)
    assert [a.title for a in outcome.clashes] == ["Budget seminar"]
    assert services.register(later.id, learner).clashes == []  # touching, not overlapping
    clashes = services.staff_clashes(second)
    assert set(clashes) == {"Tess Trainer", "Hall"}


def test_attendance_and_hours(app):
    activity = make_activity(sessions=(
        SessionInput(start_date=date(2027, 2, 1), start_time=time(9), end_time=time(12)),
        SessionInput(start_date=date(2027, 2, 2), start_time=time(9), end_time=time(13, 30))))
    person = make_person()
    registration = services.register(activity.id, person).registration
    with frozen_clock(activity.ends_at):
        services.record_attendance(activity.sessions[0], {registration.id: AttendanceStatus.PRESENT})
        services.record_attendance(activity.sessions[1], {registration.id: AttendanceStatus.ABSENT})
        assert services.hours_attended(registration) == 3.0
        services.record_attendance(activity.sessions[1], {registration.id: AttendanceStatus.PRESENT})
    assert services.hours_attended(registration) == 7.5


def test_attendance_only_for_confirmed_people(app):
    activity = make_activity(capacity=1)
    services.register(activity.id, make_person())
    waiting = services.register(activity.id, make_person()).registration
    with frozen_clock(activity.ends_at), pytest.raises(services.SchedulingError, match="only for confirmed"):
        services.record_attendance(activity.sessions[0], {waiting.id: AttendanceStatus.PRESENT})


def test_attendance_is_refused_before_the_session_starts(app):
    activity = make_activity(sessions=(
        SessionInput(start_date=date(2027, 2, 1), start_time=time(9), end_time=time(12)),
        SessionInput(start_date=date(2027, 2, 8), start_time=time(9), end_time=time(12))))
    registration = services.register(activity.id, make_person()).registration
    first, second = activity.sessions
    with frozen_clock(first.starts_at - timedelta(minutes=1)), \
            pytest.raises(services.SchedulingError, match="once the session has started"):
        services.record_attendance(first, {registration.id: AttendanceStatus.PRESENT})
    with frozen_clock(first.starts_at + timedelta(minutes=30)):  # during the first session, weeks before the second
        services.record_attendance(first, {registration.id: AttendanceStatus.PRESENT})
        with pytest.raises(services.SchedulingError, match="once the session has started"):
            services.record_attendance(second, {registration.id: AttendanceStatus.ABSENT})
    db.session.expire_all()
    assert [(a.session_id, a.status) for a in registration.attendance] == [(first.id, AttendanceStatus.PRESENT)]
