"""The site in Arabic, right to left, over the demo data: `make screenshots-ar`.

    .venv/bin/python docs/screenshots/take_arabic.py [--out docs/screenshots/ar] [--only NAME ...]

The same throw-away database and server as take.py (`make screenshots`); each demo account switches itself to
Arabic with the header's language switcher, and each page is saved at a phone's width (375 × 812) and a desktop's
(1280 × 800) as palette PNGs at device scale 1: NAME-phone.png and NAME-desktop.png. These are the pictures a
person looked at to check the mirrored layout (see docs/screenshots/ar/README.md).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from take import CHROMIUM, DESKTOP, PHONE, ROOT, demo_passwords, optimise  # noqa: E402
from take import main as take_main  # noqa: E402

LEARNER, FOCAL, TRAINER, ADMIN = "mp@example.org", "focal@example.org", "trainer@example.org", "admin@example.org"


@dataclass(frozen=True)
class Shot:
    name: str
    who: str | None
    path: Callable[[dict], str]  # found -> the page's path
    then: Callable | None = None  # (page) -> None: what to do on the page before the picture


def _submit_empty(page) -> None:
    """A form sent with its required fields empty: the error summary and the fields' messages."""
    page.evaluate("""() => {
        const form = document.querySelector('main form[method=post]');
        for (const e of form.querySelectorAll('[required]')) e.removeAttribute('required');
        for (const e of form.querySelectorAll('input[type=text], input[type=email], textarea')) e.value = '';
        form.noValidate = true;
        form.querySelector('[type=submit]').click();
    }""")
    page.wait_for_load_state()


SHOTS = [
    Shot("learner-dashboard", LEARNER, lambda f: "/dashboard"),
    Shot("catalogue", LEARNER, lambda f: "/courses"),
    Shot("lesson", LEARNER, lambda f: f"/courses/{f['course']}/lessons/{f['lesson']}"),
    Shot("quiz", LEARNER, lambda f: f"/courses/{f['course']}/quiz"),
    Shot("activity", LEARNER, lambda f: f"/activities/{f['activity']}"),
    Shot("month", LEARNER, lambda f: f"/activities/month?year={f['year']}&month={f['month']}"),
    Shot("trainer-activity", TRAINER, lambda f: f"/manage/activities/{f['activity']}"),
    Shot("applications", ADMIN, lambda f: f"/manage/activities/{f['cycle']}/applications"),
    Shot("agenda", ADMIN, lambda f: f"/manage/activities/{f['visit']}/agenda"),
    Shot("reports", TRAINER, lambda f: "/reports/participation"),
    Shot("admin-people", ADMIN, lambda f: "/admin/people"),
    Shot("form-errors", ADMIN, lambda f: "/admin/people/new", then=_submit_empty),
    Shot("focal-dashboard", FOCAL, lambda f: "/dashboard"),
]


def find_targets(app) -> dict:
    from sqlalchemy import func, select

    from elearn.demo.delegations import CYCLE_TITLE, VISIT_TITLE
    from elearn.extensions import db
    from elearn.learning.models import Course, Enrolment, Lesson
    from elearn.people.models import Person
    from elearn.scheduling.models import Activity, ActivityStatus, Registration

    with app.app_context():
        busiest = db.session.scalar(
            select(Activity).join(Registration).where(
                Activity.status == ActivityStatus.PUBLISHED, Activity.trainers.any(Person.email == TRAINER))
            .group_by(Activity.id).order_by(func.count(Registration.id).desc(), Activity.id).limit(1))
        # The learner's course under way: a lesson in the middle has both a previous and a next one.
        course = db.session.scalar(select(Course).join(Enrolment).join(Person, Enrolment.person_id == Person.id)
                                   .where(Person.email == LEARNER, Enrolment.completed_at.is_(None)).limit(1))
        lesson = db.session.scalar(select(Lesson.slug).where(Lesson.course_id == course.id)
                                   .order_by(Lesson.position).offset(1).limit(1))
        titled = {title: db.session.scalar(select(Activity.id).where(Activity.title == title))
                  for title in (CYCLE_TITLE, VISIT_TITLE)}
        return {"activity": busiest.id, "year": busiest.starts_at.year, "month": busiest.starts_at.month,
                "course": course.slug, "lesson": lesson, "cycle": titled[CYCLE_TITLE], "visit": titled[VISIT_TITLE]}


def sign_in_in_arabic(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/dashboard")
    # The account's own preference wins over the browser's: set it as a person would, with the switcher.
    with page.expect_navigation():
        page.evaluate("""() => {
            const form = document.querySelector("form[action$='/language']");
            form.querySelector("select[name=language]").value = "ar";
            form.submit();
        }""")


def take(base: str, out: Path, found: dict, shots: list[Shot]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    passwords, saved = demo_passwords(), []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
        try:
            contexts = {}
            for shot in shots:
                for width, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                    key = (shot.who, width)
                    if key not in contexts:
                        context = browser.new_context(locale="ar", viewport=viewport, device_scale_factor=1)
                        page = context.new_page()
                        if shot.who:
                            sign_in_in_arabic(page, base, shot.who, passwords[shot.who])
                        contexts[key] = page
                    page = contexts[key]
                    page.goto(base + shot.path(found))
                    if shot.then:
                        shot.then(page)
                    assert page.locator("html").get_attribute("dir") == "rtl", page.url
                    path = out / f"{shot.name}-{width}.png"
                    page.screenshot(path=str(path))
                    optimise(path)
                    saved.append(path)
                    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                          f"{page.url.split('/', 3)[-1]} ({path.stat().st_size // 1024} KB)", flush=True)
        finally:
            browser.close()
    return saved


def main() -> int:
    return take_main(shots=SHOTS, out=ROOT / "docs" / "screenshots" / "ar", find=find_targets, shoot=take,
                     description=__doc__)


if __name__ == "__main__":
    sys.exit(main())
