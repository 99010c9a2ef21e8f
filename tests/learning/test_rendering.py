"""Lessons are rendered once at import: anchors, tables, links, and nothing executable."""
import re

from sqlalchemy import select

from elearn.extensions import db
from elearn.learning.importing import import_path
from elearn.learning.models import Course, Lesson
from tests.learning.factories import SVG, enrol, png_bytes, write_course

ROOM = png_bytes(40, 30)

HOSTILE = """
Normal text.

<script>alert('stolen')</script>

<b onerror="alert('again')">Bold</b>

<a href="javascript:alert('click')">Click me</a> and [a markdown one](javascript:alert(1)).

<p style="color:red" onclick="alert(2)">Styled</p>

| Body | Role |
| --- | --- |
| Plenary | decides |
"""


def _import_lesson(tmp_path, body: str):
    folder = write_course(tmp_path, "committee-work", lessons=2)
    for language in ("en", "fr"):
        path = folder / f"01-lesson-1.{language}.md"
        path.write_text(path.read_text() + body)
    import_path(tmp_path)
    return db.session.scalar(select(Course))


def test_hostile_markup_is_stored_and_served_inert(app, tmp_path, login_as, people):
    course = _import_lesson(tmp_path, HOSTILE)
    enrol(people["learner"], course)
    html = db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-1")).body_html["en"]
    page = login_as("learner").get("/courses/committee-work/lessons/lesson-1").get_data(as_text=True)
    for text in (html, page):
        lesson_part = text[text.find("Normal text"):text.find("decides")]
        assert "<script" not in lesson_part and "alert('stolen')" not in lesson_part
        assert "onerror" not in lesson_part and "onclick" not in lesson_part
        assert not re.search(r"=\s*[\"']?\s*javascript:", lesson_part, re.I)  # in no attribute
        assert "style=" not in lesson_part
    assert '<a rel="noopener noreferrer">Click me</a>' in page and "<p>Styled</p>" in page  # the text stays, the behaviour goes
    assert "[a markdown one](javascript:alert(1))" in page  # markdown refuses the link: plain text
    assert "<table>" in html and "<th>Body</th>" in html and "<td>Plenary</td>" in html


def test_headings_get_anchors_and_links_become_site_links(app, tmp_path):
    _import_lesson(tmp_path, "\n## Main\n\n## Plénière et séance\n\n## Main\n\nSee [two](02-lesson-2.md#why-it-matters) "
                             "and [the site](https://example.org/).\n")
    html = db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-1")).body_html["fr"]
    assert '<h2 id="main-2">Main</h2>' in html  # "main" is the page's own landmark id
    assert '<h2 id="main-3">Main</h2>' in html
    assert '<h2 id="pleniere-et-seance">Plénière et séance</h2>' in html
    assert 'href="lesson-2#why-it-matters"' in html
    assert 'href="https://example.org/" rel="noopener noreferrer"' in html


