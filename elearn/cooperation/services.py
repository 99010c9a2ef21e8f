"""Rules of the cooperation cycle: requests and their triage, action plans, commitments, reviews. No HTTP here."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from elearn.access import Role, has_role
from elearn.cooperation import notices
from elearn.cooperation.models import (
    OPEN_COMMITMENT_STATES,
    ActionPlan,
    Commitment,
    CommitmentOwner,
    CommitmentStatus,
    NeedsRequest,
    RequestStatus,
    Review,
    SupportKind,
)
from elearn.database import rolls_back_on, rows_by_ids, utcnow
from elearn.extensions import db
from elearn.people.models import Parliament, Person
from elearn.scheduling.models import Activity, Audience, Modality, Programme
from elearn.topics import Topic


class CooperationError(Exception):
    """A request that breaks a rule of the cycle; the message is for the user."""


class OutsideProgramme(CooperationError):
    """Accepting under a programme that does not name the parliament as a partner: allowed once confirmed."""

    def __init__(self, message: str, programme_id: int):
        super().__init__(message)
        self.programme_id = programme_id



def sees_every_parliament(person: Person) -> bool:
    return has_role(person, Role.TRAINER)


def may_see_parliament(person: Person, parliament_id: int | None) -> bool:
    """Trainers and administrators see every parliament; a focal point only their own."""
    if sees_every_parliament(person):
        return True
    return (has_role(person, Role.FOCAL_POINT) and person.parliament_id is not None
            and person.parliament_id == parliament_id)


def scoped(statement: Select, parliament_column, person: Person) -> Select:
    """Limit a query to what `person` may see (a focal point: their parliament's rows only)."""
    if sees_every_parliament(person):
        return statement
    return statement.where(parliament_column == (person.parliament_id or -1))


def equipment_rule_for_trainers() -> str:
    return _("A request for equipment cannot be accepted: the assisting parliament cannot "
             "fund equipment, only technical and intellectual assistance. Decline it with a "
             "message saying what advice or which other funder could help, or close it.")


def equipment_explanation(for_trainer: bool = False) -> str:
    """Why the unit does not fund equipment: for the parliament that asked, or for the trainer answering."""
    if for_trainer:
        return equipment_rule_for_trainers()
    return _("The cooperation unit gives technical and intellectual assistance: it cannot pay for equipment "
             "such as computers, furniture, recording systems or vehicles. Your request is recorded all the "
             "same; a trainer will tell you whether advice, a training or a contact with another funder can "
             "help.")


def request_status_label(status: RequestStatus | str) -> str:
    # The status's one label, lower-cased to sit inside a sentence ("is now accepted").
    return str(RequestStatus(status).label).lower()


# received → under assessment → accepted / declined; closed from any open state.
TRANSITIONS = {
    RequestStatus.RECEIVED: (RequestStatus.UNDER_ASSESSMENT, RequestStatus.DECLINED, RequestStatus.CLOSED),
    RequestStatus.UNDER_ASSESSMENT: (RequestStatus.ACCEPTED, RequestStatus.DECLINED, RequestStatus.CLOSED),
    RequestStatus.ACCEPTED: (RequestStatus.CLOSED,),
    RequestStatus.DECLINED: (),
    RequestStatus.CLOSED: (),
}


@dataclass(frozen=True)
class RequestInput:
    parliament_id: int
    kind: SupportKind
    title: str
    need: str
    audience: Audience = Audience.BOTH
    topic_ids: tuple[int, ...] = ()
    services: str = ""
    preferred_modality: Modality | None = None
    preferred_from: date | None = None
    preferred_to: date | None = None
    language: str = "en"


def _by_ids(model, ids) -> list:
    rows = rows_by_ids(model, ids)
    if rows is None:
        raise CooperationError(_("Some of the chosen items no longer exist."))
    return rows


def submit_request(data: RequestInput, submitted_by: Person) -> NeedsRequest:
    """Record a request (a focal point for their own parliament, a trainer on a parliament's behalf)."""
    if not may_see_parliament(submitted_by, data.parliament_id):
        raise CooperationError(_("You can submit requests only for your own parliament."))
    if db.session.get(Parliament, data.parliament_id) is None:
        raise CooperationError(_("Unknown parliament."))
    if not data.title.strip() or not data.need.strip():
        raise CooperationError(_("Describe the need and give it a short title."))
    if data.preferred_from and data.preferred_to and data.preferred_to < data.preferred_from:
        raise CooperationError(_("The preferred period cannot end before it starts."))
    now = utcnow()
    needs_request = NeedsRequest(
        parliament_id=data.parliament_id, submitted_by_id=submitted_by.id, kind=data.kind,
        status=RequestStatus.RECEIVED, title=data.title.strip(), need=data.need.strip(), audience=data.audience,
        services=data.services.strip(), preferred_modality=data.preferred_modality,
        preferred_from=data.preferred_from, preferred_to=data.preferred_to, language=data.language,
        topics=_by_ids(Topic, data.topic_ids), created_at=now, status_changed_at=now,
        status_changed_by_id=submitted_by.id)
    db.session.add(needs_request)
    db.session.flush()
    notices.notify_request(needs_request)
    db.session.commit()
    return needs_request


def _accepting_programme(needs_request: NeedsRequest, programme_id: int | None,
                         confirmed_programme_id: int | None) -> Programme:
    """The programme a request is accepted under, once the rules of acceptance are met."""
    if needs_request.outside_funding:
        raise CooperationError(equipment_rule_for_trainers())
    programme = db.session.get(Programme, programme_id) if programme_id is not None else None
    if programme is None:
        raise CooperationError(_("Choose the programme under which the request is answered."))
    if programme.id != confirmed_programme_id and needs_request.parliament not in programme.partners:
        raise OutsideProgramme(_("%(parliament)s is not a partner of the programme “%(programme)s”. Accept the "
                                 "request under it anyway, or choose another programme.",
                                 parliament=needs_request.parliament.name(str(get_locale())),
                                 programme=programme.title), programme.id)
    return programme


@rolls_back_on(CooperationError)
def change_status(needs_request: NeedsRequest, status: RequestStatus, *, actor: Person, answer: str = "",
                  programme_id: int | None = None, activity_ids: tuple[int, ...] | None = None,
                  confirmed_programme_id: int | None = None) -> None:
    """Move a request on in triage and tell the parliament's focal points by mail.

    Accepting under a programme that does not list the parliament among its
    partners raises OutsideProgramme until the trainer confirms that programme
    (`confirmed_programme_id`); an equipment request is never accepted.
    """
    if status not in TRANSITIONS[needs_request.status]:
        raise CooperationError(_("A request cannot go from “%(old)s” to “%(new)s”.",
                                 old=request_status_label(needs_request.status), new=request_status_label(status)))
    answer = answer.strip()
    if status == RequestStatus.DECLINED and not answer:
        raise CooperationError(_("Give the reason for declining: the parliament will read it."))
    if status == RequestStatus.ACCEPTED:
        needs_request.programme_id = _accepting_programme(
            needs_request, programme_id or needs_request.programme_id, confirmed_programme_id).id
    if activity_ids is not None:
        needs_request.activities = _by_ids(Activity, activity_ids)
    needs_request.status = status
    needs_request.answer = answer
    needs_request.status_changed_at = utcnow()
    needs_request.status_changed_by_id = actor.id
    notices.notify_request(needs_request)
    db.session.commit()


@rolls_back_on(CooperationError)
def link_request(needs_request: NeedsRequest, *, programme_id: int | None, activity_ids: tuple[int, ...]) -> None:
    """Change the programme and the activities that answer a request (no mail)."""
    if needs_request.status == RequestStatus.ACCEPTED and programme_id is None:
        raise CooperationError(_("An accepted request stays linked to a programme."))
    if programme_id is not None and db.session.get(Programme, programme_id) is None:
        raise CooperationError(_("Some of the chosen items no longer exist."))
    needs_request.programme_id = programme_id
    needs_request.activities = _by_ids(Activity, activity_ids)
    db.session.commit()


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


REVIEW_MONTHS = (3, 6, 12)


@dataclass(frozen=True)
class CommitmentInput:
    description: str
    owner: CommitmentOwner
    due_on: date
    responsible: str = ""


@dataclass(frozen=True)
class PlanInput:
    activity_id: int
    parliament_id: int
    agreed_on: date
    summary: str = ""
    commitments: tuple[CommitmentInput, ...] = ()
    review_months: tuple[int, ...] = REVIEW_MONTHS


def _commitment(data: CommitmentInput, actor: Person | None) -> Commitment:
    if not data.description.strip():
        raise CooperationError(_("Describe each commitment."))
    if data.due_on is None:
        raise CooperationError(_("Give each commitment a due date."))
    return Commitment(description=data.description.strip(), owner=data.owner, due_on=data.due_on,
                      responsible=data.responsible.strip(), status=CommitmentStatus.PLANNED,
                      updated_by_id=actor.id if actor else None)


@rolls_back_on(CooperationError)
def create_plan(data: PlanInput, actor: Person | None) -> ActionPlan:
    """An action plan agreed with one parliament after an activity, with reviews N months later."""
    if db.session.get(Activity, data.activity_id) is None or db.session.get(Parliament, data.parliament_id) is None:
        raise CooperationError(_("Some of the chosen items no longer exist."))
    existing = db.session.scalar(select(ActionPlan.id).where(
        ActionPlan.activity_id == data.activity_id, ActionPlan.parliament_id == data.parliament_id))
    if existing is not None:
        raise CooperationError(_("This parliament already has an action plan for this activity."))
    plan = ActionPlan(activity_id=data.activity_id, parliament_id=data.parliament_id, agreed_on=data.agreed_on,
                      summary=data.summary.strip(), created_by_id=actor.id if actor else None)
    plan.commitments = [_commitment(c, actor) for c in data.commitments]
    plan.reviews = [Review(due_on=add_months(data.agreed_on, months)) for months in sorted(set(data.review_months))]
    db.session.add(plan)
    db.session.commit()
    return plan


def add_commitment(plan: ActionPlan, data: CommitmentInput, actor: Person) -> Commitment:
    commitment = _commitment(data, actor)
    plan.commitments.append(commitment)
    db.session.commit()
    return commitment


def update_commitment(commitment: Commitment, status: CommitmentStatus, progress_note: str, actor: Person) -> None:
    """Either side reports progress: a new status and what has happened."""
    commitment.status = status
    commitment.progress_note = progress_note.strip()
    commitment.updated_at = utcnow()
    commitment.updated_by_id = actor.id
    db.session.commit()


def schedule_review(plan: ActionPlan, due_on: date) -> Review:
    review = Review(due_on=due_on)
    plan.reviews.append(review)
    db.session.commit()
    return review


def write_review(review: Review, *, held_on: date, notes: str, actor: Person) -> None:
    if not notes.strip():
        raise CooperationError(_("Write what the review found."))
    if held_on > utcnow().date():
        raise CooperationError(_("A review cannot be held in the future."))
    review.held_on, review.notes = held_on, notes.strip()
    review.written_by_id, review.updated_at = actor.id, utcnow()
    db.session.commit()



REVIEW_HORIZON = timedelta(days=14)


def overdue_commitments(person: Person, today: date, limit: int | None = None) -> list[Commitment]:
    statement = scoped(
        select(Commitment).join(ActionPlan).where(Commitment.status.in_(OPEN_COMMITMENT_STATES),
                                                  Commitment.due_on < today),
        ActionPlan.parliament_id, person)
    statement = statement.options(selectinload(Commitment.plan).selectinload(ActionPlan.parliament),
                                  selectinload(Commitment.plan).selectinload(ActionPlan.activity))
    return list(db.session.scalars(statement.order_by(Commitment.due_on, Commitment.id).limit(limit)))


def due_reviews(person: Person, today: date, limit: int | None = None) -> list[Review]:
    """Reviews not yet written whose date is past or within the next two weeks."""
    statement = scoped(
        select(Review).join(ActionPlan).where(Review.held_on.is_(None), Review.due_on <= today + REVIEW_HORIZON),
        ActionPlan.parliament_id, person)
    statement = statement.options(selectinload(Review.plan).selectinload(ActionPlan.parliament),
                                  selectinload(Review.plan).selectinload(ActionPlan.activity))
    return list(db.session.scalars(statement.order_by(Review.due_on, Review.id).limit(limit)))


def open_commitments(parliament_id: int) -> list[Commitment]:
    return list(db.session.scalars(
        select(Commitment).join(ActionPlan)
        .where(ActionPlan.parliament_id == parliament_id, Commitment.status.in_(OPEN_COMMITMENT_STATES))
        .options(selectinload(Commitment.plan).selectinload(ActionPlan.activity))
        .order_by(Commitment.due_on, Commitment.id)))


@dataclass
class Dashboard:
    today: date | None = None
    overdue: list[Commitment] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    open_requests: int = 0
    shown: bool = False


DASHBOARD_LIMIT = 20
# A request waits for a trainer's answer in these states.
TRIAGE_STATES = (RequestStatus.RECEIVED, RequestStatus.UNDER_ASSESSMENT)


def dashboard_for(person: Person, today: date | None = None) -> Dashboard:
    """What needs attention: overdue commitments, due reviews, requests waiting for triage."""
    if not (sees_every_parliament(person) or may_see_parliament(person, person.parliament_id)):
        return Dashboard()
    today = today or utcnow().date()
    waiting = scoped(select(func.count(NeedsRequest.id)).where(NeedsRequest.status.in_(TRIAGE_STATES)),
                     NeedsRequest.parliament_id, person)
    return Dashboard(today=today, overdue=overdue_commitments(person, today, DASHBOARD_LIMIT),
                     reviews=due_reviews(person, today, DASHBOARD_LIMIT),
                     open_requests=db.session.scalar(waiting), shown=True)


@dataclass(frozen=True)
class RequestToTriage:
    id: int
    title: str
    status: RequestStatus
    parliament: str
    received_at: datetime


def requests_to_triage(person: Person, limit: int) -> list[RequestToTriage]:
    """The open requests that have waited longest, in one query (the dashboard counts them all)."""
    locale = str(get_locale())
    statement = scoped(select(NeedsRequest.id, NeedsRequest.title, NeedsRequest.status, NeedsRequest.created_at,
                              Parliament).join(Parliament, Parliament.id == NeedsRequest.parliament_id)
                       .where(NeedsRequest.status.in_(TRIAGE_STATES)), NeedsRequest.parliament_id, person)
    rows = db.session.execute(statement.order_by(NeedsRequest.created_at, NeedsRequest.id).limit(limit)).all()
    return [RequestToTriage(id=id_, title=title, status=RequestStatus(status), parliament=parliament.name(locale),
                            received_at=created_at) for id_, title, status, created_at, parliament in rows]
