"""Commitment and review reminders for `flask notify due`."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, Iterable

from babel.dates import format_date
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.access import Role
from elearn.cooperation.models import OPEN_COMMITMENT_STATES, ActionPlan, Commitment, CommitmentOwner, Review
from elearn.extensions import db
from elearn.notifications.once import Reminder, due_offset
from elearn.notifications.reminders import register_reminder_kind
from elearn.people.models import Person
from elearn.urls import absolute_url


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0), timezone.utc)


def _focal_points(parliament_id: int) -> list[int]:
    return list(db.session.scalars(select(Person.id).where(
        Person.parliament_id == parliament_id, Person.role == Role.FOCAL_POINT, Person.is_active.is_(True))))


def _context(plan_id: int, due_on: date, **extra) -> Callable[[Person], dict]:
    def context(person: Person) -> dict:
        plan, locale = db.session.get(ActionPlan, plan_id), person.preferred_language
        return dict(due_on=format_date(due_on, "long", locale=locale), parliament_name=plan.parliament.name(locale),
                    activity_title=plan.activity.title, link=absolute_url("cooperation.plan", plan_id=plan_id),
                    **extra)
    return context


def _window(now: datetime) -> tuple[date, date, tuple[int, ...]]:
    offsets = tuple(current_app.config["COOPERATION_REMINDER_OFFSETS_DAYS"])
    return now.date(), (now + timedelta(days=max(offsets))).date(), offsets


def commitment_reminders(now: datetime) -> Iterable[Reminder]:
    """Open commitments coming due: the partner's focal points, or the activity's trainers."""
    first, last, offsets = _window(now)
    commitments = db.session.scalars(
        select(Commitment).where(Commitment.status.in_(OPEN_COMMITMENT_STATES),
                                 Commitment.due_on >= first, Commitment.due_on <= last)
        .options(selectinload(Commitment.plan).selectinload(ActionPlan.activity))).all()
    for commitment in commitments:
        offset = due_offset(_moment(commitment.due_on), now, offsets)
        if offset is None:
            continue
        people = (_focal_points(commitment.plan.parliament_id) if commitment.owner == CommitmentOwner.PARTNER
                  else [trainer.id for trainer in commitment.plan.activity.trainers])
        for person_id in people:
            yield Reminder(kind="commitment", object_id=commitment.id, person_id=person_id, offset_days=offset,
                           template="commitment_due",
                           context=_context(commitment.plan_id, commitment.due_on,
                                            description=commitment.description,
                                            responsible=commitment.responsible))


def review_reminders(now: datetime) -> Iterable[Reminder]:
    """Follow-up reviews coming due: both sides are reminded."""
    first, last, offsets = _window(now)
    reviews = db.session.scalars(
        select(Review).where(Review.held_on.is_(None), Review.due_on >= first, Review.due_on <= last)
        .options(selectinload(Review.plan).selectinload(ActionPlan.activity))).all()
    for review in reviews:
        offset = due_offset(_moment(review.due_on), now, offsets)
        if offset is None:
            continue
        people = {*_focal_points(review.plan.parliament_id), *(t.id for t in review.plan.activity.trainers)}
        for person_id in sorted(people):
            yield Reminder(kind="review", object_id=review.id, person_id=person_id, offset_days=offset,
                           template="review_due", context=_context(review.plan_id, review.due_on))


def install(app) -> None:
    """Have `flask notify due` remind owners of commitments and reviews (called by create_app)."""
    register_reminder_kind(app, commitment_reminders)
    register_reminder_kind(app, review_reminders)
