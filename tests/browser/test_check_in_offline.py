"""The check-in page in a real browser: codes typed or read by the camera answered in place, scans kept on the
device while the connection is down and sent when it returns, the page itself opened offline by its service worker.

The camera is Chromium's fake capture device playing a Y4M video of a ticket's QR code, written by the test; the
browser there has no BarcodeDetector, so the code is read by the vendored zxing-wasm under the page's own policy.
"""
from __future__ import annotations

import io
import time
from datetime import timedelta
from pathlib import Path

import pytest
import segno
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.extensions import db
from elearn.onsite import tickets
from elearn.onsite.models import CheckInScan
from elearn.people.models import Person
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    Registration,
    RegistrationState,
)
from tests import factories
from tests.accessibility import assert_accessible
from tests.conftest import CHROMIUM
from tests.helpers import sign_in_in_browser

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
CAMERA_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--use-fake-ui-for-media-stream",
               "--use-fake-device-for-media-stream"]


def under_way_now(trainer) -> Activity:
    """A published activity whose one session began an hour ago, with `trainer` as its trainer."""
    now = utcnow().replace(microsecond=0)
    activity = Activity(title="Committee work seminar", modality="seminar", timezone="UTC",
                        status=ActivityStatus.PUBLISHED, languages=["en"], starts_at=now - timedelta(hours=1),
                        ends_at=now + timedelta(hours=3))
    activity.sessions = [ActivitySession(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3))]
    activity.trainers = [trainer]
    db.session.add(activity)
    db.session.commit()
    return activity


def participant(activity: Activity, name: str, parliament) -> str:
    """A confirmed participant with a ticket; returns the ticket's code."""
    person = factories.make_person(full_name=name, parliament=parliament)
    registration = Registration(activity_id=activity.id, person_id=person.id, state=RegistrationState.CONFIRMED)
    db.session.add(registration)
    db.session.flush()
    code = tickets.issue(registration).code
    db.session.commit()
    return code


@pytest.fixture
def door(app):
    trainer = factories.make_person(Role.TRAINER, email="door@example.org", full_name="Door Trainer")
    activity = under_way_now(trainer)
    parliament = factories.make_parliament(name_en="National Assembly of Malawi", country_code="MW")
    codes = [participant(activity, "Chifundo Banda", parliament), participant(activity, "Thoko Phiri", parliament)]
    return {"trainer": trainer, "activity": activity, "codes": codes,
            "path": f"/check-in/{activity.id}"}


def attendances(activity: Activity) -> dict[str, int]:
    """How many attendance rows each participant has at the activity."""
    db.session.rollback()  # see what the server's threads committed
    rows = db.session.execute(
        select(Person.full_name, func.count(Attendance.id))
        .join(Registration, Registration.person_id == Person.id)
        .join(Attendance, Attendance.registration_id == Registration.id)
        .where(Registration.activity_id == activity.id).group_by(Person.full_name))
    return dict(rows.all())


KEPT_FOR_OFFLINE = """async () => {
    const root = document.getElementById("check-in-client");
    const wanted = [location.href, root.dataset.decoderUrl, root.dataset.wasmUrl,
                    ...[...document.querySelectorAll("link[rel~=stylesheet], script[src]")].map((n) => n.href || n.src)];
    for (const url of wanted) {
        if (!(await caches.match(new URL(url, location.href).href, { ignoreVary: true }))) return false;
    }
    return true;
}"""


def open_check_in(page, base_url: str, door) -> None:
    sign_in_in_browser(page, base_url, door["trainer"].email, factories.PASSWORD)
    page.goto(base_url + door["path"])
    page.locator("#check-in-client").wait_for()
    # Ready for offline use once the worker has kept the page and every file it uses.
    deadline = time.monotonic() + 30
    while not page.evaluate(KEPT_FOR_OFFLINE):
        assert time.monotonic() < deadline, "the service worker did not keep the page"
        page.wait_for_timeout(100)


def type_code(page, code: str) -> None:
    page.locator("form[data-check-in-form] input[name=code]").fill(code)
    page.locator("form[data-check-in-form] input[name=code]").press("Enter")


