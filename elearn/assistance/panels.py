"""What remote assistance shows on the dashboard: to the unit, the overdue questions and those awaiting an
expert; to an expert, their questions awaiting an answer (overdue first); to askers and their focal points,
the questions still open. Nothing for someone with none of these."""
from __future__ import annotations

from flask import render_template

from elearn import panels
from elearn.assistance import queries, rules
from elearn.assistance.models import AssistanceQuestion, QuestionStatus
from elearn.database import utcnow
from elearn.extensions import db

SHOWN = 5


def _own_open(person):
    statement = queries.visible_to(person).where(AssistanceQuestion.status != QuestionStatus.CLOSED,
                                                 AssistanceQuestion.expert_id.is_distinct_from(person.id))
    return list(db.session.scalars(statement.limit(SHOWN)))


def render_dashboard(person):
    if not getattr(person, "is_authenticated", False):
        return None
    now = utcnow()
    staff = rules.is_staff(person)
    overdue, overdue_total = queries.overdue(now, expert_id=None if staff else person.id, limit=SHOWN)
    unassigned = queries.unassigned_count() if staff else 0
    awaiting, awaiting_total = queries.awaiting(person.id, limit=SHOWN)
    own = _own_open(person) if not staff else []
    if not (overdue_total or unassigned or awaiting_total or own):
        return None
    return render_template("assistance/_dashboard.html", staff=staff, overdue=overdue, overdue_total=overdue_total,
                           unassigned=unassigned, awaiting=awaiting, awaiting_total=awaiting_total, own=own,
                           is_overdue=lambda question: queries.is_overdue(question, now))


def install(app) -> None:
    panels.register("dashboard", "assistance", render_dashboard)
