"""`flask backup create|restore`: a restored backup holds exactly what the backed-up database held."""
import json
import shutil

import pytest
from sqlalchemy import delete, func, select

from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Registration


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["demo", "seed", "--no-courses", "--learners", "4", "--activities", "3"])
    assert result.exit_code == 0, result.output
    db.session.commit()


def test_a_restored_backup_has_every_table_s_rows_back(app, runner, seeded, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    backup = tmp_path / "backups" / "hemicycle.backup"
    people = db.session.scalar(select(func.count()).select_from(Person))
    registrations = db.session.scalar(select(func.count()).select_from(Registration))
    assert people > 4 and registrations > 0

    created = runner.invoke(args=["backup", "create", str(backup)])
    assert created.exit_code == 0, created.output
    recorded = json.loads((tmp_path / "backups" / "hemicycle.backup.counts.json").read_text())
    assert recorded["person"] == people and recorded["registration"] == registrations

    # What happens after the backup is what a restore takes back.
    db.session.execute(delete(Registration))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0

    restored = runner.invoke(args=["backup", "restore", "--yes", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert "every count matches the backup" in restored.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == registrations
    assert db.session.scalar(select(func.count()).select_from(Person)) == people
    # The site works on the restored database: a person can still be read and written.
    someone = db.session.scalars(select(Person).limit(1)).one()
    someone.full_name = "Restored and renamed"
    db.session.commit()


def test_a_restore_that_does_not_match_its_counts_fails_loudly(app, runner, seeded, tmp_path):
    backup = tmp_path / "hemicycle.backup"
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    counts_file = tmp_path / "hemicycle.backup.counts.json"
    counts = json.loads(counts_file.read_text())
    counts["person"] += 1
    counts_file.write_text(json.dumps(counts))
    result = runner.invoke(args=["backup", "restore", "--yes", str(backup)])
    assert result.exit_code != 0
    assert "person" in result.output and "differs from the backup" in result.output


def test_a_backup_never_overwrites_a_file(app, runner, tmp_path):
    existing = tmp_path / "keep.backup"
    existing.write_text("precious")
    result = runner.invoke(args=["backup", "create", str(existing)])
    assert result.exit_code != 0 and "exists already" in result.output
    assert existing.read_text() == "precious"


def test_restoring_a_missing_file_says_so(app, runner, tmp_path):
    result = runner.invoke(args=["backup", "restore", "--yes", str(tmp_path / "nothing.backup")])
    assert result.exit_code != 0 and "There is no backup" in result.output
