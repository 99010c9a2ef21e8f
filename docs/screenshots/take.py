"""The README's screenshots, taken in the real browser over the demo data: `make screenshots`.

    .venv/bin/python docs/screenshots/take.py [--out docs/screenshots] [--only NAME ...]

Builds a throw-away SQLite database with `flask db upgrade` and `flask demo seed`,
serves the app on a free loopback port, signs in as the demo learner and trainer
with Chromium (/usr/bin/chromium, driven by Playwright) and saves each page at
1280 × 800 (the home page also at 375 × 812, a phone), as palette PNGs.
"""
from __future__ import annotations

import argparse
import logging
import os
import secrets
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
# Feed addresses on the pages read like a real site's, and stay the same from one run to the next.
SITE_URL = "https://hemicycle.example.org"
LEARNER = "mp@example.org"
TRAINER = "trainer@example.org"
COURSE = "committee-work"


@dataclass(frozen=True)
class Shot:
    name: str
    alt: str  # what README.md says the picture shows
    who: str | None  # the demo account signed in, or None for a visitor
    visit: Callable  # (page, base_url, found) -> None: leaves the page to photograph
    viewport: dict
    # Below the fold too, down to this many pixels (None: the viewport only).
    down_to: int | None = None


def _go(path: str) -> Callable:
    return lambda page, base, found: page.goto(base + path)


def _open_lesson(page, base: str, found: dict) -> None:
    """The lesson the learner is at, with some progress: enrol and finish the first lesson if need be."""
    course = f"{base}/courses/{COURSE}"
    page.goto(course)
    enrol = page.locator(f"main form[action$='/courses/{COURSE}/enrol'] [type=submit]")
    if enrol.count():
        enrol.first.click()
        page.wait_for_load_state()
        page.goto(course)
    fresh = page.locator("main a.button[href*='/lessons/']", has_text="Start").count() > 0
    page.locator("main a.button[href*='/lessons/']").first.click()
    page.wait_for_load_state()
    if fresh:
        page.locator("main form[action$='/done'] [type=submit]").first.click()
        page.wait_for_load_state()
        page.goto(page.url)  # the same lesson without the "marked as done" message


def _open_trainer_activity(page, base: str, found: dict) -> None:
    page.goto(f"{base}/manage/activities/{found['busiest_activity']}")


def find_targets(app) -> dict:
    """What the demo data holds today: the trainer's activity with the most people registered."""
    from sqlalchemy import func, select

    from elearn.extensions import db
    from elearn.people.models import Person
    from elearn.scheduling.models import Activity, ActivityStatus, Registration

    with app.app_context():
        busiest = db.session.scalar(
            select(Activity.id).join(Registration).where(
                Activity.status != ActivityStatus.DRAFT, Activity.trainers.any(Person.email == TRAINER))
            .group_by(Activity.id).order_by(func.count(Registration.id).desc(), Activity.id).limit(1))
    return {"busiest_activity": busiest}


SHOTS = [
    Shot("home", "The public home page: upcoming activities, course highlights, partner parliaments and the "
         "calendar address", None, _go("/"), DESKTOP, down_to=2400),
    Shot("home-phone", "The home page on a phone, 375 pixels wide", None, _go("/"), PHONE),
    Shot("learner-dashboard", "A learner's dashboard", LEARNER, _go("/dashboard"), DESKTOP),
    Shot("lesson", "A lesson of the committee work course", LEARNER, _open_lesson, DESKTOP),
    Shot("trainer-activity", "The trainer's page of an activity: sessions, seats and registrations", TRAINER,
         _open_trainer_activity, DESKTOP, down_to=1300),
    Shot("report", "The participation report: figures by parliament, kind, gender and political side", TRAINER,
         _go("/reports/participation"), DESKTOP, down_to=1800),
]


def demo_passwords() -> dict[str, str]:
    from elearn.demo import DEMO_ACCOUNTS

    return {account[0]: account[1] for account in DEMO_ACCOUNTS}


