"""Learning gain: which test an activity uses, when each phase is open to whom, scores, and the gain in SQL.

A participant takes the same quiz before the first session (the pre-test, closing when that
session starts) and after the last one (the post-test, open for EVALUATION_OPEN_DAYS), once each.
Answers are scored on the server by the learning feature's own scoring; only the score is kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.database import utcnow
from elearn.delegations.costs import can_manage
from elearn.errors import UserError
from elearn.evaluation.gain_models import LearningTest, TestPhase, TestScore
from elearn.extensions import db
from elearn.learning.lookups import active_questions
from elearn.learning.models import Course, Quiz, QuizQuestion
from elearn.learning.quizzes import read_answers, score_answers
from elearn.people.models import Person
from elearn.scheduling.models import Activity, ActivityStatus, Registration, RegistrationState


class GainError(UserError):
    pass


class NotParticipant(GainError):
    """The person is not a confirmed participant of the activity (the view answers 403)."""


class PhaseRefused(GainError):
    """The phase is not open now, or the person has already taken it; the message says which."""


def may_manage(person, activity: Activity) -> bool:
    """The activity's own trainers, and administrators: the only people who see individual scores
    (the same rule as the questionnaire's and the delegation's pages)."""
    return can_manage(person, activity)


def test_of(activity_id: int) -> LearningTest | None:
    return db.session.scalar(select(LearningTest).where(LearningTest.activity_id == activity_id))


def _has_questions():
    return exists().where(QuizQuestion.quiz_id == Quiz.id, QuizQuestion.retired_at.is_(None))


def default_quiz(activity: Activity) -> Quiz | None:
    """The quiz of the activity's own course, when it has questions."""
    if activity.course_id is None:
        return None
    return db.session.scalar(select(Quiz).where(Quiz.course_id == activity.course_id, _has_questions()))


def quiz_choices(activity: Activity) -> list[Quiz]:
    """The quizzes a trainer may choose: every published course's, and the activity's own course's."""
    allowed = Course.published.is_(True)
    if activity.course_id is not None:
        allowed = or_(allowed, Quiz.course_id == activity.course_id)
    return list(db.session.scalars(
        select(Quiz).join(Course, Course.id == Quiz.course_id).where(allowed, _has_questions()).order_by(Course.slug)))


def _has_scores(test: LearningTest) -> bool:
    return bool(db.session.scalar(select(exists().where(TestScore.learning_test_id == test.id))))


def set_test(activity: Activity, quiz_id: int | None, actor) -> LearningTest:
    """Use this quiz as the activity's test; refused once a score is recorded (before and after must match)."""
    quiz = next((quiz for quiz in quiz_choices(activity) if quiz.id == quiz_id), None)
    if quiz is None:
        raise GainError(_("Choose one of the quizzes offered."), "quiz_id")
    test = test_of(activity.id)
    if test is not None and test.quiz_id == quiz.id:
        return test
    if test is not None and _has_scores(test):
        raise GainError(_("Participants have already taken this test: it can no longer be changed."), "quiz_id")
    if test is None:
        test = LearningTest(activity_id=activity.id, quiz_id=quiz.id, created_at=utcnow())
        db.session.add(test)
    else:
        test.quiz_id = quiz.id
    db.session.flush()
    record(AuditAction.LEARNING_TEST_SET, actor=actor, object_type="activity", object_id=activity.id,
           details={"quiz_id": quiz.id, "course": quiz.course.slug})
    db.session.commit()
    return test


@dataclass(frozen=True)
class Window:
    """When a phase may be taken: from `opens_at` (None: any time before) until just before `closes_at`."""

    opens_at: datetime | None
    closes_at: datetime | None

    def has_opened(self, now: datetime) -> bool:
        return self.opens_at is None or now >= self.opens_at

    def has_closed(self, now: datetime) -> bool:
        return self.closes_at is None or now >= self.closes_at

    def is_open(self, now: datetime) -> bool:
        return self.has_opened(now) and not self.has_closed(now)


