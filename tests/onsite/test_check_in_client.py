"""The check-in page's script side, seen from the server: its policy, its service worker, its words, its decoder."""
from __future__ import annotations

import json
import re
from pathlib import Path

from flask_babel import force_locale

from elearn.onsite import client
from tests.helpers import sign_in
from tests.onsite.factories import two_day_activity

ROOT = Path(__file__).resolve().parent.parent.parent
VENDOR = ROOT / "static" / "vendor" / "zxing-wasm"


def test_only_the_check_in_page_may_use_the_camera_and_compile_webassembly(app, client, people):
    activity = two_day_activity()
    sign_in(client, people["admin"].email, "a-long-test-passphrase")
    page = client.get(f"/check-in/{activity.id}")
    assert page.status_code == 200
    assert "camera=(self)" in page.headers["Permissions-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
    elsewhere = client.get("/dashboard")
    assert "camera=()" in elsewhere.headers["Permissions-Policy"]
    assert "wasm-unsafe-eval" not in elsewhere.headers["Content-Security-Policy"]


def test_the_page_gives_the_script_every_address_from_url_for(app, client, people):
    activity = two_day_activity()
    sign_in(client, people["admin"].email, "a-long-test-passphrase")
    html = client.get(f"/check-in/{activity.id}").get_data(as_text=True)
    for name, value in {"page-url": f"/check-in/{activity.id}", "scans-url": f"/check-in/{activity.id}/scans",
                        "sw-url": "/check-in/sw.js"}.items():
        assert f'data-{name}="{value}"' in html
    assert re.search(r'data-wasm-url="/static/vendor/zxing-wasm/zxing_reader\.wasm[^"]*"', html)
    assert "<form" in html and "data-check-in-form" in html  # the form works, and is enhanced, with one code field
    for script in ("check-in-queue.js", "check-in-camera.js", "check-in.js"):
        assert re.search(rf'<script src="/static/js/{re.escape(script)}[^"]*" defer>', html)


def test_the_service_worker_is_served_at_the_scope_it_keeps_without_a_cookie(app, client, people):
    sign_in(client, people["trainer"].email, "a-long-test-passphrase")
    response = client.get("/check-in/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"  # the browser looks for a newer worker every time
    assert "Set-Cookie" not in response.headers
    assert b"caches.open" in response.data
    assert b"/static/" not in response.data  # no address of its own: static files are fingerprinted


def test_the_scripts_words_are_translated_with_every_plural_form_of_the_language(app):
    with app.test_request_context(), force_locale("ar"):
        words = client.strings()
    # Arabic has six plural forms; Intl.PluralRules picks among the same six names.
    assert set(words["pending"]) == {"zero", "one", "two", "few", "many", "other"}
    assert all("{count}" in form for form in words["pending"].values())
    assert words["labels"]["waiting"] == "في انتظار الإرسال"
    assert {"unknown", "other_activity", "revoked", "no_session"} <= set(words["reasons"])  # each refusal's words
    json.dumps(words)  # it goes into the page as JSON
    with app.test_request_context(), force_locale("en"):
        assert client.strings()["pending"] == {"one": "{count} scan waiting to be sent",
                                               "other": "{count} scans waiting to be sent"}


def test_the_vendored_decoder_is_the_version_package_json_pins():
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["zxing-wasm"]
    assert (VENDOR / "VERSION").read_text().startswith(f"zxing-wasm {pinned} ")
    script = (VENDOR / "zxing-reader.js").read_text()
    assert f"zxing-wasm@{pinned}/" in script  # the CDN default it names, which check-in-camera.js overrides
    assert (VENDOR / "zxing_reader.wasm").read_bytes()[:4] == b"\0asm"
    for licence in ("LICENSE", "LICENSE-zxing-cpp", "NOTICE"):
        assert (VENDOR / licence).stat().st_size > 0
    installed = ROOT / "node_modules" / "zxing-wasm" / "dist"
    if installed.exists():  # make vendor-zxing copied exactly what npm installed
        assert (installed / "iife" / "reader" / "index.js").read_bytes() == (VENDOR / "zxing-reader.js").read_bytes()
        assert (installed / "reader" / "zxing_reader.wasm").read_bytes() == (VENDOR / "zxing_reader.wasm").read_bytes()