def test_assets_are_linked_with_a_version_and_served_with_long_cache(app, tmp_path, client):
    folder = write_course(tmp_path, "committee-work", lessons=2, assets={"room.png": ROOM})
    path = folder / "01-lesson-1.en.md"
    path.write_text(path.read_text() + "\n![The committee room](assets/room.png)\n")
    import_path(tmp_path)
    html = db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-1")).body_html["en"]
    version = re.search(r'<img src="\.\./assets/room\.png\?v=(\w+)" alt="The committee room"', html)[1]
    response = client.get(f"/courses/committee-work/assets/room.png?v={version}")
    assert response.data == ROOM
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Without the file's version (or with an older one) the address may serve other bytes tomorrow: revalidated.
    for address in ("room.png", "room.png?v=0123456789ab"):
        unversioned = client.get(f"/courses/committee-work/assets/{address}")
        assert unversioned.data == ROOM and unversioned.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    again = client.get("/courses/committee-work/assets/room.png", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/courses/committee-work/assets/nothing.png").status_code == 404


def test_images_next_to_the_lessons_are_stored_and_served_as_inert_images(app, tmp_path, client, login_as, people):
    folder = write_course(tmp_path, "committee-work", lessons=2)
    (folder / "stages.en.svg").write_text(SVG.format(title="The stages"))
    (folder / "stages.fr.svg").write_text(SVG.format(title="Les étapes"))
    for language, alt in (("en", "The stages of a bill"), ("fr", "Les étapes d'un texte")):
        path = folder / f"01-lesson-1.{language}.md"
        path.write_text(path.read_text() + f"\n![{alt}](stages.{language}.svg)\n")
    import_path(tmp_path)
    enrol(people["learner"], db.session.scalar(select(Course)))
    page = login_as("learner").get("/courses/committee-work/lessons/lesson-1").get_data(as_text=True)
    src = re.search(r'<img src="\.\./assets/(stages\.en\.svg\?v=\w+)" alt="The stages of a bill" width="320" height="120">',
                    page)
    assert src, page
    response = client.get(f"/courses/committee-work/assets/{src[1]}")  # resolved from the lesson's URL
    assert response.status_code == 200 and response.data.decode() == SVG.format(title="The stages")
    assert response.headers["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable" and response.headers["ETag"]
    assert "sandbox" in response.headers["Content-Security-Policy"] and "script-src" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Les étapes" in client.get("/courses/committee-work/assets/stages.fr.svg").get_data(as_text=True)
    assert client.get("/courses/committee-work/assets/stages.de.svg").status_code == 404
    assert client.get("/courses/no-such-course/assets/stages.en.svg").status_code == 404
    # Removed from the folder, an image is no longer served after the next import.
    (folder / "stages.fr.svg").unlink()
    path = folder / "01-lesson-1.fr.md"
    path.write_text(path.read_text().replace("![Les étapes d'un texte](stages.fr.svg)", ""))
    import_path(tmp_path)
    assert client.get("/courses/committee-work/assets/stages.fr.svg").status_code == 404


def test_tables_scroll_in_a_focusable_region_named_by_their_heading(app, tmp_path):
    folder = write_course(tmp_path, "committee-work", lessons=2)
    lesson = folder / "02-lesson-2.en.md"
    lesson.write_text(lesson.read_text().replace("## Why it matters", "| Before | any heading |\n| --- | --- |\n| 1 | 2 |\n\n"
                                                 "## Three traditions\n\n| Stage | Where |\n| --- | --- |\n| Committee | first |\n\n"
                                                 '<div class="lesson-table flashes" role="alert" tabindex="3">Mine</div>\n'))
    import_path(tmp_path)
    html = db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-2")).body_html["en"]
    assert html.startswith('<div class="lesson-table" role="region" tabindex="0" aria-label="Lesson 2 (en)">\n<table>')
    assert ('<h2 id="three-traditions">Three traditions</h2>\n<div class="lesson-table" role="region" tabindex="0" '
            'aria-labelledby="three-traditions">\n<table>') in html
    assert "<div>Mine</div>" in html  # an author's own div keeps none of it


def test_arabic_headings_get_arabic_anchors_that_links_can_reach(app, tmp_path):
    """An Arabic heading used to get the bare id "section": two of them could not be told apart by a link."""
    from elearn.learning.content.rendering import slugify

    assert slugify("دورُ النائبِ وواجباته") == "دور-النائب-وواجباته"  # vowel marks go, the hamza of ئ stays
    assert slugify("Le rôle du député") == "le-role-du-depute"
    _import_lesson(tmp_path, "\n## الجلسة العامة\n\n## جدول الأعمال\n")
    html = db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-1")).body_html["en"]
    assert '<h2 id="الجلسة-العامة">الجلسة العامة</h2>' in html and '<h2 id="جدول-الأعمال">' in html