def prepare_database(environment: dict[str, str]) -> None:
    for command in (["db", "upgrade"], ["demo", "seed"]):
        print("flask", *command, flush=True)
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *command], cwd=ROOT, env=environment,
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"flask {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
        if command[0] == "demo":
            print(done.stdout, end="", flush=True)


@contextmanager
def serving(database_url: str, secret_key: str):
    """The app on a free port of 127.0.0.1, from a thread; yields its base URL and the app."""
    from werkzeug.serving import make_server

    from elearn import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secret_key, "SITE_URL": SITE_URL,
                      "MAIL_SERVER": ""})
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=5)


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/dashboard")
    if page.locator("html").get_attribute("lang") != "en":
        # The README is in English: switch this demo account (in the throw-away database) to English.
        with page.expect_navigation():
            page.evaluate("""() => {
                const form = document.querySelector("form[action$='/language']");
                form.querySelector("select[name=language]").value = "en";
                form.submit();
            }""")


def photograph(page, shot: Shot, path: Path) -> None:
    if shot.down_to is None:
        page.screenshot(path=str(path))
        return
    height = min(shot.down_to, page.evaluate("() => document.documentElement.scrollHeight"))
    page.screenshot(path=str(path), full_page=True,
                    clip={"x": 0, "y": 0, "width": shot.viewport["width"], "height": height})


def optimise(path: Path) -> None:
    """256 colours without dithering: text stays sharp and the file a fraction of its size."""
    from PIL import Image

    with Image.open(path) as image:
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                                dither=Image.Dither.NONE)
    palette.save(path, optimize=True)


def take(base: str, out: Path, found: dict, shots: list[Shot] = SHOTS) -> list[Path]:
    from playwright.sync_api import sync_playwright

    passwords = demo_passwords()
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
        try:
            for shot in shots:
                context = browser.new_context(locale="en-GB", viewport=shot.viewport, device_scale_factor=1)
                try:
                    page = context.new_page()
                    if shot.who:
                        sign_in(page, base, shot.who, passwords[shot.who])
                    shot.visit(page, base, found)
                    path = out / f"{shot.name}.png"
                    photograph(page, shot, path)
                    optimise(path)
                    saved.append(path)
                    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {page.url.split('/', 3)[-1]}"
                          f" ({path.stat().st_size // 1024} KB)", flush=True)
                finally:
                    context.close()
        finally:
            browser.close()
    return saved


def run(out: Path, shoot: Callable[[str, Path, dict], list[Path]], find: Callable[[object], dict]) -> int:
    """A throw-away database with the demo data, the site served on a free port, then `shoot(base, out, found)`
    with what `find(app)` found in the data."""
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    secret_key = secrets.token_urlsafe(48)
    with tempfile.TemporaryDirectory(prefix="hemicycle-screenshots-") as scratch:
        database_url = f"sqlite:///{Path(scratch) / 'demo.db'}"
        environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secret_key,
                       "HEMICYCLE_INSTANCE_PATH": scratch, "SITE_URL": SITE_URL, "MAIL_SERVER": ""}
        prepare_database(environment)
        os.environ["HEMICYCLE_INSTANCE_PATH"] = scratch
        with serving(database_url, secret_key) as (base, app):
            shoot(base, out.resolve(), find(app))
    return 0


def main(argv: list[str] | None = None, *, shots: list | None = None, out: Path = ROOT / "docs" / "screenshots",
         find: Callable[[object], dict] = find_targets, shoot: Callable | None = None,
         description: str = __doc__) -> int:
    """The command line of both scripts: this one's shots by default; take_arabic.py passes its own shot list,
    output folder, finder and `shoot(base, out, found, shots)`."""
    shots = SHOTS if shots is None else shots
    shoot = shoot or take
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--only", nargs="*", default=[], help="names of the shots to take (all by default)")
    arguments = parser.parse_args(argv)
    unknown = set(arguments.only) - {shot.name for shot in shots}
    if unknown:
        parser.error(f"no such shot: {', '.join(sorted(unknown))}")
    chosen = [shot for shot in shots if not arguments.only or shot.name in arguments.only]
    return run(arguments.out, lambda base, folder, found: shoot(base, folder, found, chosen), find)


if __name__ == "__main__":
    sys.exit(main())
