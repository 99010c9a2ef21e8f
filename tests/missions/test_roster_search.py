"""Roster search: each filter, combined filters, the rank, availability ranges, and a fixed number of queries."""
from __future__ import annotations

from datetime import date

import pytest

from elearn.access import Role
from elearn.extensions import db
from elearn.missions.models import LanguageLevel
from elearn.missions.roster_search import SearchFilters, search
from tests import factories
from tests.helpers import count_queries
from tests.missions.roster_helpers import assisting_parliament, expert, past_mission, topics

TODAY = date(2029, 12, 1)


def names(filters: SearchFilters, **kwargs) -> list[str]:
    return [r.person.full_name for r in search(filters, today=TODAY, **kwargs).items]


@pytest.fixture
def roster_world(app):
    known = topics()
    paris, rome = assisting_parliament(), assisting_parliament(country_code="IT")
    e = {
        "budget_fr": expert(paris, "Alice Budget", topics_=[known["budget"]], keywords="public finance",
                            languages=[("fr", LanguageLevel.NATIVE)],
                            periods=[(date(2030, 1, 1), date(2030, 1, 31))]),
        "budget_en": expert(rome, "Bruno Budget", topics_=[known["budget"], known["oversight"]],
                            languages=[("en", LanguageLevel.WORKING), ("fr", LanguageLevel.BASIC)],
                            periods=[(date(2030, 1, 10), date(2030, 1, 12))], summary="Audit office veteran"),
        "library": expert(paris, "Chloé Library", topics_=[known["library"]],
                          languages=[("en", LanguageLevel.FLUENT)], periods=[(date(2030, 6, 1), date(2030, 6, 30))]),
        "retired": expert(paris, "Dora Withdrawn", topics_=[known["budget"]], active=False),
    }
    # Receiving, not giving: never listed even with a profile left from before.
    return known, paris, rome, e


def test_no_filter_lists_active_profiles_of_assisting_parliaments(roster_world):
    _known, _paris, _rome, e = roster_world
    assert sorted(names(SearchFilters())) == ["Alice Budget", "Bruno Budget", "Chloé Library"]
    e["library"].person.parliament.gives_assistance = False
    db.session.commit()
    assert "Chloé Library" not in names(SearchFilters())


def test_topics_filter_and_rank_by_number_of_matches(roster_world):
    known, *_ = roster_world
    assert names(SearchFilters(topic_ids=(known["budget"].id,))) == ["Alice Budget", "Bruno Budget"]
    both = (known["budget"].id, known["oversight"].id)
    assert names(SearchFilters(topic_ids=both)) == ["Bruno Budget", "Alice Budget"]
    assert names(SearchFilters(topic_ids=(known["protocol"].id,))) == []


def test_language_filter_with_minimum_level_and_rank_by_level(roster_world):
    assert names(SearchFilters(language="fr")) == ["Alice Budget", "Bruno Budget"]
    assert names(SearchFilters(language="fr", min_level=LanguageLevel.WORKING)) == ["Alice Budget"]
    assert names(SearchFilters(language="en")) == ["Chloé Library", "Bruno Budget"]
    assert names(SearchFilters(language="ar")) == []


@pytest.mark.parametrize("first, last, expected", [
    (date(2030, 1, 10), date(2030, 1, 12), ["Alice Budget", "Bruno Budget"]),  # both cover: by name
    (date(2030, 1, 5), date(2030, 1, 20), ["Alice Budget", "Bruno Budget"]),  # Alice covers, Bruno overlaps
    (date(2030, 1, 31), date(2030, 2, 5), ["Alice Budget"]),  # overlaps Alice's last day only
    (date(2030, 2, 1), date(2030, 5, 31), []),  # nobody
    (date(2030, 6, 30), None, ["Chloé Library"]),  # one day: the last of a period
])
def test_availability_range_overlaps_and_whole_cover_ranks_first(roster_world, first, last, expected):
    assert names(SearchFilters(available_from=first, available_to=last)) == expected


def test_whole_cover_outranks_partial(roster_world):
    page = search(SearchFilters(available_from=date(2030, 1, 5), available_to=date(2030, 1, 20)), today=TODAY)
    alice, bruno = page.items
    assert alice.covers_range and not bruno.covers_range and alice.score > bruno.score


def test_parliament_filter(roster_world):
    _known, paris, rome, _e = roster_world
    assert names(SearchFilters(parliament_id=rome.id)) == ["Bruno Budget"]
    assert sorted(names(SearchFilters(parliament_id=paris.id))) == ["Alice Budget", "Chloé Library"]


