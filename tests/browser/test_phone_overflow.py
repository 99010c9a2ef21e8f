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
from playwright.sync_api import expect
from sqlalchemy import func, select

from elearn.alumni.models import AlumniEntry
from elearn.cooperation.models import ActionPlan, NeedsRequest, Review
from elearn.delegations.agenda_models import AgendaItem, Institution
from elearn.delegations.calls_models import Application, Call
from elearn.delegations.costs_models import CostLine
from elearn.delegations.letters_models import InvitationLetter
from elearn.demo import DEMO_ACCOUNTS
from elearn.demo.delegations import CYCLE_TITLE, VISIT_TITLE
from elearn.evaluation.indicator_models import Indicator
from elearn.evaluation.models import Question, Questionnaire
from elearn.extensions import db
from elearn.learning.models import Certificate, Course, Enrolment, Lesson, QuizAttempt
from elearn.mentoring.models import MentoringPair, PairStatus
from elearn.missions.models import ExpertProfile
from elearn.missions.report_models import MissionReport
from elearn.notifications.models import OptionalMail
from elearn.notifications.services import unsubscribe_token
from elearn.people import services as people_services
from elearn.people.models import Person, TokenPurpose
from elearn.placements.models import Placement
from elearn.scheduling.models import (
    MISSION_MODALITIES,
    Activity,
    ActivitySession,
    ActivityStatus,
    Programme,
    Registration,
)
from tests.accessibility import assert_accessible
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
HEADER_LIMIT = 120  # px: the page, not the header, should own a phone's screen
ROLES = {"anonymous": None, "learner": "mp@example.org", "focal point": "focal@example.org",
         "trainer": "trainer@example.org", "admin": "admin@example.org"}
PASSWORDS = {account[0]: account[1] for account in DEMO_ACCOUNTS}
FILE_SUFFIXES = (".ics", ".csv", ".xlsx", ".pdf")
NOT_PAGES = {"learning.asset": "serves a course's images and files, not a page",
             "documents.download": "streams a stored document as an attachment, not a page",
             "assistance.attachment": "streams a question's attached file, not a page",
             "check_in.service_worker": "the check-in page's service worker script, not a page"}
# The delegation's pages are swept over the demo's cycle (its call and applications) and working visit (agenda,
# logistics, letters, costs), where their tables are full, rather than over the busiest activity.
CYCLE_PAGES = ("calls_admin.",)
VISIT_PAGES = ("delegations_agenda.", "logistics.", "delegation_letters.", "costs.")
# The demo's mission with a report, if the demo seeds one (its report page is a 404 on any other activity).
MISSION_REPORT_PAGES = ("mission_reports.",)
MISSION_PAGES = ("mission_team.",)  # over a demo mission (the role's own if it trains one), not the busiest activity
MEETING_PAGES = ("mentoring_meetings.",)  # over a demo pair the role is in (or any, for an administrator)

