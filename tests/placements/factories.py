"""A placement and the people around it, for the placements tests."""
from __future__ import annotations

from datetime import date

from elearn.access import Role
from elearn.placements import services
from elearn.placements.models import Placement, PlacementStatus
from tests.factories import make_parliament, make_person

# A Monday to a Friday, then the next Monday and Tuesday: 7 weekdays.
START, END = date(2026, 3, 2), date(2026, 3, 10)


def make_host():
    return make_parliament(name_en="National Assembly of France", country_code="FR", gives_assistance=True,
                           receives_assistance=False)


def make_placement(person=None, tutor=None, host=None, *, actor=None, status=PlacementStatus.PLANNED,
                   **overrides) -> Placement:
    host = host or make_host()
    person = person or make_person(parliament=make_parliament())
    tutor = tutor or make_person(parliament=host)
    actor = actor or make_person(Role.TRAINER)
    values = dict(person_email=person.email, tutor_email=tutor.email, host_parliament_id=host.id,
                  service="Table Office", starts_on=START, ends_on=END, timezone="Europe/Paris", status=status)
    values.update(overrides)
    return services.save_placement(services.PlacementInput(**values), actor)
