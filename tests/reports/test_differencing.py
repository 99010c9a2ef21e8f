"""A trainer's differencing attack on political sides: many filter combinations, reports subtracted pairwise,
and an exhaustive search for the sides consistent with everything shown. It must recover no one.

The attacker knows what a trainer knows: who attended which activity, each activity's day, programme,
modality and topics, each person's parliament, and the published rules (protection.py). They do not
know anyone's side. Members S2 (alone at one activity) and N7 with S1 (together at another) are cells
of 1 and 2; South has two members, so "one parliament" narrows to them too.

The same attack against each report protected on its own (rules.blocks off: minimum cell, one mark,
complementary hiding, but exact figures and any filter) recovers sides, all correctly: it is a real attack.
"""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from elearn.reports.facts import ReportFilters
from elearn.reports.figures import Breakdown, Row, Tally
from elearn.reports.protection import SideRules, protect, rounded
from elearn.reports.report import build_report
from elearn.reports.slices import ATTENDANCE_MEASURES
from tests.reports.side_world import (
    ACTIVITIES,
    FUNDERS,
    NOW,
    OPPOSITION,
    RULING,
    SEMINAR,
    SIDE_KEYS,
    SIDES,
    VISIT,
    World,
)


def quarters() -> list[tuple[date, date]]:
    return [(date(year, month, 1), date(year + (month + 2) // 12, (month + 2) % 12 + 1, 1) - timedelta(days=1))
            for year in (2025, 2026) for month in (1, 4, 7, 10)]


def combinations(world: World) -> list[ReportFilters]:
    """Every period worth trying (each day, each day and the next, from and until each day, years, quarters,
    halves) with every programme and a funder; each day and year with every parliament, modality and topic."""
    days = sorted({activity[0] for activity in ACTIVITIES})
    years = [(date(year, 1, 1), date(year, 12, 31)) for year in (2025, 2026)]
    periods = [(None, None)] + [(d, d) for d in days] + [(d, d + timedelta(days=1)) for d in days]
    periods += [(d, None) for d in days] + [(None, d) for d in days] + years + quarters()
    periods += [(date(year, 1, 1), date(year, 6, 30)) for year in (2025, 2026)]
    scopes = [{}] + [{"programme_id": pid} for pid in world.programmes.values()] + [{"funder": FUNDERS["alpha"]}]
    narrowing = [{"parliament_id": pid} for pid in world.parliaments.values()]
    narrowing += [{"modality": modality} for modality in (SEMINAR, VISIT)]
    narrowing += [{"topic_id": tid} for tid in world.topics.values()]
    result = [ReportFilters(date_from=start, date_to=end, **scope) for start, end in periods for scope in scopes]
    result += [ReportFilters(date_from=start, date_to=end, **extra)
               for start, end in [(None, None)] + [(d, d) for d in days] + years for extra in narrowing]
    return result


def participations(world: World, filters: ReportFilters) -> list[tuple[str, int, date, str | None]]:
    """What the attacker computes from rosters: (member, activity index, day, programme) under `filters`."""
    found = []
    for index, (day, programme, modality, topic, present) in enumerate(ACTIVITIES):
        pid = world.programmes.get(programme)
        if ((filters.date_from and day < filters.date_from) or (filters.date_to and day > filters.date_to)
                or (filters.programme_id and pid != filters.programme_id)
                or (filters.funder and FUNDERS.get(programme) != filters.funder)
                or (filters.modality and modality != filters.modality)
                or (filters.topic_id and world.topics[topic] != filters.topic_id)):
            continue
        for name in present:
            if not filters.parliament_id or world.parliaments[world.parliament_of[name]] == filters.parliament_id:
                found.append((name, index, day, None if pid is None else str(pid)))
    return found


def predicted(filters: ReportFilters, parts, sides: dict[str, str], rules: SideRules):
    """The side table the published rules give for these participations if the sides were `sides`."""
    blocks: dict[str, dict[str, list]] = {} if rules.blocks else {"all": {}}
    for name, index, day, programme in parts:
        block = f"{day.year}/{(day.month - 1) // 3 + 1}/{programme or ''}" if rules.blocks else "all"
        blocks.setdefault(block, {}).setdefault(sides[name], []).append((name, index))
    tallies = {block: {side: Tally(participations=len(items), people=len({n for n, _i in items}),
                                   activities=len({i for _n, i in items}), days=len(items), hours=3.0 * len(items))
                       for side, items in by_side.items()} for block, by_side in blocks.items()}
    members = {block: len({n for items in by_side.values() for n, _i in items}) for block, by_side in blocks.items()}
    breakdown = protect(Breakdown("side", "", "", "", ATTENDANCE_MEASURES, [Row(k, k, Tally()) for k in SIDE_KEYS]),
                        filters, tallies, members, NOW.date(), rules)
    return None if breakdown.withheld else tuple(tuple(row.shown) for row in breakdown.rows)


def observe(world: World, rules: SideRules, *, model: bool):
    """Ask for every combination; keep each side table shown, with the participations it covers.

    With `model`, the attacker's copy of the rules must give exactly what the site showed (no noise)."""
    observations, seen, withheld = [], set(), []
    for filters in combinations(world):
        side = build_report(filters, now=NOW, rules=rules).breakdown("side")
        shown = None if side.withheld else tuple(tuple(row.shown) for row in side.rows)
        parts = participations(world, filters)
        if model:
            assert predicted(filters, parts, SIDES, rules) == shown, filters
        key = (shown, frozenset(parts), filters.date_from, filters.date_to)
        if shown is None:
            withheld.append(filters)
        elif key not in seen:
            seen.add(key)
            observations.append((filters, parts, shown))
    return observations, withheld


def subtract_pairwise(observations) -> dict[str, str]:
    """Two reports whose participations differ by one member's: the side row that grew is their side.

    The first column is compared: participations (grew by the member's), or people (grew by one)."""
    found = {}
    for (_f1, parts1, shown1), (_f2, parts2, shown2) in itertools.permutations(observations, 2):
        extra = set(parts2) - set(parts1)
        names = {name for name, *_rest in extra}
        if not set(parts1) <= set(parts2) or len(names) != 1:
            continue
        (name,) = names
        growth = {1, len(extra)}  # one more person, or their participations
        rows = list(zip(SIDE_KEYS, shown1, shown2, strict=True))
        grew = [key for key, row1, row2 in rows if "*" not in (row1[0], row2[0]) and row2[0] - row1[0] in growth]
        same = [key for key, row1, row2 in rows if row1[0] == row2[0]]
        if len(grew) == 1 and len(same) == len(SIDE_KEYS) - 1:
            found[name] = grew[0]
    return found


def pinned(consistent, suspects) -> dict[str, str]:
    """Members whose side is the same in every assignment of sides that `consistent` accepts."""
    names = sorted(SIDES)
    assert consistent(SIDES)  # the truth explains everything shown
    result = {}
    for name in suspects:
        others = [n for n in names if n != name]
        flipped = {RULING: OPPOSITION, OPPOSITION: RULING}[SIDES[name]]
        # Nearest alternatives first (swapping with one other member keeps many totals): stops at the first.
        candidates = sorted(itertools.product((RULING, OPPOSITION), repeat=len(others)),
                            key=lambda bits: sum(b != SIDES[n] for b, n in zip(bits, others, strict=True)))
        if not any(consistent({**dict(zip(others, bits, strict=True)), name: flipped}) for bits in candidates):
            result[name] = SIDES[name]
    return result


def block_tables(observations) -> list[tuple[list, tuple]]:
    """The tables of reports that cover one programme in one quarter: a published block each, as shown."""
    return [(parts, shown) for filters, parts, shown in observations
            if (filters.date_from, filters.date_to) in quarters() and len({p[3] for p in parts}) == 1]


def test_no_filter_combination_or_difference_tells_anyones_side(world):
    rules = SideRules(secret=b"a secret the attacker does not have")  # defaults otherwise
    observations, withheld = observe(world, rules, model=False)
    assert len(combinations(world)) > 250 and len(withheld) > 150
    # No side for a day, one parliament, a modality or a topic, whatever else is chosen.
    assert not any(f.parliament_id or f.modality or f.topic_id or (f.date_from and f.date_from == f.date_to)
                   for f, _p, _s in observations)
    assert any(f == ReportFilters() for f, _p, _s in observations)  # the whole report shows sides
    assert subtract_pairwise(observations) == {}
    blocks = block_tables(observations)
    assert len(blocks) == 3  # 2025 Q2 and 2026 Q1 of Alpha, 2026 Q2 of Beta
    # The attacker assumes noise of at most 3 either way (more pruning than the truth allows).
    bound = 3

    def consistent(sides):
        for parts, shown in blocks:
            for key, row in zip(SIDE_KEYS, shown, strict=True):
                true = len({name for name, *_rest in parts if sides[name] == key})
                if row[0] == "*":
                    continue
                if not true or not any(true + n >= rules.min_cell and rounded(true + n, rules.rounding) == row[0]
                                       for n in range(-bound, bound + 1)):
                    return False
        return True

    assert pinned(consistent, sorted(SIDES)) == {}


def test_the_same_attack_recovers_sides_from_reports_protected_one_by_one(world):
    """Minimum cell of 3, one mark for zero and small, a second row hidden, and still: differences tell."""
    rules = SideRules(min_cell=3, min_people=0, rounding=1, noise=0, blocks=False)
    observations, _withheld = observe(world, rules, model=True)
    recovered = subtract_pairwise(observations)
    assert recovered and all(SIDES[name] == side for name, side in recovered.items())

    def consistent(sides):
        return all(predicted(f, parts, sides, rules) == shown for f, parts, shown in observations)

    assert pinned(consistent, ["S2", "S1"]) == {"S2": OPPOSITION, "S1": RULING}
