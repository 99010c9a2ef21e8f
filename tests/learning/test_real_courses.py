"""The courses in courses/: they pass `courses check`, are substantial, and `demo seed` loads them."""
import re
from pathlib import Path

import pytest

from elearn.learning.content.loading import load_courses
from elearn.learning.content.rendering import word_count
from tests.helpers import text

COURSES = Path(__file__).resolve().parents[2] / "courses"
EXPECTED = {"induction-new-members", "committee-work", "legislative-procedure", "oversight-of-government",
            "the-official-record", "budget-and-public-purse", "administering-an-assembly",
            "gender-sensitive-parliament", "majority-and-opposition"}
# The curriculum of a cooperation programme beyond the first three courses: longer lessons, each ending with
# the sources a reader can look up, and a larger quiz.
CURRICULUM = EXPECTED - {"induction-new-members", "committee-work", "legislative-procedure"}


@pytest.fixture(scope="module")
def loaded():
    return load_courses(COURSES)


def test_courses_check_passes_on_the_real_courses(app):
    result = app.test_cli_runner().invoke(args=["courses", "check", str(COURSES)])
    assert result.exit_code == 0, result.output
    assert "courses: 9, lessons:" in result.output and "no problems" in result.output


# The induction course is the one partner parliaments in Latin America, Guinea-Bissau, Libya and Mauritania
# start with: it is written in their languages too.
LANGUAGES = {"induction-new-members": ["en", "fr", "es", "pt", "ar"]}


def test_each_course_is_in_its_languages_and_substantial_in_each(loaded):
    courses, problems = loaded
    assert problems == []
    assert {course.slug for course in courses} == EXPECTED
    for course in courses:
        assert course.languages == LANGUAGES.get(course.slug, ["en", "fr"])
        assert len(course.lessons) >= 5, course.slug
        for lesson in course.lessons:
            for language in course.languages:
                words = word_count(lesson.texts[language].markdown)
                assert words >= 500, f"{course.slug}/{lesson.slug}.{language}: {words} words"
        assert len(course.questions) >= 8, course.slug
        for question in course.questions:
            assert all(question.explanation[language] for language in course.languages), question.key


def test_demo_seed_puts_every_course_in_the_catalogue(app, runner, client):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "9 courses (9 imported or updated)" in result.output
    english = text(client.get("/courses"))
    for title in ("Induction for new Members of Parliament", "Committee work", "Legislative procedure and the official record",
                  *(course.title["en"] for course in load_courses(COURSES)[0] if course.slug in CURRICULUM)):
        assert title.replace("'", "&#39;") in english
    french = text(client.get("/courses", headers={"Accept-Language": "fr"}))
    for title in ("Parcours d&#39;accueil des nouveaux parlementaires", "Le travail en commission",
                  "La procédure législative et le compte rendu des débats"):
        assert title in french
    assert "9 courses (0 imported or updated)" in runner.invoke(args=["demo", "seed"]).output
    gender = text(client.get("/courses?topic=gender-equality"))
    assert "A gender-sensitive parliament" in gender or "gender-sensitive" in gender.lower()
    assert "Gender equality in parliament" in gender and "/courses/committee-work" not in gender
    staff_courses = text(client.get("/courses?topic=archives"))
    assert "/courses/administering-an-assembly" in staff_courses and "/courses/budget-and-public-purse" not in staff_courses


def test_each_course_has_a_diagram_in_each_of_its_languages(loaded):
    """An accessible SVG (role=img, a title, in the lesson's language), shown in a lesson of each language with alt text."""
    courses, _problems = loaded
    for course in courses:
        for language in course.languages:
            shown = [name for lesson in course.lessons
                     for name in re.findall(r'<img src="\.\./assets/([^"?]+\.svg)\?v=\w+" alt="[^"]{40,}" width="\d+" height="\d+">',
                                            lesson.texts[language].html)]
            assert shown, f"{course.slug}: no diagram in {language}"
            for name in shown:
                svg = course.assets[name].data.decode()
                assert name.endswith(f".{language}.svg"), name
                assert 'role="img"' in svg and re.search(r"<title[^>]*>[^<]{10,}</title>", svg), name
                assert f'xml:lang="{language}"' in svg, name


def test_the_curriculum_courses_are_long_enough_quizzed_and_sourced(loaded):
    """Each of the six: 5+ lessons of 600+ words in English and French, each ending with its sources (a
    "Sources" section listing at least two documents), 10+ questions, a diagram, and topics the catalogue knows."""
    courses, _problems = loaded
    by_slug = {course.slug: course for course in courses}
    for slug in sorted(CURRICULUM):
        course = by_slug[slug]
        assert course.languages[:2] == ["en", "fr"] and len(course.lessons) >= 5, slug
        assert len(course.questions) >= 10 and all(q.explanation["en"] and q.explanation["fr"] for q in course.questions)
        for lesson in course.lessons:
            for language in ("en", "fr"):
                markdown = lesson.texts[language].markdown
                assert word_count(markdown) >= 600, f"{slug}/{lesson.slug}.{language}"
                last_section = markdown.rsplit("\n## ", 1)[-1]
                assert last_section.startswith("Sources"), f"{slug}/{lesson.slug}.{language} does not end with its sources"
                assert len(re.findall(r"^\s*[-*] ", last_section, re.M)) >= 2, f"{slug}/{lesson.slug}.{language}"
