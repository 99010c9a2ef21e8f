"""Compressed answers (elearn/compression.py): pages, JSON, SVG and calendars come as brotli or gzip to a
browser that takes them; pages that show a secret, files compressed already and streams come as they are;
a copy kept compressed is revalidated as cheaply as a plain one."""
from __future__ import annotations

import gzip

import brotli
import pytest
from flask import Response

from elearn.access import public
from elearn.learning.importing import import_path
from tests.api.helpers import TokenClient, token_for
from tests.factories import make_parliament
from tests.helpers import count_queries, post_form
from tests.learning.factories import SVG, png_bytes, write_course
from tests.scheduling.factories import make_activity

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


def decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    return DECODE[encoding](response.data) if encoding else response.data


@pytest.mark.parametrize("accept, encoding", [
    ("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("br;q=0.5, gzip", "gzip"), ("", None), ("identity", None)])
def test_a_page_comes_in_the_best_encoding_the_browser_takes(client, accept, encoding):
    make_activity(title="Budget oversight seminar")
    response = client.get("/activities", headers={"Accept-Encoding": accept})
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    page = decoded(response).decode()
    assert "Budget oversight seminar" in page and page.rstrip().endswith("</html>")
    if encoding:
        assert len(response.data) < len(page.encode()) / 3
        assert int(response.headers["Content-Length"]) == len(response.data)


def test_pages_that_show_a_secret_are_never_compressed(login_as):
    """BREACH reads a secret from the compressed size of a page that also echoes what an attacker sent."""
    learner = login_as("learner")
    made = post_form(learner, "/account/api-tokens/", {"name": "HR system", "scopes": ["read:self"],
                                                       "expires_in_days": "30"},
                     token_from="/account/api-tokens/", headers=BROWSER)
    assert made.status_code == 201 and b"hmc_" in made.data
    calendar = learner.get("/my/calendar", headers=BROWSER)
    enrolment = login_as("trainer").get("/account/two-factor", headers=BROWSER)
    for response in (made, calendar, enrolment):
        assert response.status_code in (200, 201) and len(response.data) > 2000
        assert "Content-Encoding" not in response.headers
    # The same person's other pages are compressed.
    assert learner.get("/account/api-tokens/", headers=BROWSER).headers["Content-Encoding"] == "br"


def test_images_compressed_already_come_as_they_are_and_drawings_compressed(app, tmp_path, client):
    room = png_bytes(400, 300)
    folder = write_course(tmp_path, "committee-work", lessons=2, assets={"room.png": room})
    (folder / "assets" / "stages.svg").write_text(SVG.format(title="The stages of a bill " * 30))
    import_path(tmp_path)
    png = client.get("/courses/committee-work/assets/room.png", headers=BROWSER)
    assert png.data == room and "Content-Encoding" not in png.headers
    svg = client.get("/courses/committee-work/assets/stages.svg", headers=BROWSER)
    assert svg.headers["Content-Encoding"] == "br" and b"The stages of a bill" in decoded(svg)
    again = client.get("/courses/committee-work/assets/stages.svg",
                       headers={**BROWSER, "If-None-Match": svg.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == svg.headers["ETag"]


def test_a_stream_is_sent_as_it_is_made(make_app):
    app = make_app()

    @app.get("/_rows")
    @public
    def rows():
        return Response((f"<p>row {n}</p>\n" for n in range(2000)), mimetype="text/html")

    with app.app_context():
        response = app.test_client().get("/_rows", headers=BROWSER)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert response.data.count(b"<p>row") == 2000


def test_a_compressed_calendar_is_revalidated_from_the_feed_cache(client):
    for number in range(5):
        make_activity(title=f"Seminar {number}")
    plain = client.get("/calendar.ics")
    first = client.get("/calendar.ics", headers=BROWSER)
    assert first.headers["Content-Encoding"] == "br" and decoded(first) == plain.data
    assert first.headers["ETag"] == plain.headers["ETag"][:-1] + ':br"'  # one tag per form of the feed
    with count_queries() as counter:
        again = client.get("/calendar.ics", headers={**BROWSER, "If-None-Match": first.headers["ETag"]})
    # The feed's own 304: one small query, no body read, no render, no compression; the tag the client holds.
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert counter.count == 1 and "feed_cache" in counter.statements[0]
    gzipped = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(gzipped.data) == plain.data
    assert client.get("/calendar.ics", headers={"Accept-Encoding": "gzip", "If-None-Match": gzipped.headers["ETag"]}
                      ).status_code == 304
    # A stale copy gets the whole feed.
    stale = client.get("/calendar.ics", headers={**BROWSER, "If-None-Match": '"0123abcd:br"'})
    assert stale.status_code == 200 and decoded(stale) == plain.data


def test_the_api_answers_compressed_and_revalidates_the_compressed_copy(app, people):
    for code in ("QA", "GM", "BT", "NE", "MW", "FR", "SN"):
        make_parliament(name_en=f"Assembly of {code}", country_code=code)
    api = TokenClient(app, token_for(people["learner"]))
    plain = api.get("/api/v1/parliaments/")
    first = api.get("/api/v1/parliaments/", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip" and gzip.decompress(first.data) == plain.data
    again = api.get("/api/v1/parliaments/", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "private, no-cache"