MEASURE = r"""() => {
  const visible = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const named = region => region && region.getAttribute('tabindex') === '0'
    && ((document.getElementById(region.getAttribute('aria-labelledby') || '')?.textContent.trim() || '') !== ''
        || (region.getAttribute('aria-label') || '').trim() !== '');
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    header: Math.round(document.querySelector('.site-header').getBoundingClientRect().height),
    wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
            && !e.closest('[role=region]')).slice(0, 3)
          .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')),
    // A table too wide for the screen outside a focusable region named by its caption: it scrolls the page,
    // or a keyboard cannot scroll it, or a screen reader cannot tell what scrolls.
    loose_tables: [...document.querySelectorAll('main table')]
          .filter(t => visible(t) && !named(t.closest('[role=region]'))
                       && (t.scrollWidth > t.clientWidth + 1 || t.getBoundingClientRect().width > t.parentElement.clientWidth + 1))
          .map(t => t.id || t.className || 'table'),
    // A native-looking button among the styled ones (one button style, the filters' and language's included).
    // The API documentation's explorer is the vendored Swagger UI with its own widgets (English, left to right,
    // by design: templates/api/docs.html); it is still measured for overflow like any page.
    native_buttons: [...document.querySelectorAll('button, input[type=submit]')]
          .filter(b => visible(b) && !b.classList.contains('link-button') && !b.closest('#api-explorer'))
          .filter(b => { const s = getComputedStyle(b);
                         return s.borderTopStyle !== 'solid' || s.borderTopLeftRadius !== '4px' || Number(s.fontWeight) < 600; })
          .map(b => (b.textContent || b.value).trim()),
    // A caption that says again, in sight, what the heading just above it says.
    repeated_captions: (() => {
      const said = [], words = e => e.textContent.trim().replace(/\s+/g, ' ').toLowerCase();
      let heading = '';
      for (const e of document.querySelectorAll('main h1, main h2, main h3, main caption')) {
        if (e.tagName !== 'CAPTION') { heading = words(e); continue; }
        if (e.getBoundingClientRect().width > 1 && words(e) === heading) said.push(words(e));
      }
      return said;
    })(),
  };
}"""


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
    # The programme with the demo's indicators (an indicator is found only under its own programme).
    programme = (_first(select(Indicator.programme_id).order_by(Indicator.id))
                 or _first(select(Programme.id).order_by(Programme.id)))
    report_mission = _first(select(MissionReport.activity_id).order_by(MissionReport.id))
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
        "programme_id": programme,
        "indicator_id": _first(select(Indicator.id).where(Indicator.programme_id == programme).order_by(Indicator.id)),
        "letter_id": _first(select(InvitationLetter.id).order_by(InvitationLetter.id)),
        "line_id": _first(select(CostLine.id).where(CostLine.activity_id == busiest).order_by(CostLine.id)),
        "call_id": _first(select(Call.id).order_by(Call.id)),
        "application_id": _first(select(Application.id).order_by(Application.id)),
        "item_id": _first(select(AgendaItem.id).order_by(AgendaItem.id)),
        "institution_id": _first(select(Institution.id).order_by(Institution.id)),
        "questionnaire_id": _first(select(Questionnaire.id).order_by(Questionnaire.id)),
        "question_id": _first(select(Question.id).order_by(Question.questionnaire_id, Question.position)),
        "phase": "pre",
        # Read only: the demo part seeds the experts; without one the profile page is skipped with its reason.
        "profile_id": _first(select(ExpertProfile.id).order_by(ExpertProfile.id)),
        # A listed alumnus's card (the demo's first shows every part of it).
        "entry_id": _first(select(AlumniEntry.id).where(AlumniEntry.listed.is_(True)).order_by(AlumniEntry.id)),
        "cycle": _delegation_values(CYCLE_TITLE),
        "visit": _delegation_values(VISIT_TITLE),
        "mission_terms": {"activity_id": _mission_with_terms(own_parliament)},
        "mission_report": {"activity_id": report_mission} if report_mission else {},
        "mission": _mission_values(person),
        # The demo's placement in the Table Office (its page offers the visit's agenda); the completed one has reports.
        "placement_id": _first(select(Placement.id).order_by(Placement.id)),
        "mentoring_meetings": _meeting_values(person),
        "pair_id": _pair_for(person),
        "assistance": _assistance_values(person),
    }


def _meeting_values(person: Person | None) -> dict:
    """An active demo pair the person is in (mentor, mentee or trainer; any for an administrator) and its next
    meeting; empty (the pages skipped) if the demo has none."""
    from sqlalchemy import or_

    from elearn.mentoring.models import MeetingStatus, MentoringMeeting, MentoringPair, PairStatus

    if person is None:
        return {}
    pairs = select(MentoringPair.id).where(MentoringPair.status == PairStatus.ACTIVE).order_by(MentoringPair.id)
    if person.role.value != "admin":
        pairs = pairs.where(or_(MentoringPair.mentor_id == person.id, MentoringPair.mentee_id == person.id,
                                MentoringPair.trainer_id == person.id))
    pair_id = _first(pairs)
    if pair_id is None:
        return {}
    meeting_id = _first(select(MentoringMeeting.id).where(MentoringMeeting.pair_id == pair_id,
                                                          MentoringMeeting.status == MeetingStatus.SCHEDULED)
                        .order_by(MentoringMeeting.starts_at.desc()))
    return {"pair_id": pair_id, "meeting_id": meeting_id}


