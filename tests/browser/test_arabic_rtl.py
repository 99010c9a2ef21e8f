"""The site in Arabic, right to left, in the real browser over the demo data.

The generic phone sweep (test_phone_overflow.sweep_demo) opens every page the demo fills for each role, in
Arabic, and on each page checks besides its own rules (nothing scrolls sideways, tables in regions…) that
the page is mirrored: html dir=rtl lang=ar, the brand at the right, table headings aligned to the start
(the right), progress bars filling from the right. Then axe on a representative set at a phone's and a
desktop's width, and a Latin name inside an Arabic sentence kept apart by <bdi>.
"""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.learning.models import Course, Enrolment, Lesson
from elearn.people.models import Person
from elearn.scheduling.models import Activity
from tests.accessibility import assert_accessible
from tests.browser.test_phone_overflow import PHONE, ROLES, _argument_values, _sign_in, sweep_demo

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}

# What mirrors on every page; each entry is a problem found, none on a right-to-left page done right.
RTL_MEASURE = r"""() => {
  const problems = [];
  const html = document.documentElement;
  if (html.dir !== 'rtl' || html.lang !== 'ar') problems.push(`html dir=${html.dir} lang=${html.lang}`);
  // Content in a left-to-right language (an English lesson, a course summary) is laid out left to right.
  const inArabic = e => getComputedStyle(e).direction === 'rtl';
  const brand = document.querySelector('.site-header .brand').getBoundingClientRect();
  if (brand.right < window.innerWidth - 40) problems.push(`the brand ends ${Math.round(brand.right)} px from the left`);
  for (const th of document.querySelectorAll('main thead th')) {
    if (!inArabic(th) || th.getClientRects().length === 0) continue;
    const align = getComputedStyle(th).textAlign, number = th.classList.contains('num');
    if (!(number ? ['end', 'left'] : ['start', 'right']).includes(align))
      problems.push(`a column heading "${th.textContent.trim()}" aligned ${align}`);
  }
  for (const bar of document.querySelectorAll('progress')) {
    if (!inArabic(bar)) problems.push('a progress bar filling from the left');
  }
  return problems;
}"""


def _in_arabic(person: Person) -> None:
    """The person's own preference decides the language once signed in: set it as the switcher would."""
    person.preferred_language = "ar"
    db.session.commit()


def test_every_page_in_arabic_is_mirrored_and_fits_a_phone(app, live_server, browser, capsys):
    sweep = sweep_demo(app, browser, live_server, capsys, "Arabic phone sweep", locale="ar",
                       check=lambda page: page.evaluate(RTL_MEASURE), before_role=_in_arabic)
    assert not sweep.failures, "pages wrong in Arabic at 375 px:\n" + "\n".join(sweep.failures)


def _learner_pages() -> list[str]:
    learner = db.session.scalar(select(Person).where(Person.email == ROLES["learner"]))
    course = db.session.scalar(select(Course).join(Enrolment).where(Enrolment.person_id == learner.id,
                                                                     Enrolment.completed_at.is_(None)).limit(1))
    lesson = db.session.scalar(select(Lesson.slug).where(Lesson.course_id == course.id).order_by(Lesson.position)
                               .offset(1).limit(1))
    return ["/dashboard", "/courses", f"/courses/{course.slug}", f"/courses/{course.slug}/lessons/{lesson}",
            f"/courses/{course.slug}/quiz"]


def _staff_pages() -> list[str]:
    """The pages the English and French axe test checks (test_phone_overflow)."""
    values = _argument_values(None)
    activity = values["activity_id"]
    first = db.session.scalar(select(Activity.starts_at).where(Activity.id == activity))
    cycle, visit = values["cycle"]["activity_id"], values["visit"]["activity_id"]
    return ["/admin/audit/", "/reports/participation", f"/manage/activities/{activity}",
            f"/manage/activities/{activity}/edit", f"/activities/month?year={first.year}&month={first.month}",
            "/activities", "/admin/people", "/manage/programmes", f"/manage/activities/{cycle}/applications",
            f"/manage/activities/{visit}/agenda", f"/manage/activities/{visit}/logistics",
            f"/manage/activities/{visit}/letters", f"/manage/activities/{visit}/costs",
            f"/manage/logistics/rooming?activity={visit}", "/manage/costs"]


def test_the_arabic_pages_pass_axe_on_a_phone_and_a_desktop(app, live_server, browser):
    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    pages = {ROLES["learner"]: _learner_pages(), ROLES["admin"]: _staff_pages()}
    for email in pages:
        _in_arabic(db.session.scalar(select(Person).where(Person.email == email)))
    for viewport in (PHONE, DESKTOP):
        for email, paths in pages.items():
            context = browser.new_context(viewport=viewport, locale="ar", bypass_csp=True)
            try:
                page = context.new_page()
                _sign_in(page, live_server, email)
                for path in paths:
                    page.goto(live_server + path)
                    assert page.locator("html").get_attribute("dir") == "rtl", path
                    assert_accessible(page, f"{path} in Arabic at {viewport['width']} px")
            finally:
                context.close()


def test_a_latin_name_is_isolated_and_the_layout_mirrored_at_desktop_width(app, live_server, browser):
    """The learner's dashboard: the Latin name in the Arabic greeting sits in <bdi>; the brand at the right,
    the course's progress bar green on its right-hand side (filled from the right) and grey on its left."""
    from PIL import Image

    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    learner = db.session.scalar(select(Person).where(Person.email == ROLES["learner"]))
    _in_arabic(learner)
    context = browser.new_context(viewport=DESKTOP, locale="ar", device_scale_factor=1)
    try:
        page = context.new_page()
        _sign_in(page, live_server, ROLES["learner"])
        heading = page.locator("main h1")
        assert heading.locator("bdi").inner_text() == learner.full_name
        assert heading.inner_text() != learner.full_name  # the name inside an Arabic sentence
        brand = page.locator(".site-header .brand").bounding_box()
        assert brand["x"] + brand["width"] > DESKTOP["width"] - (DESKTOP["width"] - 1152) / 2 - 20

        bar = page.locator("main progress").first
        value, maximum = (float(bar.get_attribute(name)) for name in ("value", "max"))
        assert 0.2 < value / maximum < 0.8, "a bar half full tells which side it fills from"
        image = Image.open(io.BytesIO(bar.screenshot())).convert("RGB")
        row = image.height // 2

        def greenish(x: int) -> bool:
            red, green, blue = image.getpixel((x, row))
            return green > red + 40 and green > blue + 20

        assert greenish(image.width - 4) and not greenish(3), "the progress bar fills from the left"
    finally:
        context.close()
