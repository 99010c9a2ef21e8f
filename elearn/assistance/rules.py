"""Who may ask, see, answer, assign, close and publish a question. No database access beyond the objects given."""
from __future__ import annotations

from elearn.access import Role, has_role
from elearn.assistance.models import AssistanceQuestion, QuestionStatus
from elearn.people.models import PersonKind


def _signed_in(person) -> bool:
    return bool(getattr(person, "is_authenticated", False)) and person.is_active and person.erased_at is None


def is_staff(person) -> bool:
    """The cooperation unit: trainers and administrators."""
    return has_role(person, Role.TRAINER)


def may_ask(person) -> bool:
    """A focal point, or a staff member, of a parliament that receives assistance."""
    if not _signed_in(person) or person.parliament is None or not person.parliament.receives_assistance:
        return False
    return Role(person.role) == Role.FOCAL_POINT or person.kind == PersonKind.STAFF


def is_asker(person, question: AssistanceQuestion) -> bool:
    return _signed_in(person) and person.id == question.asker_id


def is_expert(person, question: AssistanceQuestion) -> bool:
    return _signed_in(person) and question.expert_id is not None and person.id == question.expert_id


def is_parliament_focal_point(person, question: AssistanceQuestion) -> bool:
    return (_signed_in(person) and Role(person.role) == Role.FOCAL_POINT
            and person.parliament_id == question.parliament_id)


def may_see(person, question: AssistanceQuestion) -> bool:
    """The asker, the focal points of the asker's parliament, the assigned expert, the unit; nobody else."""
    return (is_asker(person, question) or is_expert(person, question) or is_parliament_focal_point(person, question)
            or is_staff(person))


def may_reply(person, question: AssistanceQuestion) -> bool:
    """The expert answers, the asker follows up, the unit does either; focal points only read."""
    if question.status == QuestionStatus.CLOSED:
        return False
    return is_asker(person, question) or is_expert(person, question) or is_staff(person)


def may_close(person, question: AssistanceQuestion) -> bool:
    return question.status != QuestionStatus.CLOSED and (is_asker(person, question) or is_staff(person))


def may_assign(person, question: AssistanceQuestion) -> bool:
    return is_staff(person) and question.status != QuestionStatus.CLOSED


def may_publish(person, question: AssistanceQuestion) -> bool:
    """An answered (or closed after an answer) question, once: published answers are the library's then."""
    return (is_staff(person) and question.answered_at is not None and question.resource_id is None
            and question.published_at is None)
