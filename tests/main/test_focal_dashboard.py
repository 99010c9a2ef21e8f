"""The focal point's dashboard: their parliament's activities, delegations, nominations and requests, and no other's."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditEvent
from elearn.cooperation import services as cooperation
from elearn.cooperation.models import NeedsRequest, RequestStatus, SupportKind
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import Gender, Person, PersonKind, PoliticalSide
from elearn.scheduling import services
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Modality,
    Registration,
    RegistrationState,
)
from tests import factories
from tests.cooperation.factories import make_request
from tests.helpers import count_queries, text
from tests.scheduling.factories import make_activity

RULING, OPPOSITION, INDEPENDENT = PoliticalSide.RULING, PoliticalSide.OPPOSITION, PoliticalSide.INDEPENDENT


@pytest.fixture
def focal(people):
    return people["focal_point"]


@pytest.fixture
def focal_client(login_as):
    return login_as("focal_point")


def dashboard(client) -> str:
    response = client.get("/dashboard")
    assert response.status_code == 200
    return text(response)


def section(page: str, title_id: str) -> str:
    start = page.index(f'aria-labelledby="{title_id}"')
    return page[start:page.index("</section>", start)]


def member(parliament, side=None, gender=None, kind=PersonKind.MP, name=None) -> Person:
    return factories.make_person(Role.LEARNER, parliament=parliament, kind=kind, gender=gender,
                                 political_side=side if kind == PersonKind.MP else None,
                                 **({"full_name": name} if name else {}))


def test_the_focal_point_sees_seats_quota_and_the_delegations_balance(app, focal, focal_client):
    home = focal.parliament
    activity = make_activity(title="Regional seminar on oversight", capacity=12, quota_per_parliament=8)
    delegation = [member(home, RULING, Gender.WOMAN, name="Awa Ruling"), member(home, RULING, Gender.MAN),
                  member(home, RULING, Gender.WOMAN), member(home, OPPOSITION, Gender.MAN),
                  member(home, OPPOSITION, Gender.WOMAN), member(home, OPPOSITION),
                  member(home, kind=PersonKind.STAFF, gender=Gender.WOMAN)]
    for person in delegation:
        services.nominate(activity.id, person, focal)
    services.register(activity.id, member(factories.make_parliament(), OPPOSITION))  # another parliament's seat
    audit_before = db.session.scalar(select(func.count(AuditEvent.id)))

    page = dashboard(focal_client)

    assert page.index("Your parliament's coming activities") < page.index("Your timezone")
    assert "Regional seminar on oversight" in page
    assert "4 / 12" in page  # seats left: eight taken, one by another parliament
    assert "7 of 8 used" in page
    assert "7 people: Women 4, Men 2, Not stated 1" in page
    assert "Ruling majority 3, Opposition 3" in page  # the six members only
    assert "Awa Ruling" not in page  # no one's name, so no one's side
    assert f"/activities/{activity.id}/nominate" in page
    assert db.session.scalar(select(func.count(AuditEvent.id))) == audit_before  # no individual side read


@pytest.mark.parametrize("sides", [
    (RULING, RULING, RULING, OPPOSITION, OPPOSITION, OPPOSITION, INDEPENDENT),  # the lone independent
    (OPPOSITION, OPPOSITION, OPPOSITION, OPPOSITION),  # all on one side: each one's side would be told
    (RULING,),
])
def test_no_side_is_shown_when_it_would_tell_someones(app, focal, focal_client, sides):
    activity = make_activity(title="Briefing for members")
    for side in sides:
        services.nominate(activity.id, member(focal.parliament, side), focal)
    page = dashboard(focal_client)
    assert "Members by political side" in page and "Not shown for so few members" in page
    assert "Opposition" not in page and "Independent" not in page and "Ruling majority" not in page


def test_only_the_focal_points_parliament_shows(app, focal, focal_client, people):
    home, other = focal.parliament, factories.make_parliament(name_en="Other Assembly")
    other_focal = factories.make_person(Role.FOCAL_POINT, parliament=other)
    theirs = make_activity(title="Invitation for the other assembly", invited_parliament_ids=(other.id,))
    ours = make_activity(title="Visit for us", invited_parliament_ids=(home.id, other.id), approval_required=True)
    services.nominate(ours.id, member(home, RULING, name="Nominee Ours"), focal)
    services.nominate(ours.id, member(other, OPPOSITION, name="Nominee Theirs"), other_focal)
    make_request(focal, title="Our request on hearings")
    make_request(other_focal, title="Their request on budgets")
    make_activity(title="Open to every parliament")  # nobody of theirs there: left to the full list

    page = dashboard(focal_client)

    coming = section(page, "delegations-title")
    assert "Visit for us" in coming and "Open to every parliament" not in coming
    assert theirs.title not in page
    assert "Nominations awaiting a decision" in page and "Nominee Ours" in page and "Nominee Theirs" not in page
    assert "Our request on hearings" in page and "Received" in page
    assert "Their request on budgets" not in page
    assert "/cooperation/requests" in page  # see all


def test_closed_requests_and_decided_nominations_are_not_waiting(app, focal, focal_client, people):
    home = focal.parliament
    activity = make_activity(title="Training period", approval_required=True)
    services.nominate(activity.id, member(home, name="Decided Nominee"), focal)
    decided = db.session.scalar(select(Registration).where(Registration.activity_id == activity.id))
    services.decide(decided, approve=True)
    closed = make_request(focal, title="An old request")
    cooperation.change_status(closed, RequestStatus.CLOSED, actor=people["trainer"], answer="Done.")
    page = dashboard(focal_client)
    assert "Decided Nominee" not in page and "No nomination is waiting" in page
    assert "An old request" not in page


@pytest.mark.parametrize("role", ["learner", "trainer", "admin"])
def test_others_do_not_get_the_focal_points_panel(app, login_as, role, focal):
    make_activity(title="Visit for the parliament", invited_parliament_ids=(focal.parliament_id,))
    page = dashboard(login_as(role))
    assert "Your parliament's coming activities" not in page and "Nominations awaiting" not in page


def _fill(focal, rows: int, first: int = 0) -> None:
    """`rows` activities with people of the focal point's parliament and another's, and as many requests."""
    home = focal.parliament
    outsider = factories.make_person(parliament=factories.make_parliament())
    start = utcnow() + timedelta(days=3)
    colleagues = [member(home, side, gender) for side, gender in ((RULING, Gender.WOMAN), (OPPOSITION, Gender.MAN), (INDEPENDENT, None))]
    for n in range(first, first + rows):
        when = start + timedelta(hours=n)
        activity = Activity(title=f"Bulk {n}", modality=Modality.SEMINAR, timezone="Europe/Paris", capacity=10,
                            quota_per_parliament=3, status=ActivityStatus.PUBLISHED, languages=["en"],
                            starts_at=when, ends_at=when + timedelta(hours=2), approval_required=True)
        activity.sessions.append(ActivitySession(starts_at=when, ends_at=when + timedelta(hours=2)))
        for person in colleagues:
            activity.registrations.append(Registration(person=person, state=RegistrationState.REQUESTED,
                                                       nominated_by=focal))
        activity.registrations.append(Registration(person=outsider, state=RegistrationState.CONFIRMED))
        db.session.add(activity)
        db.session.add(NeedsRequest(parliament_id=home.id, kind=SupportKind.TRAINING, title=f"Request {n}",
                                    need="Help", submitted_by_id=focal.id))
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_rows(app, focal, focal_client):
    _fill(focal, 10)
    dashboard(focal_client)
    with count_queries() as small:
        dashboard(focal_client)
    _fill(focal, 990, first=10)
    with count_queries() as large:
        page = dashboard(focal_client)
    assert "Bulk 0" in page and "Request 999" in page
    assert small.count == large.count, large.statements
    print(f"focal point's dashboard: {large.count} queries at 10 and at 1,000 activities")
