"""URLs that leave the site (mail, feeds) and checks on URLs that come in."""
from __future__ import annotations

import logging
import unicodedata
from urllib.parse import urlsplit

import rfc3986
from flask import current_app, request
from rfc3986 import exceptions as rfc3986_errors
from rfc3986 import validators

logger = logging.getLogger(__name__)

# Links people are sent to (an activity's online meeting): web addresses only.
LINK_SCHEMES = ("https", "http")
LINK_MAX_LENGTH = 500


def _has_control_or_space(text: str) -> bool:
    """A control character (line break, tab, NUL...), a line or paragraph separator, or any space."""
    return any(unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp", "Zs") for character in text)


def checked_url(text: str) -> str:
    """The link as it is stored (trimmed); ValueError (its reason in English, for logs and the course checker)
    if it is not a web address.

    One rule (RFC 3986, read by rfc3986) for every way a link comes in: http or https, a host, no space or
    control character (a line break would end a calendar line or a mail header early). Hosts may be
    internationalised (checked in their IDNA form).
    """
    link = (text or "").strip()
    if _has_control_or_space(link):
        raise ValueError("a web address has no space, line break or other control character")
    if len(link) > LINK_MAX_LENGTH:
        raise ValueError(f"a web address is at most {LINK_MAX_LENGTH} characters")
    try:
        reference = rfc3986.iri_reference(link).encode()
        (validators.Validator()
         .allow_schemes(*LINK_SCHEMES)
         .require_presence_of("scheme", "host")
         .check_validity_of("scheme", "userinfo", "host", "port", "path", "query", "fragment")
         .validate(reference))
    except (rfc3986_errors.RFC3986Exception, ValueError, UnicodeError) as error:
        raise ValueError("not an http or https address with a host") from error
    if not reference.host:
        raise ValueError("not an http or https address with a host")
    return link


def safe_link(text: str | None, *, what: str = "online link") -> str:
    """`text` if it is a good web address, else "" (logged): for builders of feeds, mail and pages.

    A link that got into the database before it was checked (or by hand) must not break a
    registration, a feed or a mail: it is left out, and the log says which (not what it held).
    """
    if not text:
        return ""
    try:
        return checked_url(text)
    except ValueError:
        logger.warning("Left out the invalid %s (%d characters): fix it where it is edited", what, len(text))
        return ""


def absolute_url(endpoint: str, **values) -> str:
    """Build an absolute URL from SITE_URL, with or without a request under way."""
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(
        site.netloc, script_name=site.path or "/", url_scheme=site.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def is_safe_next(target: str | None) -> bool:
    """Accept only a path on this site: no scheme, no host, no protocol-relative URL."""
    # A line break would end the Location header (a 500, or a header of the attacker's in older servers).
    if not target or any(unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp") for character in target):
        return False
    if target.startswith(("//", "\\")) or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/")


def return_path() -> str:
    """Where the language menu brings the visitor back to: this page, when it can be opened again.

    A page that answers a POST (a form shown again with its errors) has an address that answers only POST:
    going back there after changing the language would end on "not allowed". The page the form was sent
    from is taken instead, if it is on this site; else none, and the menu goes to the home page.
    """
    if request.method == "GET":
        return request.full_path if request.query_string else request.path
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return ""
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")
