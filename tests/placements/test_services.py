"""Placements without HTTP: what is refused, the daily programme's slots, the visit agenda copied, the reports."""
from datetime import date, time

import pytest
from sqlalchemy import func, select

from elearn.delegations import agenda
from elearn.extensions import db
from elearn.placements import agenda_copy, services
from elearn.placements.models import DayPart, Placement, PlacementEntry, PlacementStatus
from elearn.placements.queries import working_days
from elearn.scheduling.models import Modality
from elearn.scheduling.services import SessionInput
from tests.factories import make_parliament, make_person
from tests.placements.factories import END, START, make_host, make_placement
from tests.scheduling.factories import make_activity


def _input(**overrides):
    host = overrides.pop("host")
    values = dict(person_email=make_person(parliament=make_parliament()).email,
                  tutor_email=make_person(parliament=host).email, host_parliament_id=host.id, service="Table Office",
                  starts_on=START, ends_on=END, timezone="Europe/Paris")
    values.update(overrides)
    return services.PlacementInput(**values)


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"tutor_email": "nobody@example.org"}, "tutor_email", "No active account"),
    ({"ends_on": date(2026, 3, 1)}, "ends_on", "cannot end before it starts"),
    ({"service": "  "}, "service", "Name the host service"),
    ({"timezone": "Mars/Olympus"}, "timezone", "Unknown timezone"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(app, people, change, field, message):
    with pytest.raises(services.PlacementError) as refused:
        services.save_placement(_input(host=make_host(), **change), people["trainer"])
    assert refused.value.field == field and message in str(refused.value)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Placement)) == 0


def test_the_tutor_is_of_the_host_and_the_placed_person_of_a_partner(app, people):
    host = make_host()
    outsider = make_person(parliament=make_parliament())
    with pytest.raises(services.PlacementError, match="tutor must be a person of the host"):
        services.save_placement(_input(host=host, tutor_email=outsider.email), people["trainer"])
    assisting = make_person(parliament=make_parliament(receives_assistance=False, gives_assistance=True))
    with pytest.raises(services.PlacementError, match="partner parliament"):
        services.save_placement(_input(host=host, person_email=assisting.email), people["trainer"])


def test_a_day_holds_a_whole_day_or_halves_within_the_period(app):
    placement = make_placement()
    services.add_entry(placement, services.EntryInput(START, DayPart.MORNING, "Sitting of the Table Office"))
    services.add_entry(placement, services.EntryInput(START, DayPart.AFTERNOON, "Drafting the order paper"))
    for part in (DayPart.DAY, DayPart.MORNING):
        with pytest.raises(services.PlacementError, match="already has an entry"):
            services.add_entry(placement, services.EntryInput(START, part, "Again"))
    with pytest.raises(services.PlacementError, match="within the placement"):
        services.add_entry(placement, services.EntryInput(date(2026, 3, 11), DayPart.DAY, "Too late"))
    with pytest.raises(services.PlacementError, match="Say what"):
        services.add_entry(placement, services.EntryInput(END, DayPart.DAY, " "))
    assert {(e.day, e.part) for e in placement.entries} == {(START, DayPart.MORNING), (START, DayPart.AFTERNOON)}


def test_the_period_cannot_shrink_past_the_programme(app, people):
    placement = make_placement()
    services.add_entry(placement, services.EntryInput(END, DayPart.DAY, "Last day: debriefing"))
    data = _input(host=placement.host_parliament, person_email=placement.person.email,
                  tutor_email=placement.tutor.email, ends_on=date(2026, 3, 6))
    with pytest.raises(services.PlacementError, match="outside this period"):
        services.save_placement(data, people["trainer"], placement)
    db.session.rollback()
    assert db.session.get(Placement, placement.id).ends_on == END


def test_counted_days_are_the_programme_days_or_every_weekday(app):
    placement = make_placement()
    assert len(working_days(placement)) == 7  # two weekends left out
    services.add_entry(placement, services.EntryInput(START, DayPart.MORNING, "Morning"))
    services.add_entry(placement, services.EntryInput(START, DayPart.AFTERNOON, "Afternoon"))
    services.add_entry(placement, services.EntryInput(date(2026, 3, 4), DayPart.DAY, "A day"))
    assert working_days(placement) == [START, date(2026, 3, 4)]
    assert working_days(placement, date_from=date(2026, 3, 3)) == [date(2026, 3, 4)]


def test_the_visit_agenda_fills_free_slots_once(app):
    visit = make_activity(modality=Modality.EXCHANGE_VISIT, timezone="Europe/Paris", sessions=(
        SessionInput(start_date=START, end_date=date(2026, 3, 3), all_day=True),))
    session = visit.sessions[0]
    for day, start, end, title in [(START, time(9, 30), time(11), "Welcome at the Table Office"),
                                   (START, time(11, 30), time(12, 30), "The order paper"),
                                   (date(2026, 3, 3), time(14), time(16), "Question time")]:
        agenda.create_item(visit, agenda.AgendaItemInput(session_id=session.id, day=day, start_time=start,
                                                         end_time=end, title=title, host="Clerk", room="Room 6"))
    placement = make_placement(activity_id=visit.id)
    services.add_entry(placement, services.EntryInput(date(2026, 3, 3), DayPart.AFTERNOON, "Set by the tutor"))
    assert len(agenda_copy.visit_items(placement)) == 3
    assert agenda_copy.copy_visit_agenda(placement) == 1
    assert agenda_copy.copy_visit_agenda(placement) == 0
    copied = db.session.scalar(select(PlacementEntry).where(PlacementEntry.agenda_item_id.is_not(None)))
    assert (copied.day, copied.part) == (START, DayPart.MORNING)
    assert copied.what == "Welcome at the Table Office · The order paper" and copied.with_whom == "Clerk"
    kept = next(e for e in placement.entries if e.day == date(2026, 3, 3))
    assert kept.what == "Set by the tutor"


def test_reports_are_drafts_until_submitted_then_final(app):
    placement = make_placement()
    with pytest.raises(services.PlacementError, match="cannot write a report"):
        services.save_report(placement, placement.tutor, what_was_done="x", follow_up="", submit=False)
    placement.status = PlacementStatus.UNDER_WAY
    db.session.commit()
    with pytest.raises(services.PlacementError, match="Say what was done"):
        services.save_report(placement, placement.person, what_was_done=" ", follow_up="", submit=True)
    draft = services.save_report(placement, placement.person, what_was_done="Notes", follow_up="", submit=False)
    assert not draft.submitted
    report = services.save_report(placement, placement.person, what_was_done="Shadowed the clerks",
                                  follow_up="A register of questions", submit=True)
    assert report.id == draft.id and report.submitted
    with pytest.raises(services.PlacementError, match="submitted already"):
        services.save_report(placement, placement.person, what_was_done="Changed", follow_up="", submit=True)
    with pytest.raises(services.PlacementError, match="cannot write a report"):
        services.save_report(placement, make_person(), what_was_done="x", follow_up="", submit=False)