def window(activity: Activity, phase: TestPhase) -> Window:
    """The pre-test closes when the first session starts; the post-test opens when the last one ends.

    An activity without sessions has no window: both are closed.
    """
    if activity.starts_at is None or activity.ends_at is None:
        return Window(None, None)
    if phase == TestPhase.PRE:
        return Window(None, activity.starts_at)
    days = current_app.config["EVALUATION_OPEN_DAYS"]
    return Window(activity.ends_at, activity.ends_at + timedelta(days=days))


def is_confirmed(person, activity: Activity) -> bool:
    return bool(getattr(person, "is_authenticated", False) and db.session.scalar(select(exists().where(
        Registration.activity_id == activity.id, Registration.person_id == person.id,
        Registration.state == RegistrationState.CONFIRMED))))


def score_of(test: LearningTest, person_id: int, phase: TestPhase) -> TestScore | None:
    return db.session.scalar(select(TestScore).where(
        TestScore.learning_test_id == test.id, TestScore.person_id == person_id, TestScore.phase == phase))


def _window_refusal(activity: Activity, phase: TestPhase, now: datetime) -> str | None:
    if activity.status == ActivityStatus.CANCELLED:
        return _("This activity is cancelled.")
    span = window(activity, phase)
    if span.is_open(now):
        return None
    if phase == TestPhase.PRE:
        return _("The test before the activity closed when its first session started.")
    if not span.has_opened(now):
        return _("The test after the activity opens when its last session ends.")
    return _("The test after the activity is closed.")


def check_may_take(activity: Activity, person, phase: TestPhase, now: datetime | None = None) -> LearningTest:
    """The activity's test, if `person` may take this phase now; else NotParticipant or PhaseRefused."""
    if not is_confirmed(person, activity):
        raise NotParticipant(_("Only the activity's confirmed participants take its test."))
    test = test_of(activity.id)
    if test is None:
        raise PhaseRefused(_("This activity has no learning test."))
    refusal = _window_refusal(activity, phase, now or utcnow())
    if refusal is not None:
        raise PhaseRefused(refusal)
    if score_of(test, person.id, phase) is not None:
        raise PhaseRefused(_("You have already taken this test."))
    return test


def questions_of(test: LearningTest) -> list[QuizQuestion]:
    return active_questions(test.quiz.course)


def record_score(activity: Activity, person, phase: TestPhase, form: Mapping,
                 now: datetime | None = None) -> TestScore:
    """Score a submission with the learning quizzes' rules and keep the score; a refusal saves nothing.

    An option of another question raises learning's TamperedSubmission, a missing answer its
    IncompleteSubmission (both before anything is written).
    """
    now = now or utcnow()
    test = check_may_take(activity, person, phase, now)
    questions = questions_of(test)
    if not questions:
        raise PhaseRefused(_("This activity has no learning test."))
    scored = score_answers(questions, read_answers(questions, form))
    score = TestScore(learning_test_id=test.id, person_id=person.id, phase=phase, score=scored.score, taken_at=now)
    db.session.add(score)
    try:
        db.session.commit()
    except IntegrityError:  # the same phase sent twice at once: the unique constraint keeps one
        db.session.rollback()
        raise PhaseRefused(_("You have already taken this test.")) from None
    return score


def open_phases(person, activity_ids: list[int], now: datetime | None = None) -> dict[int, TestPhase]:
    """For the person's pages: the phase each activity's test has open to them and not yet taken (one query)."""
    if not getattr(person, "is_authenticated", False) or not activity_ids:
        return {}
    now = now or utcnow()
    days = current_app.config["EVALUATION_OPEN_DAYS"]
    rows = db.session.execute(
        select(Activity, LearningTest.id).join(LearningTest, LearningTest.activity_id == Activity.id)
        .join(Registration, and_(Registration.activity_id == Activity.id, Registration.person_id == person.id))
        .where(Activity.id.in_(activity_ids), Registration.state == RegistrationState.CONFIRMED,
               Activity.status != ActivityStatus.CANCELLED,
               or_(Activity.starts_at > now,
                   and_(Activity.ends_at <= now, Activity.ends_at > now - timedelta(days=days)))))
    found = {activity.id: (TestPhase.PRE if activity.starts_at > now else TestPhase.POST, test_id)
             for activity, test_id in rows}
    if not found:
        return {}
    taken = set(db.session.execute(select(TestScore.learning_test_id, TestScore.phase).where(
        TestScore.person_id == person.id, TestScore.learning_test_id.in_([t for _p, t in found.values()]))).all())
    return {activity_id: phase for activity_id, (phase, test_id) in found.items() if (test_id, phase) not in taken}


