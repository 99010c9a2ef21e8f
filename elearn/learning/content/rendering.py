"""Lessons rendered from Markdown to safe HTML, their links to other lessons and to assets checked."""
from __future__ import annotations

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

from elearn.learning.content.sources import CourseSource, LessonText, Problem

# A link from one lesson to another: 02-the-plenary-sitting.md, optionally .fr.md and #anchor.
LESSON_LINK_RE = re.compile(r"^(?:\./)?\d{2,3}-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.[a-z]{2})?\.md(?P<fragment>#[\w-]*)?$")
EXTERNAL_RE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/|#)")
# Ids the page layout uses: a heading anchor must not take them.
RESERVED_IDS = {"main", "content", "language-select", "error-summary-title", "lesson-title", "quiz"}

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


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "section"


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
        if token.type == "heading_open":
            inline = tokens[index + 1]
            base = slugify(inline.content)
            anchor, n = base, 1
            while anchor in used_ids:
                n += 1
                anchor = f"{base}-{n}"
            used_ids.add(anchor)
            token.attrSet("id", anchor)
        if token.type != "inline" or not token.children:
            continue
        line = text.body_line + (token.map[0] if token.map else 0)
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                child.attrSet("href", _resolve(child.attrGet("href") or "", text, course, lesson_slugs, line, problems))
            elif child.type == "image":
                child.attrSet("src", _resolve(child.attrGet("src") or "", text, course, lesson_slugs, line, problems))
    html = md.renderer.render(tokens, md.options, {})
    return sanitise(html)


def _resolve(url: str, text: LessonText, course: CourseSource, lesson_slugs: set[str], line: int,
             problems: list[Problem]) -> str:
    lesson_link = LESSON_LINK_RE.match(url)
    if lesson_link:
        if lesson_link["slug"] not in lesson_slugs:
            problems.append(Problem(text.path, line, f"broken link to {url}: this course has no lesson {lesson_link['slug']!r}"))
        return lesson_link["slug"] + (lesson_link["fragment"] or "")
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


def sanitise(html: str) -> str:
    """Keep the formatting, drop scripts, event handlers, styles and unsafe URL schemes."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def word_count(markdown: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", markdown))
