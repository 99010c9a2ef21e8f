"""The period's response-rate table comes a page of activities at a time; the files carry every row."""
from __future__ import annotations

import csv
import io

from elearn.evaluation import results_views
from tests.evaluation import results_factories as rf
from tests.helpers import text
from tests.scheduling.factories import make_activity, make_programme


def test_rate_table_is_paginated_keeping_filters_and_files_keep_every_row(login_as, monkeypatch):
    monkeypatch.setattr(results_views, "RATES_PER_PAGE", 2)
    programme = make_programme()
    questionnaire = rf.make_questionnaire()
    for number in range(5):
        rf.attach(make_activity(title=f"Rated activity {number}", programme=programme), questionnaire)
    client = login_as("trainer")
    base = f"/evaluation/results?programme_id={programme.id}"
    first = text(client.get(base))
    shown = [n for n in range(5) if f"Rated activity {n}" in first]
    assert len(shown) == 2 and "All activities" in first
    assert "rates_page=2" in first and f"programme_id={programme.id}" in first[first.index("rates_page=2") - 200:]
    last = text(client.get(base + "&rates_page=3"))
    assert sum(f"Rated activity {n}" in last for n in range(5)) == 1 and "All activities" in last
    assert text(client.get(base + "&rates_page=99")).count("Rated activity") == 1  # clamped to the last page
    rows = list(csv.reader(io.StringIO(client.get(f"/evaluation/results/results.csv?programme_id={programme.id}")
                                       .get_data(as_text=True))))
    assert sum(1 for row in rows if row and row[0].startswith("Rated activity")) == 5
