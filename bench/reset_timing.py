"""Forgot-password timing: does the form answer as fast for an address nobody uses as for an account's?

    .venv/bin/python bench/reset_timing.py [--runs 60]

On a SQLite file in a temporary folder, through the Flask test client, with throttling and the
per-account mail limit turned off so that every request does its full work. Rounds are
interleaved (an existing address, then an unknown one, then again), so a slow patch of the
machine weighs on both alike; the first round is left out. Prints medians and the ratio
existing / unknown for:

- the form as it is: it queues the address typed, whatever it is, and the mail sender makes
  the mail later (people/resets.py);
- the baseline, measured in the same run: a copy of the form as it was before, registered by
  this script at /bench/forgot-inline, which looks the address up and, for an account, issues a
  link and renders and queues the mail before answering (services.request_password_reset).

Exits non-zero if the form's ratio is outside 0.8x to 1.25x.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask import flash, redirect, url_for

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elearn import create_app  # noqa: E402
from elearn.access import Role, public  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.mail.models import OutboxMessage  # noqa: E402
from elearn.people import services  # noqa: E402
from elearn.people.forms import ForgotPasswordForm  # noqa: E402
from elearn.people.models import Person  # noqa: E402
from elearn.people.resets import process_reset_requests  # noqa: E402

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ADDRESSES = {"existing account": "member@example.org", "unknown address": "nobody@example.org"}
FORMS = {"the form now (address queued)": "/account/forgot",
         "baseline: mail made before answering": "/bench/forgot-inline"}


@public
def forgot_inline():
    """The forgot-password view as it was: the mail work on the request's time."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash("If an account uses that address, a link to choose a new password is on its way.", "info")
        return redirect(url_for("accounts.login"))
    return "invalid", 400


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench-secret-key-not-for-production",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "RATELIMIT_ENABLED": False,
                          "RESET_LIMIT_PER_ACCOUNT": "1000000 per hour",
                          "MAIL_SERVER": "", "SITE_URL": "http://hemicycle.test"})
        with app.app_context():
            db.create_all()
            db.session.add(Person(email=ADDRESSES["existing account"], full_name="Bench Person", role=Role.LEARNER))
            db.session.commit()
        app.add_url_rule("/bench/forgot-inline", "bench_forgot_inline", forgot_inline, methods=["POST"])
        timings: dict[str, dict[str, list[float]]] = {form: {label: [] for label in ADDRESSES} for form in FORMS}
        cases = [(form, label) for form in FORMS for label in ADDRESSES]
        for round_number in range(runs + 1):
            # Round robin, every other round backwards, so neither kind always follows the other.
            for form, label in cases if round_number % 2 == 0 else cases[::-1]:
                client = app.test_client()  # outside any app context, as a real request
                token = CSRF.search(client.get("/account/forgot").get_data(as_text=True)).group(1)
                started = time.perf_counter()
                response = client.post(FORMS[form], data={"csrf_token": token, "email": ADDRESSES[label]})
                timings[form][label].append(time.perf_counter() - started)
                assert response.status_code == 302, f"{form}, {label}: {response.status_code}"
                with app.app_context():
                    process_reset_requests()  # the sender's work, off the form's time
        with app.app_context():
            mails = db.session.query(OutboxMessage).count()
            db.engine.dispose()
        assert mails == 2 * (runs + 1), f"expected one mail per form and round for the account, got {mails}"
    # The first round pays for one-off work (templates compiled, caches): left out.
    medians = {form: {label: statistics.median(values[1:]) for label, values in by_label.items()}
               for form, by_label in timings.items()}
    print(f"{runs} interleaved rounds, median per POST (SQLite, test client)")
    ratios = {}
    for form, by_label in medians.items():
        ratios[form] = by_label["existing account"] / by_label["unknown address"]
        figures = ", ".join(f"{label} {seconds * 1000:.2f} ms" for label, seconds in by_label.items())
        print(f"  {form:38s} {figures}; existing / unknown = {ratios[form]:.2f}x")
    ratio = ratios["the form now (address queued)"]
    verdict = 0.8 <= ratio <= 1.25
    print(f"existing / unknown = {ratio:.2f}x (goal 0.8x to 1.25x): {'met' if verdict else 'MISSED'}")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
