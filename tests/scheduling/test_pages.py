"""Scheduling pages as learners, focal points and trainers use them."""
import io
from datetime import date, time, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from elearn.database import utcnow
from elearn.demo.schedule import _more_activities
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.people.models import Gender, PersonKind
from elearn.scheduling import services
from elearn.scheduling.models import (
    Activity,
    ActivityStatus,
    Attendance,
    Audience,
    Registration,
    RegistrationState,
)
from tests.factories import PASSWORD, make_person
from tests.helpers import count_queries, frozen_clock, post_form, sign_in, text
from tests.scheduling.factories import make_activity, make_programme, one_session


def test_learner_finds_registers_and_sees_the_seat_in_my_schedule(people, login_as):
    activity = make_activity(title="Seminar on committee hearings", capacity=1)
    client = login_as("learner")
    listing = text(client.get("/activities"))
    assert "Seminar on committee hearings" in listing and "1 seat left" in listing
    page = text(client.get(f"/activities/{activity.id}"))
    assert "Register" in page and "Room A, Paris" in page
    response = post_form(client, f"/activities/{activity.id}/register", follow_redirects=True)
    assert "Your seat is confirmed." in text(response)
    schedule = text(client.get("/my/schedule"))
    assert "Seminar on committee hearings" in schedule and "<td>confirmed</td>" in schedule


def test_a_full_activity_offers_the_waiting_list_and_shows_the_position(people, login_as):
    activity = make_activity(capacity=1)
    services.register(activity.id, make_person())
    client = login_as("learner")
    assert "Join the waiting list" in text(client.get(f"/activities/{activity.id}"))
    response = post_form(client, f"/activities/{activity.id}/register", follow_redirects=True)
    assert "waiting list, position 1" in text(response)
    assert "Waiting list, position 1" in text(client.get("/my/schedule"))


def test_withdrawing_from_my_schedule(people, login_as):
    activity = make_activity(title="Workshop")
    registration = services.register(activity.id, people["learner"]).registration
    client = login_as("learner")
    response = post_form(client, f"/registrations/{registration.id}/withdraw", {"back": "schedule"},
                         follow_redirects=True)
    assert "You have withdrawn" in text(response)
    assert "You are not registered for any upcoming activity" in text(response)


def test_someone_elses_registration_cannot_be_withdrawn(people, login_as):
    activity = make_activity()
    other = services.register(activity.id, make_person()).registration
    response = post_form(login_as("learner"), f"/registrations/{other.id}/withdraw")
    assert response.status_code == 404
    assert db.session.get(Registration, other.id).state == RegistrationState.CONFIRMED


def test_register_without_csrf_is_refused_and_nothing_saved(people, login_as):
    activity = make_activity()
    response = login_as("learner").post(f"/activities/{activity.id}/register")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_registering_for_a_closed_window_shows_the_reason(people, login_as):
    activity = make_activity(registration_closes_at=utcnow() - timedelta(days=1))
    client = login_as("learner")
    assert "Registration is closed." in text(client.get(f"/activities/{activity.id}"))
    response = post_form(client, f"/activities/{activity.id}/register", follow_redirects=True)
    assert "Registration is closed." in text(response)
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_drafts_are_invisible_to_learners(people, login_as):
    draft = make_activity(title="Secret draft", status=ActivityStatus.DRAFT)
    client = login_as("learner")
    assert "Secret draft" not in text(client.get("/activities"))
    assert client.get(f"/activities/{draft.id}").status_code == 404
    assert client.get(f"/activities/{draft.id}.ics").status_code == 404


def test_times_show_in_the_viewers_zone_with_the_local_time_beside(app, client):
    activity = make_activity(timezone="Africa/Banjul", sessions=(services.SessionInput(
        start_date=date(2027, 1, 12), start_time=time(9), end_time=time(11)),))
    viewer = make_person(timezone="Asia/Thimphu")
    sign_in(client, viewer.email, PASSWORD)
    page = text(client.get(f"/activities/{activity.id}"))
    assert "15:00" in page or "3:00" in page          # 09:00 in Banjul (UTC) is 15:00 in Thimphu
    assert "local time in Africa/Banjul" in page


def test_filters_narrow_the_list(app, client):
    programme = make_programme(slug="gambia-2027")
    make_activity(title="Hearings workshop", programme=programme, languages=("fr",))
    make_activity(title="Budget seminar")
    assert "Budget seminar" not in text(client.get("/activities?programme=gambia-2027"))
    assert "Hearings workshop" in text(client.get("/activities?lang=fr"))
    assert "Hearings workshop" not in text(client.get("/activities?q=budget"))


def test_month_view_puts_sessions_on_their_days(app, client):
    activity = make_activity(title="Mid-month briefing", sessions=one_session(days_ahead=3))
    day = activity.sessions[0].local_start.date()
    page = text(client.get(f"/activities/month?year={day.year}&month={day.month}"))
    assert "Mid-month briefing" in page


