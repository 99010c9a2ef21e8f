"""Which new passwords are refused, and why (NIST SP 800-63B, 5.1.1.2: no composition rules).

A password is refused when it is shorter than PASSWORD_MIN_LENGTH, is on the list of common
passwords shipped with the project (also with digits or symbols added at either end, or with
look-alike digits: `Password2024!`, `p@ssw0rd`), has too little variety (fewer than
PASSWORD_MIN_DISTINCT different characters, one short pattern repeated, a run such as
`abcdefghij` or `9876543210`, a row of the keyboard), or contains the person's email address,
the part before the @, a word of their name or the site's name. Each refusal says which rule.
"""
from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

_LIST = Path(__file__).with_name("common_passwords.txt")
COMMON_PASSWORDS = frozenset(
    line.strip().lower() for line in _LIST.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#"))

# Look-alike characters put back to the letters they stand for (p@ssw0rd is password).
_UNLEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s",
                         "7": "t", "+": "t", "8": "b", "9": "g"})
# Keyboard rows (QWERTY, AZERTY, QWERTZ) and their digits: a password typed along one is a sequence.
_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn",
                  "qwertzuiop", "yxcvbnm")
_SITE_WORDS = ("hemicycle",)
# Words of a name or an address shorter than this are not looked for (Li, Ng, Ada would refuse too much).
_MIN_WORD = 4


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password cannot be used, in words for the person choosing it; None when it can."""
    config = current_app.config
    minimum = config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Use at least %(n)d characters.", n=minimum)
    if is_common(password):
        return _("This password is too common; choose another.")
    if _contains_context(password, email, name):
        return _("This password contains your email address, your name or the name of the site; "
                 "choose one that does not.")
    distinct = config["PASSWORD_MIN_DISTINCT"]
    if len(set(password)) < distinct:
        return _("This password has too little variety: use at least %(n)d different characters.", n=distinct)
    if is_repetition_or_sequence(password):
        return _("This password is a repeated pattern or a simple sequence (such as abcd, 4321 or a row of "
                 "the keyboard); choose one that is harder to guess.")
    return None


def is_common(password: str) -> bool:
    lowered = password.lower()
    core = lowered.strip(string.digits + string.punctuation + " ")
    candidates = {lowered, core, lowered.translate(_UNLEET), core.translate(_UNLEET),
                  lowered.translate(_UNLEET).strip(string.digits + string.punctuation + " ")}
    return any(candidate in COMMON_PASSWORDS for candidate in candidates if len(candidate) >= _MIN_WORD)


def is_repetition_or_sequence(password: str) -> bool:
    lowered = password.lower()
    length = len(lowered)
    # One short pattern repeated: abababab, abc123abc123.
    for size in range(1, length // 2 + 1):
        if length % size == 0 and lowered[:size] * (length // size) == lowered:
            return True
    # A run of characters one apart: abcdefghij, 9876543210.
    steps = {ord(b) - ord(a) for a, b in zip(lowered, lowered[1:], strict=False)}
    if steps in ({1}, {-1}):
        return True
    # Along a row of the keyboard, either way, repeating the row if it is too short.
    for row in _KEYBOARD_ROWS:
        for line in (row, row[::-1]):
            if lowered in line * (length // len(line) + 2):
                return True
    return False


def _fold(text: str) -> str:
    """Lower case without accents: Théo and theo are the same word for a guesser."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def context_words(email: str, name: str) -> set[str]:
    """What an attacker who knows the account would try: the address, its local part, words of the name."""
    email = _fold(email.strip())
    local = email.partition("@")[0]
    words = {word for word in re.split(r"[^\w]+|\d+|_", f"{local} {_fold(name)}") if len(word) >= _MIN_WORD}
    words.update(word for word in (email, local) if len(word) >= 3)
    words.update(_SITE_WORDS)
    return words


def _contains_context(password: str, email: str, name: str) -> bool:
    folded = _fold(password)
    unleeted = folded.translate(_UNLEET)
    return any(word in folded or word in unleeted for word in context_words(email, name))
