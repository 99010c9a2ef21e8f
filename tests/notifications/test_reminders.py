"""Reminders before activities: each once, even when the command runs twice or on two machines at once."""
from __future__ import annotations

import multiprocessing
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from elearn import create_app
from elearn.extensions import db
from elearn.notifications import reminders
from elearn.notifications.models import NotificationPreference, OptionalMail, SentReminder
from elearn.notifications.once import Reminder, due_offset
from elearn.notifications.reminders import send_reminders
from elearn.notifications.services import PreferenceInput, save_preferences
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus
from elearn.scheduling.services import SessionInput
from elearn.urls import absolute_url
from tests.conftest import BASE_CONFIG
from tests.factories import make_person
from tests.helpers import frozen_clock
from tests.notifications.conftest import outbox
from tests.scheduling.factories import make_activity

UTC = timezone.utc
T0 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
# The seminar starts on Friday 26 March 2027 at 09:00 in Paris (08:00 UTC).
START = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)
WEEK_BEFORE, DAY_BEFORE = START - timedelta(days=7), START - timedelta(days=1)


def seminar(**overrides):
    values = dict(title="Committee clerks' seminar", timezone="Europe/Paris", capacity=20,
                  sessions=(SessionInput(start_date=date(2027, 3, 26), start_time=time(9), end_time=time(17)),))
    values.update(overrides)
    return make_activity(**values)


def remind_at(moment: datetime):
    with frozen_clock(moment):
        return send_reminders()


def reminders_to(email: str) -> list:
    return outbox(email, kind="activity_reminder")


@pytest.mark.parametrize("now, expected", [
    (START - timedelta(days=8), None),
    (WEEK_BEFORE - timedelta(seconds=1), None),
    (WEEK_BEFORE, 7),
    (DAY_BEFORE - timedelta(seconds=1), 7),
    (DAY_BEFORE, 1),
    (START - timedelta(minutes=1), 1),
    (START, None),
])
def test_which_offset_is_due(now, expected):
    assert due_offset(START, now, (7, 1)) == expected


def test_a_confirmed_participant_is_reminded_a_week_and_a_day_before_once_each(app):
    with frozen_clock(T0):
        activity = seminar()
        person = make_person(email="awa@example.org", full_name="Awa Jallow", timezone="Africa/Banjul")
        services.register(activity.id, person)

    assert remind_at(WEEK_BEFORE - timedelta(minutes=1)).queued == 0
    assert remind_at(WEEK_BEFORE).queued == 1
    assert remind_at(WEEK_BEFORE + timedelta(minutes=15)).queued == 0  # cron's next run
    assert remind_at(START - timedelta(days=3)).queued == 0
    assert remind_at(DAY_BEFORE + timedelta(minutes=5)).queued == 1
    assert remind_at(DAY_BEFORE + timedelta(hours=2)).queued == 0
    assert remind_at(START + timedelta(hours=1)).queued == 0

    week, day = reminders_to("awa@example.org")
    assert week.subject == day.subject == "Reminder: Committee clerks' seminar"
    assert "“Committee clerks' seminar” starts in 7 days. Your seat is confirmed." in week.body_text
    assert "“Committee clerks' seminar” starts in 1 day. Your seat is confirmed." in day.body_text
    assert "When (your time, Africa/Banjul):" in week.body_text
    assert "Fri, Mar 26, 2027, 8:00\u202fAM–4:00\u202fPM" in week.body_text
    link = absolute_url("scheduling.activity", activity_id=activity.id)
    assert link in week.body_text and f'href="{link}"' in week.body_html
    keys = db.session.execute(select(SentReminder.kind, SentReminder.object_id, SentReminder.offset_days)
                              .order_by(SentReminder.id)).all()
    assert keys == [("activity", activity.id, 7), ("activity", activity.id, 1)]
    assert [r.outbox_message_id for r in db.session.scalars(select(SentReminder).order_by(SentReminder.id))] == [
        week.id, day.id]