def _pair_for(person: Person | None) -> int | None:
    """The role's own mentoring pair (as mentor, mentee or trainer), else the demo's active pair."""
    pairs = select(MentoringPair.id).order_by(MentoringPair.status != PairStatus.ACTIVE, MentoringPair.id)
    own = _first(pairs.where((MentoringPair.mentor_id == person.id) | (MentoringPair.mentee_id == person.id)
                             | (MentoringPair.trainer_id == person.id))) if person else None
    return own or _first(pairs)


def _assistance_values(person: Person | None) -> dict:
    """A question the role may see (asked by them or their parliament, or assigned to them), else the first."""
    from elearn.assistance.models import AssistanceQuestion

    questions = select(AssistanceQuestion.id).order_by(AssistanceQuestion.id)
    own = _first(questions.where((AssistanceQuestion.asker_id == person.id)
                                 | (AssistanceQuestion.expert_id == person.id)
                                 | (AssistanceQuestion.parliament_id == person.parliament_id))) if person else None
    question = own or _first(questions)
    return {"question_id": question} if question else {}


def _mission_with_terms(parliament_id: int | None) -> int | None:
    """A mission with terms, the role's parliament's first; None (the pages skipped) if the demo has none."""
    from elearn.missions.terms_models import TermsOfReference

    with_terms = select(TermsOfReference.activity_id).join(Activity, Activity.id == TermsOfReference.activity_id)
    return (_first(with_terms.where(Activity.host_parliament_id == parliament_id).order_by(Activity.id))
            or _first(with_terms.order_by(Activity.id)))


def _mission_values(person: Person | None) -> dict:
    missions = select(Activity.id).where(Activity.modality.in_(MISSION_MODALITIES)).order_by(Activity.id)
    own = _first(missions.where(Activity.trainers.any(Person.id == person.id))) if person else None
    mission = own or _first(missions)
    return {"activity_id": mission} if mission else {}


def _delegation_values(title: str) -> dict:
    activity = _first(select(Activity.id).where(Activity.title == title))
    if activity is None:
        return {}
    registrations = select(Registration.id).where(Registration.activity_id == activity)
    call = _first(select(Call.id).where(Call.activity_id == activity))
    values = {
        "activity_id": activity,
        "registration_id": _first(registrations.order_by(Registration.id)),
        "line_id": _first(select(CostLine.id).where(CostLine.activity_id == activity).order_by(CostLine.id)),
        "item_id": _first(select(AgendaItem.id).join(ActivitySession).where(ActivitySession.activity_id == activity)
                          .order_by(AgendaItem.id)),
        "letter_id": _first(select(InvitationLetter.id).where(InvitationLetter.registration_id.in_(registrations))
                            .order_by(InvitationLetter.id)),
        "code": _first(select(InvitationLetter.code).where(InvitationLetter.registration_id.in_(registrations))
                       .order_by(InvitationLetter.id)),  # /letters/check/<code>: a letter's, not a certificate's
        "call_id": call,
        "application_id": _first(select(Application.id).where(Application.call_id == call).order_by(Application.id))
        if call else None,
    }
    return {name: value for name, value in values.items() if value is not None}


def _values_for(endpoint: str, values: dict) -> dict:
    for prefixes, key in ((CYCLE_PAGES, "cycle"), (VISIT_PAGES, "visit"), (("mission_terms.",), "mission_terms"),
                          (MISSION_REPORT_PAGES, "mission_report"), (MISSION_PAGES, "mission"),
                          (MEETING_PAGES, "mentoring_meetings"), (("assistance.",), "assistance")):
        if endpoint.startswith(prefixes):
            return {**values, **values.get(key, {})}
    return values


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
    values = _values_for(rule.endpoint, values)
    for argument in rule.arguments:
        value = _tokens(rule.endpoint) if argument == "token" else values.get(argument)
        if value is None:
            return None, f"no value for <{argument}> in the demo data"
        filled[argument] = value
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **filled), ""


