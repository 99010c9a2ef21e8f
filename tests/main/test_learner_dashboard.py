"""The learner's dashboard: their next sessions, places waiting, courses, certificates; nothing of anyone else's."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.learning.lookups import active_lessons
from elearn.learning.progress import mark_lesson_done
from elearn.people.models import PersonKind
from elearn.scheduling import services
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Audience,
    Modality,
    Registration,
    RegistrationState,
)
from tests import factories
from tests.helpers import count_queries, text
from tests.learning.factories import complete_course, enrol, make_course
from tests.scheduling.factories import make_activity, one_session


@pytest.fixture
def learner(people):
    return people["learner"]


def dashboard(client) -> str:
    response = client.get("/dashboard")
    assert response.status_code == 200
    return text(response)


def test_the_dashboard_leads_with_the_learners_sessions_places_courses_and_certificates(app, people, learner,
                                                                                       learner_client):
    seminar = make_activity(title="Budget oversight seminar", sessions=one_session(days_ahead=5),
                            online_url="https://meet.example.org/budget", venue_name="Main hall", venue_city="Banjul")
    services.register(seminar.id, learner)
    full = make_activity(title="Full workshop", capacity=1)
    services.register(full.id, factories.make_person())
    services.register(full.id, learner)
    approval = make_activity(title="Training period on request", approval_required=True)
    services.register(approval.id, learner)
    theirs = make_activity(title="Someone else's visit")
    services.register(theirs.id, factories.make_person())
    started = make_course("committees", lessons=3)
    enrolment = enrol(learner, started)
    mark_lesson_done(enrolment, active_lessons(started)[0])
    complete_course(learner, make_course("procedure", lessons=1))
    complete_course(factories.make_person(), make_course("archives", lessons=1))

    page = dashboard(learner_client)

    assert page.index("Your next sessions") < page.index("Your timezone")  # what to do next comes first
    assert "Budget oversight seminar" in page and "Main hall, Banjul" in page
    assert 'href="https://meet.example.org/budget"' in page  # a confirmed seat shows the join link
    assert f'/activities/{seminar.id}.ics?locale=en' in page and "Add to calendar" in page
    assert "Full workshop" in page and "Waiting list, position 1" in page
    assert "Training period on request" in page and "awaiting a trainer's approval" in page
    assert "1 of 3 lessons done" in page and '<progress max="100" value="33"' in page
    assert "/courses/committees/lessons/lesson-2" in page and "Resume: <bdi>Lesson 2 (en)</bdi>" in page
    assert "Certificates earned" in page and "/courses/procedure/certificate" in page
    assert "Someone else" not in page
    assert "archives" not in page  # another person's certificate
    assert "Where to start" not in page
    assert "/my/schedule" in page and "/my-learning" in page  # each list leads to its full page


def test_a_cancelled_activity_and_a_past_session_are_not_next(app, learner, learner_client):
    cancelled = make_activity(title="Called-off briefing")
    services.register(cancelled.id, learner)
    services.set_status(cancelled, ActivityStatus.CANCELLED)
    kept = make_activity(title="Kept briefing")
    services.register(kept.id, learner)
    page = dashboard(learner_client)
    assert "Kept briefing" in page and "Called-off briefing" not in page


def test_lists_are_bounded_and_soonest_first(app, learner, learner_client):
    for day in (9, 3, 7, 5, 11):
        services.register(make_activity(title=f"Session in {day} days", sessions=one_session(days_ahead=day)).id,
                          learner)
    page = dashboard(learner_client)
    shown = [day for day in (3, 5, 7, 9, 11) if f"Session in {day} days" in page]
    assert shown == [3, 5, 7, 9]
    assert page.index("Session in 3 days") < page.index("Session in 5 days") < page.index("Session in 9 days")


def test_a_newcomer_sees_what_they_could_do(app, people, learner, learner_client):
    make_activity(title="Open regional seminar")
    make_activity(title="Members-only briefing", audience=Audience.MPS)  # the learner is staff
    elsewhere = factories.make_parliament()
    make_activity(title="Invitation-only visit", invited_parliament_ids=(elsewhere.id,))
    make_activity(title="Closed registration", registration_closes_at=utcnow() - timedelta(hours=1))
    make_course("committees", lessons=2)

    page = dashboard(learner_client)

    assert "Where to start" in page
    assert "Open regional seminar" in page and "/courses/committees" in page
    assert "Members-only briefing" not in page and "Invitation-only visit" not in page
    assert "Closed registration" not in page
    assert "Your next sessions" not in page


def test_trainers_get_no_suggestions_for_participants(app, login_as):
    make_activity(title="Open regional seminar")
    page = dashboard(login_as("trainer"))
    assert "Where to start" not in page and "Open regional seminar" not in page


def test_the_dashboard_is_translated(app, learner, learner_client):
    services.register(make_activity(title="Séminaire").id, learner)
    learner.preferred_language = "fr"
    db.session.commit()
    page = dashboard(learner_client)
    assert "Vos prochaines séances" in page and "Ajouter à l'agenda" in page


def _fill(learner, rows: int) -> None:
    """`rows` activities where the learner holds a seat, waits or asks, and as many of other people's."""
    other = factories.make_person()
    start = utcnow() + timedelta(days=2)
    for n in range(rows):
        when = start + timedelta(hours=n)
        activity = Activity(title=f"Bulk {n}", modality=Modality.SEMINAR, timezone="Europe/Paris", capacity=5,
                            status=ActivityStatus.PUBLISHED, languages=["en"], starts_at=when,
                            ends_at=when + timedelta(hours=2), venue_name="Hall", venue_city="Paris")
        activity.sessions.append(ActivitySession(starts_at=when, ends_at=when + timedelta(hours=2)))
        state = (RegistrationState.CONFIRMED, RegistrationState.WAITLISTED, RegistrationState.REQUESTED)[n % 3]
        activity.registrations.append(Registration(person=learner, state=state,
                                                   waitlist_position=n if state == RegistrationState.WAITLISTED else None))
        activity.registrations.append(Registration(person=other, state=RegistrationState.CONFIRMED))
        db.session.add(activity)
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_rows(app, learner, learner_client):
    for slug in ("one", "two", "three", "four"):
        enrol(learner, make_course(slug, lessons=2))
    _fill(learner, 10)
    dashboard(learner_client)  # warm the session's caches
    with count_queries() as small:
        dashboard(learner_client)
    _fill(learner, 990)
    with count_queries() as large:
        page = dashboard(learner_client)
    assert "Waiting list, position" in page and "Resume:" in page
    assert db.session.scalar(select(db.func.count(Registration.id))) >= 2000
    assert small.count == large.count, large.statements
    print(f"learner dashboard: {large.count} queries at 10 and at 1,000 rows")


