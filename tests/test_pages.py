"""Layout, security headers and error pages."""
from datetime import date

import pytest
from sqlalchemy import select

from elearn.access import public
from elearn.extensions import db
from elearn.people.models import Parliament, Person, PersonKind
from tests.helpers import text


def test_security_headers_on_every_page(client):
    response = client.get("/account/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_carry_no_inline_script_and_no_external_assets(client):
    page = text(client.get("/account/login"))
    assert "<script>" not in page and " onclick=" not in page
    assert "http://" not in page.replace("http://hemicycle.test", "") and "https://" not in page


def test_layout_has_landmarks_and_a_skip_link(client):
    page = text(client.get("/"))
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page and "<nav" in page and "<header" in page and "<footer" in page


def test_unknown_page_is_a_404_in_the_layout_and_language(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert '<html lang="fr"' in text(response)
    assert 'href="#main"' in text(response)


def test_get_on_a_post_only_route_is_405(client):
    response = client.get("/account/logout")
    assert response.status_code == 405
    assert "not allowed" in text(response)


def test_a_server_error_rolls_back_and_shows_a_calm_page(make_app):
    app = make_app()

    @app.get("/_explode")
    @public
    def explode():
        db.session.add(Parliament(name_en="Half-saved", name_fr="x", country_code="XX", chamber_name="x"))
        db.session.flush()
        raise RuntimeError("boom")

    with app.app_context():
        app.testing = False  # let the error handler answer instead of raising into the test
        app.config["PROPAGATE_EXCEPTIONS"] = False
        response = app.test_client().get("/_explode")
        assert response.status_code == 500
        assert "Nothing was saved" in text(response)
        assert db.session.scalar(select(Parliament).where(Parliament.name_en == "Half-saved")) is None


@pytest.mark.parametrize("started, today, expected", [
    (date(2026, 6, 1), date(2026, 11, 23), True),
    (date(2025, 11, 24), date(2026, 11, 23), True),
    (date(2025, 11, 23), date(2026, 11, 23), False),
    (date(2021, 6, 1), date(2026, 11, 23), False),
])
def test_newly_elected_is_derived_from_the_term_start(started, today, expected):
    mp = Person(kind=PersonKind.MP, term_started_on=started)
    assert mp.is_newly_elected(today) is expected


def test_staff_are_never_newly_elected():
    assert Person(kind=PersonKind.STAFF, term_started_on=date(2026, 6, 1)).is_newly_elected(date(2026, 7, 1)) is False
