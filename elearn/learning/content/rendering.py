"""Lessons rendered from Markdown to safe HTML, their links to other lessons and to assets checked."""
from __future__ import annotations

import re
import unicodedata
from html import escape as html_escape

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from elearn.learning.content.sources import CourseSource, LessonText, Problem
from elearn.urls import checked_url

# A link from one lesson to another: 02-the-plenary-sitting.md, optionally .fr.md and #anchor.
LESSON_LINK_RE = re.compile(r"^(?:\./)?\d{2,3}-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.[a-z]{2})?\.md(?P<fragment>#[\w-]*)?$")
WEB_RE = re.compile(r"^https?:", re.I)
EXTERNAL_RE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/|#)")
# An image named for one language (diagram.fr.svg) belongs in that language's lessons.
IMAGE_LANGUAGE_RE = re.compile(r"\.(?P<lang>[a-z]{2})\.(?:svg|png|jpe?g|gif|webp)$")
RAW_IMAGE_RE = re.compile(r"<img\b", re.I)
RAW_IMAGE_MESSAGE = "write images in Markdown, ![what it shows](diagram.svg), not as HTML <img>, so that they are checked"
# Ids the page layout uses: a heading anchor must not take them.
RESERVED_IDS = {"main", "content", "language-select", "error-summary-title", "lesson-title", "quiz", "course-progress-text"}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    **{f"h{n}": {"id"} for n in range(2, 7)},
}
# The region a table scrolls in (see _wrap_tables); an author's own <div> gets none of these.
TAG_ATTRIBUTE_VALUES = {"div": {"class": {"lesson-table"}, "role": {"region"}, "tabindex": {"0"}}}
REGION_ATTRIBUTES = {"div": {"aria-labelledby", "aria-label"}}


def slugify(text: str) -> str:
    """Letters and digits of any script, lower-case, accents and Arabic vowel marks dropped: "Le rôle" is
    le-role, "دورُ النائب" is دور-النائب (an Arabic heading used to become the bare "section"). Only Latin
    letters lose their accents: the hamza of ئ is part of the letter, not an accent."""
    return re.sub(r"[\W_]+", "-", "".join(map(_bare, unicodedata.normalize("NFC", text))).lower()).strip("-") or "section"


def _bare(character: str) -> str:
    if unicodedata.combining(character):
        return ""
    base = unicodedata.normalize("NFKD", character)[0]
    return base if base.isascii() else character


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def render_lesson(text: LessonText, course: CourseSource, problems: list[Problem]) -> str:
    """Markdown to sanitised HTML; lesson and asset links are checked and made relative to the lesson page.

    A lesson page lives at /courses/<course>/lessons/<lesson>, so another lesson
    is `<slug>` and an asset is `../assets/<path>`.
    """
    md = _markdown()
    tokens = md.parse(text.markdown)
    lesson_slugs = {lesson.slug for lesson in course.lessons}
    used_ids: set[str] = set(RESERVED_IDS)
    for index, token in enumerate(tokens):
        line = text.body_line + (token.map[0] if token.map else 0)
        if token.type == "heading_open":
            token.attrSet("id", _anchor(tokens[index + 1].content, used_ids))
        elif token.type == "html_block" and RAW_IMAGE_RE.search(token.content):
            problems.append(Problem(text.path, line, RAW_IMAGE_MESSAGE))
        elif token.type == "inline" and token.children:
            _check_inline(token.children, line, text, course, lesson_slugs, problems)
    html = md.renderer.render(_wrap_tables(tokens, text.title), md.options, {})
    return sanitise(html)


def _wrap_tables(tokens: list[Token], title: str) -> list[Token]:
    """Each table in a region that scrolls sideways on a phone: focusable, so a keyboard can scroll it, and named
    by the heading above it (or by the lesson's title)."""
    wrapped: list[Token] = []
    heading_id = None
    for token in tokens:
        if token.type == "heading_open":
            heading_id = token.attrGet("id")
        if token.type == "table_open":
            label = f'aria-labelledby="{heading_id}"' if heading_id else f'aria-label="{html_escape(title)}"'
            wrapped.append(_html(f'<div class="lesson-table" role="region" tabindex="0" {label}>\n'))
        wrapped.append(token)
        if token.type == "table_close":
            wrapped.append(_html("</div>\n"))
    return wrapped


def _html(content: str) -> Token:
    token = Token("html_block", "", 0)
    token.content = content
    return token


def _anchor(heading: str, used_ids: set[str]) -> str:
    base = slugify(heading)
    anchor, n = base, 1
    while anchor in used_ids:
        n += 1
        anchor = f"{base}-{n}"
    used_ids.add(anchor)
    return anchor


