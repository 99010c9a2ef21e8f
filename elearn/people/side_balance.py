"""When a count of members by political side may be shown to someone who knows who the members are.

A focal point knows their delegation, and a trainer knows the candidates they select: for
them, side counts are shown only when at least two sides are present and each side present
counts at least `minimum` members (REPORT_MIN_CELL). Otherwise a lone or small group would
tell someone's side, so no side is shown at all. Pure: counts in, a yes or no out.
"""
from __future__ import annotations

from collections.abc import Iterable


def sides_may_be_shown(counts: Iterable[int], minimum: int) -> bool:
    """Whether the side counts (one per side, zeros allowed) can be shown without telling anyone's side."""
    present = [count for count in counts if count > 0]
    return len(present) >= 2 and all(count >= minimum for count in present)
