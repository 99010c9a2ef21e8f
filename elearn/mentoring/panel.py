"""Mentoring on the signed-in person's dashboard (the "dashboard" panel place): the pairs waiting for their
answer and their active pairs; for a trainer, the pairs they follow and the requests nobody follows; for a
focal point, their parliament's pairs under way and the way to ask for a mentor. Three statements at most."""
from __future__ import annotations

from flask import render_template
from sqlalchemy import func, or_, select

from elearn import panels
from elearn.access import Role, has_role
from elearn.extensions import db
from elearn.mentoring import queries, rules
from elearn.mentoring.models import MentoringPair, PairStatus

SHOWN = 5


def render(person):
    if not getattr(person, "is_authenticated", False):
        return None
    own = list(db.session.scalars(
        select(MentoringPair).options(*queries.WITH_PEOPLE)
        .where(or_(MentoringPair.mentor_id == person.id, MentoringPair.mentee_id == person.id),
               MentoringPair.status.in_((PairStatus.PROPOSED, PairStatus.ACTIVE)))
        .order_by(MentoringPair.status != PairStatus.PROPOSED, MentoringPair.id.desc()).limit(SHOWN)))
    staff = has_role(person, Role.TRAINER)
    followed = requests_waiting = 0
    if staff:
        followed = db.session.scalar(select(func.count()).select_from(MentoringPair).where(
            MentoringPair.trainer_id == person.id,
            MentoringPair.status.in_((PairStatus.PROPOSED, PairStatus.ACTIVE, PairStatus.REQUESTED)))) or 0
        requests_waiting = queries.open_requests_count()
    focal = person.role == Role.FOCAL_POINT
    if not own and not staff and not focal:
        return None
    return render_template("mentoring/_dashboard.html", own=own, staff=staff, focal=focal, followed=followed,
                           requests_waiting=requests_waiting, rules=rules, person=person)


def install(app) -> None:
    panels.register("dashboard", "mentoring", render)