def _check_inline(children, line: int, text: LessonText, course: CourseSource, lesson_slugs: set[str],
                  problems: list[Problem]) -> None:
    """Links and images of one paragraph (or heading, cell...), with the line each is on."""
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            child.attrSet("href", _resolve(child.attrGet("href") or "", text, course, lesson_slugs, line, problems))
        elif child.type == "image":
            _resolve_image(child, text, course, line, problems)
        elif child.type == "html_inline" and RAW_IMAGE_RE.search(child.content):
            problems.append(Problem(text.path, line, RAW_IMAGE_MESSAGE))


def _resolve(url: str, text: LessonText, course: CourseSource, lesson_slugs: set[str], line: int,
             problems: list[Problem]) -> str:
    lesson_link = LESSON_LINK_RE.match(url)
    if lesson_link:
        if lesson_link["slug"] not in lesson_slugs:
            problems.append(Problem(text.path, line, f"broken link to {url}: this course has no lesson {lesson_link['slug']!r}"))
        return lesson_link["slug"] + (lesson_link["fragment"] or "")
    if WEB_RE.match(url):
        try:
            checked_url(url)  # the one rule for web addresses (elearn/urls.py)
        except ValueError as error:
            problems.append(Problem(text.path, line, f"broken link to {url}: {error}"))
        return url
    if EXTERNAL_RE.match(url):
        return url  # absolute, anchors and other schemes: the sanitiser drops unsafe ones
    path, _, fragment = url.partition("#")
    path = path.removeprefix("./")
    if path.startswith("assets/"):
        asset = course.assets.get(path.removeprefix("assets/"))
        if asset is None:
            problems.append(Problem(text.path, line, f"missing asset {path}"))
            return url
        return f"../{path}?v={asset.sha256[:12]}" + (f"#{fragment}" if fragment else "")
    problems.append(Problem(text.path, line, f"broken link to {url}: link to a lesson (NN-slug.md), an asset (assets/...) or a full URL"))
    return url


def _resolve_image(image, text: LessonText, course: CourseSource, line: int, problems: list[Problem]) -> None:
    """An image must be a checked file of the course, described by its alt text; it gets its width and height."""
    src = image.attrGet("src") or ""
    before = len(problems)
    if not image.content.strip():
        problems.append(Problem(text.path, line, f"the image {src} has no alt text: write what it shows between the "
                                                 f"brackets, ![what it shows]({src})"))
    path = src.partition("#")[0].partition("?")[0].removeprefix("./")
    if EXTERNAL_RE.match(src):
        problems.append(Problem(text.path, line, f"the image {src} is not a file of the course: put the file next to "
                                                 "the lesson (an SVG or PNG) and write its name"))
        return
    if ".." in path.split("/"):
        problems.append(Problem(text.path, line, f"the image {src} is outside the course folder: copy it in"))
        return
    asset = course.assets.get(_asset_key(course, path))
    if asset is None:
        if course.folder / path in {problem.path for problem in problems}:
            return  # the file is there, and its own problems are already reported
        problems.append(Problem(text.path, line, f"missing asset {path}" if path.startswith("assets/")
                                else f"missing image {path}: put it next to the lesson (an SVG or PNG)"))
        return
    if not asset.content_type.startswith("image/"):
        problems.append(Problem(text.path, line, f"{path} is not an image: link to it, [its title]({path})"))
        return
    translated = IMAGE_LANGUAGE_RE.search(path)
    if translated and translated["lang"] != text.language and translated["lang"] in course.languages:
        problems.append(Problem(text.path, line, f"the image {path} is the {translated['lang']!r} version, "
                                                 f"and this lesson is in {text.language!r}"))
    if len(problems) > before:
        return
    image.attrSet("src", f"../assets/{asset.path}?v={asset.sha256[:12]}")
    if asset.width and asset.height:
        image.attrSet("width", str(asset.width))
        image.attrSet("height", str(asset.height))


def _asset_key(course: CourseSource, path: str) -> str:
    """assets/<path> is a file of assets/; a bare name is an image next to the lessons (never one of assets/)."""
    if path.startswith("assets/"):
        return path.removeprefix("assets/")
    return path if "/" not in path and (course.folder / path).is_file() else ""


def _only_course_images(tag: str, attribute: str, value: str) -> str | None:
    # Defence in depth: the checker already refuses any other image, and this keeps remote ones from ever showing.
    if tag == "img" and attribute == "src" and not value.startswith("../assets/"):
        return None
    return value


def sanitise(html: str) -> str:
    """Keep the formatting, drop scripts, event handlers, styles, unsafe URL schemes and images from elsewhere."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={**ALLOWED_ATTRIBUTES, **REGION_ATTRIBUTES},
                     tag_attribute_values=TAG_ATTRIBUTE_VALUES, attribute_filter=_only_course_images,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def word_count(markdown: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", markdown))
