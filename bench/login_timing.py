"""Sign-in timing: does a refused sign-in take as long for an unknown account as for a wrong password?

    .venv/bin/python bench/login_timing.py [--runs 40]

Uses the production password hash (scrypt, the default PASSWORD_HASH_METHOD) on a SQLite
file in a temporary folder, through the Flask test client, with throttling turned off so
every attempt reaches the password check. Prints the median time of each kind of attempt
and its ratio to a wrong password for a real account, the case an attacker compares
against. Exits non-zero if an unknown account is more than 1.25x or less than 0.8x of it.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elearn import create_app  # noqa: E402
from elearn.access import Role  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.people.models import Person  # noqa: E402
from elearn.people.services import set_password  # noqa: E402

PASSWORD = "a long and real passphrase"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench-secret-key-not-for-production",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "RATELIMIT_ENABLED": False,
                          "MAIL_SERVER": "", "SITE_URL": "http://hemicycle.test"})
        with app.app_context():
            db.create_all()
            for email, active in (("member@example.org", True), ("former@example.org", False)):
                person = Person(email=email, full_name="Bench Person", role=Role.LEARNER, is_active=active)
                set_password(person, PASSWORD)
                db.session.add(person)
            db.session.commit()
            method = app.config["PASSWORD_HASH_METHOD"]
        attempts = {
            "wrong password, real account": ("member@example.org", "not the passphrase"),
            "unknown account": ("nobody@example.org", "not the passphrase"),
            "deactivated account, right password": ("former@example.org", PASSWORD),
            "right password (signs in)": ("member@example.org", PASSWORD),
        }
        timings: dict[str, list[float]] = {label: [] for label in attempts}
        # Round robin, so that a slow patch of the machine weighs on every kind alike.
        for _ in range(runs + 1):
            for label, (email, password) in attempts.items():
                client = app.test_client()
                token = CSRF.search(client.get("/account/login").get_data(as_text=True)).group(1)
                started = time.perf_counter()
                response = client.post("/account/login", data={"csrf_token": token, "email": email,
                                                               "password": password})
                timings[label].append(time.perf_counter() - started)
                signed_in = response.status_code == 302
                assert signed_in == label.startswith("right"), f"{label}: {response.status_code}"
        # The first round pays for one-off work (the dummy hash, caches): left out.
        medians = {label: statistics.median(values[1:]) for label, values in timings.items()}
    baseline = medians["wrong password, real account"]
    print(f"password hash: {method}; {runs} attempts of each kind, median per POST /account/login")
    for label, seconds in medians.items():
        print(f"  {label:38s} {seconds * 1000:7.1f} ms   {seconds / baseline:5.2f}x")
    ratio = medians["unknown account"] / baseline
    verdict = 0.8 <= ratio <= 1.25
    print(f"unknown account / wrong password = {ratio:.2f}x (goal 0.8x to 1.25x): {'met' if verdict else 'MISSED'}")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
