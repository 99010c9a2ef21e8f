"""The email policy of every message Hemicycle sends: the standard one, with a Subject that survives folding.

Python's folder (3.11 to 3.13 at least, CPython gh-144156) loses words' spaces in
unstructured headers: when the space between two encoded words falls where it
folds the line, it leaves the space outside them, where RFC 2047 says a reader
ignores it ("— 🏛️ Séance" arrives as "—🏛️Séance"); and an ASCII subject that
fits on a line of its own is moved whole to the line after "Subject:", which a
reader takes as a leading space. So the Subject is folded here: an ASCII one
at its spaces, any other as encoded words that carry their own spaces. Every
other header, and the bodies, are the standard library's, unchanged.
"""
from __future__ import annotations

import string
from email.policy import EmailPolicy

# RFC 2047 section 2: an encoded word is at most 75 characters long.
ENCODED_WORD_MAX = 75
_PREFIX, _SUFFIX = "=?utf-8?q?", "?="
# Characters a "Q" encoded word may carry as they are (section 5, the strictest rule); a space is "_".
_LITERAL = frozenset(string.ascii_letters + string.digits + "!*+-/")


def _q_encode(char: str) -> str:
    if char == " ":
        return "_"
    if char in _LITERAL:
        return char
    return "".join(f"={byte:02X}" for byte in char.encode("utf-8"))


def _fold_ascii(start: str, text: str, maxlen: int) -> list[str]:
    """Lines of `start` + `text`, broken before a space (unfolding gives the text back exactly)."""
    lines, line = [], start
    first, *rest = text.split(" ")
    line += first
    for word in rest:
        # An empty word is a second space in a row: breaking there would leave a line of blanks.
        if word and len(line) + 1 + len(word) > maxlen and line.strip():
            lines.append(line)
            line = ""
        line += " " + word
    return [*lines, line]


def _fold_encoded(start: str, text: str, maxlen: int) -> list[str]:
    """Lines of `start` followed by encoded words; a reader joins adjacent words and ignores the breaks between."""
    lines, line, word = [], start, ""
    for char in text:
        piece = _q_encode(char)
        room = min(ENCODED_WORD_MAX, maxlen - len(line)) - len(_PREFIX) - len(_SUFFIX)
        if word and len(word) + len(piece) > room:
            lines.append(line + _PREFIX + word + _SUFFIX)
            line, word = " ", ""
        word += piece
    return [*lines, line + _PREFIX + word + _SUFFIX]


def fold_subject(name: str, value: str, maxlen: int) -> list[str]:
    start = f"{name}: "
    if value.isascii():
        return _fold_ascii(start, value, maxlen)
    return _fold_encoded(start, value, maxlen)


class MailPolicy(EmailPolicy):
    """`email.policy.default` (lines of 78, CRLF on the wire), whose Subject keeps every space."""

    def _folds_here(self, name: str) -> bool:
        # With utf8 (SMTPUTF8) nothing is encoded, so the standard folder is right.
        return name.lower() == "subject" and not self.utf8

    def fold(self, name, value):
        if not self._folds_here(name):
            return super().fold(name, value)
        return self.linesep.join(fold_subject(name, str(value), self.max_line_length or 78)) + self.linesep

    def fold_binary(self, name, value):
        if not self._folds_here(name):
            return super().fold_binary(name, value)
        return self.fold(name, value).encode("ascii")


MAIL_POLICY = MailPolicy()
