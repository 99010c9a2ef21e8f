"""The inter-parliamentary conference: participants from many parliaments, invited by name, each parliament
within its quota, its focal point nominating its delegation (the regional seminar's rules, not a copy)."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.reports.facts import ReportFilters
from elearn.reports.report import build_report
from elearn.scheduling import services
from elearn.scheduling.delegations import coming_activities
from elearn.scheduling.models import AttendanceStatus, Modality, Registration, RegistrationState
from tests.factories import PASSWORD, make_parliament, make_person
from tests.helpers import post_form, sign_in, text
from tests.reports.factories import attend, make_held_activity
from tests.scheduling.factories import make_activity

LABEL = "Inter-parliamentary conference"


@pytest.fixture
def delegations(app):
    """Three invited parliaments with a focal point and three colleagues each, and one parliament not invited."""
    result = {}
    for code in ("GM", "NE", "CI", "MW"):
        parliament = make_parliament(country_code=code, name_en=f"Assembly {code}")
        focal = make_person(Role.FOCAL_POINT, parliament=parliament, email=f"focal-{code.lower()}@example.org")
        colleagues = [make_person(parliament=parliament, full_name=f"Clerk {code} {n}") for n in range(3)]
        result[code] = (parliament, focal, colleagues)
    return result


def conference(delegations, **overrides):
    values = dict(title="Conference on budget transparency", modality=Modality.CONFERENCE, capacity=20,
                  quota_per_parliament=2,
                  invited_parliament_ids=tuple(delegations[c][0].id for c in ("GM", "NE", "CI")))
    values.update(overrides)
    return make_activity(**values)


def signed_in(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    return client


def test_each_invited_parliaments_focal_point_nominates_within_its_quota(app, delegations):
    activity = conference(delegations)
    for code in ("GM", "NE", "CI"):
        _parliament, focal, colleagues = delegations[code]
        client = signed_in(app, focal)
        path = f"/activities/{activity.id}/nominate"
        for colleague in colleagues[:2]:
            response = post_form(client, path, {"person_id": colleague.id}, token_from=path)
            assert response.status_code == 302, text(response)
        refused = text(post_form(client, path, {"person_id": colleagues[2].id}, token_from=path))
        assert "quota of 2 seats is used" in refused
    rows = db.session.scalars(select(Registration).where(Registration.activity_id == activity.id)).all()
    assert len(rows) == 6 and {r.state for r in rows} == {RegistrationState.CONFIRMED}
    by_parliament = {code: sum(1 for r in rows if r.person.parliament_id == delegations[code][0].id)
                     for code in ("GM", "NE", "CI")}
    assert by_parliament == {"GM": 2, "NE": 2, "CI": 2}
    assert all(r.nominated_by.parliament_id == r.person.parliament_id for r in rows)


def test_a_parliament_not_invited_cannot_send_anyone(app, delegations):
    activity = conference(delegations)
    _parliament, focal, colleagues = delegations["MW"]
    with pytest.raises(services.SchedulingError, match="not invited"):
        services.nominate(activity.id, colleagues[0], focal)
    with pytest.raises(services.SchedulingError, match="not invited"):
        services.register(activity.id, colleagues[1])
    assert services.register(activity.id, delegations["GM"][2][0]).registration.state == RegistrationState.CONFIRMED


def test_the_focal_points_dashboard_lists_the_conference_of_an_invited_parliament(app, delegations):
    activity = conference(delegations)
    for code in ("GM", "NE", "CI"):
        assert [d.activity.id for d in coming_activities(delegations[code][0].id, utcnow(), 10)] == [activity.id]
    assert coming_activities(delegations["MW"][0].id, utcnow(), 10) == []


def test_the_public_calendar_and_list_offer_the_conference_under_its_label(app, client, delegations):
    activity = conference(delegations)
    make_activity(title="Workshop on hearings", modality=Modality.TRAINING_WORKSHOP)
    assert LABEL in text(client.get("/calendar"))
    listed = text(client.get("/activities?modality=inter_parliamentary_conference"))
    assert activity.title in listed and LABEL in listed and "Workshop on hearings" not in listed
    feed = client.get("/calendar.ics?modality=inter_parliamentary_conference")
    assert feed.status_code == 200
    body = feed.get_data(as_text=True)
    assert "Conference on budget transparency" in body and "Workshop on hearings" not in body
    french = text(client.get("/activities?modality=inter_parliamentary_conference",
                             headers={"Accept-Language": "fr"}))
    assert "Conférence interparlementaire" in french


def test_reports_count_a_held_conference_by_its_modality(app, delegations, login_as):
    held = make_held_activity([(datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 17))], modality=Modality.CONFERENCE,
                              title="Held conference")
    for code in ("GM", "NE", "CI"):
        attend(held, delegations[code][2][0], AttendanceStatus.PRESENT)
    seminar = make_held_activity([(datetime(2026, 3, 3, 9), datetime(2026, 3, 3, 17))],
                                 modality=Modality.REGIONAL_SEMINAR)
    attend(seminar, delegations["GM"][2][1], AttendanceStatus.PRESENT)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    report = build_report(ReportFilters(modality=Modality.CONFERENCE), now=now)
    assert (report.activities_held, report.total.participations) == (1, 3)
    everything = build_report(ReportFilters(), now=now)
    assert (everything.activities_held, everything.total.participations) == (2, 4)
    page = login_as("trainer").get("/reports/participation?date_from=2026-01-01&modality=inter_parliamentary_conference")
    assert page.status_code == 200 and LABEL in text(page)
