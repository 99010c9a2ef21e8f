"""`courses import`: all or nothing, updates in place, progress kept, removed lessons retired."""

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.learning import importing
from elearn.learning.lookups import active_lessons, active_questions, done_lesson_ids
from elearn.learning.models import Course, Lesson, LessonProgress, QuizQuestion
from elearn.learning.progress import mark_lesson_done
from tests.factories import make_person
from tests.learning.factories import enrol, write_course


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_creates_courses_lessons_and_quiz(app, tmp_path):
    write_course(tmp_path, "committee-work", lessons=3, questions=2)
    result = app.test_cli_runner().invoke(args=["courses", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "committee-work: created (3 lessons)" in result.output
    course = db.session.scalar(select(Course).where(Course.slug == "committee-work"))
    assert course.title == {"en": "Sample course committee-work", "fr": "Cours d'exemple committee-work"}
    assert [lesson.title["fr"] for lesson in course.lessons] == ["Lesson 1 (fr)", "Lesson 2 (fr)", "Lesson 3 (fr)"]
    assert "<h2 id=\"why-it-matters\">Why it matters</h2>" in course.lessons[0].body_html["en"]
    assert len(active_questions(course)) == 2


def test_a_problem_anywhere_means_nothing_is_written(app, tmp_path):
    write_course(tmp_path, "committee-work")
    broken = write_course(tmp_path, "legislative-procedure")
    (broken / "02-lesson-2.fr.md").unlink()
    result = app.test_cli_runner().invoke(args=["courses", "import", str(tmp_path)])
    assert result.exit_code != 0
    assert "02-lesson-2.en.md:1: missing translation: no 02-lesson-2.fr.md" in result.output
    assert "nothing was imported" in result.output
    assert count(Course) == 0 and count(Lesson) == 0


def test_a_failure_while_writing_rolls_everything_back(app, tmp_path, monkeypatch):
    write_course(tmp_path, "committee-work")
    write_course(tmp_path, "legislative-procedure")
    original = importing._import_quiz

    def failing(course, source, now):
        if course.slug == "legislative-procedure":
            raise RuntimeError("disk on fire")
        return original(course, source, now)

    monkeypatch.setattr(importing, "_import_quiz", failing)
    with pytest.raises(RuntimeError):
        importing.import_path(tmp_path)
    assert count(Course) == 0 and count(Lesson) == 0 and count(QuizQuestion) == 0


def test_reimport_updates_in_place_and_keeps_progress(app, tmp_path):
    folder = write_course(tmp_path, "committee-work", lessons=3)
    importing.import_path(tmp_path)
    course = db.session.scalar(select(Course))
    learner = make_person()
    enrolment = enrol(learner, course)
    first, second, third = active_lessons(course)
    mark_lesson_done(enrolment, first)
    mark_lesson_done(enrolment, second)
    ids = {lesson.slug: lesson.id for lesson in course.lessons}

    # Edit a lesson, swap the order of lessons 1 and 3, add a lesson 4.
    for language in ("en", "fr"):
        (folder / f"01-lesson-1.{language}.md").rename(folder / f"09-lesson-1.{language}.md")
        (folder / f"03-lesson-3.{language}.md").rename(folder / f"01-lesson-3.{language}.md")
        text = (folder / f"02-lesson-2.{language}.md").read_text()
        (folder / f"02-lesson-2.{language}.md").write_text(text.replace("Lesson 2", "Lesson two, revised"))
        (folder / f"04-lesson-4.{language}.md").write_text('+++\ntitle = "Four"\nminutes = 3\n+++\nNew.\n')
        for name in folder.glob(f"*.{language}.md"):
            name.write_text(name.read_text().replace("01-lesson-1.md", "09-lesson-1.md").replace("03-lesson-3.md", "01-lesson-3.md"))
    results = importing.import_path(tmp_path)
    assert [(r.slug, r.status, r.lessons, r.retired) for r in results] == [("committee-work", "updated", 4, 0)]

    db.session.expire_all()
    lessons = active_lessons(course)
    assert [lesson.slug for lesson in lessons] == ["lesson-3", "lesson-2", "lesson-4", "lesson-1"]
    assert {lesson.slug: lesson.id for lesson in lessons if lesson.slug in ids} == ids  # same rows
    assert lessons[1].title["en"] == "Lesson two, revised (en)"
    assert done_lesson_ids(enrolment) == {ids["lesson-1"], ids["lesson-2"]}


def test_unchanged_files_are_skipped(app, tmp_path):
    write_course(tmp_path, "committee-work")
    importing.import_path(tmp_path)
    stamp = db.session.scalar(select(Course.imported_at))
    result = app.test_cli_runner().invoke(args=["courses", "import", str(tmp_path)])
    assert "committee-work: unchanged (3 lessons)" in result.output
    assert db.session.scalar(select(Course.imported_at)) == stamp


def test_a_removed_lesson_is_retired_with_its_history(app, tmp_path, login_as, people):
    folder = write_course(tmp_path, "committee-work", lessons=3, questions=0)
    importing.import_path(tmp_path)
    course = db.session.scalar(select(Course))
    enrolment = enrol(people["learner"], course)
    lessons = active_lessons(course)
    mark_lesson_done(enrolment, lessons[2])

    for language in ("en", "fr"):
        (folder / f"03-lesson-3.{language}.md").unlink()
        lesson_2 = folder / f"02-lesson-2.{language}.md"
        lesson_2.write_text(lesson_2.read_text().replace("03-lesson-3.md", "01-lesson-1.md"))
    result = app.test_cli_runner().invoke(args=["courses", "import", str(tmp_path)])
    assert "committee-work: updated (2 lessons, 1 retired)" in result.output

    retired = db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-3"))
    assert retired.retired_at is not None
    assert db.session.scalar(select(func.count(LessonProgress.id)).where(LessonProgress.lesson_id == retired.id)) == 1
    client = login_as("learner")
    page = client.get("/courses/committee-work").get_data(as_text=True)
    assert "Lesson 1 (en)" in page and "Lesson 3 (en)" not in page
    assert client.get("/courses/committee-work/lessons/lesson-3").status_code == 404
    # The retired lesson does not count: two lessons to go, then the course is complete.
    assert "0% done" in page
    for lesson in active_lessons(course):
        mark_lesson_done(enrolment, lesson)
    assert enrolment.completed_at is not None

    # Putting the file back brings the same lesson (and its progress) back.
    write_course(tmp_path, "committee-work", lessons=3, questions=0)
    importing.import_path(tmp_path)
    db.session.expire_all()
    assert retired.retired_at is None
    assert retired.id in done_lesson_ids(enrolment)


def test_a_removed_question_is_retired(app, tmp_path):
    write_course(tmp_path, "committee-work", questions=3)
    importing.import_path(tmp_path)
    write_course(tmp_path, "committee-work", questions=2)
    importing.import_path(tmp_path)
    course = db.session.scalar(select(Course))
    assert [q.key for q in active_questions(course)] == ["q1", "q2"]
    assert db.session.scalar(select(QuizQuestion).where(QuizQuestion.key == "q3")).retired_at is not None


def test_quiz_settings_are_imported_and_updated(app, tmp_path):
    from elearn.learning.models import Quiz

    folder = write_course(tmp_path, "committee-work")
    assert app.test_cli_runner().invoke(args=["courses", "import", str(tmp_path)]).exit_code == 0
    quiz = db.session.scalar(select(Quiz))
    assert (quiz.review, quiz.max_attempts, quiz.minutes_between_attempts) == ("answers-once-passed", None, 0)

    toml = folder / "course.toml"
    toml.write_text(toml.read_text().replace("self_enrolment = true", 'self_enrolment = true\n[quiz]\nreview = "right-or-wrong"\nmax_attempts = 2\nminutes_between_attempts = 30'))
    assert app.test_cli_runner().invoke(args=["courses", "import", str(tmp_path)]).exit_code == 0
    db.session.expire_all()
    assert (quiz.review, quiz.max_attempts, quiz.minutes_between_attempts) == ("right-or-wrong", 2, 30)
