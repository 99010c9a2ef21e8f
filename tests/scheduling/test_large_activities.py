"""Pages of a large activity (thousands of registrations, a parliament of thousands): a fixed number of SQL
statements whatever the number of rows, one page of rows at a time, a search instead of one huge list."""
from __future__ import annotations

import io
import itertools
import re
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from elearn.access import Role
from elearn.extensions import db
from elearn.people.models import Person, PersonKind
from elearn.scheduling import services
from elearn.scheduling.models import Attendance, Audience, Registration, RegistrationState
from tests.factories import PASSWORD, make_parliament, make_person
from tests.helpers import count_queries, frozen_clock, post_form, text
from tests.scheduling.factories import make_activity

_numbers = itertools.count(1)


def add_people(count: int, parliament, **values) -> list[Person]:
    """People without a password (faster), added in one commit."""
    people = []
    for _ in range(count):
        n = next(_numbers)
        person = Person(email=f"many{n}@example.org", full_name=values.pop("full_name", f"Colleague {n:04d}"),
                        kind=values.get("kind", PersonKind.STAFF), role=Role.LEARNER, parliament=parliament)
        db.session.add(person)
        people.append(person)
    db.session.commit()
    return people


def add_registrations(activity, people, state=RegistrationState.CONFIRMED, nominators=()) -> list[Registration]:
    """Registrations written directly (as an import would): the pages only read them."""
    position = db.session.scalar(select(func.max(Registration.waitlist_position))
                                 .where(Registration.activity_id == activity.id)) or 0
    rows = []
    for index, person in enumerate(people):
        waiting = state == RegistrationState.WAITLISTED
        if waiting:
            position += 2  # gaps, as people leave the line
        rows.append(Registration(activity_id=activity.id, person_id=person.id, state=state,
                                 waitlist_position=position if waiting else None,
                                 nominated_by_id=nominators[index % len(nominators)].id if nominators else None))
    db.session.add_all(rows)
    db.session.commit()
    return rows


def statements(client, path: str) -> tuple[int, str]:
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter.count, text(response)


# Nominations ---------------------------------------------------------------------------------------

def test_the_nomination_page_reads_the_same_statements_for_one_or_many_colleagues_and_registrations(
        people, login_as):
    home = people["focal_point"].parliament
    small, large = make_activity(), make_activity(capacity=500)
    add_registrations(small, add_people(1, home))
    add_registrations(large, add_people(40, home) + add_people(30, make_parliament()))
    add_people(40, home)  # colleagues still free to nominate
    client = login_as("focal_point")
    few, _page = statements(client, f"/activities/{small.id}/nominate")
    many, page = statements(client, f"/activities/{large.id}/nominate")
    assert few == many
    assert page.count("<li>") >= 40  # the delegation, its people read in the same query


def test_nominations_are_searched_among_the_focal_points_own_colleagues_a_page_at_a_time(people, login_as):
    home = people["focal_point"].parliament
    add_people(30, home)
    make_person(full_name="Aminata Jallow", email="a.jallow@assembly.gm", parliament=home)
    make_person(full_name="Aminata Elsewhere", parliament=make_parliament())
    activity = make_activity()
    client = login_as("focal_point")

    first = text(client.get(f"/activities/{activity.id}/nominate"))
    assert first.count('name="person_id"') == 25 and "Page 1 of 2" in first  # PAGE_SIZE rows, then a second page
    assert "Aminata Elsewhere" not in first
    second = text(client.get(f"/activities/{activity.id}/nominate?page=2"))
    assert second.count('name="person_id"') == 32 + 1 - 25  # 30 + Jallow + the focal point's learner colleague

    by_name = text(client.get(f"/activities/{activity.id}/nominate?q=aminata"))
    assert "Aminata Jallow" in by_name and "Aminata Elsewhere" not in by_name
    assert by_name.count('name="person_id"') == 1
    assert "Aminata Jallow" in text(client.get(f"/activities/{activity.id}/nominate?q=JALLOW%40ASSEMBLY"))
    assert "Nobody matches." in text(client.get(f"/activities/{activity.id}/nominate?q=100%25"))


def test_a_nomination_from_the_search_registers_the_colleague_and_leaves_the_list(people, login_as):
    home = people["focal_point"].parliament
    colleague = make_person(full_name="Sonam Wangchuk", parliament=home)
    activity = make_activity()
    client = login_as("focal_point")
    url = f"/activities/{activity.id}/nominate?q=sonam"
    response = post_form(client, url, {"person_id": colleague.id}, token_from=url, follow_redirects=True)
    page = text(response)
    assert "Sonam Wangchuk is nominated (confirmed)." in page
    assert 'name="person_id" value="%d"' % colleague.id not in page  # now in the delegation, not offered
    assert "Sonam Wangchuk: confirmed" in page
    registration = db.session.scalar(select(Registration).where(Registration.person_id == colleague.id))
    assert registration.nominated_by_id == people["focal_point"].id


