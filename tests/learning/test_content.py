"""`courses check`: every kind of problem is reported with its file and line."""
import re
from pathlib import Path

import pytest

from elearn.learning.content.loading import load_courses
from tests.learning.factories import SVG, png_bytes, write_course


def problems_in(root: Path) -> list[str]:
    _courses, problems = load_courses(root)
    return [str(problem) for problem in problems]


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if needle in line)


def only(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # problems name files relative to the working directory
    return tmp_path / "courses"


def test_a_valid_course_has_no_problems(root):
    write_course(root, "committee-work", lessons=3, questions=2, assets={"room.png": png_bytes()})
    courses, problems = load_courses(root)
    assert problems == []
    [course] = courses
    assert [lesson.slug for lesson in course.lessons] == ["lesson-1", "lesson-2", "lesson-3"]
    assert [q.key for q in course.questions] == ["q1", "q2"]
    assert course.questions[0].prompt == {"en": "Question 1 (en)?", "fr": "Question 1 (fr)?"}


def test_invalid_toml_gives_the_line(root):
    folder = write_course(root, "committee-work")
    toml = folder / "course.toml"
    toml.write_text(toml.read_text().replace('version = 1', 'version = = 1'))
    message = only(problems_in(root))
    assert message.startswith(f"courses/committee-work/course.toml:{line_of(toml, 'version')}: invalid TOML")


def test_unknown_topic(root):
    folder = write_course(root, "committee-work", topics=("committee-work", "comittee-work"))
    message = only(problems_in(root))
    line = line_of(folder / "course.toml", "topics")
    assert message.startswith(f"courses/committee-work/course.toml:{line}: unknown topic 'comittee-work'")


def test_unknown_audience_and_bad_pass_mark(root):
    folder = write_course(root, "committee-work", audience="everyone", pass_mark=120)
    problems = problems_in(root)
    toml = folder / "course.toml"
    assert f"courses/committee-work/course.toml:{line_of(toml, 'audience')}: unknown audience 'everyone' (expected one of: mps, staff, both)" in problems
    assert f"courses/committee-work/course.toml:{line_of(toml, 'pass_mark')}: pass_mark must be a percentage from 0 to 100" in problems


def test_missing_lesson_translation(root):
    folder = write_course(root, "committee-work", lessons=3)
    (folder / "03-lesson-3.fr.md").unlink()
    (folder / "01-lesson-1.en.md").write_text((folder / "01-lesson-1.en.md").read_text().replace("03-lesson-3", "02-lesson-2"))
    message = only(problems_in(root))
    assert message == "courses/committee-work/03-lesson-3.en.md:1: missing translation: no 03-lesson-3.fr.md"


def test_missing_title_translation(root):
    folder = write_course(root, "committee-work")
    toml = folder / "course.toml"
    toml.write_text(toml.read_text().replace('fr = "Cours d\'exemple committee-work"\n', ""))
    message = only(problems_in(root))
    assert message == f"courses/committee-work/course.toml:{line_of(toml, '[title]')}: missing translation: no title in 'fr'"


def test_missing_quiz_translation(root):
    folder = write_course(root, "committee-work")
    (folder / "quiz.fr.toml").unlink()
    assert only(problems_in(root)) == "courses/committee-work/quiz.en.toml:1: missing translation: no quiz.fr.toml"


def test_question_without_a_correct_answer(root):
    folder = write_course(root, "committee-work", questions=3)
    quiz = folder / "quiz.fr.toml"
    text = quiz.read_text()
    # q3 is single-choice with only option a correct: make a wrong.
    q3 = text.index('id = "q3"')
    quiz.write_text(text[:q3] + text[q3:].replace("correct = true", "correct = false", 1))
    problems = problems_in(root)
    line = line_of(quiz, 'id = "q3"') - 1  # the [[questions]] line
    assert f"courses/committee-work/quiz.fr.toml:{line}: question 'q3' has no correct answer" in problems


def test_single_choice_with_two_correct_answers(root):
    folder = write_course(root, "committee-work", questions=1)
    for language in ("en", "fr"):
        quiz = folder / f"quiz.{language}.toml"
        quiz.write_text(quiz.read_text().replace("correct = false", "correct = true", 1))
    problems = problems_in(root)
    assert "courses/committee-work/quiz.en.toml:1: question 'q1' is single-choice but has 2 correct answers" in problems


def test_quizzes_that_differ_between_languages(root):
    folder = write_course(root, "committee-work", questions=2)
    quiz = folder / "quiz.fr.toml"
    text = quiz.read_text()
    q2 = text.index('id = "q2"')
    quiz.write_text(text[:q2] + text[q2:].replace('id = "c"\n  text = "Option c (fr)"\n  correct = false',
                                                  'id = "c"\n  text = "Option c (fr)"\n  correct = true'))
    message = only(problems_in(root))
    line = line_of(quiz, 'id = "q2"') - 1
    assert message == (f"courses/committee-work/quiz.fr.toml:{line}: question 'q2' "
                       "has different options or correct answers than in quiz.en.toml")


def test_broken_internal_link(root):
    folder = write_course(root, "committee-work", lessons=2)
    lesson = folder / "02-lesson-2.fr.md"
    lesson.write_text(lesson.read_text() + "\nUn paragraphe\nsur deux lignes avec [un lien](07-budget.md).\n")
    message = only(problems_in(root))
    assert message == (f"courses/committee-work/02-lesson-2.fr.md:{line_of(lesson, '07-budget.md')}: "
                       "broken link to 07-budget.md: this course has no lesson 'budget'")


def test_relative_link_to_something_else_is_broken(root):
    folder = write_course(root, "committee-work", lessons=2)
    lesson = folder / "01-lesson-1.en.md"
    lesson.write_text(lesson.read_text() + "\nSee [notes](../notes.txt).\n")
    assert only(problems_in(root)).startswith(
        f"courses/committee-work/01-lesson-1.en.md:{line_of(lesson, 'notes.txt')}: broken link to ../notes.txt")


def test_missing_asset(root):
    folder = write_course(root, "committee-work", lessons=2, assets={"room.png": png_bytes()})
    lesson = folder / "01-lesson-1.en.md"
    lesson.write_text(lesson.read_text() + "\n![A room](assets/room.png)\n\n![A chart](assets/chart.png)\n")
    message = only(problems_in(root))
    assert message == f"courses/committee-work/01-lesson-1.en.md:{line_of(lesson, 'chart.png')}: missing asset assets/chart.png"


def test_duplicate_course_slug(root):
    write_course(root, "committee-work")
    other = write_course(root, "committee-work-copy")
    toml = other / "course.toml"
    toml.write_text(toml.read_text().replace('slug = "committee-work-copy"', 'slug = "committee-work"'))
    message = only(problems_in(root))
    assert message == ("courses/committee-work-copy/course.toml:1: duplicate slug 'committee-work': "
                       "also used by courses/committee-work")


def test_duplicate_lesson_slug_and_number(root):
    folder = write_course(root, "committee-work", lessons=2)
    (folder / "03-lesson-1.en.md").write_text((folder / "01-lesson-1.en.md").read_text())
    (folder / "02-other.en.md").write_text((folder / "01-lesson-1.en.md").read_text())
    problems = problems_in(root)
    assert "courses/committee-work/03-lesson-1.en.md:1: duplicate slug 'lesson-1': lesson 01 has it too" in problems
    assert "courses/committee-work/02-other.en.md:1: duplicate lesson number 02: also 02-lesson-2.en.md" in problems


def test_front_matter_problems(root):
    folder = write_course(root, "committee-work", lessons=3)
    (folder / "01-lesson-1.en.md").write_text("# No front matter\n")
    (folder / "02-lesson-2.en.md").write_text('+++\ntitle = "Two"\nminutes = "ten"\n+++\nText\n')
    (folder / "03-lesson-3.en.md").write_text('+++\ntitle = "Three"\nminutes = 5\nthis is not toml\n+++\nText\n')
    problems = problems_in(root)
    assert "courses/committee-work/01-lesson-1.en.md:1: the file must start with a front matter between +++ lines (title, minutes)" in problems
    assert "courses/committee-work/02-lesson-2.en.md:1: the front matter needs minutes, a whole number of at least 1" in problems
    assert any(p.startswith("courses/committee-work/03-lesson-3.en.md:4: invalid TOML") for p in problems), problems


def test_badly_named_files_and_a_folder_without_course_toml(root):
    folder = write_course(root, "committee-work")
    (folder / "intro.md").write_text("hello")
    (folder / "questions.toml").write_text("")
    (root / "empty-course").mkdir()
    problems = problems_in(root)
    assert "courses/committee-work/intro.md:1: a lesson file is named NN-lesson-slug.LANG.md, e.g. 01-introduction.en.md" in problems
    assert "courses/committee-work/questions.toml:1: a quiz file is named quiz.LANG.toml, e.g. quiz.en.toml" in problems
    assert "courses/empty-course/course.toml:1: course.toml is missing" in problems


def test_toml_nested_too_deeply_or_with_a_huge_number_is_a_problem_not_a_crash(root):
    # tomllib raises RecursionError and ValueError, not TOMLDecodeError, for these (found writing fuzz/course_checker.py).
    toml = write_course(root, "budget-basics", lessons=1) / "course.toml"
    toml.write_text(toml.read_text().replace("version = 1", "version = " + "1" * 5000))
    folder = write_course(root, "committee-work", lessons=1)
    (folder / "01-lesson-1.en.md").write_text('+++\ntitle = "One"\nminutes = 5\nx = ' + "[" * 3000 + "]" * 3000 + "\n+++\nText\n")
    (folder / "quiz.fr.toml").write_text("x = " + "{a=" * 2000 + "1" + "}" * 2000)
    problems = problems_in(root)
    assert "courses/budget-basics/course.toml:1: invalid TOML: a number with too many digits" in problems
    assert "courses/committee-work/01-lesson-1.en.md:2: invalid TOML: arrays or tables nested too deeply" in problems
    assert "courses/committee-work/quiz.fr.toml:1: invalid TOML: arrays or tables nested too deeply" in problems


def test_folders_named_like_course_files_are_problems_not_crashes(root):
    folder = write_course(root, "committee-work", lessons=1)
    (folder / "02-lesson-2.en.md").mkdir()
    (folder / "quiz.en.toml").unlink()
    (folder / "quiz.en.toml").mkdir()
    (root / "other" / "course.toml").mkdir(parents=True)
    problems = problems_in(root)
    assert "courses/committee-work/02-lesson-2.en.md:1: cannot be read: Is a directory" in problems
    assert "courses/committee-work/quiz.en.toml:1: cannot be read: Is a directory" in problems
    assert "courses/other/course.toml:1: cannot be read: Is a directory" in problems


def test_cli_check_reports_each_problem_and_fails(app, root):
    folder = write_course(root, "committee-work", topics=("nonsense",))
    (folder / "02-lesson-2.fr.md").unlink()
    result = app.test_cli_runner().invoke(args=["courses", "check", str(root)])
    assert result.exit_code != 0
    lines = result.output.splitlines()
    assert f"courses/committee-work/course.toml:{line_of(folder / 'course.toml', 'topics')}: unknown topic 'nonsense' (known topics: plenary-sitting, committee-work, legislative-procedure, oversight, official-record, budget, human-resources, library, archives, protocol, security, ict, new-members, gender-equality, majority-opposition)" in lines
    assert "courses/committee-work/02-lesson-2.en.md:1: missing translation: no 02-lesson-2.fr.md" in lines
    assert "Error: problems found: 3" in lines or "Error: problems found: 2" in lines


def test_cli_check_passes_a_good_folder_and_writes_nothing(app, root):
    from elearn.extensions import db
    from elearn.learning.models import Course

    write_course(root, "committee-work")
    result = app.test_cli_runner().invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 0, result.output
    assert "courses: 1, lessons: 3; no problems" in result.output
    assert db.session.scalars(db.select(Course)).all() == []


def test_quiz_settings_are_read_and_default_to_hiding_the_answers_before_a_pass(root):
    write_course(root, "committee-work")
    write_course(root, "oversight", extra='[quiz]\nreview = "score-only"\nmax_attempts = 3\nminutes_between_attempts = 1440')
    courses, problems = load_courses(root)
    assert problems == []
    default, ruled = courses
    assert (default.quiz_settings.review, default.quiz_settings.max_attempts,
            default.quiz_settings.minutes_between_attempts) == ("answers-once-passed", None, 0)
    assert (ruled.quiz_settings.review, ruled.quiz_settings.max_attempts,
            ruled.quiz_settings.minutes_between_attempts) == ("score-only", 3, 1440)


def test_bad_quiz_settings_are_reported_on_their_lines(app, root):
    folder = write_course(root, "committee-work", extra=(
        '[quiz]\nreview = "always"\nmax_attempts = 0\nminutes_between_attempts = -5\nattempts = 2'))
    toml = folder / "course.toml"
    result = app.test_cli_runner().invoke(args=["courses", "check", str(root)])
    assert result.exit_code != 0
    lines = result.output.splitlines()
    path = "courses/committee-work/course.toml"
    assert f"{path}:{line_of(toml, 'review')}: unknown review 'always' in [quiz] (expected one of: score-only, right-or-wrong, answers-once-passed)" in lines
    assert f"{path}:{line_of(toml, 'max_attempts')}: max_attempts in [quiz] must be a whole number from 1 to 100 (leave it out for no limit)" in lines
    assert f"{path}:{line_of(toml, 'minutes_between_attempts')}: minutes_between_attempts in [quiz] must be a whole number of minutes from 0 to 525600 (a year)" in lines
    assert f"{path}:{line_of(toml, 'attempts = 2')}: unknown key 'attempts' in [quiz] (expected one of: max_attempts, minutes_between_attempts, review)" in lines
    assert "Error: problems found: 4" in lines


def test_quiz_settings_that_are_not_a_table(root):
    folder = write_course(root, "committee-work", extra="quiz = 3")
    message = only(problems_in(root))
    assert message.startswith(f"courses/committee-work/course.toml:{line_of(folder / 'course.toml', 'quiz = 3')}: quiz must be a table of settings")


def add_to_lesson(folder: Path, markdown: str, name: str = "01-lesson-1.en.md") -> Path:
    lesson = folder / name
    lesson.write_text(lesson.read_text() + "\n" + markdown + "\n")
    return lesson


def test_images_next_to_the_lessons_are_checked_and_sized(root):
    folder = write_course(root, "committee-work", lessons=2)
    (folder / "stages.en.svg").write_text(SVG.format(title="Stages"))
    (folder / "stages.fr.svg").write_text(SVG.format(title="Étapes"))
    (folder / "room.png").write_bytes(png_bytes(640, 480))
    add_to_lesson(folder, "![The stages of a bill](stages.en.svg)\n\n![The committee room](room.png)")
    add_to_lesson(folder, "![Les étapes d'un texte](stages.fr.svg)", "01-lesson-1.fr.md")
    courses, problems = load_courses(root)
    assert problems == []
    assert (courses[0].assets["stages.en.svg"].content_type, courses[0].assets["stages.en.svg"].width) == ("image/svg+xml", 320)
    html = courses[0].lessons[0].texts["en"].html
    assert re.search(r'<img src="\.\./assets/stages\.en\.svg\?v=\w{12}" alt="The stages of a bill" width="320" height="120">', html)
    assert re.search(r'<img src="\.\./assets/room\.png\?v=\w{12}" alt="The committee room" width="640" height="480">', html)


def test_an_image_without_alt_text_is_refused(root):
    folder = write_course(root, "committee-work", lessons=2)
    (folder / "stages.svg").write_text(SVG.format(title="Stages"))
    lesson = add_to_lesson(folder, "Text.\n\n![](stages.svg)")
    assert only(problems_in(root)) == (
        f"courses/committee-work/01-lesson-1.en.md:{line_of(lesson, '![](stages.svg)')}: the image stages.svg has no alt "
        "text: write what it shows between the brackets, ![what it shows](stages.svg)")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("big.svg", SVG.format(title="x" * 105_000).encode(), "the image is 206 KB; the limit is 200 KB"),
    ("huge.png", png_bytes(3000, 20), "the PNG image is 3000×20 pixels; at most 2560×2560"),
    ("fake.png", b"GIF89a not a png", "not a PNG image"),
])
def test_an_oversized_or_false_image_is_refused(root, name, data, message):
    folder = write_course(root, "committee-work", lessons=2)
    (folder / name).write_bytes(data)
    add_to_lesson(folder, f"![An image]({name})")
    assert only(problems_in(root)).startswith(f"courses/committee-work/{name}:1: {message}")  # not also "missing"


