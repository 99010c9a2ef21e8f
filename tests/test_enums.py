"""Adding a modality (or any enum value) touches two files: the enum with its label, and the catalog."""
import re
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import text, update
from sqlalchemy.exc import StatementError

from elearn.extensions import db
from elearn.reports.forms import ReportForm
from elearn.scheduling.forms import ActivityForm
from elearn.scheduling.models import Activity, Modality
from tests.conftest import PROJECT_ROOT
from tests.scheduling.factories import make_activity

# Where the value of a modality may be written out: its declaration, and the
# migrations that once listed the values (history, never edited again).
DECLARED_IN = {Path("elearn/scheduling/models.py")}


def _sources():
    for folder in ("elearn", "templates", "bench"):
        for path in (PROJECT_ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".html", ".txt"} and path.is_file():
                yield path.relative_to(PROJECT_ROOT)


def test_no_file_but_the_enum_spells_out_a_modality_value():
    """Pages, forms, mails and reports take modalities from the enum, so a new one needs no edit there."""
    spelled = re.compile("|".join(rf"""["']{re.escape(m.value)}["']""" for m in Modality))
    found = {path for path in _sources() if spelled.search((PROJECT_ROOT / path).read_text(encoding="utf-8"))}
    assert found <= DECLARED_IN, f"modality values written out in {sorted(map(str, found - DECLARED_IN))}"


def test_every_form_offers_each_modality_with_its_label_in_the_page_language(app):
    with app.test_request_context(), force_locale("fr"):
        expected = [(m.value, str(m.label)) for m in Modality]
        offered = [(choice._value(), str(choice.label.text)) for choice in ActivityForm(meta={"csrf": False}).modality]
        in_reports = [(choice._value(), str(choice.label.text)) for choice in ReportForm(meta={"csrf": False}).modality]
    assert offered == expected
    assert in_reports[1:] == expected  # after "Any"
    assert ("seminar", "Séminaire") in expected


def test_a_new_value_reaches_the_database_without_a_migration_and_an_unknown_one_is_refused(app):
    """No CHECK constraint lists the values: the database takes any, the application only known ones."""
    activity = make_activity(title="Peer review")
    # What a value added to the enum later looks like to today's schema.
    db.session.execute(text("UPDATE activity SET modality = 'peer_review' WHERE id = :id"), {"id": activity.id})
    assert db.session.scalar(text("SELECT modality FROM activity WHERE id = :id"), {"id": activity.id}) == "peer_review"
    db.session.rollback()

    with pytest.raises(StatementError, match="not among the defined enum values"):
        db.session.execute(update(Activity).where(Activity.id == activity.id).values(modality="peer_review"))
    db.session.rollback()


def test_language_names_are_written_only_in_the_language_table():
    """Forms, filters and pages take languages from elearn/languages.py, so a new one is one line there."""
    found = {path for path in _sources() if "Español" in (PROJECT_ROOT / path).read_text(encoding="utf-8")}
    assert found == {Path("elearn/languages.py")}