def test_reminders_are_optional_mail_with_one_click_unsubscribe(app):
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, make_person(email="awa@example.org"))
    remind_at(WEEK_BEFORE)

    [message] = reminders_to("awa@example.org")
    unsubscribe = message.headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://hemicycle.test/account/notifications/unsubscribe/")
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body_text
    assert "You receive reminders because they are on in your notification settings." in message.body_text
    assert "http://hemicycle.test/account/notifications/" in message.body_html
    # Mandatory mail carries no unsubscribe header.
    confirmed = outbox("awa@example.org", kind="registration_confirmed")[0]
    assert "List-Unsubscribe" not in confirmed.headers


def test_a_french_reader_gets_the_reminder_in_french(app):
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, make_person(email="aminata@example.org", preferred_language="fr",
                                                   timezone="Africa/Niamey"))
    remind_at(DAY_BEFORE)

    [message] = reminders_to("aminata@example.org")
    assert message.subject == "Rappel\xa0: Committee clerks' seminar"
    assert "commence dans 1\xa0jour" in message.body_text
    assert "ven. 26 mars 2027, 09:00–17:00" in message.body_text  # Niamey is UTC+1
    assert "Se désabonner\xa0:" in message.body_text


def test_someone_confirmed_after_the_week_mark_gets_only_the_day_before(app):
    with frozen_clock(T0):
        activity = seminar()
    with frozen_clock(WEEK_BEFORE + timedelta(days=2)):
        services.register(activity.id, make_person(email="late@example.org"))
    assert remind_at(WEEK_BEFORE + timedelta(days=2, hours=1)).queued == 0
    assert remind_at(DAY_BEFORE).queued == 1
    assert [m.body_text.count("starts in 1 day") for m in reminders_to("late@example.org")] == [1]


def test_after_a_missed_week_only_the_nearest_reminder_goes(app):
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, make_person(email="awa@example.org"))
    assert remind_at(DAY_BEFORE + timedelta(hours=3)).queued == 1
    assert [m.body_text.count("starts in 1 day") for m in reminders_to("awa@example.org")] == [1]
    assert db.session.scalar(select(SentReminder.offset_days)) == 1


def test_only_confirmed_people_of_published_activities_are_reminded(app):
    with frozen_clock(T0):
        full = seminar(capacity=1)
        services.register(full.id, make_person(email="seated@example.org"))
        services.register(full.id, make_person(email="waiting@example.org"))
        gone = services.register(full.id, make_person(email="gone@example.org")).registration
        services.withdraw(gone)
        cancelled = seminar()
        services.register(cancelled.id, make_person(email="cancelled@example.org"))
        services.set_status(cancelled, ActivityStatus.CANCELLED)
    remind_at(WEEK_BEFORE)
    reminded = [m.to_address for m in outbox(kind="activity_reminder")]
    assert reminded == ["seated@example.org"]


def test_reminders_turned_off_are_not_queued_but_mandatory_mail_still_is(app):
    person = make_person(email="quiet@example.org")
    save_preferences(person, PreferenceInput(reminders=False, digest=True))
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, person)
    report = remind_at(WEEK_BEFORE)

    assert (report.queued, report.skipped) == (0, 1)
    assert reminders_to("quiet@example.org") == []
    assert [m.kind for m in outbox("quiet@example.org")] == ["registration_confirmed"]
    assert db.session.scalar(select(func.count()).select_from(SentReminder)) == 0
    # Turned back on before the day-before mark: that one goes.
    save_preferences(person, PreferenceInput(reminders=True, digest=True))
    assert remind_at(DAY_BEFORE).queued == 1


def test_offsets_come_from_configuration(app):
    app.config["REMINDER_OFFSETS_DAYS"] = (3,)
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, make_person(email="awa@example.org"))
    assert remind_at(WEEK_BEFORE).queued == 0
    assert remind_at(START - timedelta(days=3)).queued == 1
    assert remind_at(DAY_BEFORE).queued == 0
    assert "starts in 3 days" in reminders_to("awa@example.org")[0].body_text