@pytest.mark.parametrize("text, expected", [
    ("FINANCE", ["Alice Budget"]),  # keyword
    ("audit office", ["Bruno Budget"]),  # summary, every word
    ("chloé", ["Chloé Library"]),  # name
    ("100%", []), ("_", []),  # wildcards are taken literally
])
def test_free_text_over_keywords_summary_and_name(roster_world, text, expected):
    assert names(SearchFilters(text=text)) == expected


def test_combined_filters(roster_world):
    known, _paris, rome, _e = roster_world
    filters = SearchFilters(topic_ids=(known["budget"].id,), language="fr", available_from=date(2030, 1, 11),
                            available_to=date(2030, 1, 11), parliament_id=rome.id, text="audit")
    assert names(filters) == ["Bruno Budget"]
    assert names(SearchFilters(topic_ids=(known["library"].id,), language="fr")) == []


def test_past_missions_on_the_topic_or_in_the_country_rank_higher(roster_world):
    known, _paris, _rome, e = roster_world
    gambia = factories.make_parliament(country_code="GM")
    past_mission(e["budget_fr"].person, topic=known["library"])  # another topic: no help
    past_mission(e["library"].person, topic=known["budget"], days_ago=90)
    assert names(SearchFilters(topic_ids=(known["budget"].id,))) == ["Alice Budget", "Bruno Budget"]
    past_mission(e["budget_en"].person, topic=known["budget"])
    assert names(SearchFilters(topic_ids=(known["budget"].id,))) == ["Bruno Budget", "Alice Budget"]
    past_mission(e["library"].person, host=gambia, days_ago=200)
    assert names(SearchFilters(language="en", country="GM")) == ["Chloé Library", "Bruno Budget"]
    result = search(SearchFilters(country="GM"), today=TODAY).items[0]
    assert result.person.full_name == "Chloé Library" and len(result.missions) == 2


def test_pages(roster_world):
    first = search(SearchFilters(), page=1, per_page=2, today=TODAY)
    second = search(SearchFilters(), page=2, per_page=2, today=TODAY)
    assert first.total == 3 and len(first.items) == 2 and len(second.items) == 1
    assert {r.person.full_name for r in first.items + second.items} == {"Alice Budget", "Bruno Budget",
                                                                         "Chloé Library"}
    assert search(SearchFilters(), page=99, per_page=2, today=TODAY).items == []


def _roster_of(size: int, known) -> None:
    parliament = assisting_parliament()
    slugs = list(known)
    for n in range(size):
        profile = expert(parliament, f"Expert {n:03d}", topics_=[known[slugs[n % len(slugs)]]],
                         languages=[("fr", LanguageLevel.FLUENT), ("en", LanguageLevel.WORKING)],
                         periods=[(date(2030, 1, 1), date(2030, 1, 31)), (date(2030, 3, 1), date(2030, 3, 10))],
                         keywords="budget, audit")
        if n % 3 == 0:
            past_mission(profile.person, topic=known[slugs[0]])


def _statements(filters, per_page) -> int:
    db.session.expire_all()
    with count_queries() as counter:
        page = search(filters, page=1, per_page=per_page, today=TODAY)
        for result in page.items:  # what the results table reads
            _ = (result.person.full_name, result.parliament.name_en, [t.slug for t in result.topics],
                 [row.level for row in result.languages], [a.starts_on for a in result.availability],
                 len(result.missions), len(result.trained), result.profile.keywords)
    return counter.count


@pytest.mark.parametrize("filters", [
    SearchFilters(),
    SearchFilters(topic_ids=(1, 2), language="fr", min_level=LanguageLevel.WORKING, available_from=date(2030, 1, 2),
                  available_to=date(2030, 1, 9), country="GM", text="budget"),
], ids=["no filter", "every filter"])
def test_a_page_costs_the_same_number_of_queries_whatever_its_size_or_the_rosters(app, filters):
    known = topics()
    counts = {}
    _roster_of(20, known)
    counts[(20, 10)], counts[(20, 50)] = _statements(filters, 10), _statements(filters, 50)
    _roster_of(180, known)
    counts[(200, 10)], counts[(200, 50)] = _statements(filters, 10), _statements(filters, 50)
    assert len(set(counts.values())) == 1, counts
    assert counts[(200, 50)] <= 8


def test_a_learner_with_a_profile_is_found_like_anyone(app):
    parliament = assisting_parliament()
    expert(parliament, "Learner Expert", role=Role.LEARNER)
    assert names(SearchFilters(text="learner")) == ["Learner Expert"]


def test_accented_and_arabic_keywords_are_found(app):
    parliament = assisting_parliament()
    expert(parliament, "Zoé", keywords="Sécurité, الميزانية")
    assert names(SearchFilters(text="sécurité")) == ["Zoé"]
    assert names(SearchFilters(text="الميزانية")) == ["Zoé"]
    assert names(SearchFilters(text="zoé")) == ["Zoé"]
