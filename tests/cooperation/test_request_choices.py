"""The request page offers a short choice of activities to link, whatever the number of activities (issue 24)."""
from __future__ import annotations

import re

import pytest

from elearn.cooperation import queries, services
from elearn.cooperation.models import RequestStatus
from tests.cooperation.factories import make_request
from tests.helpers import count_queries, text
from tests.people import submit
from tests.scheduling.factories import make_activity, one_session


@pytest.fixture
def trainer(login_as):
    return login_as("trainer")


@pytest.fixture
def short_choice(monkeypatch):
    monkeypatch.setattr(queries, "CANDIDATES_PER_GROUP", 3)


def offered(page: str) -> list[str]:
    return re.findall(r"<option[^>]*>([^<(]*) \(", page)


def assessed_request(people):
    needs_request = make_request(people["focal_point"])
    services.change_status(needs_request, RequestStatus.UNDER_ASSESSMENT, actor=people["trainer"])
    return needs_request


def test_the_choice_holds_the_parliaments_activities_and_the_next_ones_not_every_activity(people, trainer,
                                                                                         short_choice):
    needs_request = assessed_request(people)
    own = make_activity(title="Seminar hosted there", sessions=one_session(days_ahead=-400),
                        host_parliament_id=needs_request.parliament_id)
    make_activity(title="Old regional seminar", sessions=one_session(days_ahead=-300))
    for n in range(5):
        make_activity(title=f"Upcoming {n}", sessions=one_session(days_ahead=10 + n))
    page = text(trainer.get(f"/cooperation/requests/{needs_request.id}"))
    titles = set(offered(page))
    assert own.title in titles
    assert {"Upcoming 0", "Upcoming 1", "Upcoming 2"} <= titles
    assert "Upcoming 4" not in titles and "Old regional seminar" not in titles
    assert 'name="activity_q"' in page  # a search (plain GET form) reaches the others

    found = text(trainer.get(f"/cooperation/requests/{needs_request.id}?activity_q=regional"))
    assert "Old regional seminar" in offered(found)


def test_an_activity_found_by_the_search_can_be_linked(people, trainer, short_choice):
    needs_request = assessed_request(people)
    for n in range(4):
        make_activity(title=f"Upcoming {n}", sessions=one_session(days_ahead=10 + n))
    old = make_activity(title="Old regional seminar", sessions=one_session(days_ahead=-300))
    submit(trainer, f"/cooperation/requests/{needs_request.id}?activity_q=regional",
           {"links-activity_ids": [str(old.id)]}, action=f"/manage/cooperation/requests/{needs_request.id}/links")
    assert [a.title for a in needs_request.activities] == ["Old regional seminar"]
    # Once linked, it stays offered (selected) without a search.
    page = text(trainer.get(f"/cooperation/requests/{needs_request.id}"))
    assert re.search(r"<option[^>]*selected[^>]*>Old regional seminar", page)


def test_the_request_page_runs_as_many_statements_with_many_activities(people, trainer, short_choice):
    needs_request = assessed_request(people)
    make_activity(title="First", sessions=one_session(days_ahead=5))
    path = f"/cooperation/requests/{needs_request.id}?activity_q=seminar"
    trainer.get(path)
    with count_queries() as few:
        small = trainer.get(path)
    for n in range(8):
        make_activity(title=f"Seminar {n}", sessions=one_session(days_ahead=10 + n),
                      host_parliament_id=needs_request.parliament_id)
    with count_queries() as many:
        large = trainer.get(path)
    assert small.status_code == large.status_code == 200
    assert len(set(offered(text(large)))) <= 3 * 3  # three groups of at most 3, both forms offer the same
    assert many.count == few.count, many.statements