def test_another_parliaments_person_posted_to_the_nomination_is_refused(people, login_as):
    foreigner = make_person(full_name="Foreign Member", parliament=make_parliament())
    inactive = make_person(full_name="Gone Colleague", parliament=people["focal_point"].parliament, is_active=False)
    member = make_person(full_name="Honourable Member", kind=PersonKind.MP, parliament=people["focal_point"].parliament)
    activity = make_activity(audience=Audience.STAFF)
    client = login_as("focal_point")
    url = f"/activities/{activity.id}/nominate"
    for outsider in (foreigner, inactive, member):
        refused = post_form(client, url, {"person_id": outsider.id}, token_from=url)
        assert refused.status_code == 200 and "Not a valid choice" in text(refused)
    assert "Foreign Member" not in text(client.get(f"{url}?q=foreign"))
    assert db.session.scalar(select(func.count(Registration.id))) == 0


# The roster ----------------------------------------------------------------------------------------

def test_the_roster_reads_the_same_statements_for_one_or_many_registrations_and_nominators(
        app, people, login_as):
    app.config["ROSTER_PAGE_SIZE"] = 20
    small, large = make_activity(), make_activity(capacity=30)
    parliaments = [make_parliament() for _ in range(3)]
    focal_points = [make_person(Role.FOCAL_POINT, parliament=p, password=None) for p in parliaments]
    add_registrations(small, add_people(1, parliaments[0]), nominators=focal_points[:1])
    add_registrations(large, add_people(25, parliaments[1]), nominators=focal_points)
    add_registrations(large, add_people(15, parliaments[2]), state=RegistrationState.WAITLISTED,
                      nominators=focal_points)
    client = login_as("trainer")
    few, _page = statements(client, f"/manage/activities/{small.id}")
    many, page = statements(client, f"/manage/activities/{large.id}")
    assert few == many
    assert page.count("nominated by") == 20  # one page, each with its nominator
    assert "All (40)" in page and "confirmed (25)" in page and "on the waiting list (15)" in page
    waiting = text(client.get(f"/manage/activities/{large.id}?state=waitlisted"))
    assert "(position 1)" in waiting and "(position 15)" in waiting  # ranks 1..n despite gaps in positions
    last = text(client.get(f"/manage/activities/{large.id}?page=2"))
    assert "Page 2 of 2, 40 in all" in last and "(position 15)" in last


def test_the_roster_keeps_its_filters_across_pages(app, people, login_as):
    app.config["ROSTER_PAGE_SIZE"] = 5
    activity = make_activity(capacity=50)
    home, other = make_parliament(), make_parliament()
    add_registrations(activity, add_people(8, home) + add_people(8, other))
    page = text(login_as("trainer").get(f"/manage/activities/{activity.id}?parliament={home.id}"))
    assert "Page 1 of 2, 8 in all" in page
    assert f"parliament={home.id}" in re.search(r'<a href="([^"]*page=2[^"]*)"', page).group(1)


# Attendance and sign-in sheets ---------------------------------------------------------------------

def test_the_attendance_sheet_is_paged_and_each_page_saves_its_own_marks(app, people, login_as):
    app.config["ROSTER_PAGE_SIZE"] = 10
    small, large = make_activity(), make_activity(capacity=30)
    add_registrations(small, add_people(1, make_parliament()))
    registrations = add_registrations(large, add_people(25, make_parliament()))
    session = large.sessions[0]
    with frozen_clock(session.starts_at + timedelta(hours=1)):
        client = login_as("trainer")
        few, _page = statements(client, f"/manage/sessions/{small.sessions[0].id}/attendance")
        many, first = statements(client, f"/manage/sessions/{session.id}/attendance")
        assert few == many and first.count('value="present"') == 10
        url = f"/manage/sessions/{session.id}/attendance?page=3"
        third = text(client.get(url))
        on_third = [int(n) for n in re.findall(r'name="mark-(\d+)" value="present"', third)]
        assert len(on_third) == 5
        response = post_form(client, url, {f"mark-{n}": "absent" for n in on_third}, token_from=url)
        assert response.headers["Location"].endswith("?page=3")
        assert "Attendance is saved." in text(client.get(url))
    marks = db.session.execute(select(Attendance.registration_id, Attendance.status)).all()
    assert sorted(r for r, _s in marks) == sorted(on_third) and {s.value for _r, s in marks} == {"absent"}
    assert set(on_third) <= {r.id for r in registrations}


