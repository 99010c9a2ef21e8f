"""Each programme's opposition target against the share the published side blocks show, and nothing else.

The share is worked out from the figures protection.py publishes for the programme's blocks (its
calendar quarters of enough members, long enough ago, inside the report's dates): the same noisy,
rounded counts the side table adds up, so the row tells nothing those blocks do not already tell.
A report cut by parliament, modality or topic, a programme with no published block, or a share
whose opposition figure is hidden in every block shows no row. The blocks are the programme's, so
an activity's own target (which overrides the programme's for nominations and selections) is not
reported here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from elearn.people.models import PoliticalSide
from elearn.reports.facts import ReportFilters
from elearn.reports.figures import Row, Tally
from elearn.reports.protection import HIDDEN, SEPARATOR, SideRules, covered, cuts_blocks, protect_rows
from elearn.scheduling.models import Programme

SIDES = [side.value for side in PoliticalSide]


@dataclass
class OppositionRow:
    label: str
    opposition: int  # published (noisy, rounded) people, summed over the programme's blocks
    members: int  # the same, over every side
    target: int

    @property
    def share(self) -> float:
        return round(100 * self.opposition / self.members, 1)

    @property
    def met(self) -> bool:
        return self.share >= self.target


def _published_sums(blocks: dict[str, dict[str, Tally]], names: list[str], rules: SideRules) -> dict[str, list]:
    """Each side's published count, summed over `names` as the side table sums them (HIDDEN: hidden in all)."""
    sums: dict[str, list] = {side: [HIDDEN] for side in SIDES}
    for block in names:
        rows = [Row(side, side, blocks[block].get(side, Tally())) for side in SIDES]
        for side, shown in zip(SIDES, protect_rows(rows, ("people",), rules, block), strict=True):
            if shown[0] != HIDDEN:
                sums[side] = [shown[0] if sums[side][0] == HIDDEN else sums[side][0] + shown[0]]
    return sums


def opposition_against_targets(programmes: dict[int, Programme], blocks: dict[str, dict[str, Tally]],
                               members: dict[str, int], filters: ReportFilters, today: date,
                               rules: SideRules) -> list[OppositionRow]:
    """One row per programme with an opposition target and a published share, in title order."""
    if not rules.blocks or cuts_blocks(filters):
        return []
    found = []
    for programme in sorted(programmes.values(), key=lambda p: p.title):
        if programme.opposition_target_percent is None:
            continue
        names = [block for block in sorted(blocks) if block.rsplit(SEPARATOR, 1)[1] == str(programme.id)
                 and members.get(block, 0) >= rules.min_people and covered(block, filters, today, rules)]
        if not names:
            continue
        sums = _published_sums(blocks, names, rules)
        opposition = sums[PoliticalSide.OPPOSITION.value][0]
        total = sum(value[0] for value in sums.values() if value[0] != HIDDEN)
        if opposition == HIDDEN or total <= 0:
            continue
        found.append(OppositionRow(programme.title, opposition, total, programme.opposition_target_percent))
    return found