@pytest.mark.parametrize(("svg", "line", "message"), [
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<script>alert(1)</script></svg>', 2,
     "an SVG may not contain <script>: course images must not run or load anything"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<foreignObject><p>x</p></foreignObject></svg>', 2,
     "an SVG may not contain <foreignObject>: course images must not run or load anything"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"></svg>', 1,
     "an SVG may not have event handlers (onload on <svg>)"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n\n'
     '<image xlink:href="https://tracker.example/p.png"/></svg>', 3,
     "an SVG may not refer to another file or site (href='https://tracker.example/p.png' on <image>); "
     "only links inside the file (#id) are allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>@import url(x.css);</style></svg>', 1,
     "an SVG's <style> may not load anything from elsewhere (url(...) or @import)"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>@imp&#111;rt "x.css";</style></svg>', 1,
     "an SVG's <style> may not load anything from elsewhere (url(...) or @import)"),  # the parser hands it in pieces
    ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaa">]>\n<svg xmlns="http://www.w3.org/2000/svg"/>', 2,
     "an SVG may not declare a DOCTYPE or entities"),
    ('<svg viewBox="0 0 10 10"></svg>', 1, 'not an SVG: the first element must be <svg xmlns="http://www.w3.org/2000/svg">'),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>', 1,
     "the SVG needs a viewBox (or a width and height in pixels) so the page can keep its place"),
])
def test_an_unsafe_svg_is_refused(root, svg, line, message):
    folder = write_course(root, "committee-work", lessons=2)
    (folder / "diagram.svg").write_text(svg)
    add_to_lesson(folder, "![A diagram](diagram.svg)")
    assert problems_in(root)[0] == f"courses/committee-work/diagram.svg:{line}: {message}"


