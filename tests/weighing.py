"""What a page weighs over the wire: its HTML and every stylesheet, script, icon and image it loads, compressed
as a browser would receive them (tests/test_page_weight.py keeps each page within a budget; bench/page_weight.py
prints the figures).

Read with the Flask test client, as a first visit with an empty cache: the HTML, then each same-site address
in `<link rel=stylesheet|icon|preload|modulepreload|manifest href>`, `<script src>`, `<img src>` (and srcset),
then each stylesheet's `url(...)` and `@import`, recursively; each once. Bodies only: the headers add about
half a kilobyte a response.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import brotli

ACCEPT = {"Accept-Encoding": "br, gzip"}
LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}
CSS_REFERENCE = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
KINDS = ("html", "css", "js", "image", "font", "other")


def kind_of(content_type: str) -> str:
    mimetype = content_type.split(";")[0].strip()
    if mimetype == "text/html":
        return "html"
    if mimetype == "text/css":
        return "css"
    if mimetype in ("text/javascript", "application/javascript"):
        return "js"
    if mimetype.startswith("image/"):
        return "image"
    if mimetype.startswith("font/") or mimetype in ("application/font-woff", "application/vnd.ms-fontobject"):
        return "font"
    return "other"


@dataclass(frozen=True)
class Resource:
    url: str
    kind: str
    wire: int  # bytes of the body as sent (compressed if it was)
    raw: int  # bytes once decoded
    encoding: str  # br, gzip or "" (sent as it is)


@dataclass
class Weight:
    page: str
    resources: list[Resource] = field(default_factory=list)

    @property
    def wire(self) -> int:
        return sum(resource.wire for resource in self.resources)

    @property
    def raw(self) -> int:
        return sum(resource.raw for resource in self.resources)

    def by_kind(self, kind: str) -> tuple[int, int]:
        chosen = [resource for resource in self.resources if resource.kind == kind]
        return sum(r.raw for r in chosen), sum(r.wire for r in chosen)

    def describe(self) -> str:
        lines = [f"{self.page}: {self.wire / 1024:.1f} KB over the wire ({self.raw / 1024:.1f} KB decoded)"]
        for resource in sorted(self.resources, key=lambda r: -r.wire):
            lines.append(f"  {resource.wire:>8,} B  {resource.encoding or 'plain':5}  {resource.kind:5}  {resource.url}")
        return "\n".join(lines)


class _References(HTMLParser):
    """The addresses a browser fetches for a page's rendering."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "link" and LINK_RELS & set((values.get("rel") or "").lower().split()) and values.get("href"):
            self.addresses.append(values["href"])
        elif tag == "script" and values.get("src"):
            self.addresses.append(values["src"])
        elif tag in ("img", "source", "input") and (values.get("src") or values.get("srcset")):
            if values.get("src"):
                self.addresses.append(values["src"])
            for candidate in (values.get("srcset") or "").split(","):
                if candidate.strip():
                    self.addresses.append(candidate.split()[0])


def decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert not encoding, f"unexpected Content-Encoding {encoding}"
    return body


def _same_site(address: str, base: str) -> str | None:
    if address.startswith(("data:", "#", "about:", "blob:")):
        return None
    absolute = urljoin(base, address)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc != "localhost":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _fetch(client, path: str) -> tuple[Resource, bytes]:
    response = client.get(path, headers=ACCEPT)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    encoding = response.headers.get("Content-Encoding", "")
    body = response.get_data()
    plain = decoded(body, encoding)
    return Resource(path, kind_of(response.headers.get("Content-Type", "")), len(body), len(plain), encoding), plain


def weigh(client, path: str) -> Weight:
    """The page at `path` and what it loads, fetched by `client` (signed in or not) as a first visit would."""
    weight = Weight(path)
    page, html = _fetch(client, path)
    weight.resources.append(page)
    base = f"http://localhost{path}"
    parser = _References()
    parser.feed(html.decode("utf-8"))
    queue = [(address, base) for address in parser.addresses]
    seen = {path}
    while queue:
        address, against = queue.pop(0)
        target = _same_site(address, against)
        if target is None or target in seen:
            continue
        seen.add(target)
        resource, body = _fetch(client, target)
        weight.resources.append(resource)
        if resource.kind == "css":
            text = body.decode("utf-8")
            queue += [(match.group(2) or match.group(4), f"http://localhost{target}")
                      for match in CSS_REFERENCE.finditer(text)]
    return weight


LEARNER = ("mp@example.org", "demo-learner-2026")  # the demo's member of parliament (elearn/demo DEMO_ACCOUNTS)


def main_pages() -> list[tuple[str, bool, str]]:
    """(name, signed in as the demo learner?, path) of the main learner pages, over the demo data (`demo seed`).

    The lesson is one with an image in a course the learner follows; the registration page is the
    learner's confirmed place at the next activity, whose page shows their ticket (sent uncompressed, see
    `uncompressed_by_design`); "activity" is the next one where they hold no seat.
    """
    from sqlalchemy import select

    from elearn.database import utcnow
    from elearn.extensions import db
    from elearn.learning.models import Course, Enrolment, Lesson
    from elearn.people.models import Person
    from elearn.scheduling.models import Activity, ActivityStatus, Registration, RegistrationState

    learner = db.session.scalar(select(Person).where(Person.email == LEARNER[0]))
    followed = (select(Course.slug, Lesson.slug, Lesson.body_html).join(Lesson.course).join(Enrolment)
                .where(Enrolment.person_id == learner.id).order_by(Course.slug, Lesson.position))
    course, lesson = next((course, lesson) for course, lesson, html in db.session.execute(followed)
                          if "<img" in str(html))
    registration = db.session.scalar(
        select(Registration).join(Activity)
        .where(Registration.person_id == learner.id, Registration.state == RegistrationState.CONFIRMED,
               Activity.starts_at > utcnow())
        .order_by(Activity.starts_at, Registration.id).limit(1))
    elsewhere = db.session.scalar(
        select(Activity.id).where(Activity.status == ActivityStatus.PUBLISHED, Activity.starts_at > utcnow(),
                                  ~Activity.id.in_(select(Registration.activity_id)
                                                   .where(Registration.person_id == learner.id)))
        .order_by(Activity.starts_at, Activity.id).limit(1))
    return [
        ("home", False, "/"),
        ("sign-in", False, "/account/login"),
        ("course list", True, "/courses"),
        ("course", True, f"/courses/{course}"),
        ("lesson with an image", True, f"/courses/{course}/lessons/{lesson}"),
        ("my learning", True, "/my-learning"),
        ("activities", True, "/activities"),
        ("activity", True, f"/activities/{elsewhere}"),
        ("activity with my ticket", True, f"/activities/{registration.activity_id}"),
        ("my schedule", True, "/my/schedule"),
        ("registration", True, f"/registrations/{registration.id}/withdraw"),
    ]
