"""What the main learner pages weigh, decoded and over the wire: HTML, CSS, JS and images, each compressed as a
browser gets it (brotli), on the demo data; the figures tests/test_page_weight.py keeps within budgets.

    .venv/bin/python bench/page_weight.py                  # brotli, as browsers ask for it
    .venv/bin/python bench/page_weight.py --encoding gzip  # an older client
    .venv/bin/python bench/page_weight.py --detail         # every file of every page

A first visit with an empty cache: the repeat visit downloads only the HTML (static files carry their
version in the URL and are kept a year; tests/browser/test_repeat_visit.py checks that in Chromium).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["SESSION_COOKIE_SECURE"] = "false"

from bench._common import scratch_database  # noqa: E402
from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from tests import weighing  # noqa: E402
from tests.conftest import BASE_CONFIG, IsolatedClient  # noqa: E402
from tests.helpers import sign_in  # noqa: E402

COLUMNS = (("html", "HTML"), ("css", "CSS"), ("js", "JS"), ("image", "images"))


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def table(weights: dict[str, weighing.Weight]) -> str:
    header = f"{'page':<22}" + "".join(f"{title + ' KB':>16}" for _, title in COLUMNS) + \
        f"{'total KB':>18}{'ratio':>8}"
    lines = [header, f"{'':<22}" + "".join(f"{'plain → wire':>16}" for _ in COLUMNS) + f"{'plain → wire':>18}",
             "-" * len(header)]
    for name, weight in weights.items():
        cells = []
        for kind, _ in COLUMNS:
            raw, wire = weight.by_kind(kind)
            cells.append(f"{kb(raw):>7} → {kb(wire):>5}" if raw else f"{'–':>15}")
        ratio = weight.raw / weight.wire if weight.wire else 0
        lines.append(f"{name:<22}" + "".join(f"{cell:>16}" for cell in cells)
                     + f"{kb(weight.raw):>9} → {kb(weight.wire):>5}{ratio:>7.1f}×")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encoding", default="br, gzip", help="the Accept-Encoding to send (default: br, gzip)")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server to use (default: a SQLite file)")
    parser.add_argument("--detail", action="store_true", help="list every file of every page")
    options = parser.parse_args()
    weighing.ACCEPT["Accept-Encoding"] = options.encoding
    with scratch_database(options.database_url) as url:
        app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        app.test_client_class = IsolatedClient
        with app.app_context():
            db.create_all()
            seeded = app.test_cli_runner().invoke(args=["demo", "seed"])
            if seeded.exit_code:
                sys.exit(seeded.output)
            anonymous, learner = app.test_client(), app.test_client()
            sign_in(learner, *weighing.LEARNER)
            weights = {name: weighing.weigh(learner if signed_in else anonymous, path)
                       for name, signed_in, path in weighing.main_pages()}
            db.session.remove()
            db.engine.dispose()
    print(f"Accept-Encoding: {options.encoding}; demo data; a first visit (empty cache); bodies only\n")
    print(table(weights))
    if options.detail:
        for weight in weights.values():
            print("\n" + weight.describe())


if __name__ == "__main__":
    main()