@pytest.mark.parametrize(("src", "message"), [
    ("https://example.org/chart.png", "the image https://example.org/chart.png is not a file of the course: "
                                      "put the file next to the lesson (an SVG or PNG) and write its name"),
    ("//example.org/chart.png", "the image //example.org/chart.png is not a file of the course: "
                                "put the file next to the lesson (an SVG or PNG) and write its name"),
    ("data:image/png;base64,iVBORw0KGgo=", "the image data:image/png;base64,iVBORw0KGgo= is not a file of the course: "
                                           "put the file next to the lesson (an SVG or PNG) and write its name"),
    ("../other-course/stages.svg", "the image ../other-course/stages.svg is outside the course folder: copy it in"),
    ("assets/../../other-course/stages.svg",
     "the image assets/../../other-course/stages.svg is outside the course folder: copy it in"),
    ("/etc/stages.svg", "the image /etc/stages.svg is not a file of the course: "
                        "put the file next to the lesson (an SVG or PNG) and write its name"),
])
def test_an_image_from_outside_the_course_is_refused(root, src, message):
    folder = write_course(root, "committee-work", lessons=2)
    other = write_course(root, "other-course", lessons=1)
    (other / "stages.svg").write_text(SVG.format(title="Stages"))
    lesson = add_to_lesson(folder, f"![The stages]({src})")
    assert only(problems_in(root)) == f"courses/committee-work/01-lesson-1.en.md:{line_of(lesson, src)}: {message}"