def _sign_in(page, base: str, email: str) -> None:
    sign_in_in_browser(page, base, email, PASSWORDS[email])


def _report(measured: dict, url: str, role: str, sweep: Sweep) -> None:
    if measured["overflow"] > 0:
        sweep.failures.append(f"{url} as {role}: {measured['overflow']} px too wide "
                              f"(sticking out: {', '.join(measured['wide'])})")
    if measured["loose_tables"]:
        sweep.failures.append(f"{url} as {role}: tables outside a labelled, focusable scroll region: "
                              f"{measured['loose_tables']}")
    if measured["native_buttons"]:
        sweep.failures.append(f"{url} as {role}: buttons without the site's button style: {measured['native_buttons']}")
    if measured["repeated_captions"]:
        sweep.failures.append(f"{url} as {role}: captions repeating the heading above: {measured['repeated_captions']}")
    if measured["header"] > HEADER_LIMIT:
        sweep.failures.append(f"{url} as {role}: header {measured['header']} px tall (limit {HEADER_LIMIT})")


def _sweep_role(app, browser, base: str, role: str, routes, sweep: Sweep, locale: str = "en-GB",
                check=None) -> None:
    """Open every route the role may open; `check(page)`, if given, returns more failures for each page
    (the Arabic sweep's right-to-left checks)."""
    email = ROLES[role]
    person = db.session.scalar(select(Person).where(Person.email == email)) if email else None
    values = _argument_values(person)
    urls = [(rule, *_url(app, rule, values)) for rule in routes]
    db.session.commit()  # the tokens made for the links; and SQLite then lets the server write (sign-ins)
    context = browser.new_context(viewport=PHONE, locale=locale)
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
            sweep.checked.append((rule.rule, role))
            _report(page.evaluate(MEASURE), url, role, sweep)
            if check:
                sweep.failures.extend(f"{url} as {role}: {problem}" for problem in check(page))
    finally:
        context.close()


def sweep_demo(app, browser, base: str, capsys, name: str, locale: str = "en-GB", check=None,
               before_role=None) -> Sweep:
    """Every page the demo data fills, for each role, at a phone's width; prints what it opened and skipped.
    `before_role(person)` runs before a signed-in role's pages (the Arabic sweep sets the person's language)."""
    started = time.monotonic()
    seeded = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert seeded.exit_code == 0, seeded.output
    routes, skipped = _get_routes(app)
    sweep = Sweep(skipped=dict(skipped))
    for role, email in ROLES.items():
        if before_role and email:
            before_role(db.session.scalar(select(Person).where(Person.email == email)))
        _sweep_role(app, browser, base, role, routes, sweep, locale=locale, check=check)
    elapsed = time.monotonic() - started
    opened = {rule for rule, _ in sweep.checked}
    never_opened = {rule: reason for rule, reason in sweep.skipped.items() if rule not in opened}
    with capsys.disabled():
        print(f"\n{name}: {len(sweep.checked)} pages checked: {len(opened)} routes, each for those of the "
              f"{len(ROLES)} roles that may open it (refused: {dict(sweep.refused)}), in {elapsed:.0f} s")
        for rule, reason in sorted(never_opened.items()):
            print(f"  skipped {rule}: {reason}")
    assert len(opened) >= 30, "the sweep opened too few routes: is the demo data loaded?"
    return sweep