def test_a_typed_code_is_answered_on_the_page_without_reloading_it(app, live_server, browser, door):
    context = browser.new_context(locale="en-GB")  # the site's own Content-Security-Policy applies
    try:
        page = context.new_page()
        open_check_in(page, live_server, door)
        page.evaluate("window.notReloaded = true")
        count = page.locator("#check-in-count")
        assert count.inner_text() == "0 of 2 confirmed participants checked in"
        first = door["codes"][0]
        type_code(page, tickets.grouped(first).lower())  # as read aloud: lower case, with dashes
        answer = page.locator("#check-in-answer")
        answer.filter(has_text="Chifundo Banda").wait_for()
        assert answer.locator(".scan-outcome").inner_text().endswith("Checked in")
        assert "National Assembly of Malawi" in answer.inner_text()
        count.filter(has_text="1 of 2 confirmed participants checked in").wait_for()
        assert page.evaluate("window.notReloaded") is True
        # The same ticket again: the person is not counted twice, and the page says so.
        type_code(page, first)
        answer.filter(has_text="Already checked in").wait_for()
        # A code nobody holds is refused, with the reason in words.
        type_code(page, "ZZZZ-ZZZZ-ZZZZ-ZZZZ")
        answer.filter(has_text="Not checked in").wait_for()
        assert "No ticket has this code" in answer.inner_text()
        # The list and the waiting line follow the answer, once the queue has been read again.
        scans = page.locator("#check-in-scans li")
        expect(scans.first).to_contain_text("Unknown code")
        expect(scans).to_have_count(3)
        expect(page.locator("#check-in-pending")).to_have_attribute("data-waiting", "0")
        assert attendances(door["activity"]) == {"Chifundo Banda": 1}
    finally:
        context.close()


def test_a_stale_security_token_is_renewed_and_the_scan_sent(app, live_server, browser, door):
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        open_check_in(page, live_server, door)
        # As after hours offline: the page's token no longer matches the session's.
        page.evaluate("document.getElementById('check-in-client').dataset.csrfToken = 'stale'")
        type_code(page, door["codes"][1])
        page.locator("#check-in-answer").filter(has_text="Thoko Phiri").wait_for()
        assert attendances(door["activity"]) == {"Thoko Phiri": 1}
        # The first try was refused for its token (and audited as such); the second carried a fresh one.
        refused = select(func.count(AuditEvent.id)).where(AuditEvent.action == AuditAction.CSRF_REFUSED)
        assert db.session.scalar(refused) == 1
    finally:
        context.close()


def test_without_indexeddb_a_typed_code_is_still_answered(app, live_server, browser, door):
    context = browser.new_context(locale="en-GB")
    try:
        # As in a private window that refuses storage: the queue lives in the page while it is open.
        context.add_init_script("IDBFactory.prototype.open = () => { throw new DOMException('refused'); };")
        page = context.new_page()
        sign_in_in_browser(page, live_server, door["trainer"].email, factories.PASSWORD)
        page.goto(live_server + door["path"])
        page.locator("#check-in-client").wait_for()
        type_code(page, door["codes"][0])
        page.locator("#check-in-answer").filter(has_text="Chifundo Banda").wait_for()
        assert attendances(door["activity"]) == {"Chifundo Banda": 1}
    finally:
        context.close()


def test_scans_made_offline_wait_on_the_device_and_are_sent_once_back_online(app, live_server, browser, door):
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        open_check_in(page, live_server, door)
        context.set_offline(True)
        # Chromium applies the offline emulation to a reloaded page's renderer a moment late: the queue's first
        # POST could slip through. Refusing the endpoint too keeps the whole offline spell offline.
        scans = f"**{door['path']}/scans"
        context.route(scans, lambda route: route.abort("internetdisconnected"))
        for code in door["codes"]:
            type_code(page, code)
        pending = page.locator("#check-in-pending")
        pending.filter(has_text="2 scans waiting to be sent").wait_for()
        page.locator("#check-in-answer").filter(has_text="Waiting to be sent").wait_for()
        # The page opens again without a connection: the service worker keeps it, IndexedDB the queue.
        page.reload()
        page.locator("#check-in-client").wait_for()
        assert "Check-in" in page.locator("h1").inner_text()
        pending.filter(has_text="2 scans waiting to be sent").wait_for()
        assert page.locator("#check-in-scans li.scan-waiting").count() == 2
        assert attendances(door["activity"]) == {}
        context.unroute(scans)
        context.set_offline(False)
        pending.filter(has_text="No scan is waiting to be sent.").wait_for()
        items = page.locator("#check-in-scans").inner_text()
        assert "Chifundo Banda" in items and "Thoko Phiri" in items
        assert page.locator("#check-in-scans li.scan-recorded").count() == 2
        assert attendances(door["activity"]) == {"Chifundo Banda": 1, "Thoko Phiri": 1}
        # Each scan reached the server once, whatever was resent.
        assert db.session.scalar(select(func.count(CheckInScan.id))) == 2
    finally:
        context.set_offline(False)
        context.close()


