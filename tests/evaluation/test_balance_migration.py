"""The migration moves the selection targets' opposition share to the programme and the activity, and back."""
from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from elearn import create_app
from elearn.extensions import db
from tests.conftest import BASE_CONFIG
from tests.test_migrations import empty_database_url  # noqa: F401  (a fixture)

BEFORE, AFTER = "936c6c8d3539", "8a608b67ceef"
PROGRAMME = ("INSERT INTO programme (id, slug, title, kind, funders, status, created_at) "
             "VALUES (:id, :slug, 'P', 'regional', '[]', 'active', '2026-01-01 00:00:00')")


def rows(sql: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_the_share_moves_up_and_back(empty_database_url):  # noqa: F811
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for number in (1, 2, 3):
                connection.execute(text(PROGRAMME), {"id": number, "slug": f"p{number}"})
            connection.execute(text(
                "INSERT INTO selection_target (programme_id, women_min_percent, both_sides_required, "
                "opposition_min_percent) VALUES (1, NULL, false, 30), (2, 40, false, 20), (3, 50, true, NULL)"))
        upgrade(revision=AFTER)
        assert rows("SELECT id, opposition_target_percent FROM programme ORDER BY id") == [(1, 30), (2, 20), (3, None)]
        # The row that held only the share is gone; the others keep their other targets.
        assert rows("SELECT programme_id, women_min_percent FROM selection_target ORDER BY programme_id") == [
            (2, 40), (3, 50)]
        assert "opposition_min_percent" not in {c["name"] for c in inspect(db.engine).get_columns("selection_target")}
        downgrade(revision=BEFORE)
        assert rows("SELECT programme_id, women_min_percent, opposition_min_percent FROM selection_target "
                    "ORDER BY programme_id") == [(1, None, 30), (2, 40, 20), (3, 50, None)]
        assert "opposition_target_percent" not in {c["name"] for c in inspect(db.engine).get_columns("programme")}
        db.engine.dispose()
