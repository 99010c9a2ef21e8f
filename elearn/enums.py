"""Enums whose members carry their own translatable label, so a new value is one line."""
from __future__ import annotations

import enum


class LabelledEnum(enum.StrEnum):
    """A string enum declared as `PEER_REVIEW = "peer_review", _l("Peer review")`.

    The value is what the database stores; the label (lazy, so it reads in the
    locale of whoever renders it) is what every page, form and mail shows.
    """

    label: str

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label if label is not None else value
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        return {member: member.label for member in cls}

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]