def test_signing_out_with_scans_unsent_asks_first_then_leaves_nothing_on_the_device(app, live_server, browser, door):
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        open_check_in(page, live_server, door)
        scans = f"**{door['path']}/scans"
        context.route(scans, lambda route: route.abort("internetdisconnected"))  # the server out of reach
        type_code(page, door["codes"][0])
        pending = page.locator("#check-in-pending")
        pending.filter(has_text="1 scan waiting to be sent").wait_for()

        questions = []

        def answer(dialog, accept):
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", lambda dialog: answer(dialog, False))
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_timeout(300)
        assert questions and "not reached the server" in questions[0]
        assert page.url.endswith(door["path"])  # still here, the scan still queued
        assert pending.get_attribute("data-waiting") == "1"

        page.once("dialog", lambda dialog: answer(dialog, True))
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{live_server}/")
        # The queue (IndexedDB), the saved page (Cache Storage) and the check-in worker are gone.
        assert page.evaluate("caches.keys()") == []
        assert page.evaluate("navigator.serviceWorker.getRegistrations().then((all) => all.length)") == 0
        assert page.evaluate("indexedDB.databases().then((all) => all.length)") == 0
    finally:
        context.close()


def write_y4m(path: Path, text: str, size=(640, 480), frames=10) -> None:
    """A short raw video (YUV 4:2:0) of a ticket's QR code on white: Chromium's fake camera plays it in a loop."""
    drawn = io.BytesIO()
    segno.make_qr(text, error="m").save(drawn, kind="png", scale=8, border=4)
    drawn.seek(0)
    code = Image.open(drawn).convert("RGB")
    frame = Image.new("RGB", size, "white")
    frame.paste(code, ((size[0] - code.width) // 2, (size[1] - code.height) // 2))
    luma, blue, red = frame.convert("YCbCr").split()
    half = (size[0] // 2, size[1] // 2)
    planes = luma.tobytes() + blue.resize(half).tobytes() + red.resize(half).tobytes()
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{size[0]} H{size[1]} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + planes)


@pytest.fixture(scope="module")
def camera_video(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("camera") / "ticket.y4m"


@pytest.fixture(scope="module")
def camera_browser(browser, camera_video):
    """Chromium with a fake camera that plays `camera_video` (written by each test before it starts the camera)."""
    launched = browser.browser_type.launch(executable_path=CHROMIUM, headless=True,
                                           args=[*CAMERA_ARGS, f"--use-file-for-fake-video-capture={camera_video}"])
    yield launched
    launched.close()


def test_the_camera_reads_a_ticket_and_checks_its_holder_in(app, live_server, camera_browser, camera_video, door):
    write_y4m(camera_video, door["codes"][0])
    context = camera_browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        open_check_in(page, live_server, door)
        assert page.evaluate("'BarcodeDetector' in window") is False  # so the vendored decoder does the work
        page.get_by_role("button", name="Scan with the camera").click()
        answer = page.locator("#check-in-answer")
        answer.filter(has_text="Chifundo Banda").wait_for()
        assert "Checked in" in answer.inner_text()
        # The ticket stays in front of the lens: read again and again, sent once.
        page.wait_for_timeout(1000)
        assert page.locator("#check-in-scans li").count() == 1
        assert attendances(door["activity"]) == {"Chifundo Banda": 1}
        page.get_by_role("button", name="Stop the camera").click()
        assert page.locator("#camera-panel").is_hidden()
        assert page.evaluate("document.getElementById('camera-video').srcObject") is None
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["ar", "fr"])
def test_the_page_fits_a_phone_and_passes_axe_with_the_camera_open_and_closed(app, live_server, camera_browser,
                                                                              camera_video, door, locale):
    write_y4m(camera_video, door["codes"][1])
    door["trainer"].preferred_language = locale
    db.session.commit()
    context = camera_browser.new_context(locale=locale, viewport=PHONE, bypass_csp=True)  # axe is injected
    try:
        page = context.new_page()
        open_check_in(page, live_server, door)
        assert page.evaluate("document.documentElement.dir") == ("rtl" if locale == "ar" else "ltr")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(page, f"check-in, camera closed ({locale})")
        page.locator("#camera-start").click()
        page.locator("#check-in-scans li.scan-recorded").wait_for()
        assert not page.locator("#camera-panel").is_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert "Thoko Phiri" in page.locator("#check-in-answer").inner_text()
        assert_accessible(page, f"check-in, camera open ({locale})")
    finally:
        context.close()
