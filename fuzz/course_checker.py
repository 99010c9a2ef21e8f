"""Atheris target: the course checker (`flask courses check`, `make fuzz`).

The input is a course folder packed in one file: what comes before the first
`=== name` line is course.toml, then each `=== name` line starts a file (names
such as 01-intro.en.md, quiz.fr.toml, assets/map.png; a/b makes folders).
load_courses answers with a list of problems; any exception is a finding.

    .venv/bin/python -m fuzz.course_checker fuzz/corpus/course_checker -max_total_time=60
"""
from __future__ import annotations

import re
import shutil

import atheris

from fuzz.common import run, scratch_folder

with atheris.instrument_imports(include=["elearn.learning", "elearn.validation"]):
    from elearn.learning.content.loading import load_courses

ROOT = scratch_folder("hemicycle-fuzz-course-")
MARKER = re.compile(rb"^=== ?(.*)$", re.MULTILINE)
SAFE_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,60}$")


def unpack(data: bytes):
    folder = ROOT / "course"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    pieces = MARKER.split(data)
    files = [("course.toml", pieces[0])] + list(zip(pieces[1::2], pieces[2::2], strict=True))
    for name, content in files[:40]:
        name = name.decode("latin-1") if isinstance(name, bytes) else name
        parts = name.strip().split("/")
        if len(parts) > 3 or not all(SAFE_PART.match(part) for part in parts):
            continue
        path = folder.joinpath(*parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.removeprefix(b"\n"))
        except OSError:
            pass  # a file where a folder should be, or the other way round: keep what was written
    return folder


def test_one_input(data: bytes) -> None:
    load_courses(unpack(data))


COURSE_TOML = b'''slug = "fuzz-course"
version = 1
audience = "both"
topics = ["committee-work"]
estimated_minutes = 20
languages = ["en", "fr"]
pass_mark = 70
self_enrolment = true

[title]
en = "A course"
fr = "Un cours"

[summary]
en = "What it is about."
fr = "De quoi il parle."
'''
LESSON = '''+++
title = "{title}"
minutes = 10
+++

## A heading

Some *text* with [the next lesson](02-second.md#a-heading), [a site](https://example.org)
and ![a map](assets/map.png) and ![the stages](stages.svg).

| a | b |
|---|---|
| 1 | 2 |

<script>alert(1)</script>
'''
QUIZ = '''[[questions]]
id = "q1"
kind = "single"
prompt = "{prompt}"
explanation = "Because."
  [[questions.options]]
  id = "a"
  text = "Yes"
  correct = true
  [[questions.options]]
  id = "b"
  text = "No"
  correct = false
'''
# A 1x1 PNG and a small SVG: the checker reads the PNG header and walks the SVG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
                    "0000000c4944415478da63f8ffff3f0005fe02fe0df2c4f70000000049454e44ae426082")
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40" role="img"><title>Stages</title>'
       b'<rect class="a" x="1" y="1" width="98" height="38" style="fill:url(#g)"/><text x="5" y="25">1</text></svg>\n')


def pack(files: dict[str, str | bytes]) -> bytes:
    out = b""
    for name, content in files.items():
        content = content.encode() if isinstance(content, str) else content
        out += content if name == "course.toml" else b"=== " + name.encode() + b"\n" + content
    return out


SEEDS = {
    "course": pack({
        "course.toml": COURSE_TOML,
        "01-first.en.md": LESSON.format(title="First"), "01-first.fr.md": LESSON.format(title="Premier"),
        "02-second.en.md": LESSON.format(title="Second"), "02-second.fr.md": LESSON.format(title="Deuxième"),
        "quiz.en.toml": QUIZ.format(prompt="Is it?"), "quiz.fr.toml": QUIZ.format(prompt="Est-ce ?"),
        "stages.svg": SVG,
        "assets/map.png": PNG,  # last: a binary file does not end with the newline the next === line needs
    }),
    "unsafe-images": pack({
        "course.toml": COURSE_TOML.replace(b'["en", "fr"]', b'["en"]').replace(b'fr = "Un cours"\n', b""),
        "01-first.en.md": LESSON.format(title="First").replace("![a map]", "![]") + "\n![x](../x.svg) ![y](https://e.org/y.png)\n",
        "stages.svg": SVG.replace(b"<title>", b'<script>x</script><image href="http://e.org/i.png"/><title>'),
        "assets/map.png": PNG[:20],
    }),
    "quiz-rules": pack({
        "course.toml": COURSE_TOML + b'\n[quiz]\nreview = "right-or-wrong"\nmax_attempts = 3\nminutes_between_attempts = 60\n',
        "01-first.en.md": LESSON.format(title="First"), "01-first.fr.md": LESSON.format(title="Premier"),
        "quiz.en.toml": QUIZ.format(prompt="Is it?"), "quiz.fr.toml": QUIZ.format(prompt="Est-ce ?"),
    }),
    "one-language": pack({
        "course.toml": COURSE_TOML.replace(b'["en", "fr"]', b'["en"]').replace(b'fr = "Un cours"\n', b""),
        "01-first.en.md": LESSON.format(title="First"),
    }),
}

if __name__ == "__main__":
    run(test_one_input, SEEDS)
