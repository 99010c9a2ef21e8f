"""URLs that leave the site (mail, feeds) and checks on URLs that come in."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request


def absolute_url(endpoint: str, **values) -> str:
    """Build an absolute URL from SITE_URL, with or without a request under way."""
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(
        site.netloc, script_name=site.path or "/", url_scheme=site.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def is_safe_next(target: str | None) -> bool:
    """Accept only a path on this site: no scheme, no host, no protocol-relative URL."""
    if not target:
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
