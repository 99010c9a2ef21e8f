"""Every column the "Your data" page can show has a translated heading, never a column's English name."""
from elearn.extensions import db
from elearn.people.holdings import HOLDINGS
from elearn.people.personal_data import visible_columns
from elearn.people.personal_data_display import COLUMN_LABELS, value_text


def test_every_shown_column_has_a_heading(app):
    missing = sorted({f"{table}.{column.name}" for (table, _via), holding in HOLDINGS.items()
                      for column in visible_columns(db.metadata.tables[table], holding)
                      if column.name not in COLUMN_LABELS})
    assert not missing


def test_an_audit_detail_names_its_keys_in_the_readers_language(app):
    from flask_babel import force_locale
    with app.test_request_context(), force_locale("es"):
        assert value_text({"from": "learner", "to": "admin"}) == "Antes: learner; Después: admin"
