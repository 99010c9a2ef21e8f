"""A trainer adds a document through the real form on a phone; the page is accessible and fits."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.documents.models import Document
from elearn.extensions import db
from tests.accessibility import assert_accessible
from tests.documents import samples
from tests.factories import PASSWORD
from tests.helpers import sign_in_in_browser

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def test_a_trainer_adds_a_document_on_a_phone(world, people, live_server, browser, tmp_path):
    upload = tmp_path / "Ordre du jour de la mission d’évaluation – Banjul, novembre.pdf"
    upload.write_bytes(samples.PDF)
    context = browser.new_context(bypass_csp=True, locale="en-GB", viewport=PHONE)
    try:
        page = context.new_page()
        sign_in_in_browser(page, live_server, people["trainer"].email, PASSWORD)
        page.goto(f"{live_server}/activities/{world['activity'].id}/documents")
        assert_accessible(page, "an activity's documents, empty, at 375 px")

        page.get_by_label("Title").fill("Agenda of the assessment mission")
        page.get_by_label("File").set_input_files(str(upload))
        page.get_by_role("button", name="Add the document").click()

        page.get_by_text("The document is added.").wait_for()
        assert page.get_by_role("link", name="Agenda of the assessment mission").is_visible()
        assert_accessible(page, "an activity's documents, one added, at 375 px")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        db.session.expire_all()
        assert db.session.scalars(select(Document.original_name)).one() == upload.name
    finally:
        context.close()
