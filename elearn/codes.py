"""Verification codes printed on documents (certificates, invitation letters) and checked on a public page.

Twelve random characters in three groups, e.g. K7QF-2MZX-9TRA: 60 random bits, and no 0/O or 1/I to misread.
"""
from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 12
GROUP = 4


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i:i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise_code(typed: str) -> str:
    """The code as printed from what someone typed: any case, dashes or spaces or none."""
    compact = "".join(character for character in typed.upper() if character.isalnum())
    if len(compact) != LENGTH:
        return compact
    return "-".join(compact[i:i + GROUP] for i in range(0, LENGTH, GROUP))
