"""Demo data that fills the learner's and the focal point's dashboards.

The demo learners hold seats at coming activities, wait in line or for approval,
are midway through a course and have earned a certificate; the focal point of The
Gambia has nominated colleagues, some still awaiting a trainer's decision. Every
step checks what is there first, so running the seed again adds nothing.
"""
from __future__ import annotations

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from elearn.extensions import db
from elearn.learning import enrolling, lookups, progress, quizzes
from elearn.learning.models import Course, Enrolment
from elearn.people.models import Person
from elearn.scheduling import services
from elearn.scheduling.models import Activity

MENTORING = "International mentoring: heads of human resources"
DIALOGUE = "Dialogue facilitation between parliamentary groups"
TRAINING_PERIOD = "Training period in the legislative division"

# Who takes the places first, so that a demo learner after them waits in line (the mentoring has five seats).
FIRST_IN = {MENTORING: ["participant07", "participant13", "participant14", "participant17", "participant18"]}

# Each demo learner's own registrations, in this order.
BOOKINGS = {
    "mp": ["Live e-learning: drafting amendments", "Regional seminar on budget oversight", DIALOGUE],
    "depute": ["Briefing on the new rules of procedure", "Induction programme for newly elected members",
               "Regional seminar on budget oversight"],
    "staff": ["Remote assistance: committee report templates", "Exchange visit: the official record service",
              MENTORING, TRAINING_PERIOD],
}

# The focal point's nominations: the Gambian members at the dialogue (seats confirmed), two clerks for the
# training period (approval required: they stay pending).
NOMINATIONS = {DIALOGUE: ["participant01", "participant02", "participant03", "participant04", "participant05",
                          "participant06"],
               TRAINING_PERIOD: ["participant08", "participant09"]}

# Courses: (account, course slug, lessons to have done; None: the whole course with its quiz passed).
LEARNING = [("mp", "induction-new-members", None), ("mp", "legislative-procedure", 3),
            ("mp", "oversight-of-government", 2), ("depute", "committee-work", 2),
            ("depute", "majority-and-opposition", None), ("depute", "gender-sensitive-parliament", 1),
            ("staff", "committee-work", 3), ("staff", "legislative-procedure", 1), ("staff", "the-official-record", 4),
            ("staff", "administering-an-assembly", 2)]


def _person(name: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == f"{name}@example.org"))


def _register(title: str, names: list[str], nominated_by: Person | None = None) -> None:
    activity = db.session.scalar(select(Activity).where(Activity.title == title))
    if activity is None:
        return
    for name in names:
        person = _person(name)
        if person is None:
            continue
        try:
            if nominated_by is not None:
                services.nominate(activity.id, person, nominated_by)
            else:
                services.register(activity.id, person)  # a second time is harmless
        except services.SchedulingError:
            continue  # closed or not open to them: the demo goes on without it


def seed_bookings() -> None:
    for title, names in FIRST_IN.items():
        _register(title, names)
    for name, titles in BOOKINGS.items():
        for title in titles:
            _register(title, [name])
    focal = _person("focal")
    if focal is not None:
        for title, names in NOMINATIONS.items():
            _register(title, names, nominated_by=focal)


def _right_answers(course: Course) -> MultiDict:
    form = MultiDict()
    for question in lookups.active_questions(course):
        for option in question.options:
            if option.is_correct:
                form.add(f"question-{question.id}", str(option.id))
    return form


def _follow(person: Person, course: Course, lessons_done: int | None) -> None:
    enrolment = enrolling.enrol_self(person, course)
    lessons = lookups.active_lessons(course)
    for lesson in lessons if lessons_done is None else lessons[:lessons_done]:
        progress.mark_lesson_done(enrolment, lesson)
    if lessons_done is None and enrolment.quiz_passed_at is None and lookups.has_quiz(course):
        quizzes.submit_quiz(enrolment, _right_answers(course))


def seed_learning() -> None:
    """Needs the courses imported; without them (`--no-courses` on a fresh site) there is nothing to follow."""
    for name, slug, lessons_done in LEARNING:
        person, course = _person(name), lookups.course_by_slug(slug)
        if person is None or course is None or not course.published:
            continue
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.person_id == person.id,
                                                              Enrolment.course_id == course.id))
        if enrolment is not None:
            continue  # followed already: the demo never undoes or redoes anyone's progress
        _follow(person, course, lessons_done)


def seed_dashboards() -> None:
    seed_bookings()
    seed_learning()
