"""Results figures on a small fixture, and the number of statements whatever the number of responses."""
from __future__ import annotations

from datetime import time

import pytest

from elearn.evaluation.models import QuestionKind
from elearn.evaluation.results import ResultFilters, build_results, free_texts
from elearn.extensions import db
from elearn.people.models import Gender, PersonKind
from elearn.scheduling import services
from tests import factories
from tests.evaluation import results_factories as rf
from tests.helpers import count_queries
from tests.scheduling.factories import make_activity, make_programme


def two_sessions(days_ahead: int = 10):
    from datetime import timedelta

    from elearn.database import utcnow
    first = utcnow().date() + timedelta(days=days_ahead)
    return (services.SessionInput(start_date=first, start_time=time(9), end_time=time(12)),
            services.SessionInput(start_date=first + timedelta(days=1), start_time=time(9), end_time=time(12)))


@pytest.fixture
def world(app):
    programme = make_programme()
    first = make_activity(programme=programme, sessions=two_sessions(10))
    second = make_activity(sessions=two_sessions(40))
    one, two = rf.make_questionnaire(), rf.make_questionnaire()
    link_one, link_two = rf.attach(first, one), rf.attach(second, two)
    s1, s2 = first.sessions
    for number, (rating, choice) in enumerate(zip([1, 2, 3, 4, 5], ["a", "a", "b", "c", None], strict=True)):
        rf.respond(link_one, rating=rating, choice=choice, sessions={s1: rating, s2: 5},
                   text="=HYPERLINK(\"http://evil.example\",\"x\")" if number == 0 else
                   ("<script>alert(1)</script>" if number == 1 else ""),
                   several=["a", "b"] if number < 2 else None,
                   gender=Gender.WOMAN if number < 3 else Gender.MAN)
    for rating in (4, 4, 5):
        rf.respond(link_two, rating=rating, choice="c", text="Useful visit")
    people = [factories.make_person(email=f"p{n}@example.org") for n in range(8)]
    for person in people[:6]:
        rf.attend(first, person)
        rf.receipt(link_one, person, answered=True)
    rf.attend(first, people[6], present=False)
    rf.receipt(link_one, people[7])
    return {"programme": programme, "first": first, "second": second, "one": one, "two": two,
            "link_one": link_one, "link_two": link_two, "sessions": (s1, s2)}


def by_kind(results, questionnaire, kind):
    return next(r for r in results.questions if r.question.questionnaire_id == questionnaire.id
                and r.question.kind == kind)


def test_one_activity(world):
    results = build_results(ResultFilters(activity_id=world["first"].id))
    assert results.responses == 5 and results.invited == 7 and results.attended == 6
    rating = by_kind(results, world["one"], QuestionKind.RATING)
    assert rating.distribution == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    assert rating.rating.count == 5 and rating.rating.mean == 3
    choice = by_kind(results, world["one"], QuestionKind.SINGLE)
    assert choice.distribution == {"a": 2, "b": 1, "c": 1} and choice.answered == 4
    several = by_kind(results, world["one"], QuestionKind.MULTIPLE)
    assert several.distribution == {"a": 2, "b": 2} and several.answered == 2
    sessions = by_kind(results, world["one"], QuestionKind.SESSION_RATING)
    s1, s2 = world["sessions"]
    assert sessions.sessions[s1.id].mean == 3 and sessions.sessions[s2.id].mean == 5
    assert sessions.sessions[s2.id].count == 5
    # (0 + 25 + 50 + 75 + 100) / 5: session ratings are not part of satisfaction.
    assert results.satisfaction.mean == 50 and results.satisfaction.count == 5
    assert results.breakdowns["gender"]["woman"]["respondents"] == 3
    assert results.breakdowns["gender"]["man"]["satisfaction"].mean == pytest.approx(87.5)


def test_period_and_filters(world):
    everything = build_results(ResultFilters())
    assert everything.responses == 8 and len(everything.activities) == 2
    assert everything.satisfaction.mean == pytest.approx((0 + 25 + 50 + 75 + 100 + 75 + 75 + 100) / 8)
    programme = build_results(ResultFilters(programme_id=world["programme"].id))
    assert [a.activity_id for a in programme.activities] == [world["first"].id]
    second_day = world["second"].starts_at.date()
    later = build_results(ResultFilters(date_from=second_day))
    assert [a.activity_id for a in later.activities] == [world["second"].id]
    only_two = build_results(ResultFilters(questionnaire_id=world["two"].id))
    assert only_two.responses == 3 and by_kind(only_two, world["two"], QuestionKind.SINGLE).distribution == {"c": 3}


def test_free_texts_without_person_or_date(world):
    rows = db.session.execute(free_texts(ResultFilters(), 3)).all()
    assert sorted(text for _a, _p, text in rows) == sorted(
        ["=HYPERLINK(\"http://evil.example\",\"x\")", "<script>alert(1)</script>", "Useful visit", "Useful visit",
         "Useful visit"])
    assert all(len(row) == 3 for row in rows)  # activity, prompt, text: nothing else
    assert db.session.execute(free_texts(ResultFilters(), 4)).all().__len__() == 2  # the 3-response activity drops


def test_constant_statements(app):
    activity = make_activity(sessions=two_sessions(10))
    link = rf.attach(activity, rf.make_questionnaire())
    s1, s2 = activity.sessions
    counts = []
    parliaments = [factories.make_parliament() for _ in range(3)]
    for size in (5, 50):
        for number in range(size - (5 if size == 50 else 0)):
            rf.respond(link, rating=1 + number % 5, choice="abc"[number % 3], sessions={s1: 2, s2: 4},
                       text=f"text {number}", several=["a", "c"][: number % 3], parliament=parliaments[number % 3],
                       gender=list(Gender)[number % 4], kind=list(PersonKind)[number % 2], commit=False)
        db.session.commit()
        db.session.expire_all()
        with count_queries() as counter:
            results = build_results(ResultFilters(activity_id=activity.id))
        assert results.responses == size
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