def test_no_page_scrolls_sideways_at_375_px_and_the_header_stays_short(app, live_server, browser, capsys):
    sweep = sweep_demo(app, browser, live_server, capsys, "phone sweep")
    assert not sweep.failures, "pages unusable at 375 px:\n" + "\n".join(sweep.failures)


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_the_menu_folds_behind_a_button_that_works_without_javascript(people, live_server, browser, locale):
    context = browser.new_context(viewport=PHONE, locale=locale, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, people["trainer"].email, PASSWORD)
        header = page.locator(".site-header")
        assert header.bounding_box()["height"] <= HEADER_LIMIT
        courses = header.locator("nav a[href='/courses']")
        reports = header.locator("nav a[href='/reports/participation']")
        assert not courses.is_visible() and not reports.is_visible()
        menu, management = header.locator("summary").nth(0), header.locator("summary").nth(1)
        menu.click()
        assert courses.is_visible() and header.locator(".language-switcher select").is_visible()
        assert menu.evaluate("s => s.parentElement.open")
        management.click()
        reports.click()
        page.wait_for_url("**/reports/participation")

        # A wide screen shows every link at once, and no menu button.
        page.set_viewport_size({"width": 1280, "height": 800})
        assert courses.is_visible() and reports.is_visible()
        assert not menu.is_visible() and not management.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_the_month_is_an_agenda_on_a_phone_and_no_title_breaks_mid_word(app, live_server, browser, locale):
    assert app.test_cli_runner().invoke(args=["demo", "seed", "--no-courses"]).exit_code == 0
    title = "Committee secretaries' workshop on hearings"
    first = db.session.scalar(select(Activity).where(Activity.title == title)).starts_at
    context = browser.new_context(viewport=PHONE, locale=locale)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/activities/month?year={first.year}&month={first.month}")
        assert not page.locator("table.month").is_visible()
        items = page.locator("main .agenda a", has_text=title)
        assert items.count() >= 2  # a two-day workshop, under each of its days
        expect(page.locator(".agenda-day").first).to_be_visible()
        # Each word of the title stays on one line: a word broken across lines has two boxes.
        broken = items.first.evaluate("""a => {
            const text = a.firstChild, broken = [];
            for (const match of text.data.matchAll(/\\S+/g)) {
              const range = document.createRange();
              range.setStart(text, match.index); range.setEnd(text, match.index + match[0].length);
              if (range.getClientRects().length > 1) broken.push(match[0]);
            }
            return broken;
        }""")
        assert broken == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        page.set_viewport_size({"width": 1280, "height": 800})
        assert page.locator("table.month").is_visible() and not page.locator("main .agenda").first.is_visible()
    finally:
        context.close()


def test_the_restyled_pages_pass_axe_on_a_phone_and_a_desktop(app, live_server, browser):
    """Buttons, filters, tables in regions, the menu open and closed, the agenda, the delegation's pages over the
    demo's cycle and visit: no serious or critical finding
    (contrast included), on a phone in English and on a desktop in French."""
    assert app.test_cli_runner().invoke(args=["demo", "seed", "--no-courses"]).exit_code == 0
    values = _argument_values(None)
    first = db.session.scalar(select(Activity.starts_at).where(Activity.id == values["activity_id"]))
    pages = ["/admin/audit/", "/reports/participation", f"/manage/activities/{values['activity_id']}",
             f"/manage/activities/{values['activity_id']}/edit", f"/activities/month?year={first.year}&month={first.month}",
             "/activities", "/admin/people", "/manage/programmes"]
    cycle, visit = values["cycle"]["activity_id"], values["visit"]["activity_id"]
    pages += [f"/manage/activities/{cycle}/applications", f"/manage/activities/{visit}/agenda",
              f"/manage/activities/{visit}/logistics", f"/manage/activities/{visit}/letters",
              f"/manage/activities/{visit}/costs", f"/manage/logistics/rooming?activity={visit}", "/manage/costs"]
    for viewport, locale in ((PHONE, "en-GB"), ({"width": 1280, "height": 800}, "fr-FR")):
        context = browser.new_context(viewport=viewport, locale=locale, bypass_csp=True)
        try:
            page = context.new_page()
            _sign_in(page, live_server, ROLES["admin"])
            if locale == "fr-FR":
                page.locator(".language-switcher select").select_option("fr")
                page.locator(".language-switcher button").click()
                page.wait_for_load_state()
            for path in pages:
                page.goto(live_server + path)
                assert_accessible(page, f"{path} at {viewport['width']} px ({locale})")
            if viewport is PHONE:
                page.locator(".site-header summary").first.click()
                page.locator(".manage-band summary").click()
                assert_accessible(page, "the menus open on a phone")
        finally:
            context.close()
