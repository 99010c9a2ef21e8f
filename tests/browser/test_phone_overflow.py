"""Every page at a phone's width (375 × 812), for each role, over the demo data: nothing scrolls sideways
and the header leaves the screen to the page.

The sweep is generic: it walks app.url_map, fills each GET route's arguments from the database (the
demo's activities, courses, registrations, parliaments, tokens…) and opens what the role may open.
A route is skipped only for a reason it prints: a file rather than a page, no value for an argument in
the demo data, a redirect (its target is swept on its own), or a refusal for that role.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from elearn.cooperation.models import ActionPlan, NeedsRequest, Review
from elearn.demo import DEMO_ACCOUNTS
from elearn.extensions import db
from elearn.learning.models import Certificate, Course, Enrolment, Lesson, QuizAttempt
from elearn.notifications.models import OptionalMail
from elearn.notifications.services import unsubscribe_token
from elearn.people import services as people_services
from elearn.people.models import Person, TokenPurpose
from elearn.scheduling.models import Activity, ActivitySession, ActivityStatus, Programme, Registration

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
HEADER_LIMIT = 120  # px: the page, not the header, should own a phone's screen
ROLES = {"anonymous": None, "learner": "mp@example.org", "focal point": "focal@example.org",
         "trainer": "trainer@example.org", "admin": "admin@example.org"}
PASSWORDS = {account[0]: account[1] for account in DEMO_ACCOUNTS}
FILE_SUFFIXES = (".ics", ".csv", ".xlsx", ".pdf")
NOT_PAGES = {"learning.asset": "serves a course's images and files, not a page"}

MEASURE = """() => ({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  header: Math.round(document.querySelector('.site-header').getBoundingClientRect().height),
  wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
          && !e.closest('[role=region], .table-scroll')).slice(0, 3)
        .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')),
})"""


@dataclass
class Sweep:
    checked: list[tuple[str, str]] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # rule -> reason (for a route no role could open)
    refused: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def _first(statement):
    return db.session.scalar(statement.limit(1))


def _argument_values(person: Person | None) -> dict:
    """For each route argument, a value from the demo data, the role's own where it matters."""
    focal = db.session.scalar(select(Person).where(Person.email == ROLES["focal point"]))
    own_parliament = (person.parliament_id if person and person.parliament_id else focal.parliament_id)
    busiest = _first(select(Activity.id).join(Registration).where(Activity.status == ActivityStatus.PUBLISHED)
                     .group_by(Activity.id).order_by(func.count(Registration.id).desc(), Activity.id))
    registration = None
    if person:
        registration = _first(select(Registration.id).where(Registration.person_id == person.id))
    course = None
    if person:
        course = _first(select(Course).join(Enrolment).where(Enrolment.person_id == person.id))
    course = course or _first(select(Course).order_by(Course.id))
    plan = (_first(select(ActionPlan.id).where(ActionPlan.parliament_id == own_parliament))
            or _first(select(ActionPlan.id)))
    learner = db.session.scalar(select(Person).where(Person.email == ROLES["learner"]))
    return {
        "activity_id": busiest,
        "session_id": _first(select(ActivitySession.id).where(ActivitySession.activity_id == busiest)),
        "registration_id": registration or _first(select(Registration.id).where(Registration.activity_id == busiest)),
        "parliament_id": own_parliament,
        "request_id": (_first(select(NeedsRequest.id).where(NeedsRequest.parliament_id == own_parliament))
                       or _first(select(NeedsRequest.id))),
        "plan_id": plan,
        "review_id": _first(select(Review.id).where(Review.plan_id == plan)) or _first(select(Review.id)),
        "slug": course.slug if course else None,
        "lesson_slug": _first(select(Lesson.slug).where(Lesson.course_id == course.id).order_by(Lesson.position))
        if course else None,
        "attempt_id": _first(select(QuizAttempt.id).join(Enrolment).where(Enrolment.person_id == (person.id if person else 0))),
        "code": _first(select(Certificate.code)),
        "person_id": learner.id,
        "programme_id": _first(select(Programme.id).order_by(Programme.id)),
    }


