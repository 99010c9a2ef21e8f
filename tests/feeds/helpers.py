"""Reading feeds back: unfolded lines, icalendar, vobject and Mozilla's ical.js (through Node)."""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from icalendar import Calendar

ROOT = Path(__file__).resolve().parents[2]
ICALJS_SCRIPT = Path(__file__).with_name("icaljs_check.js")


def lines(body: bytes) -> list[str]:
    """Content lines, unfolded (RFC 5545 3.1) and decoded."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    return text[:-2].replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def values(body: bytes, name: str) -> list[str]:
    """Raw values of every property called `name` (parameters dropped)."""
    found = []
    for line in lines(body):
        head, _, value = line.partition(":")
        if head.split(";")[0].upper() == name.upper():
            found.append(value)
    return found


def vevents(body: bytes) -> list:
    return Calendar.from_ical(body).walk("VEVENT")


def by_uid(body: bytes) -> dict:
    return {str(event["UID"]): event for event in vevents(body)}


def icaljs(*bodies: bytes) -> list[dict]:
    """Each feed as ical.js reads it: name, VTIMEZONEs and events with UTC start and end."""
    node = shutil.which("node")
    module = ROOT / "node_modules" / "ical.js"
    if node is None or not module.exists():
        pytest.fail("ical.js is not installed: run `make install-test` (npm ci)")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, body in enumerate(bodies):
            path = Path(folder) / f"feed-{number}.ics"
            path.write_bytes(body)
            paths.append(str(path))
        done = subprocess.run([node, str(ICALJS_SCRIPT), *paths], capture_output=True, text=True, cwd=ROOT,
                              timeout=60, env={"PATH": "/usr/bin:/bin", "TZ": "Pacific/Auckland"})
    assert done.returncode == 0, f"ical.js refused a feed:\n{done.stderr}"
    parsed = json.loads(done.stdout)
    return [parsed[path] for path in paths]


def vobject_validate(body: bytes):
    """Parse with vobject and run its validation (it raises on a broken calendar)."""
    import vobject

    # vobject keeps the first VTIMEZONE it reads for a TZID for the rest of the
    # process: forget them, so that each feed is read with its own VTIMEZONEs.
    registry = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [tzid for tzid in registry if tzid != "UTC"]:
        del registry[tzid]
    calendar = vobject.readOne(body.decode("utf-8"), validate=True)
    assert calendar.name == "VCALENDAR"
    return calendar
