"""Evaluation results as SQL aggregates: the same handful of statements for 5 responses or 20,000.

Each figure is grouped in the database (by question, rating, choice set, breakdown
value); Python only adds up the few grouped rows. Nothing here says who gave which
answer: free texts come without person or date, ordered by the response's random key.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Text, and_, cast, distinct, exists, func, select

from elearn import sql_dates as sql
from elearn.evaluation import satisfaction
from elearn.evaluation.models import (
    ActivityQuestionnaire,
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseReceipt,
)
from elearn.extensions import db
from elearn.people.models import PersonKind
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    Attendance,
    AttendanceStatus,
    Modality,
    Registration,
    RegistrationState,
)

DIMENSIONS = {"parliament": Response.parliament_id, "gender": Response.gender, "kind": Response.kind,
              "side": Response.political_side}


@dataclass(frozen=True)
class ResultFilters:
    date_from: date | None = None
    date_to: date | None = None
    programme_id: int | None = None
    modality: Modality | None = None
    questionnaire_id: int | None = None
    activity_id: int | None = None  # one activity's results

    def as_args(self) -> dict:
        values = {"date_from": self.date_from and self.date_from.isoformat(),
                  "date_to": self.date_to and self.date_to.isoformat(), "programme_id": self.programme_id,
                  "modality": self.modality and self.modality.value, "questionnaire_id": self.questionnaire_id}
        return {key: value for key, value in values.items() if value}


@dataclass
class Stat:
    """Grouped ratings: how many, and their sums, so that groups add up exactly."""

    count: int = 0
    total: float = 0.0

    def add(self, count: int, total: float) -> None:
        self.count += count
        self.total += total or 0

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None


@dataclass
class QuestionResult:
    question: Question
    distribution: dict = field(default_factory=dict)  # rating point or option key -> answers
    answered: int = 0  # responses that answered (choices: that chose at least one option)
    rating: Stat = field(default_factory=Stat)
    sessions: dict = field(default_factory=dict)  # session id -> Stat


@dataclass
class ActivityRate:
    activity_id: int
    title: str
    starts_at: object
    responses: int = 0
    invited: int = 0
    attended: int = 0


@dataclass
class Results:
    filters: ResultFilters
    activities: list[ActivityRate]
    questions: list[QuestionResult]
    satisfaction: Stat
    sessions: dict  # session id -> (activity title, session title, start)
    breakdowns: dict  # dimension -> {value: {"respondents": n, "satisfaction": Stat, question id: Stat}}

    @property
    def responses(self) -> int:
        return sum(a.responses for a in self.activities)

    @property
    def invited(self) -> int:
        return sum(a.invited for a in self.activities)

    @property
    def attended(self) -> int:
        return sum(a.attended for a in self.activities)


def scope(filters: ResultFilters):
    """The activity questionnaires the filters select, as a subquery of (id, activity_id)."""
    query = select(ActivityQuestionnaire.id, ActivityQuestionnaire.activity_id).join(
        Activity, Activity.id == ActivityQuestionnaire.activity_id)
    if filters.activity_id is not None:
        query = query.where(Activity.id == filters.activity_id)
    day = sql.local_date(Activity.starts_at, Activity.timezone)
    if filters.date_from:
        query = query.where(day >= filters.date_from)
    if filters.date_to:
        query = query.where(day <= filters.date_to)
    if filters.programme_id:
        query = query.where(Activity.programme_id == filters.programme_id)
    if filters.modality:
        query = query.where(Activity.modality == filters.modality)
    if filters.questionnaire_id:
        query = query.where(ActivityQuestionnaire.questionnaire_id == filters.questionnaire_id)
    return query.subquery("scope")


def _rates(chosen) -> list[ActivityRate]:
    """Responses, invited receipts and attended participants per activity: three grouped statements."""
    rows = db.session.execute(select(chosen.c.id, Activity.id, Activity.title, Activity.starts_at).join(
        Activity, Activity.id == chosen.c.activity_id).order_by(Activity.starts_at, Activity.id)).all()
    rates = {aq: ActivityRate(activity_id, title, starts) for aq, activity_id, title, starts in rows}
    for aq, count in db.session.execute(select(Response.activity_questionnaire_id, func.count()).where(
            Response.activity_questionnaire_id.in_(select(chosen.c.id))).group_by(Response.activity_questionnaire_id)):
        rates[aq].responses = count
    for aq, count in db.session.execute(select(ResponseReceipt.activity_questionnaire_id, func.count()).where(
            ResponseReceipt.activity_questionnaire_id.in_(select(chosen.c.id)), ResponseReceipt.invited.is_(True))
            .group_by(ResponseReceipt.activity_questionnaire_id)):
        rates[aq].invited = count
    present = exists().where(Attendance.registration_id == Registration.id,
                             Attendance.status == AttendanceStatus.PRESENT)
    by_activity = {rate.activity_id: rate for rate in rates.values()}
    for activity_id, count in db.session.execute(
            select(Registration.activity_id, func.count(distinct(Registration.person_id))).where(
                Registration.activity_id.in_(select(chosen.c.activity_id)),
                Registration.state == RegistrationState.CONFIRMED, present).group_by(Registration.activity_id)):
        by_activity[activity_id].attended = count
    return list(rates.values())


def _answers(chosen):
    """Answers of the chosen responses, as a FROM clause joined to their question."""
    return (select().select_from(Answer).join(Response, Response.id == Answer.response_id)
            .join(Question, Question.id == Answer.question_id)
            .where(Response.activity_questionnaire_id.in_(select(chosen.c.id))))


def _questions(chosen) -> dict[int, QuestionResult]:
    questionnaires = select(ActivityQuestionnaire.questionnaire_id).where(
        ActivityQuestionnaire.id.in_(select(chosen.c.id)))
    questions = db.session.scalars(select(Question).where(Question.questionnaire_id.in_(questionnaires))
                                   .order_by(Question.questionnaire_id, Question.position)).all()
    return {q.id: QuestionResult(q) for q in questions}


def _fill_ratings(chosen, results: dict[int, QuestionResult]) -> None:
    rows = db.session.execute(_answers(chosen).add_columns(
        Answer.question_id, Answer.session_id, Answer.rating, func.count()).where(Answer.rating.is_not(None))
        .group_by(Answer.question_id, Answer.session_id, Answer.rating))
    for question_id, session_id, rating, count in rows:
        result = results[question_id]
        result.distribution[rating] = result.distribution.get(rating, 0) + count
        result.rating.add(count, rating * count)
        if session_id is not None:
            result.sessions.setdefault(session_id, Stat()).add(count, rating * count)
    # A session question's "answered" counts ratings; a rating question's, responses (one rating each).
    for result in results.values():
        result.answered = result.rating.count


def _fill_choices(chosen, results: dict[int, QuestionResult]) -> None:
    """Choices grouped by the whole set chosen (a handful of distinct sets), then counted per option."""
    kinds = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
    rows = db.session.execute(_answers(chosen).add_columns(
        Answer.question_id, cast(Answer.choices, Text), func.count()).where(Question.kind.in_(kinds))
        .group_by(Answer.question_id, cast(Answer.choices, Text)))
    for question_id, chosen_json, count in rows:
        keys = json.loads(chosen_json) if chosen_json else []
        result = results[question_id]
        if keys:
            result.answered += count
        for key in set(keys):
            result.distribution[key] = result.distribution.get(key, 0) + count


def _satisfaction(results: dict[int, QuestionResult]) -> Stat:
    """The shared definition, from the ratings already grouped by question and point: no statement."""
    stat = Stat()
    for result in results.values():
        points = result.question.scale_points or 0
        if result.question.kind == QuestionKind.RATING and points > 1:
            for rating, count in result.distribution.items():
                stat.add(count, satisfaction.points(rating, points) * count)
    return stat


def breakdown(chosen, dimension: str) -> dict:
    """Per value of one snapshot column: respondents, satisfaction, and each rating question's ratings.

    Two grouped statements; every cell keeps its counts so that suppression can judge it. Sides are
    those of members of parliament only.
    """
    column = DIMENSIONS[dimension]
    only = [Response.kind == PersonKind.MP] if dimension == "side" else []
    cells: dict = defaultdict(lambda: {"respondents": 0, "satisfaction": Stat()})
    for value, count in db.session.execute(select(column, func.count()).where(
            Response.activity_questionnaire_id.in_(select(chosen.c.id)), *only).group_by(column)):
        cells[_key(value)]["respondents"] = count
    rated = [*satisfaction.rated(), *only]
    for value, question_id, count, ratings, points in db.session.execute(_answers(chosen).add_columns(
            column, Answer.question_id, func.count(), func.sum(Answer.rating), func.sum(satisfaction.points_sql()))
            .where(*rated).group_by(column, Answer.question_id)):
        cell = cells[_key(value)]
        cell.setdefault(question_id, Stat()).add(count, ratings)
        cell["satisfaction"].add(count, points)
        # At least this many people gave ratings (one rating per question each): a floor, so that the
        # small-cell rule judges the satisfaction on no more people than it stands for.
        cell["satisfaction_people"] = max(cell.get("satisfaction_people", 0), count)
    return dict(cells)


def _key(value) -> str:
    """A breakdown value as text: an enum's value, a parliament's id, or "" when not recorded."""
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def _sessions(results: dict[int, QuestionResult]) -> dict:
    ids = {session_id for result in results.values() for session_id in result.sessions}
    if not ids:
        return {}
    rows = db.session.execute(select(ActivitySession.id, Activity.title, ActivitySession.title,
                                     ActivitySession.starts_at).join(Activity).where(ActivitySession.id.in_(ids)))
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def build_results(filters: ResultFilters, dimensions: tuple[str, ...] = tuple(DIMENSIONS)) -> Results:
    """Every figure of one results page: a dozen statements, whatever the number of responses."""
    sql.install()
    chosen = scope(filters)
    questions = _questions(chosen)
    _fill_ratings(chosen, questions)
    _fill_choices(chosen, questions)
    return Results(filters=filters, activities=_rates(chosen), questions=list(questions.values()),
                   satisfaction=_satisfaction(questions), sessions=_sessions(questions),
                   breakdowns={dimension: breakdown(chosen, dimension) for dimension in dimensions})


def free_texts(filters: ResultFilters, minimum: int):
    """Free-text answers: activity title, question, text; no person, no date, in the random key's order.

    Only from activities with `minimum` responses or more: one response's text would be one person's.
    """
    sql.install()
    chosen = scope(filters)
    enough = select(Response.activity_questionnaire_id).where(
        Response.activity_questionnaire_id.in_(select(chosen.c.id))).group_by(
        Response.activity_questionnaire_id).having(func.count() >= minimum)
    return (_answers(chosen).add_columns(Activity.title.label("activity"), Question.prompt.label("prompt"),
                                         Answer.text.label("text"))
            .join(ActivityQuestionnaire, ActivityQuestionnaire.id == Response.activity_questionnaire_id)
            .join(Activity, Activity.id == ActivityQuestionnaire.activity_id)
            .where(Question.kind == QuestionKind.TEXT, Response.activity_questionnaire_id.in_(enough), and_(Answer.text.is_not(None), Answer.text != ""))
            .order_by(Activity.starts_at, Activity.id, Question.questionnaire_id, Question.position, Response.id))
