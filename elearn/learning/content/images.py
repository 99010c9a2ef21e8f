"""Images of a course checked before import: their size, their pixel size, and SVGs that can run nothing.

A lesson page shows these images to every learner, so an SVG is held to a strict
subset: no scripts, no foreign objects, no animation (it can rewrite a link), no
event handlers and nothing fetched from elsewhere. The pixel size read here also
gives the <img> its width and height, so the page does not jump as it loads.
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from xml.parsers import expat

MAX_IMAGE_BYTES = 200 * 1024
MAX_PNG_SIDE = 2560  # pixels: twice the widest a lesson shows, for sharp screens
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video", "canvas",
                      "animate", "animateMotion", "animateTransform", "set", "discard", "handler", "listener"}
# url(...) whose target is not a fragment of the same file (#id), and CSS imports.
EXTERNAL_CSS_RE = re.compile(r"url\(\s*(?![\"']?\s*#)|@import", re.I)
LENGTH_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")


@dataclass
class ImageCheck:
    """What checking one image found: its pixel size (if known) and its problems as (line, message)."""

    width: int | None = None
    height: int | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)


def check_image(suffix: str, data: bytes) -> ImageCheck:
    suffix = suffix.lower()
    if len(data) > MAX_IMAGE_BYTES:
        return ImageCheck(problems=[(1, f"the image is {_kilobytes(len(data))} KB; the limit is "
                                        f"{MAX_IMAGE_BYTES // 1024} KB (optimise it, or make it smaller)")])
    if suffix == ".png":
        return _check_png(data)
    if suffix == ".gif":
        return _check_gif(data)
    if suffix == ".svg":
        return _check_svg(data)
    return ImageCheck()  # jpg, webp: the byte limit is enough


def _kilobytes(size: int) -> int:
    return -(-size // 1024)


def _check_png(data: bytes) -> ImageCheck:
    # The signature, then the IHDR chunk: length, type, width and height as big-endian integers.
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return ImageCheck(problems=[(1, "not a PNG image (the file does not start with a PNG header)")])
    width, height = struct.unpack(">II", data[16:24])
    return _within_limits(width, height, "PNG")


def _check_gif(data: bytes) -> ImageCheck:
    if len(data) < 10 or data[:6] not in (b"GIF87a", b"GIF89a"):
        return ImageCheck(problems=[(1, "not a GIF image (the file does not start with a GIF header)")])
    width, height = struct.unpack("<HH", data[6:10])
    return _within_limits(width, height, "GIF")


def _within_limits(width: int, height: int, kind: str) -> ImageCheck:
    if not width or not height:
        return ImageCheck(problems=[(1, f"the {kind} image has no pixels ({width}×{height})")])
    if width > MAX_PNG_SIDE or height > MAX_PNG_SIDE:
        return ImageCheck(problems=[(1, f"the {kind} image is {width}×{height} pixels; "
                                        f"at most {MAX_PNG_SIDE}×{MAX_PNG_SIDE} (scale it down)")])
    return ImageCheck(width, height)


class _SvgReader:
    """Walks an SVG with expat, which gives each problem its line; DOCTYPEs and entities are refused outright."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.result = ImageCheck()
        self.depth = 0
        self.style: list[str] | None = None  # the text of the <style> being read (expat may hand it in pieces)
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.doctype
        self.parser.ProcessingInstructionHandler = self.instruction

    def problem(self, message: str) -> None:
        self.result.problems.append((self.parser.CurrentLineNumber, message))

    def doctype(self, *_args) -> None:
        self.problem("an SVG may not declare a DOCTYPE or entities")
        raise _Stop

    def instruction(self, target: str, _data: str) -> None:
        self.problem(f"an SVG may not hold a processing instruction (<?{target} ...?>): it can load a style sheet")

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if self.depth == 0:
            if (namespace, local) != (SVG_NS, "svg"):
                self.problem(f'not an SVG: the first element must be <svg xmlns="{SVG_NS}">')
                raise _Stop
            self.read_size(attributes)
        self.depth += 1
        if local in FORBIDDEN_ELEMENTS:
            self.problem(f"an SVG may not contain <{local}>: course images must not run or load anything")
        if namespace == "http://www.w3.org/1999/xhtml":
            self.problem(f"an SVG may not contain HTML (<{local}>)")
        if local == "style":
            self.style = []
        for attribute, value in attributes.items():
            self.check_attribute(local, attribute.rpartition(" ")[2], value)

    def check_attribute(self, element: str, attribute: str, value: str) -> None:
        if attribute.lower().startswith("on"):
            self.problem(f"an SVG may not have event handlers ({attribute} on <{element}>)")
        elif attribute == "href" and not value.strip().startswith("#"):
            self.problem(f"an SVG may not refer to another file or site (href={value[:80]!r} on <{element}>); "
                         "only links inside the file (#id) are allowed")
        elif EXTERNAL_CSS_RE.search(value):
            self.problem(f"an SVG may not load anything from elsewhere ({attribute} on <{element}>)")

    def end(self, name: str) -> None:
        self.depth -= 1
        if name.rpartition(" ")[2] == "style" and self.style is not None:
            if EXTERNAL_CSS_RE.search("".join(self.style)):
                self.problem("an SVG's <style> may not load anything from elsewhere (url(...) or @import)")
            self.style = None

    def text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)

    def read_size(self, attributes: dict[str, str]) -> None:
        width, height = (LENGTH_RE.match(attributes.get(key, "")) for key in ("width", "height"))
        if width and height:
            self.result.width, self.result.height = round(float(width[1])), round(float(height[1]))
            return
        box = attributes.get("viewBox", "").replace(",", " ").split()
        try:
            self.result.width, self.result.height = round(float(box[2])), round(float(box[3]))
        except (IndexError, ValueError):
            self.problem("the SVG needs a viewBox (or a width and height in pixels) so the page can keep its place")

    def read(self, data: bytes) -> ImageCheck:
        try:
            self.parser.Parse(data, True)
        except _Stop:
            pass
        except expat.ExpatError as error:
            self.result.problems.append((error.lineno or 1, f"not a valid SVG: {expat.ErrorString(error.code)}"))
        return self.result


class _Stop(Exception):
    """Reading stops at the first problem that makes the rest meaningless (not an SVG, a DOCTYPE)."""


def _check_svg(data: bytes) -> ImageCheck:
    return _SvgReader().read(data)
