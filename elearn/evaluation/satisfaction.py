"""Satisfaction, the one definition the results pages and the indicators share.

The satisfaction of a set of responses is the mean over RATING answers (not per-session ratings) of
(rating - 1) / (scale_points - 1) * 100, so 0-100 whatever the scale. Both the results (per activity,
per period, per breakdown cell) and the programme indicator read it from here, so they cannot drift apart.
"""
from __future__ import annotations

from sqlalchemy import Float, cast, func, select

from elearn.evaluation.models import ActivityQuestionnaire, Answer, Question, QuestionKind, Response
from elearn.extensions import db


def points(rating: int, scale_points: int) -> float:
    """One rating's satisfaction, 0-100."""
    return (rating - 1) * 100 / (scale_points - 1)


def points_sql():
    """One rating answer's satisfaction, 0-100, in SQL (Answer joined to its Question)."""
    return (cast(Answer.rating - 1, Float) * 100.0) / cast(Question.scale_points - 1, Float)


def rated():
    """The answers that count: ratings of RATING questions on a scale of two points or more."""
    return [Question.kind == QuestionKind.RATING, Answer.session_id.is_(None), Answer.rating.is_not(None),
            Question.scale_points > 1]


def mean_satisfaction(activity_ids) -> tuple[float | None, int]:
    """(mean, number of ratings) over the responses to the questionnaires of `activity_ids` (a select)."""
    statement = (select(func.avg(points_sql()), func.count())
                 .select_from(Answer).join(Question, Question.id == Answer.question_id)
                 .join(Response, Response.id == Answer.response_id)
                 .join(ActivityQuestionnaire, ActivityQuestionnaire.id == Response.activity_questionnaire_id)
                 .where(*rated(), ActivityQuestionnaire.activity_id.in_(activity_ids)))
    average, count = db.session.execute(statement).one()
    return (float(average) if count else None), count
