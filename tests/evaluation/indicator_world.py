"""A small programme year for the indicator tests, counted by hand in `world`'s docstring."""
from __future__ import annotations

from datetime import date, datetime, timezone

from elearn.cooperation.models import (
    ActionPlan,
    Commitment,
    CommitmentOwner,
    CommitmentStatus,
    NeedsRequest,
    RequestStatus,
    SupportKind,
)
from elearn.evaluation.gain_models import LearningTest, TestPhase, TestScore
from elearn.evaluation.models import (
    ActivityQuestionnaire,
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
)
from elearn.extensions import db
from elearn.learning.models import Course, Quiz
from elearn.people.affiliations import record_change
from elearn.people.models import Gender, PersonKind, PoliticalSide
from elearn.scheduling.models import AttendanceStatus
from tests.factories import make_parliament, make_person
from tests.reports.factories import attend, make_held_activity
from tests.scheduling.factories import make_programme

PRESENT = AttendanceStatus.PRESENT
NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def world():
    """Programme "Alpha" (2026) and "Other".

    Activity A (Alpha), 10 February 2026, one day: Wendy (woman, MP, ruling), Mark (man, MP, ruling),
    Oscar (man, MP, opposition). Activity B (Alpha), 10–11 April 2026, all day (2 days): Wendy, Mark.
    Activity C (Other), 10 March 2026: Oscar.
    Alpha over 2026: 3 participants, 5 participations, 7 participant-days (3 × 1 + 2 × 2), women 2/5 = 40 %.
    Satisfaction at A (5-point scale): 5 and 3 → 100 and 50 → 75 (a session rating of 1 and C's 1 left out).
    Gain at A: Wendy 40 → 70, Mark 50 → 60, Oscar only a pre-test: (30 + 10) / 2 = 20.
    Commitments of A's plan due in 2026: on time (done 20 April, due 1 May), late (done 1 June, due 10 May),
    open (due 15 May); a dropped one is left out: 1 of 3 = 33.3 %.
    Requests to Alpha decided in 2026: 10, 30 and 20 days: median 20 (one still received, one of Other).
    """
    north = make_parliament(name_en="North Assembly", country_code="NA")
    alpha = make_programme(title="Alpha", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    other = make_programme(title="Other")
    a = make_held_activity([(datetime(2026, 2, 10, 9), datetime(2026, 2, 10, 16, 30))], title="Activity A",
                           programme=alpha)
    b = make_held_activity([(datetime(2026, 4, 10), datetime(2026, 4, 12))], all_day=True, timezone="Africa/Banjul",
                           title="Activity B", programme=alpha)
    c = make_held_activity([(datetime(2026, 3, 10, 9), datetime(2026, 3, 10, 17))], title="Activity C",
                           programme=other)

    def member(name, gender, side):
        person = make_person(full_name=name, kind=PersonKind.MP, gender=gender, parliament=north)
        record_change(person, side, date(2025, 1, 1), actor=None, today=date(2026, 1, 1))
        return person

    wendy = member("Wendy", Gender.WOMAN, PoliticalSide.RULING)
    mark = member("Mark", Gender.MAN, PoliticalSide.RULING)
    oscar = member("Oscar", Gender.MAN, PoliticalSide.OPPOSITION)
    for person in (wendy, mark, oscar):
        attend(a, person, PRESENT)
    for person in (wendy, mark):
        attend(b, person, PRESENT)
    attend(c, oscar, PRESENT)
    _responses(a, c)
    _scores(a, wendy, mark, oscar)
    _commitments(a, north)
    _requests(alpha, other, north)
    return {"alpha": alpha, "other": other, "a": a, "b": b, "c": c, "north": north}


def _responses(a, c) -> None:
    questionnaire = Questionnaire(slug="after", title={"en": "After"})
    rating = Question(position=1, kind=QuestionKind.RATING, prompt={"en": "Useful?"}, scale_points=5)
    sessions = Question(position=2, kind=QuestionKind.SESSION_RATING, prompt={"en": "Each session"}, scale_points=5)
    questionnaire.questions = [rating, sessions]
    db.session.add(questionnaire)
    for activity, ratings in ((a, (5, 3)), (c, (1,))):
        attached = ActivityQuestionnaire(activity=activity, questionnaire=questionnaire, opens_at=activity.ends_at,
                                         closes_at=utc(2026, 12, 31))
        for value in ratings:
            response = Response(activity_questionnaire=attached, submitted_on=date(2026, 5, 1))
            response.answers = [Answer(question=rating, rating=value)]
            if activity is a:
                response.answers.append(Answer(question=sessions, rating=1, session_id=activity.sessions[0].id))
            db.session.add(response)
    db.session.commit()


def _scores(a, wendy, mark, oscar) -> None:
    course = Course(slug="gain-course", title={"en": "Gain"})
    quiz = Quiz(course=course)
    test = LearningTest(activity=a, quiz=quiz)
    db.session.add(test)
    for person, pre, post in ((wendy, 40, 70), (mark, 50, 60), (oscar, 20, None)):
        db.session.add(TestScore(learning_test=test, person_id=person.id, phase=TestPhase.PRE, score=pre))
        if post is not None:
            db.session.add(TestScore(learning_test=test, person_id=person.id, phase=TestPhase.POST, score=post))
    db.session.commit()


def _commitments(a, north) -> None:
    plan = ActionPlan(activity_id=a.id, parliament_id=north.id, agreed_on=date(2026, 2, 10))
    rows = ((date(2026, 5, 1), CommitmentStatus.DONE, utc(2026, 4, 20, 10)),
            (date(2026, 5, 10), CommitmentStatus.DONE, utc(2026, 6, 1, 10)),
            (date(2026, 5, 15), CommitmentStatus.PLANNED, utc(2026, 2, 10)),
            (date(2026, 7, 1), CommitmentStatus.DROPPED, utc(2026, 3, 1)))
    plan.commitments = [Commitment(description=f"Commitment {n}", owner=CommitmentOwner.PARTNER, due_on=due,
                                   status=status, updated_at=updated) for n, (due, status, updated) in enumerate(rows)]
    db.session.add(plan)
    db.session.commit()


def _requests(alpha, other, north) -> None:
    rows = ((alpha, RequestStatus.ACCEPTED, utc(2026, 1, 1, 9), utc(2026, 1, 11, 10)),
            (alpha, RequestStatus.DECLINED, utc(2026, 2, 1, 9), utc(2026, 3, 3, 10)),
            (alpha, RequestStatus.ACCEPTED, utc(2026, 3, 1, 9), utc(2026, 3, 21, 10)),
            (alpha, RequestStatus.RECEIVED, utc(2026, 4, 1, 9), utc(2026, 4, 1, 9)),
            (other, RequestStatus.ACCEPTED, utc(2026, 1, 1, 9), utc(2026, 9, 1, 9)))
    for n, (programme, status, received, decided) in enumerate(rows):
        db.session.add(NeedsRequest(parliament_id=north.id, kind=SupportKind.TRAINING, status=status,
                                    title=f"Request {n}", need="Help", programme_id=programme.id,
                                    answer="Not now" if status == RequestStatus.DECLINED else "",
                                    created_at=received, status_changed_at=decided))
    db.session.commit()