def _tokens(endpoint: str) -> str | None:
    """A token means something different on each route: make the one that route reads."""
    learner = db.session.scalar(select(Person).where(Person.email == ROLES["learner"]))
    if endpoint == "accounts.reset_password":
        return people_services.issue_token(learner, TokenPurpose.PASSWORD_RESET)
    if endpoint == "accounts.accept_invitation":
        return people_services.issue_token(learner, TokenPurpose.INVITATION)
    if endpoint.startswith("notifications.unsubscribe"):
        return unsubscribe_token(learner.id, OptionalMail.DIGEST)
    return None


def _get_routes(app) -> tuple[list, dict[str, str]]:
    routes, skipped = [], {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.rule.endswith(FILE_SUFFIXES):
            skipped[rule.rule] = "a file download, not a page"
        elif rule.endpoint in NOT_PAGES:
            skipped[rule.rule] = NOT_PAGES[rule.endpoint]
        else:
            routes.append(rule)
    return routes, skipped


def _url(app, rule, values: dict) -> tuple[str | None, str]:
    filled = {}
    for argument in rule.arguments:
        value = _tokens(rule.endpoint) if argument == "token" else values.get(argument)
        if value is None:
            return None, f"no value for <{argument}> in the demo data"
        filled[argument] = value
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **filled), ""


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORDS[email])
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/dashboard")


def _sweep_role(app, browser, base: str, role: str, routes, sweep: Sweep) -> None:
    email = ROLES[role]
    person = db.session.scalar(select(Person).where(Person.email == email)) if email else None
    values = _argument_values(person)
    urls = [(rule, *_url(app, rule, values)) for rule in routes]
    db.session.commit()  # the tokens made for the links; and SQLite then lets the server write (sign-ins)
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    try:
        page = context.new_page()
        if email:
            _sign_in(page, base, email)
        for rule, url, reason in urls:
            if url is None:
                sweep.skipped.setdefault(rule.rule, reason)
                continue
            answer = context.request.get(base + url, max_redirects=0)
            if answer.status in (301, 302, 303, 307, 308):
                sweep.skipped.setdefault(rule.rule, "redirects for this role (its target is swept on its own)")
                continue
            if answer.status in (401, 403, 404):
                sweep.refused[role] += 1
                continue
            if not answer.headers.get("content-type", "").startswith("text/html"):
                sweep.skipped.setdefault(rule.rule, f"not a page ({answer.headers.get('content-type')})")
                continue
            page.goto(base + url, wait_until="domcontentloaded")  # the stylesheet is in, site.js has run
            measured = page.evaluate(MEASURE)
            sweep.checked.append((rule.rule, role))
            if measured["overflow"] > 0:
                sweep.failures.append(f"{url} as {role}: {measured['overflow']} px too wide "
                                      f"(sticking out: {', '.join(measured['wide'])})")
            if measured["header"] > HEADER_LIMIT:
                sweep.failures.append(f"{url} as {role}: header {measured['header']} px tall (limit {HEADER_LIMIT})")
    finally:
        context.close()


def test_no_page_scrolls_sideways_at_375_px_and_the_header_stays_short(app, live_server, browser, capsys):
    started = time.monotonic()
    seeded = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert seeded.exit_code == 0, seeded.output
    routes, skipped = _get_routes(app)
    sweep = Sweep(skipped=dict(skipped))
    for role in ROLES:
        _sweep_role(app, browser, live_server, role, routes, sweep)
    elapsed = time.monotonic() - started
    opened = {rule for rule, _ in sweep.checked}
    never_opened = {rule: reason for rule, reason in sweep.skipped.items() if rule not in opened}
    with capsys.disabled():
        print(f"\nphone sweep: {len(sweep.checked)} pages checked: {len(opened)} routes, each for those of the "
              f"{len(ROLES)} roles that may open it (refused: {dict(sweep.refused)}), in {elapsed:.0f} s")
        for rule, reason in sorted(never_opened.items()):
            print(f"  skipped {rule}: {reason}")
    assert len(opened) >= 30, "the sweep opened too few routes: is the demo data loaded?"
    assert not sweep.failures, "pages unusable at 375 px:\n" + "\n".join(sweep.failures)