def test_the_command_reports_what_it_queued(app, runner):
    with frozen_clock(T0):
        activity = seminar()
        services.register(activity.id, make_person(email="awa@example.org"))
    with frozen_clock(WEEK_BEFORE):
        first = runner.invoke(args=["notify", "due"])
        second = runner.invoke(args=["notify", "due"])
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "reminders queued 1, skipped 0"
    assert second.output.strip() == "reminders queued 0, skipped 0"


def _remind_in_child(config: dict, now: datetime, start, results) -> None:
    """One `flask notify due` in its own process, as on a second machine."""
    child_app = create_app(config)
    with child_app.app_context():
        start.wait(timeout=60)
        report = send_reminders(now)
        results.put((report.queued, report.skipped))
        db.session.remove()
        db.engine.dispose()


def test_two_runners_at_once_queue_each_reminder_once(app):
    with frozen_clock(T0):
        activities = [seminar(title=f"Seminar {n}") for n in range(3)]
        people = [make_person(email=f"member{n}@example.org") for n in range(6)]
        for activity in activities:
            for person in people:
                services.register(activity.id, person)
    config = {key: app.config[key] for key in (*BASE_CONFIG, "SQLALCHEMY_DATABASE_URI")}

    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    runners = [context.Process(target=_remind_in_child, args=(config, WEEK_BEFORE, start, results))
               for _ in range(2)]
    for process in runners:
        process.start()
    for process in runners:
        process.join(timeout=120)
        assert process.exitcode == 0, "a runner crashed or hung: see its output above"
    reports = [results.get(timeout=5) for _ in runners]

    assert sum(queued for queued, _ in reports) == 18
    messages = outbox(kind="activity_reminder")
    assert len(messages) == 18
    assert len({(m.to_address, m.subject) for m in messages}) == 18
    assert db.session.scalar(select(func.count()).select_from(SentReminder)) == 18
    assert remind_at(WEEK_BEFORE + timedelta(minutes=1)).queued == 0


def test_a_new_kind_of_reminder_is_a_finder_in_the_list(app, monkeypatch):
    """How cooperation adds commitment and review reminders: a finder appended to REMINDER_KINDS."""
    owner = make_person(email="clerk@example.org", full_name="Fatou Ceesay")
    french = make_person(email="greffier@example.org", preferred_language="fr")
    due_on = date(2027, 4, 15)

    def commitment_reminders(now):
        if now.date() < due_on - timedelta(days=14):
            return []
        return [Reminder(kind="commitment", object_id=41, person_id=person.id, offset_days=14,
                         template="commitment_due",
                         context=lambda person: dict(
                             due_on=due_on.isoformat(), parliament_name="National Assembly of The Gambia",
                             activity_title="Budget oversight seminar",
                             description="Publish the committee's reports online", responsible="Clerk",
                             link="http://hemicycle.test/plans/7"))
                for person in (owner, french)]

    monkeypatch.setattr(reminders, "REMINDER_KINDS", [*reminders.REMINDER_KINDS, commitment_reminders])
    assert remind_at(datetime(2027, 3, 31, 9, tzinfo=UTC)).queued == 0
    assert remind_at(datetime(2027, 4, 1, 9, tzinfo=UTC)).queued == 2
    assert remind_at(datetime(2027, 4, 1, 9, 15, tzinfo=UTC)).queued == 0

    [english] = outbox("clerk@example.org", kind="commitment_due")
    assert english.subject == "Commitment due on 2027-04-15"
    assert "Publish the committee's reports online" in english.body_text
    assert "List-Unsubscribe" in english.headers
    [in_french] = outbox("greffier@example.org", kind="commitment_due")
    assert in_french.subject == "Engagement à tenir pour le 2027-04-15"
    assert db.session.scalars(select(SentReminder.kind)).all() == ["commitment", "commitment"]


def test_preferences_without_a_row_mean_every_optional_mail(app):
    person = make_person()
    assert db.session.get(NotificationPreference, person.id) is None
    from elearn.notifications.services import wants
    assert wants(person, OptionalMail.REMINDERS) and wants(person, OptionalMail.DIGEST)
    assert db.session.get(NotificationPreference, person.id) is None  # reading wrote nothing