def test_activity_listing_runs_the_same_queries_for_10_and_1000_activities(app, client):
    _more_activities(10, {})
    with count_queries() as small:
        client.get("/activities")
    _more_activities(990, {})
    with count_queries() as large:
        page = text(client.get("/activities"))
    assert "Page 1 of 40" in page
    assert large.count == small.count, (small.count, large.count)


def test_my_schedule_runs_the_same_queries_for_one_and_six_waiting_places(people, login_as):
    def wait_for_a_seat():
        activity = make_activity(capacity=1)
        services.register(activity.id, make_person())
        assert services.register(activity.id, people["learner"]).registration.state == RegistrationState.WAITLISTED

    client = login_as("learner")
    wait_for_a_seat()
    with count_queries() as one:
        client.get("/my/schedule")
    for _ in range(5):
        wait_for_a_seat()
    with count_queries() as six:
        page = text(client.get("/my/schedule"))
    assert page.count("Waiting list, position 1") == 6
    assert six.count == one.count, (one.count, six.count)


def test_trainer_schedules_publishes_and_clones_through_the_forms(people, login_as):
    client = login_as("trainer")
    first_day = utcnow().date() + timedelta(days=40)
    form = {"title": "Workshop on minutes", "modality": "training_workshop", "languages": ["en", "fr"],
            "audience": "staff", "timezone": "Africa/Banjul", "capacity": "12", "programme_id": "",
            "host_parliament_id": "", "sessions-0-start_date": first_day.isoformat(),
            "sessions-0-start_time": "09:00", "sessions-0-end_time": "16:00",
            "sessions-1-start_date": (first_day + timedelta(days=1)).isoformat(),
            "sessions-1-start_time": "09:00", "sessions-1-end_time": "13:00"}
    response = post_form(client, "/manage/activities/new", form, follow_redirects=True)
    assert "saved as a draft" in text(response)
    activity = db.session.scalar(select(Activity).where(Activity.title == "Workshop on minutes"))
    assert [s.local_start.hour for s in activity.sessions] == [9, 9]
    post_form(client, f"/manage/activities/{activity.id}/status", {"status": "published"})
    assert db.session.get(Activity, activity.id).status == ActivityStatus.PUBLISHED
    response = post_form(client, f"/manage/activities/{activity.id}/clone", {"shift_days": "364"},
                         follow_redirects=True)
    assert "draft copy is ready" in text(response)
    copies = db.session.scalars(select(Activity).where(Activity.title == "Workshop on minutes")
                                .order_by(Activity.id)).all()
    assert len(copies) == 2 and copies[1].status == ActivityStatus.DRAFT
    assert copies[1].sessions[0].local_start.date() == first_day + timedelta(days=364)


def test_bad_activity_form_shows_errors_and_saves_nothing(people, login_as):
    client = login_as("trainer")
    form = {"title": "Broken", "modality": "seminar", "languages": ["en"], "audience": "both",
            "timezone": "Mars/Olympus", "capacity": "5", "programme_id": "", "host_parliament_id": "",
            "sessions-0-start_date": "2027-01-05", "sessions-0-start_time": "12:00", "sessions-0-end_time": "09:00"}
    page = text(post_form(client, "/manage/activities/new", form))
    assert "Unknown timezone" in page
    assert db.session.scalar(select(func.count(Activity.id))) == 0
    form["timezone"] = "Europe/Paris"
    page = text(post_form(client, "/manage/activities/new", form))
    assert "cannot end before it starts" in page
    assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_trainer_approves_with_the_roster_and_exports(people, login_as):
    activity = make_activity(title="Study visit", approval_required=True)
    woman = make_person(full_name="=HYPERLINK(\"http://evil\")", gender=Gender.WOMAN)
    request = services.register(activity.id, woman).registration
    client = login_as("trainer")
    roster = text(client.get(f"/manage/activities/{activity.id}?state=requested"))
    assert "HYPERLINK" in roster and "awaiting approval" in roster
    post_form(client, f"/manage/registrations/{request.id}/decide", {"decision": "approve", "message": "Welcome"})
    assert db.session.get(Registration, request.id).state == RegistrationState.CONFIRMED
    csv_text = client.get(f"/manage/activities/{activity.id}/participants.csv").get_data().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Name,Email,Parliament")
    assert "'=HYPERLINK" in csv_text  # neutralised for spreadsheets
    workbook = load_workbook(io.BytesIO(client.get(f"/manage/activities/{activity.id}/participants.xlsx").data))
    rows = list(workbook.active.values)
    assert rows[1][0].startswith("'=") and rows[1][4] == "Woman" and rows[1][5] == "confirmed"


