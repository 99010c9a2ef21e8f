"""Placement pages: who sees what (the IDOR rules), the staff form, the programme and the reports by HTTP."""
from datetime import date

from sqlalchemy import select

from elearn.access import Role
from elearn.extensions import db
from elearn.placements import services
from elearn.placements.models import DayPart, Placement, PlacementEntry, PlacementStatus
from elearn.reports.facts import ReportFilters
from elearn.reports.report import build_report
from elearn.scheduling.models import Modality
from tests.factories import PASSWORD, make_parliament, make_person
from tests.helpers import post_form, sign_in, text
from tests.placements.factories import START, make_host, make_placement


def _client(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    return client


def test_staff_create_a_placement_and_bad_input_saves_nothing(app, login_as, people):
    host = make_host()
    person = make_person(parliament=make_parliament(name_en="National Assembly of Bhutan"), full_name="Sonam")
    tutor = make_person(parliament=host, full_name="Claire Vasseur")
    client = login_as("trainer")
    form = {"person_email": person.email, "tutor_email": tutor.email, "host_parliament_id": host.id,
            "service": "Table Office", "starts_on": "2026-03-02", "ends_on": "2026-02-27",
            "timezone": "Europe/Paris", "status": "planned", "activity_id": "", "programme_id": "", "topic_id": ""}
    refused = post_form(client, "/manage/placements/new", form, token_from="/manage/placements/new")
    assert refused.status_code == 200 and "The placement cannot end before it starts." in text(refused)
    assert db.session.scalar(select(Placement)) is None
    saved = post_form(client, "/manage/placements/new", {**form, "ends_on": "2026-03-13"},
                      token_from="/manage/placements/new")
    placement = db.session.scalar(select(Placement))
    assert saved.headers["Location"].endswith(f"/placements/{placement.id}")
    page = text(client.get(f"/placements/{placement.id}"))
    assert "Table Office" in page and "Claire Vasseur" in page and "Sonam" in page
    assert "Sonam" in text(client.get("/manage/placements?status=planned"))
    assert "Sonam" not in text(client.get("/manage/placements?status=completed"))


def test_who_sees_a_placement_and_who_gets_a_not_found(app, people):
    placement = make_placement(person=make_person(parliament=people["learner"].parliament))
    url = f"/placements/{placement.id}"
    other_focal = make_person(Role.FOCAL_POINT)
    for person, status in [(placement.person, 200), (placement.tutor, 200), (people["focal_point"], 200),
                           (people["trainer"], 200), (people["learner"], 404), (other_focal, 404)]:
        assert _client(app, person).get(url).status_code == status, person.email
    assert _client(app, other_focal).get("/placements").status_code == 200
    assert "Table Office" not in text(_client(app, other_focal).get("/placements"))
    assert "Table Office" in text(_client(app, people["focal_point"]).get("/placements"))
    assert _client(app, placement.person).get("/manage/placements").status_code == 403


def test_the_tutor_keeps_the_programme_and_the_placed_person_cannot(app):
    placement = make_placement()
    url = f"/placements/{placement.id}"
    tutor, placed = _client(app, placement.tutor), _client(app, placement.person)
    entry = {"day": "2026-03-03", "part": "morning", "what": "Sitting with the clerks", "place": "Salle 6",
             "with_whom": "The Table Office"}
    assert post_form(tutor, f"{url}/programme", entry, token_from=url).status_code == 302
    assert "Sitting with the clerks" in text(placed.get(url))
    assert post_form(placed, f"{url}/programme", {**entry, "part": "afternoon"}, token_from=url).status_code == 403
    outside = post_form(tutor, f"{url}/programme", {**entry, "day": "2026-04-01"}, token_from=url)
    assert outside.status_code == 400 and "Choose a day within the placement" in text(outside)
    taken = post_form(tutor, f"{url}/programme", entry, token_from=url)
    assert "already has an entry" in text(taken)
    assert len(db.session.scalars(select(PlacementEntry)).all()) == 1


def test_an_entry_of_another_placement_cannot_be_removed_through_mine(app):
    mine, theirs = make_placement(), make_placement()
    entry = services.add_entry(theirs, services.EntryInput(START, DayPart.DAY, "Theirs"))
    tutor = _client(app, mine.tutor)
    response = post_form(tutor, f"/placements/{mine.id}/programme/{entry.id}/delete", token_from=f"/placements/{mine.id}")
    assert response.status_code == 404
    other = post_form(tutor, f"/placements/{theirs.id}/programme/{entry.id}/delete", token_from=f"/placements/{mine.id}")
    assert other.status_code == 404
    assert db.session.get(PlacementEntry, entry.id) is not None


def test_a_draft_report_is_its_authors_alone_until_submitted(app, people):
    placement = make_placement(person=make_person(parliament=people["learner"].parliament),
                               status=PlacementStatus.UNDER_WAY)
    url = f"/placements/{placement.id}"
    tutor = _client(app, placement.tutor)
    post_form(tutor, f"{url}/report", {"what_was_done": "Secret draft words", "follow_up": "", "save": "y"},
              token_from=f"{url}/report")
    assert "Secret draft words" in text(tutor.get(url))
    for reader in (placement.person, people["focal_point"], people["trainer"]):
        assert "Secret draft words" not in text(_client(app, reader).get(url))
    post_form(tutor, f"{url}/report", {"what_was_done": "Final words", "follow_up": "", "submit": "y"},
              token_from=f"{url}/report")
    assert "Final words" in text(_client(app, people["focal_point"]).get(url))
    # The focal point writes no report: it is not theirs.
    assert _client(app, people["focal_point"]).get(f"{url}/report").status_code == 403


def test_the_dashboard_lists_the_placement_and_the_report_to_write(app):
    placement = make_placement(status=PlacementStatus.UNDER_WAY, starts_on=date.today(), ends_on=date.today())
    page = text(_client(app, placement.person).get("/dashboard"))
    assert "Your shadowing placements" in page and "Write your placement report" in page
    assert "Your shadowing placements" not in text(_client(app, make_person()).get("/dashboard"))


def test_a_completed_placement_counts_in_the_participation_report(app):
    placement = make_placement(status=PlacementStatus.COMPLETED)
    make_placement(status=PlacementStatus.CANCELLED)  # counts for nothing
    report = build_report(ReportFilters())
    assert (report.total.participations, report.total.people, report.total.days, report.total.hours) == (1, 1, 7, 49)
    services.add_entry(placement, services.EntryInput(START, DayPart.MORNING, "Morning"))
    services.add_entry(placement, services.EntryInput(date(2026, 3, 3), DayPart.DAY, "A day"))
    assert build_report(ReportFilters()).total.days == 2
    assert build_report(ReportFilters(modality=Modality.SHADOWING)).total.participations == 1
    assert build_report(ReportFilters(modality=Modality.SEMINAR)).total.participations == 0
    assert build_report(ReportFilters(date_from=date(2026, 3, 3))).total.days == 1
    assert build_report(ReportFilters(parliament_id=placement.person.parliament_id)).total.participations == 1
    assert build_report(ReportFilters(parliament_id=placement.host_parliament_id)).total.participations == 0


def test_a_replaced_tutors_draft_goes_and_no_export_shows_another_authors_draft(app, people):
    placement = make_placement(person=make_person(parliament=people["learner"].parliament),
                               status=PlacementStatus.UNDER_WAY)
    url = f"/placements/{placement.id}"
    post_form(_client(app, placement.tutor), f"{url}/report",
              {"what_was_done": "Secret draft words", "follow_up": "", "save": "y"}, token_from=f"{url}/report")
    # The placed person's own data shows that a report exists, never the tutor's words.
    assert "Secret draft words" not in text(_client(app, placement.person).get("/account/data.json"))
    new_tutor = make_person(parliament=placement.host_parliament)
    services.save_placement(services.PlacementInput(
        person_email=placement.person.email, tutor_email=new_tutor.email, host_parliament_id=placement.host_parliament_id,
        service=placement.service, starts_on=placement.starts_on, ends_on=placement.ends_on,
        timezone=placement.timezone, status=placement.status), people["trainer"])
    assert "Secret draft words" not in text(_client(app, new_tutor).get(f"{url}/report"))
