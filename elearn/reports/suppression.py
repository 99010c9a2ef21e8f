"""Small-cell suppression: rows of too few people are hidden, with one more when a lone one could be worked out."""
from __future__ import annotations

from elearn.reports.figures import Row

HIDDEN = "*"


def suppress(rows: list[Row], minimum: int) -> list[Row]:
    """Hide rows of fewer than `minimum` people, and one more if a lone hidden row could be worked out.

    A single hidden row could be recovered by subtracting the others from a
    total shown elsewhere, so a second row is hidden with it: the smallest
    other row with people in it, else an empty one.
    """
    for row in rows:
        if 0 < len(row.figures.people) < minimum:
            row.hidden = "small"
    hidden = [row for row in rows if row.hidden]
    if len(hidden) == 1:
        others = [row for row in rows if not row.hidden]
        candidates = sorted((row for row in others if row.figures.people), key=lambda r: len(r.figures.people)) \
            or others
        if candidates:
            candidates[0].hidden = "secondary"
    return rows