def test_attendance_for_a_registration_of_another_activity_is_refused(people, login_as):
    activity, other = make_activity(), make_activity()
    add_registrations(activity, add_people(2, make_parliament()))
    stranger = add_registrations(other, add_people(1, make_parliament()))[0]
    session = activity.sessions[0]
    with frozen_clock(session.starts_at + timedelta(hours=1)):
        client = login_as("trainer")
        url = f"/manage/sessions/{session.id}/attendance"
        response = post_form(client, url, {f"mark-{stranger.id}": "present"}, token_from=url, follow_redirects=True)
    assert "only for confirmed participants" in text(response)
    assert db.session.scalar(select(func.count(Attendance.id))) == 0


def test_the_sign_in_sheet_is_paged_and_numbers_on(app, people, login_as):
    app.config["ROSTER_PAGE_SIZE"] = 10
    activity = make_activity(capacity=30)
    add_registrations(activity, add_people(12, make_parliament()))
    client = login_as("trainer")
    _count, first = statements(client, f"/manage/sessions/{activity.sessions[0].id}/sign-in-sheet")
    second = text(client.get(f"/manage/sessions/{activity.sessions[0].id}/sign-in-sheet?page=2"))
    assert first.count('class="signature"') == 10 and second.count('class="signature"') == 2
    assert "<td>11</td>" in second and "<td>12</td>" in second


# Exports ---------------------------------------------------------------------------------------------

def test_the_participant_exports_stream_every_row_in_batches(app, people, login_as):
    activity = make_activity(capacity=1200)
    add_registrations(activity, add_people(1100, make_parliament(name_en="Big Assembly")))
    client = login_as("trainer")
    with count_queries() as counter:
        response = client.get(f"/manage/activities/{activity.id}/participants.csv")
        assert response.is_streamed
        lines = response.get_data().decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 1100 and lines[1].startswith("Colleague ") and "Big Assembly" in lines[1]
    assert counter.count <= 8  # the same few statements for 1,100 rows as for one
    response = client.get(f"/manage/activities/{activity.id}/participants.xlsx")
    assert response.is_streamed
    rows = list(load_workbook(io.BytesIO(response.get_data())).active.values)
    assert len(rows) == 1101 and rows[0][0] == "Name" and rows[1][5] == "confirmed"


# My schedule -----------------------------------------------------------------------------------------

def test_my_schedule_reads_the_same_statements_for_one_or_many_waiting_places_and_is_paged(people, login_as):
    learner = people["learner"]
    client = login_as("learner")
    first = make_activity(capacity=1)
    add_registrations(first, [learner], state=RegistrationState.WAITLISTED)
    few, _page = statements(client, "/my/schedule")
    for _ in range(29):
        activity = make_activity(capacity=1)
        add_registrations(activity, add_people(2, make_parliament()), state=RegistrationState.WAITLISTED)
        add_registrations(activity, [learner], state=RegistrationState.WAITLISTED)
    many, page = statements(client, "/my/schedule")
    assert few == many
    assert page.count("Waiting list, position 3") == 24 and "Waiting list, position 1" in page  # the first page
    assert "Page 1 of 2, 30 in all" in page
    assert text(client.get("/my/schedule?page=2")).count("Waiting list, position 3") == 5


def test_waitlist_ranks_count_who_is_still_ahead(app):
    activity = make_activity(capacity=1)
    rows = add_registrations(activity, add_people(4, make_parliament()), state=RegistrationState.WAITLISTED)
    rows[1].state, rows[1].waitlist_position = RegistrationState.WITHDRAWN, None
    db.session.commit()
    assert services.waitlist_ranks(activity.id) == {rows[0].id: 1, rows[2].id: 2, rows[3].id: 3}
    assert services.waitlist_ranks_among([activity.id], [rows[3].id]) == {rows[3].id: 3}
    assert services.waitlist_rank(rows[2]) == 2


def test_a_focal_point_without_a_parliament_is_offered_nobody(app):
    focal = make_person(Role.FOCAL_POINT, parliament=None)
    make_person(full_name="Unattached Person", parliament=None)
    activity = make_activity()
    client = app.test_client()
    post_form(client, "/account/login", {"email": focal.email, "password": PASSWORD})
    page = text(client.get(f"/activities/{activity.id}/nominate"))
    assert "Unattached Person" not in page
    assert "Nobody else of your parliament can be nominated for this activity." in page


def test_the_roster_names_every_clash_in_the_same_statements(people, login_as):
    trainer = people["trainer"]
    activity = make_activity(trainer_ids=(trainer.id,), venue_name="Hall", venue_city="Banjul")
    make_activity(title="Clash 0", trainer_ids=(trainer.id,), venue_name="Other", venue_city="Elsewhere")
    client = login_as("trainer")
    one, _page = statements(client, f"/manage/activities/{activity.id}")
    for n in range(1, 6):
        make_activity(title=f"Clash {n}", trainer_ids=(trainer.id,), venue_name="Hall", venue_city="Banjul")
    six, page = statements(client, f"/manage/activities/{activity.id}")
    assert one == six
    assert all(f"“Clash {n}”" in page for n in range(6))