def test_an_image_in_the_wrong_language_or_written_as_html_is_refused(root):
    folder = write_course(root, "committee-work", lessons=2)
    (folder / "stages.fr.svg").write_text(SVG.format(title="Étapes"))
    lesson = add_to_lesson(folder, "![The stages](stages.fr.svg)\n\n<img src=\"stages.fr.svg\" alt=\"The stages\">")
    assert problems_in(root) == [
        f"courses/committee-work/01-lesson-1.en.md:{line_of(lesson, '![The stages]')}: the image stages.fr.svg is the 'fr' "
        "version, and this lesson is in 'en'",
        f"courses/committee-work/01-lesson-1.en.md:{line_of(lesson, '<img')}: write images in Markdown, "
        "![what it shows](diagram.svg), not as HTML <img>, so that they are checked"]


def test_a_bare_image_name_is_only_looked_for_next_to_the_lessons(root):
    folder = write_course(root, "committee-work", lessons=2, assets={"room.png": png_bytes(), "plans/floor.png": png_bytes()})
    lesson = add_to_lesson(folder, "![The room](room.png)\n\n![The floor](plans/floor.png)\n\n![The floor](assets/plans/floor.png)")
    assert problems_in(root) == [
        f"courses/committee-work/01-lesson-1.en.md:{line_of(lesson, '(room.png)')}: missing image room.png: put it next "
        "to the lesson (an SVG or PNG)",
        f"courses/committee-work/01-lesson-1.en.md:{line_of(lesson, '(plans/floor.png)')}: missing image plans/floor.png: "
        "put it next to the lesson (an SVG or PNG)"]