def my_scores(test: LearningTest, person_id: int) -> dict[TestPhase, TestScore]:
    return {score.phase: score for score in db.session.scalars(
        select(TestScore).where(TestScore.learning_test_id == test.id, TestScore.person_id == person_id))}


# The gain, in SQL ---------------------------------------------------------------------------------

def participants_statement(activity_id: int):
    """Per participant: name, pre, post and gain (NULL where a score is missing), by name.

    Confirmed participants, and anyone who took a phase and has since left (their score still counts).
    """
    pre, post = aliased(TestScore), aliased(TestScore)
    test_id = select(LearningTest.id).where(LearningTest.activity_id == activity_id).scalar_subquery()
    return (select(Person.id.label("person_id"), Person.full_name.label("name"), pre.score.label("pre"),
                   post.score.label("post"), (post.score - pre.score).label("gain"))
            .select_from(Registration).join(Person, Person.id == Registration.person_id)
            .outerjoin(pre, and_(pre.person_id == Person.id, pre.learning_test_id == test_id,
                                 pre.phase == TestPhase.PRE))
            .outerjoin(post, and_(post.person_id == Person.id, post.learning_test_id == test_id,
                                  post.phase == TestPhase.POST))
            .where(Registration.activity_id == activity_id,
                   or_(Registration.state == RegistrationState.CONFIRMED, pre.id.is_not(None), post.id.is_not(None)))
            .order_by(Person.full_name, Person.id))


@dataclass(frozen=True)
class GainSummary:
    """The mean gain over participants with both scores, their mean pre and post scores, and the counts."""

    mean_gain: float | None
    mean_pre: float | None
    mean_post: float | None
    both: int
    pre_only: int
    post_only: int


def _mean(value) -> float | None:
    return None if value is None else round(float(value), 1)


def average_gain(activity_ids) -> GainSummary:
    """The learning gain over the given activities (a list of ids or a SELECT of ids), in one statement.

    Participants are pooled: the mean is over every participant with both scores, whichever activity.
    """
    phase_score = lambda phase: func.max(case((TestScore.phase == phase, TestScore.score)))  # noqa: E731
    per_person = (select(phase_score(TestPhase.PRE).label("pre"), phase_score(TestPhase.POST).label("post"))
                  .join(LearningTest, LearningTest.id == TestScore.learning_test_id)
                  .where(LearningTest.activity_id.in_(activity_ids))
                  .group_by(TestScore.learning_test_id, TestScore.person_id).subquery())
    has_pre, has_post = per_person.c.pre.is_not(None), per_person.c.post.is_not(None)
    both = and_(has_pre, has_post)
    count = lambda condition: func.coalesce(func.sum(case((condition, 1), else_=0)), 0)  # noqa: E731
    row = db.session.execute(select(
        func.avg(case((both, per_person.c.post - per_person.c.pre))), func.avg(case((both, per_person.c.pre))),
        func.avg(case((both, per_person.c.post))), count(both), count(and_(has_pre, per_person.c.post.is_(None))),
        count(and_(has_post, per_person.c.pre.is_(None))))).one()
    return GainSummary(mean_gain=_mean(row[0]), mean_pre=_mean(row[1]), mean_post=_mean(row[2]),
                       both=int(row[3]), pre_only=int(row[4]), post_only=int(row[5]))


def export_rows(activity_id: int) -> tuple[list[str], list[list]]:
    """Every participant's scores, then the average line, for CSV and XLSX."""
    header = [_("Name"), _("Before"), _("After"), _("Gain")]
    rows: list[list] = [[row.name, _cell(row.pre), _cell(row.post), _cell(row.gain)]
                        for row in db.session.execute(participants_statement(activity_id))]
    summary = average_gain([activity_id])
    rows.append([_("Average over %(num)d participants with both scores", num=summary.both),
                 _cell(summary.mean_pre), _cell(summary.mean_post), _cell(summary.mean_gain)])
    return header, rows


def _cell(value):
    return "" if value is None else value
