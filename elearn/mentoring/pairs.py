"""A pair's life cycle: proposed by a trainer or requested by a focal point, accepted or declined by both
people, withdrawn or ended by whoever manages it; and its agreement (purpose, objectives, period, frequency).

Every operation checks everything before it writes, then commits once with the mails it queues: a refused
change leaves nothing half-saved and sends nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update

from elearn.access import Role, has_role
from elearn.database import utcnow
from elearn.errors import UserError
from elearn.extensions import db
from elearn.languages import WORKING_LANGUAGES
from elearn.mentoring import notices, rules
from elearn.mentoring.models import (
    MeetingFrequency,
    MentoringObjective,
    MentoringPair,
    ObjectiveStatus,
    PairStatus,
    ReviewSide,
)
from elearn.people.models import Person
from elearn.scheduling.models import Programme
from elearn.topics import Topic

MAX_PURPOSE = 5000
MAX_OBJECTIVE = 500
MAX_OBJECTIVES = 20
OPEN_STATUSES = (PairStatus.REQUESTED, PairStatus.PROPOSED, PairStatus.ACTIVE)


class PairError(UserError):
    pass


@dataclass(frozen=True)
class AgreementInput:
    purpose: str = ""
    objectives: tuple[str, ...] = ()
    starts_on: date | None = None
    ends_on: date | None = None
    frequency: MeetingFrequency = MeetingFrequency.MONTHLY
    language: str = "en"
    topic_id: int | None = None
    programme_id: int | None = None


@dataclass
class SaveResult:
    pair: MentoringPair
    changed: bool = False
    acceptances_cleared: bool = False
    notes: list[str] = field(default_factory=list)


def objectives_from_text(text: str) -> tuple[str, ...]:
    """One objective a line; blank lines and repeats dropped, spaces tidied."""
    seen: list[str] = []
    for line in (text or "").splitlines():
        line = " ".join(line.lstrip("-*• ").split())
        if line and line not in seen:
            seen.append(line)
    return tuple(seen)


def _clean(data: AgreementInput) -> AgreementInput:
    purpose = (data.purpose or "").replace("\r\n", "\n").strip()
    return AgreementInput(purpose=purpose, objectives=tuple(" ".join(o.split()) for o in data.objectives if o.strip()),
                          starts_on=data.starts_on, ends_on=data.ends_on, frequency=data.frequency,
                          language=data.language, topic_id=data.topic_id, programme_id=data.programme_id)


def _check(data: AgreementInput) -> None:
    if not data.purpose:
        raise PairError(_("Say what the mentoring is for."), field="purpose")
    if len(data.purpose) > MAX_PURPOSE:
        raise PairError(_("Keep this under %(limit)d characters.", limit=MAX_PURPOSE), field="purpose")
    if len(data.objectives) > MAX_OBJECTIVES:
        raise PairError(_("At most %(limit)d objectives.", limit=MAX_OBJECTIVES), field="objectives")
    if any(len(objective) > MAX_OBJECTIVE for objective in data.objectives):
        raise PairError(_("Keep each objective under %(limit)d characters.", limit=MAX_OBJECTIVE), field="objectives")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise PairError(_("The end date cannot be before the start date."), field="ends_on")
    if data.language not in WORKING_LANGUAGES:
        raise PairError(_("Choose a language from the list."), field="language")
    if data.topic_id is not None and db.session.get(Topic, data.topic_id) is None:
        raise PairError(_("Choose a topic from the list."), field="topic_id")
    if data.programme_id is not None and db.session.get(Programme, data.programme_id) is None:
        raise PairError(_("Choose a programme from the list."), field="programme_id")


def _check_people(mentor: Person | None, mentee: Person | None) -> None:
    if mentor is not None and not rules.may_mentor(mentor):
        raise PairError(_("A mentor must be an active person of an assisting parliament."), field="mentor_id")
    if mentee is None or not rules.may_be_mentee(mentee):
        raise PairError(_("A mentee must be an active person of a partner parliament."), field="mentee_id")
    if mentor is not None and mentor.id == mentee.id:
        raise PairError(_("The mentor and the mentee must be two different people."), field="mentor_id")


def _apply(pair: MentoringPair, data: AgreementInput) -> bool:
    """Write the agreement on the pair; True if anything changed. Objectives keep their status by their text."""
    changed = False
    for name in ("purpose", "starts_on", "ends_on", "frequency", "language", "topic_id", "programme_id"):
        if getattr(pair, name) != getattr(data, name):
            setattr(pair, name, getattr(data, name))
            changed = True
    kept = {objective.text: objective for objective in pair.objectives}
    if [objective.text for objective in pair.objectives] != list(data.objectives):
        changed = True
        for objective in list(pair.objectives):
            if objective.text not in data.objectives:
                pair.objectives.remove(objective)
        for position, text in enumerate(data.objectives):
            objective = kept.get(text)
            if objective is None:
                objective = MentoringObjective(text=text, status=ObjectiveStatus.NOT_STARTED)
                pair.objectives.append(objective)
            objective.position = position
    return changed


def propose(*, mentor: Person | None, mentee: Person | None, trainer: Person | None, agreement: AgreementInput,
            actor: Person) -> MentoringPair:
    """A trainer (or an administrator) proposes a pair; both people are asked to accept."""
    if not rules.is_staff(actor):
        raise PairError(_("Only the cooperation unit proposes mentoring pairs."))
    if mentor is None:
        raise PairError(_("Choose a mentor."), field="mentor_id")
    _check_people(mentor, mentee)
    if trainer is None or not rules.is_staff(trainer) or not trainer.is_active:
        raise PairError(_("Choose the trainer who follows the pair."), field="trainer_id")
    data = _clean(agreement)
    _check(data)
    pair = MentoringPair(mentor_id=mentor.id, mentee_id=mentee.id, trainer_id=trainer.id, requested_by_id=actor.id,
                         status=PairStatus.PROPOSED)
    _apply(pair, data)
    db.session.add(pair)
    db.session.flush()
    notices.proposed(pair)
    db.session.commit()
    return pair


def request_mentor(*, mentee: Person | None, agreement: AgreementInput, focal_point: Person) -> MentoringPair:
    """A focal point asks the cooperation unit for a mentor for one of their parliament's people."""
    if not has_role(focal_point, Role.FOCAL_POINT) or focal_point.parliament_id is None:
        raise PairError(_("Only a parliament's focal point requests a mentor."))
    if mentee is None or mentee.parliament_id != focal_point.parliament_id:
        raise PairError(_("Choose a person of your parliament."), field="mentee_id")
    _check_people(None, mentee)
    data = _clean(replace(agreement, programme_id=None))
    _check(data)
    pair = MentoringPair(mentee_id=mentee.id, requested_by_id=focal_point.id, status=PairStatus.REQUESTED)
    _apply(pair, data)
    db.session.add(pair)
    db.session.commit()
    return pair