def _open_activities(count: int, first: int = 0) -> None:
    start = utcnow() + timedelta(days=2)
    for n in range(first, first + count):
        activity = Activity(title=f"Open {n}", modality=Modality.SEMINAR, timezone="Europe/Paris", capacity=5,
                            status=ActivityStatus.PUBLISHED, languages=["en"], starts_at=start + timedelta(hours=n),
                            ends_at=start + timedelta(hours=n + 2))
        activity.sessions.append(ActivitySession(starts_at=activity.starts_at, ends_at=activity.ends_at))
        db.session.add(activity)
    db.session.commit()


def test_the_newcomers_dashboard_has_a_constant_number_of_queries(app, people, learner_client):
    make_course("committees", lessons=2)
    _open_activities(10)
    dashboard(learner_client)
    with count_queries() as small:
        dashboard(learner_client)
    _open_activities(990, first=10)
    with count_queries() as large:
        page = dashboard(learner_client)
    assert "Where to start" in page and "Open 0" in page and "Open 3" not in page
    assert small.count == large.count, large.statements
    print(f"newcomer's dashboard: {large.count} queries at 10 and at 1,000 activities")


@pytest.mark.parametrize("kind", [PersonKind.MP])
def test_a_member_is_offered_members_activities(app, kind, make_app):
    parliament = factories.make_parliament()
    member = factories.make_person(Role.LEARNER, kind=kind, parliament=parliament)
    make_activity(title="Members-only briefing", audience=Audience.MPS)
    make_activity(title="Staff-only workshop", audience=Audience.STAFF)
    from tests.helpers import sign_in
    client = app.test_client()
    sign_in(client, member.email, factories.PASSWORD)
    page = dashboard(client)
    assert "Members-only briefing" in page and "Staff-only workshop" not in page