def test_attendance_sheet_records_marks(people, login_as):
    activity = make_activity()
    registration = services.register(activity.id, people["learner"]).registration
    session = activity.sessions[0]
    with frozen_clock(session.starts_at + timedelta(hours=1)):  # signed in during the session
        client = login_as("trainer")
        assert people["learner"].full_name in text(client.get(f"/manage/sessions/{session.id}/sign-in-sheet"))
        response = post_form(client, f"/manage/sessions/{session.id}/attendance",
                             {f"mark-{registration.id}": "present"}, follow_redirects=True)
        assert "Attendance is saved." in text(response)
        assert db.session.scalar(select(Attendance)).status.value == "present"
        assert post_form(client, f"/manage/sessions/{session.id}/attendance",
                         {f"mark-{registration.id}": "asleep"}).status_code == 400


def test_attendance_for_a_future_session_is_not_offered_and_refused(people, login_as):
    activity = make_activity(sessions=one_session(days_ahead=21))
    registration = services.register(activity.id, people["learner"]).registration
    session = activity.sessions[0]
    client = login_as("trainer")
    assert "(from the start of the session)" in text(client.get(f"/manage/activities/{activity.id}"))
    page = text(client.get(f"/manage/sessions/{session.id}/attendance"))
    assert "Attendance can be recorded once the session has started" in page
    assert 'type="radio"' not in page and "Save attendance" not in page
    assert people["learner"].full_name in page  # who is expected, without marks
    response = post_form(client, f"/manage/sessions/{session.id}/attendance",
                         {f"mark-{registration.id}": "present"}, follow_redirects=True)
    assert "Attendance can be recorded once the session has started" in text(response)
    assert db.session.scalar(select(func.count(Attendance.id))) == 0


def test_focal_point_nominates_a_colleague_through_the_page(people, login_as):
    colleague = make_person(full_name="Colleague From Home", parliament=people["focal_point"].parliament)
    make_person(full_name="Someone Else")
    activity = make_activity(quota_per_parliament=3)
    client = login_as("focal_point")
    page = text(client.get(f"/activities/{activity.id}/nominate"))
    assert "Colleague From Home" in page and "Someone Else" not in page
    response = post_form(client, f"/activities/{activity.id}/nominate", {"person_id": colleague.id},
                         follow_redirects=True)
    assert "Colleague From Home is nominated" in text(response)
    registration = db.session.scalar(select(Registration))
    assert registration.person_id == colleague.id and registration.nominated_by_id == people["focal_point"].id


def test_the_nomination_list_offers_only_colleagues_the_activity_is_for(people, login_as):
    home = people["focal_point"].parliament
    make_person(full_name="Clerk Of Committees", kind=PersonKind.STAFF, parliament=home)
    make_person(full_name="Honourable Member", kind=PersonKind.MP, parliament=home)
    activity = make_activity(audience=Audience.STAFF)
    page = text(login_as("focal_point").get(f"/activities/{activity.id}/nominate"))
    assert "Clerk Of Committees" in page
    assert "Honourable Member" not in page  # choosing them only brought "This activity is for parliamentary staff"


def test_focal_point_cannot_nominate_by_id_tampering(people, login_as):
    stranger = make_person(full_name="Stranger")
    activity = make_activity()
    response = post_form(login_as("focal_point"), f"/activities/{activity.id}/nominate", {"person_id": stranger.id})
    assert "Not a valid choice" in text(response)
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_single_activity_calendar_download(app, client):
    activity = make_activity(title="Seminar, with; commas")
    response = client.get(f"/activities/{activity.id}.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.get_data(as_text=True)
    assert "BEGIN:VTIMEZONE" in body and "TZID:Europe/Paris" in body
    assert f"UID:session-{activity.sessions[0].id}@hemicycle.test" in body
    assert "SUMMARY:Seminar\\, with\\; commas" in body


def test_a_learner_held_back_by_the_quota_is_told_so_not_that_the_activity_is_full(people, login_as):
    activity = make_activity(title="Budget hearings", capacity=3, quota_per_parliament=1)
    services.register(activity.id, make_person(parliament=people["learner"].parliament))
    client = login_as("learner")
    page = text(client.get(f"/activities/{activity.id}")).replace("&#39;", "'")
    assert "<dd>2 / 3</dd>" in page  # seats are left...
    assert "Your parliament's quota of 1 seat is reached: you can join the waiting list." in page
    assert "Join the waiting list" in page
    response = text(post_form(client, f"/activities/{activity.id}/register", follow_redirects=True))
    response = response.replace("&#39;", "'")
    assert "Your parliament's quota of 1 seat is reached: you are on the waiting list, position 1." in response
    assert "The activity is full" not in response
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == people["learner"].email)).one()
    assert "Your parliament's quota of 1 seat is reached. You are on the waiting list at position 1" in mail.body_text
    assert "The activity is full" not in mail.body_text


def test_a_full_activity_still_says_full(people, login_as):
    activity = make_activity(capacity=1, quota_per_parliament=1)
    services.register(activity.id, make_person())  # another parliament's person takes the only seat
    response = post_form(login_as("learner"), f"/activities/{activity.id}/register", follow_redirects=True)
    assert "The activity is full: you are on the waiting list, position 1." in text(response)
