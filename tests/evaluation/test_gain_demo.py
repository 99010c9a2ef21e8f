"""The demo's learning gain: the committee-hearings workshop, its course quiz, scores that show a gain, once."""
from sqlalchemy import func, select

from elearn.demo import seed_courses, seed_people
from elearn.demo.cooperation import seed_cooperation
from elearn.demo.gain import ACTIVITY_TITLE, seed_gain
from elearn.demo.schedule import seed_schedule
from elearn.evaluation import gain
from elearn.evaluation.gain_models import TestScore as Score
from elearn.extensions import db
from elearn.people.models import Person
from elearn.people.reference_data import seed_reference_data
from elearn.scheduling.models import Activity
from tests.helpers import sign_in, text


def _base():
    seed_reference_data()
    seed_people()
    seed_schedule()
    seed_cooperation()


def test_without_the_courses_the_seed_does_nothing(app):
    _base()
    assert seed_gain() == 0
    assert db.session.scalar(select(func.count(Score.id))) == 0


def test_seed_gain_sets_the_test_and_scores_most_participants_once(app):
    _base()
    seed_courses()
    added = seed_gain()
    activity = db.session.scalar(select(Activity).where(Activity.title == ACTIVITY_TITLE))
    test = gain.test_of(activity.id)
    assert test.quiz.course.slug == "committee-work"
    summary = gain.average_gain([activity.id])
    assert added > 0 and summary.both >= len(activity.registrations) // 2
    assert summary.mean_gain > 0 and summary.pre_only >= 1
    assert seed_gain() == 0
    assert db.session.scalar(select(func.count(Score.id))) == added

    trainer = app.test_client()
    sign_in(trainer, "trainer@example.org", "demo-lectern-2026")
    page = text(trainer.get(f"/manage/activities/{activity.id}/gain"))
    scored_person = db.session.scalar(select(Score).order_by(Score.id)).person_id
    assert db.session.get(Person, scored_person).full_name in page and f"{activity.id}/gain.csv" in page
