"""What changed between two versions of the terms, line by line, for the history page (escaped by the template)."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date

from elearn.missions.terms import DATE_FIELDS, FIELD_LABELS

CONTEXT_LINES = 2


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "added", "removed" or "gap" (unchanged lines left out)
    text: str


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    lines: list[Line]  # empty for dates: old and new are shown whole

    @property
    def is_date(self) -> bool:
        return self.name in DATE_FIELDS


def text_lines(before: str, after: str) -> list[Line]:
    """The changed lines with a little context; long unchanged stretches become one gap."""
    old, new = before.splitlines(), after.splitlines()
    lines: list[Line] = []
    for index, group in enumerate(difflib.SequenceMatcher(None, old, new, autojunk=False)
                                  .get_grouped_opcodes(CONTEXT_LINES)):
        if index or (group and (group[0][1] > 0 or group[0][3] > 0)):
            lines.append(Line("gap", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [Line("same", text) for text in old[i1:i2]]
                continue
            lines += [Line("removed", text) for text in old[i1:i2]]
            lines += [Line("added", text) for text in new[j1:j2]]
    return lines


def changes(before: dict | None, after: dict, names: list[str]) -> list[FieldChange]:
    """`before` is the previous version's snapshot (None for the first version)."""
    before = before or {}
    found = []
    for name in names:
        old, new = before.get(name, "") or "", after.get(name, "") or ""
        if name in DATE_FIELDS:
            old, new, lines = _day(old), _day(new), []
        else:
            lines = text_lines(old, new)
        found.append(FieldChange(name, str(FIELD_LABELS.get(name, name)), old, new, lines))
    return found


def _day(value: str) -> str:
    return format_date(date.fromisoformat(value)) if value else ""
