"""Courses in the partner languages: a course without the reader's language falls back as before, and
`courses check` takes every interface language a course may be written in, and no other."""
from __future__ import annotations

import html
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from elearn.learning.importing import import_path
from elearn.learning.lookups import active_lessons, course_by_slug
from tests.factories import PASSWORD, make_person
from tests.helpers import sign_in, text
from tests.learning.factories import enrol, write_course

COMMITTEE_WORK = Path(__file__).resolve().parents[2] / "courses" / "committee-work"


@pytest.mark.parametrize("language", ["es", "pt", "ar"])
def test_a_course_without_the_readers_language_is_shown_in_its_first_language_and_says_so(app, language):
    import_path(COMMITTEE_WORK)
    course = course_by_slug("committee-work")
    assert course.languages == ["en", "fr"]
    reader = make_person(email="reader@example.org", preferred_language=language)
    enrol(reader, course)
    client = app.test_client()
    assert sign_in(client, reader.email, PASSWORD).status_code == 302
    with force_locale(language):
        course_notice = gettext("This course is not available in your language; it is shown in %(language)s.",
                                language="English")
        lesson_notice = gettext("This lesson is not available in your language; it is shown in %(language)s.",
                                language="English")

    course_page = html.unescape(text(client.get("/courses/committee-work")))
    lesson = active_lessons(course)[0]
    lesson_page = html.unescape(text(client.get(f"/courses/committee-work/lessons/{lesson.slug}")))

    assert f'<html lang="{language}"' in course_page
    assert course_notice in course_page and "not available" not in course_notice
    assert lesson_notice in lesson_page
    assert '<article class="lesson" lang="en"' in lesson_page
    assert lesson.title["en"] in lesson_page


def test_a_french_reader_still_reads_committee_work_in_french(app):
    import_path(COMMITTEE_WORK)
    course = course_by_slug("committee-work")
    reader = make_person(email="lecteur@example.org", preferred_language="fr")
    enrol(reader, course)
    client = app.test_client()
    sign_in(client, reader.email, PASSWORD)
    lesson = active_lessons(course)[0]
    page = html.unescape(text(client.get(f"/courses/committee-work/lessons/{lesson.slug}")))
    assert '<article class="lesson" lang="fr"' in page and lesson.title["fr"] in page
    assert "pas disponible dans votre langue" not in page


@pytest.mark.parametrize("languages", [("en", "es"), ("pt",), ("ar", "fr"), ("en", "fr", "es", "pt", "ar")])
def test_courses_check_accepts_every_configured_language(app, tmp_path, languages):
    title = {code: f"Course in {code}" for code in languages}
    write_course(tmp_path / "courses", "committee-work", languages=languages, title=title)
    result = app.test_cli_runner().invoke(args=["courses", "check", str(tmp_path / "courses")])
    assert result.exit_code == 0, result.output


def test_courses_check_refuses_a_language_that_is_not_configured(app, tmp_path):
    assert "de" not in app.config["LANGUAGES"]
    title = {"en": "Committee work", "de": "Ausschussarbeit"}
    write_course(tmp_path / "courses", "committee-work", languages=("en", "de"), title=title)
    result = app.test_cli_runner().invoke(args=["courses", "check", str(tmp_path / "courses")])
    assert result.exit_code != 0
    assert "unsupported language 'de' (supported: en, fr, es, pt, ar)" in result.output
