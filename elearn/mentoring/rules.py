"""Who may see and do what with a mentoring pair. The log is the strictest: the two people and the pair's own
trainer, nobody else (not another trainer, not an administrator who is not its trainer, not a focal point)."""
from __future__ import annotations

from elearn.access import Role
from elearn.mentoring.models import MentoringPair, PairStatus
from elearn.people.models import Person


def is_party(person: Person | None, pair: MentoringPair) -> bool:
    """The mentor or the mentee."""
    return pair.is_member(person)


def is_pair_trainer(person: Person | None, pair: MentoringPair) -> bool:
    return person is not None and pair.trainer_id is not None and person.id == pair.trainer_id


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
