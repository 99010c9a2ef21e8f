"""Static files: every URL the pages build names the file's version, so a browser keeps the file for a year
and a changed file gets a new URL; the bare path is revalidated; text comes compressed (elearn/assets.py)."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest

from elearn.assets import IMMUTABLE, REVALIDATE, StaticFiles
from tests.helpers import text

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def static_urls(page: str) -> list[str]:
    return STATIC_URL.findall(page)


def test_every_static_url_of_a_page_names_its_version_and_is_kept_a_year(client):
    urls = static_urls(text(client.get("/")))
    assert {url.split("?")[0] for url in urls} >= {"/static/css/site.css", "/static/css/print.css",
                                                    "/static/js/site.js", "/static/img/favicon.svg"}
    for url in urls:
        path, _, query = url.partition("?")
        assert re.fullmatch(r"v=[0-9a-f]{12}", query), url
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE, url
        assert response.data == (PROJECT_ROOT / path.removeprefix("/")).read_bytes(), url
        # The bare path (a hand-written link) and an old version (a page from before a deploy) get today's file,
        # to be checked again before each use.
        for other in (path, f"{path}?v=000000000000"):
            again = client.get(other)
            assert again.data == response.data and again.headers["Cache-Control"] == REVALIDATE, other
            assert client.get(other, headers={"If-None-Match": again.headers["ETag"]}).status_code == 304


def test_the_api_explorer_loads_the_vendored_swagger_ui_by_versioned_urls(client):
    urls = static_urls(text(client.get("/api/v1/docs")))
    vendored = [url for url in urls if "/vendor/swagger-ui/" in url]
    assert len(vendored) == 2 and all("?v=" in url for url in vendored)
    for url in urls:
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE


@pytest.mark.parametrize("encoding, decode", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_text_files_come_compressed_with_an_entity_tag_of_their_own(client, encoding, decode):
    url = next(url for url in static_urls(text(client.get("/"))) if "site.css" in url)
    plain = client.get(url)
    response = client.get(url, headers={"Accept-Encoding": f"{encoding}, identity;q=0.5"})
    assert response.headers["Content-Encoding"] == encoding and "Accept-Encoding" in response.headers["Vary"]
    assert decode(response.data) == plain.data and len(response.data) < len(plain.data) / 3
    assert response.headers["ETag"] != plain.headers["ETag"]  # a cache never answers one encoding with the other
    revalidated = client.get(url, headers={"Accept-Encoding": encoding, "If-None-Match": response.headers["ETag"]})
    assert revalidated.status_code == 304 and revalidated.data == b""
    assert "Content-Encoding" not in client.get(url, headers={"Accept-Encoding": "br;q=0, gzip;q=0"}).headers


def test_missing_files_and_paths_outside_the_folder_are_404s(client):
    for path in ("/static/css/nothing.css", "/static/../elearn/config.py", "/static/%2e%2e/wsgi.py",
                 "/static/css"):
        assert client.get(path).status_code == 404, path


def test_no_template_script_or_module_writes_a_static_path_by_hand():
    """Only url_for('static', ...) adds the version: a hand-written /static/ path would be revalidated forever."""
    written = []
    for folder, pattern in (("templates", "*.html"), ("static/js", "*.js"), ("elearn", "*.py")):
        for path in (PROJECT_ROOT / folder).rglob(pattern):
            if re.search(r"""["'(]/static/""", path.read_text(encoding="utf-8")):
                written.append(str(path.relative_to(PROJECT_ROOT)))
    assert written == []


# The files themselves, on a folder of the test's own ----------------------------------------------------

def test_a_changed_file_gets_a_new_version(tmp_path):
    (tmp_path / "app.js").write_text("console.log(1);\n")
    files = StaticFiles(tmp_path)
    first = files.digest("app.js")
    assert first == files.digest("app.js") and re.fullmatch(r"[0-9a-f]{12}", first)
    (tmp_path / "app.js").write_text("console.log(2); // longer\n")
    assert files.digest("app.js") not in (None, first)
    assert files.digest("nothing.js") is None and files.digest("../etc/passwd") is None


def test_a_stylesheet_names_the_versions_of_the_files_it_uses(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "body.woff2").write_bytes(b"wOF2 first")
    (tmp_path / "img.svg").write_text("<svg/>")
    (tmp_path / "css" / "site.css").write_text(
        '@font-face { src: url("../fonts/body.woff2") format("woff2"), url(../fonts/body.woff2#iefix); }\n'
        "a { background: url('../img.svg'); }\n"
        "b { background: url(data:image/png;base64,AAAA) url(https://example.org/x.png) url(/abs.png); }\n"
        "i { background: url(../missing.png) url(../../outside.png) url(../img.svg?v=mine); }\n")
    files = StaticFiles(tmp_path)
    font, image = files.digest("fonts/body.woff2"), files.digest("img.svg")
    served = files.entry("css/site.css").body.decode()
    assert f'url("../fonts/body.woff2?v={font}")' in served and f"url(../fonts/body.woff2?v={font}#iefix)" in served
    assert f"url('../img.svg?v={image}')" in served
    for unchanged in ("url(data:image/png;base64,AAAA)", "url(https://example.org/x.png)", "url(/abs.png)",
                      "url(../missing.png)", "url(../../outside.png)", "url(../img.svg?v=mine)"):
        assert unchanged in served
    # A new font gives the stylesheet a new version, though the stylesheet's own bytes did not change.
    before = files.digest("css/site.css")
    (tmp_path / "fonts" / "body.woff2").write_bytes(b"wOF2 second, bigger")
    assert files.digest("css/site.css") != before
    assert f"body.woff2?v={files.digest('fonts/body.woff2')}" in files.entry("css/site.css").body.decode()


def test_stylesheets_that_name_each_other_do_not_loop(tmp_path):
    (tmp_path / "a.css").write_text("@import url(b.css);")
    (tmp_path / "b.css").write_text("@import url(a.css);")
    files = StaticFiles(tmp_path)
    assert files.digest("a.css") and files.digest("b.css") and files.digest("a.css")