def take_up(pair: MentoringPair, trainer: Person) -> None:
    """A trainer becomes the trainer of a request no one follows; two at once: the first one wins."""
    if not rules.can_take_up(trainer, pair):
        raise PairError(_("This request is already followed by a trainer."))
    taken = db.session.execute(update(MentoringPair).where(
        MentoringPair.id == pair.id, MentoringPair.trainer_id.is_(None),
        MentoringPair.status == PairStatus.REQUESTED).values(trainer_id=trainer.id))
    if taken.rowcount != 1:
        db.session.rollback()
        raise PairError(_("This request is already followed by a trainer."))
    db.session.commit()


def _locked(pair: MentoringPair) -> MentoringPair:
    """The pair read again under a row lock, so that two answers at once do not overwrite each other."""
    return db.session.scalar(select(MentoringPair).where(MentoringPair.id == pair.id).with_for_update()
                             .execution_options(populate_existing=True))


def save_agreement(pair: MentoringPair, agreement: AgreementInput, actor: Person, *,
                   mentor: Person | None = None) -> SaveResult:
    """The trainer changes the agreement; a request gets its mentor here and becomes a proposal. A change to a
    proposal that one side already accepted asks both again: nobody accepts a text they have not seen."""
    if not rules.can_manage(actor, pair):
        raise PairError(_("Only the pair's trainer or an administrator changes the agreement."))
    if pair.status not in OPEN_STATUSES:
        raise PairError(_("This pair is closed: its agreement no longer changes."))
    pair = _locked(pair)
    if pair.status == PairStatus.REQUESTED and mentor is None:
        raise PairError(_("Choose a mentor."), field="mentor_id")
    new_mentor = mentor is not None and pair.status in (PairStatus.REQUESTED, PairStatus.PROPOSED) \
        and mentor.id != pair.mentor_id
    if new_mentor:
        _check_people(mentor, pair.mentee)
    data = _clean(agreement)
    _check(data)
    changed = _apply(pair, data)
    result = SaveResult(pair, changed=changed or new_mentor)
    if new_mentor:
        pair.mentor_id = mentor.id
        pair.mentor = mentor
    if pair.status == PairStatus.PROPOSED and result.changed and (pair.mentor_accepted_at or pair.mentee_accepted_at):
        pair.mentor_accepted_at = pair.mentee_accepted_at = None
        result.acceptances_cleared = True
    if pair.status == PairStatus.REQUESTED:
        pair.status = PairStatus.PROPOSED
        if pair.trainer_id is None:
            pair.trainer_id = actor.id
    if result.changed and pair.status == PairStatus.PROPOSED:
        db.session.flush()
        notices.proposed(pair)
    db.session.commit()
    return result


