"""Who may see and do what with a mentoring pair. The log is the strictest: the two people and the pair's own
trainer, nobody else (not another trainer, not an administrator who is not its trainer, not a focal point)."""
from __future__ import annotations

from elearn.access import Role, has_role
from elearn.mentoring.models import MentoringPair, PairStatus, ReviewSide
from elearn.people.models import Person


def is_party(person: Person | None, pair: MentoringPair) -> bool:
    """The mentor or the mentee."""
    return pair.is_member(person)


def is_pair_trainer(person: Person | None, pair: MentoringPair) -> bool:
    """The pair's own trainer, while they are still staff: a trainer who loses the role loses the log too."""
    return (person is not None and pair.trainer_id is not None and person.id == pair.trainer_id
            and has_role(person, Role.TRAINER))


def can_manage(person: Person | None, pair: MentoringPair) -> bool:
    """Propose, edit the agreement, end: the pair's trainer, or an administrator (who runs the unit)."""
    return person is not None and (is_pair_trainer(person, pair) or person.role == Role.ADMIN)


def can_see(person: Person | None, pair: MentoringPair) -> bool:
    """The pair's page (agreement, objectives, meetings), never the log: the two people and who manages it."""
    return is_party(person, pair) or can_manage(person, pair)


def can_read_log(person: Person | None, pair: MentoringPair) -> bool:
    return is_party(person, pair) or is_pair_trainer(person, pair)


def can_schedule(person: Person | None, pair: MentoringPair) -> bool:
    """Either side schedules meetings (and the pair's trainer, for them); only while the pair is active."""
    return pair.status == PairStatus.ACTIVE and (is_party(person, pair) or is_pair_trainer(person, pair))


def is_staff(person: Person | None) -> bool:
    return getattr(person, "is_authenticated", False) and has_role(person, Role.TRAINER)


def can_take_up(person: Person | None, pair: MentoringPair) -> bool:
    """A focal point's request no trainer follows yet: any trainer may take it up and become its trainer."""
    return pair.status == PairStatus.REQUESTED and pair.trainer_id is None and is_staff(person)


def may_open(person: Person | None, pair: MentoringPair) -> bool:
    """The pair's page: who may see it, and a trainer deciding whether to take up a request."""
    return can_see(person, pair) or can_take_up(person, pair)


def side_of(person: Person | None, pair: MentoringPair) -> ReviewSide | None:
    if person is None or not pair.is_member(person):
        return None
    return ReviewSide.MENTOR if person.id == pair.mentor_id else ReviewSide.MENTEE


def awaits_answer_from(person: Person | None, pair: MentoringPair) -> bool:
    """A proposed pair waits for this person's acceptance (or refusal)."""
    side = side_of(person, pair)
    if pair.status != PairStatus.PROPOSED or side is None:
        return False
    return (pair.mentor_accepted_at if side == ReviewSide.MENTOR else pair.mentee_accepted_at) is None


def can_mark_objectives(person: Person | None, pair: MentoringPair) -> bool:
    """The pair itself says how far each objective has come, while the pairing runs."""
    return pair.status == PairStatus.ACTIVE and is_party(person, pair)


def can_write_log(person: Person | None, pair: MentoringPair) -> bool:
    return pair.status in (PairStatus.ACTIVE, PairStatus.ENDED) and can_read_log(person, pair)


def can_review(person: Person | None, pair: MentoringPair) -> bool:
    """Each side reviews the pairing once it has ended."""
    return pair.status == PairStatus.ENDED and is_party(person, pair)


def may_mentor(person: Person | None) -> bool:
    """A mentor comes from an assisting parliament."""
    return _usable(person) and person.parliament.gives_assistance


def may_be_mentee(person: Person | None) -> bool:
    """A mentee comes from a partner parliament (one that receives assistance)."""
    return _usable(person) and person.parliament.receives_assistance


def _usable(person: Person | None) -> bool:
    return bool(person is not None and person.is_active and person.erased_at is None
                and person.parliament is not None)
