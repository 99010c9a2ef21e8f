"""Who may see and do what with a placement. A report's draft is its author's alone until it is submitted."""
from __future__ import annotations

from elearn.access import Role, has_role
from elearn.people.models import Person
from elearn.placements.models import Placement, PlacementReport, PlacementStatus, ReportSide


def is_staff(person: Person | None) -> bool:
    """The cooperation unit: trainers and administrators manage every placement."""
    return person is not None and has_role(person, Role.TRAINER)


def is_placed(person: Person | None, placement: Placement) -> bool:
    return person is not None and person.id == placement.person_id


def is_tutor(person: Person | None, placement: Placement) -> bool:
    return person is not None and person.id == placement.tutor_id


def is_focal_point_of(person: Person | None, placement: Placement) -> bool:
    """A focal point of the placed person's parliament (not of the host's)."""
    return (person is not None and person.role == Role.FOCAL_POINT and person.parliament_id is not None
            and person.parliament_id == placement.person.parliament_id)


def can_see(person: Person | None, placement: Placement) -> bool:
    return (is_staff(person) or is_placed(person, placement) or is_tutor(person, placement)
            or is_focal_point_of(person, placement))


def can_edit_programme(person: Person | None, placement: Placement) -> bool:
    """The unit and the host tutor keep the daily programme, until the placement is over or cancelled."""
    open_ = placement.status in (PlacementStatus.PLANNED, PlacementStatus.UNDER_WAY)
    return open_ and (is_staff(person) or is_tutor(person, placement))


def side_of(person: Person | None, placement: Placement) -> ReportSide | None:
    """Which report this person writes: the tutor's or the placed person's; None for anyone else."""
    if is_tutor(person, placement):
        return ReportSide.TUTOR
    if is_placed(person, placement):
        return ReportSide.PLACED
    return None


def can_write_report(person: Person | None, placement: Placement) -> bool:
    """Once the placement has begun (under way or completed), each side writes its own."""
    begun = placement.status in (PlacementStatus.UNDER_WAY, PlacementStatus.COMPLETED)
    return begun and side_of(person, placement) is not None


def can_read_report(person: Person | None, report: PlacementReport) -> bool:
    """Its author always; once submitted, whoever sees the placement."""
    if report.author_id is not None and person is not None and report.author_id == person.id:
        return True
    return report.submitted and can_see(person, report.placement)