def accept(pair: MentoringPair, person: Person) -> MentoringPair:
    pair = _locked(pair)
    if not rules.awaits_answer_from(person, pair):
        raise PairError(_("This pair is not waiting for your answer."))
    now = utcnow()
    if rules.side_of(person, pair) == ReviewSide.MENTOR:
        pair.mentor_accepted_at = now
    else:
        pair.mentee_accepted_at = now
    if pair.mentor_accepted_at and pair.mentee_accepted_at:
        pair.status = PairStatus.ACTIVE
        if pair.starts_on is None:  # from today, or from its end if that is already past (a late acceptance)
            pair.starts_on = min(now.date(), pair.ends_on) if pair.ends_on else now.date()
        notices.started(pair)
    db.session.commit()
    return pair


def decline(pair: MentoringPair, person: Person) -> MentoringPair:
    pair = _locked(pair)
    if not rules.awaits_answer_from(person, pair):
        raise PairError(_("This pair is not waiting for your answer."))
    pair.status = PairStatus.DECLINED
    notices.declined(pair, person)
    db.session.commit()
    return pair


def withdraw(pair: MentoringPair, actor: Person) -> MentoringPair:
    """The trainer takes back a request or a proposal before it starts."""
    if not rules.can_manage(actor, pair):
        raise PairError(_("Only the pair's trainer or an administrator withdraws it."))
    pair = _locked(pair)
    if pair.status not in (PairStatus.REQUESTED, PairStatus.PROPOSED):
        raise PairError(_("Only a pair that has not started can be withdrawn; end an active pair instead."))
    pair.status = PairStatus.WITHDRAWN
    db.session.commit()
    return pair


def end(pair: MentoringPair, actor: Person) -> MentoringPair:
    """The pairing ends; both people are asked for their review."""
    if not rules.can_manage(actor, pair):
        raise PairError(_("Only the pair's trainer or an administrator ends it."))
    pair = _locked(pair)
    if pair.status != PairStatus.ACTIVE:
        raise PairError(_("Only an active pair can be ended."))
    now = utcnow()
    pair.status, pair.ended_at = PairStatus.ENDED, now
    if pair.ends_on is None or pair.ends_on > now.date():
        pair.ends_on = max(now.date(), pair.starts_on or now.date())
    notices.ended(pair)
    db.session.commit()
    return pair
