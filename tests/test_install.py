"""README.md's production install works as written, without the demo, and leaves a site whose forms offer topics."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from elearn import create_app
from elearn.extensions import db
from tests.conftest import BASE_CONFIG, PROJECT_ROOT
from tests.helpers import sign_in, text

FLASK = [".venv/bin/flask", "--app", "wsgi"]
ADMIN_PASSWORD = "a-long-production-password"


def production_flask_commands() -> list[list[str]]:
    """The `flask` lines of the README's "Production install" block, split as the shell would."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Production install\n(.*?)^## ", readme, re.S | re.M)
    assert section, "README.md has no 'Production install' section"
    block = re.search(r"^```sh\n(.*?)^```", section.group(1), re.S | re.M)
    assert block, "the 'Production install' section has no sh block"
    commands = [shlex.split(line, comments=True) for line in block.group(1).splitlines()]
    return [words[len(FLASK):] for words in commands if words[:len(FLASK)] == FLASK]


@pytest.fixture
def installed_site(tmp_path):
    """Run those commands, as separate processes, on a fresh SQLite file; yield its URL."""
    url = f"sqlite:///{tmp_path / 'production.db'}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "a-production-secret-key-for-this-test",
           "HEMICYCLE_INSTANCE_PATH": str(tmp_path / "instance"), "MAIL_SERVER": ""}
    commands = production_flask_commands()
    assert [args[:2] for args in commands] == [["db", "upgrade"], ["setup"], ["courses", "import"],
                                               ["users", "create-admin"]]
    for args in commands:
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=PROJECT_ROOT, env=env,
                              input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n", capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, f"flask {shlex.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    admin_email = next(args[2] for args in commands if args[:2] == ["users", "create-admin"])
    yield url, admin_email


def test_the_production_install_offers_topics_in_every_form(installed_site):
    url, admin_email = installed_site
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        admin = app.test_client()
        assert sign_in(admin, admin_email, ADMIN_PASSWORD).status_code == 302
        for path in ("/manage/activities/new", "/cooperation/requests/new", "/calendar"):
            response = admin.get(path)
            assert response.status_code == 200, path
            assert "Committee work" in text(response) and "Budget and financial management" in text(response), path
        assert "Organisation of the plenary sitting" in text(app.test_client().get("/calendar"))
        assert "/courses/induction" in text(admin.get("/courses"))
        db.engine.dispose()
