"""Learning gain without HTTP: choosing the test, the windows, refusals that save nothing, the gain in SQL."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.evaluation import gain
from elearn.evaluation.gain_models import TestPhase as Phase
from elearn.evaluation.gain_models import TestScore as Score
from elearn.extensions import db
from elearn.learning.errors import IncompleteSubmission, TamperedSubmission
from elearn.learning.lookups import active_questions
from elearn.learning.models import Course
from elearn.scheduling.models import ActivityStatus, RegistrationState
from tests.evaluation.gain_fixtures import answers, confirm, course_activity, end_in, participants, scored, start_in
from tests.factories import make_person
from tests.learning.factories import make_course
from tests.scheduling.factories import make_activity


def _scores() -> int:
    return db.session.scalar(select(func.count(Score.id)))


def test_the_default_is_the_quiz_of_the_activitys_course_and_another_published_one_may_be_chosen(app, people):
    course = make_course("own-course", questions=2)
    other = make_course("other-course", questions=3)
    hidden = make_course("hidden-course", questions=2)
    hidden.published = False
    db.session.commit()
    activity = make_activity(course_id=course.id)
    assert gain.default_quiz(activity) == course.quiz
    offered = {quiz.course.slug for quiz in gain.quiz_choices(activity)}
    assert {"own-course", "other-course"} <= offered and "hidden-course" not in offered
    gain.set_test(activity, other.quiz.id, people["trainer"])
    assert gain.test_of(activity.id).quiz == other.quiz
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.LEARNING_TEST_SET))
    assert event.object_id == activity.id and event.details["course"] == "other-course"
    with pytest.raises(gain.GainError) as refused:
        gain.set_test(activity, hidden.quiz.id, people["trainer"])
    assert refused.value.field == "quiz_id"
    assert gain.test_of(activity.id).quiz == other.quiz


def test_an_unpublished_course_of_the_activity_itself_is_still_offered(app):
    course = make_course("draft-course", questions=2)
    course.published = False
    db.session.commit()
    activity = make_activity(course_id=course.id)
    assert course.quiz in gain.quiz_choices(activity)


def test_the_test_cannot_change_once_a_score_is_recorded(app, people):
    activity, _course = course_activity()
    other = make_course("second-course", questions=2)
    learner = people["learner"]
    confirm(activity, learner)
    scored(activity, learner, 50, None)
    with pytest.raises(gain.GainError):
        gain.set_test(activity, other.quiz.id, None)
    assert gain.test_of(activity.id).quiz.course.slug == "gain-course"


def test_a_pre_test_is_scored_on_the_server_and_kept_once(app, people):
    activity, course = course_activity()
    learner = people["learner"]
    confirm(activity, learner)
    score = gain.record_score(activity, learner, Phase.PRE, answers(course, right=3))
    assert score.score == 75 and score.phase == Phase.PRE
    with pytest.raises(gain.PhaseRefused, match="already"):
        gain.record_score(activity, learner, Phase.PRE, answers(course, right=4))
    assert _scores() == 1
    assert db.session.scalar(select(Score.score)) == 75


def test_the_pre_test_closes_when_the_first_session_starts(app, people):
    activity, course = course_activity()
    learner = people["learner"]
    confirm(activity, learner)
    start_in(activity, timedelta(minutes=-1))
    with pytest.raises(gain.PhaseRefused, match="closed"):
        gain.record_score(activity, learner, Phase.PRE, answers(course, right=2))
    start_in(activity, timedelta(minutes=1))
    assert gain.record_score(activity, learner, Phase.PRE, answers(course, right=2)).score == 50


def test_the_post_test_opens_when_the_last_session_ends_and_closes_after_the_open_days(app, people):
    app.config["EVALUATION_OPEN_DAYS"] = 21
    activity, course = course_activity()
    learner = people["learner"]
    confirm(activity, learner)
    end_in(activity, timedelta(minutes=5))
    with pytest.raises(gain.PhaseRefused, match="opens"):
        gain.record_score(activity, learner, Phase.POST, answers(course, right=4))
    end_in(activity, -timedelta(days=21, minutes=1))
    with pytest.raises(gain.PhaseRefused, match="closed"):
        gain.record_score(activity, learner, Phase.POST, answers(course, right=4))
    assert _scores() == 0
    end_in(activity, -timedelta(days=20))
    assert gain.record_score(activity, learner, Phase.POST, answers(course, right=4)).score == 100


@pytest.mark.parametrize("state", [None, RegistrationState.WAITLISTED, RegistrationState.REQUESTED,
                                   RegistrationState.WITHDRAWN])
def test_only_confirmed_participants_take_the_test(app, people, state):
    activity, course = course_activity()
    learner = people["learner"]
    if state is not None:
        confirm(activity, learner, state)
    with pytest.raises(gain.NotParticipant):
        gain.record_score(activity, learner, Phase.PRE, answers(course, right=2))
    assert _scores() == 0


def test_an_option_of_another_question_or_a_missing_answer_saves_nothing(app, people):
    activity, course = course_activity()
    learner = people["learner"]
    confirm(activity, learner)
    first, second, *_rest = active_questions(course)
    form = answers(course, right=4)
    form.setlist(f"question-{first.id}", [str(second.options[0].id)])
    with pytest.raises(TamperedSubmission):
        gain.record_score(activity, learner, Phase.PRE, form)
    partial = answers(course, right=4)
    partial.pop(f"question-{first.id}")
    with pytest.raises(IncompleteSubmission):
        gain.record_score(activity, learner, Phase.PRE, partial)
    assert _scores() == 0


def test_a_cancelled_activity_and_an_activity_without_test_are_refused(app, people):
    activity, course = course_activity()
    learner = people["learner"]
    confirm(activity, learner)
    activity.status = ActivityStatus.CANCELLED
    db.session.commit()
    with pytest.raises(gain.PhaseRefused):
        gain.record_score(activity, learner, Phase.PRE, answers(course, right=2))
    bare = make_activity()
    confirm(bare, learner)
    with pytest.raises(gain.PhaseRefused):
        gain.check_may_take(bare, learner, Phase.PRE)


def test_open_phases_lists_only_what_the_person_may_still_take(app, people):
    before, course = course_activity()
    after = make_activity(course_id=course.id)
    gain.set_test(after, course.quiz.id, None)
    end_in(after, -timedelta(days=2))
    untested = make_activity()
    learner = people["learner"]
    for activity in (before, after, untested):
        confirm(activity, learner)
    ids = [before.id, after.id, untested.id]
    assert gain.open_phases(learner, ids) == {before.id: Phase.PRE, after.id: Phase.POST}
    gain.record_score(before, learner, Phase.PRE, answers(course, right=1))
    assert gain.open_phases(learner, ids) == {after.id: Phase.POST}
    assert gain.open_phases(people["focal_point"], ids) == {}


def test_the_gain_per_participant_and_on_average(app):
    activity, _course = course_activity()
    ana, ben, cleo, dan, eve = participants(activity, 5)
    scored(activity, ana, 40, 80)
    scored(activity, ben, 60, 70)
    scored(activity, cleo, 50, None)
    scored(activity, dan, None, 90)
    rows = {row.name: row for row in db.session.execute(gain.participants_statement(activity.id))}
    assert (rows[ana.full_name].pre, rows[ana.full_name].post, rows[ana.full_name].gain) == (40, 80, 40)
    assert rows[cleo.full_name].gain is None and rows[eve.full_name].pre is None
    summary = gain.average_gain([activity.id])
    assert summary == gain.GainSummary(mean_gain=25.0, mean_pre=50.0, mean_post=75.0, both=2, pre_only=1,
                                       post_only=1)


def test_average_gain_pools_participants_across_the_activities_of_a_select(app):
    first, course = course_activity(programme=None)
    second = make_activity(course_id=course.id, title="Second")
    gain.set_test(second, course.quiz.id, None)
    elsewhere = make_activity(course_id=course.id, title="Elsewhere")
    gain.set_test(elsewhere, course.quiz.id, None)
    for activity, pairs in ((first, [(10, 20)]), (second, [(50, 80), (60, 90)]), (elsewhere, [(0, 100)])):
        for person, (pre, post) in zip(participants(activity, len(pairs)), pairs, strict=True):
            scored(activity, person, pre, post)
    from elearn.scheduling.models import Activity
    chosen = select(Activity.id).where(Activity.title != "Elsewhere")
    summary = gain.average_gain(chosen)
    assert summary.both == 3 and summary.mean_gain == pytest.approx((10 + 30 + 30) / 3, abs=0.05)
    assert gain.average_gain([]).mean_gain is None and gain.average_gain([]).both == 0


def test_a_participant_who_left_after_the_pre_test_keeps_their_row(app):
    activity, _course = course_activity()
    (person,) = participants(activity, 1)
    scored(activity, person, 30, None)
    registration = activity.registrations[0]
    registration.state = RegistrationState.WITHDRAWN
    db.session.commit()
    rows = list(db.session.execute(gain.participants_statement(activity.id)))
    assert [(row.name, row.pre) for row in rows] == [(person.full_name, 30)]


def test_may_manage_is_the_activitys_trainers_and_administrators(app, people):
    other_trainer = make_person(Role.TRAINER)
    activity, _course = course_activity(trainer=people["trainer"])
    assert gain.may_manage(people["trainer"], activity) and gain.may_manage(people["admin"], activity)
    assert not gain.may_manage(other_trainer, activity)
    assert not gain.may_manage(people["focal_point"], activity) and not gain.may_manage(people["learner"], activity)


def test_the_course_quiz_scoring_is_shared(app, people):
    """The course quiz still scores with the same function after its extraction."""
    from tests.learning.factories import complete_course
    course = db.session.scalar(select(Course).where(Course.slug == "gain-course")) or make_course("gain-course")
    _enrolment, attempt = complete_course(people["learner"], course)
    assert attempt.score == 100 and attempt.correct == attempt.total == len(attempt.answers)
