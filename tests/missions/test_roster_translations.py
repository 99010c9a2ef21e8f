"""Every message of the roster (code and templates) is translated, with every plural form, in all four catalogs."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from elearn.audit.models import AuditAction

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "elearn/missions").glob("roster*.py")), *sorted((ROOT / "templates/missions").glob("*roster*"))]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}


def roster_messages() -> set[str]:
    found = {str(AuditAction.EXPERT_PROFILE_CHANGED.label._args[0])}
    for path in SOURCES:
        method = "python" if path.suffix == ".py" else "jinja2"
        options = {"extensions": "jinja2.ext.do"} if method == "jinja2" else {}
        for _line, message, _comments, _context in extract_from_file(method, path, keywords=KEYWORDS,
                                                                     options=options):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_the_sources_are_found():
    assert len(SOURCES) >= 8 and "Find experts" in roster_messages()


@pytest.mark.parametrize("language", ["fr", "es", "pt", "ar"])
def test_every_roster_message_is_translated(language):
    with (ROOT / f"elearn/translations/{language}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    forms = catalog.num_plurals
    problems = []
    for message_id in sorted(roster_messages()):
        entry = catalog.get(message_id)
        if entry is None or entry.fuzzy:
            problems.append(f"missing: {message_id}")
        elif isinstance(entry.string, tuple):
            if len(entry.string) != forms or not all(entry.string):
                problems.append(f"plural forms: {message_id}")
        elif not entry.string:
            problems.append(f"empty: {message_id}")
    assert not problems, problems
