"""Helpers for strong sign-in tests: enrol through the real pages, and read codes as an app would."""
from __future__ import annotations

import re
from datetime import datetime

import pyotp

from elearn.database import utcnow
from tests.helpers import post_form, text

SECRET_RE = re.compile(r'id="secret-key">([A-Z2-7 ]+)</code>')
RECOVERY_RE = re.compile(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>")


def code_at(secret: str, when: datetime | None = None) -> str:
    """The code an authenticator app shows at `when` (default: the app's idea of now)."""
    return pyotp.TOTP(secret).at(when or utcnow())


def enrol(client, when: datetime | None = None) -> tuple[str, list[str]]:
    """Set up two-step sign-in as the person would: read the key off the page, type the app's code."""
    page = text(client.get("/account/two-factor"))
    secret = SECRET_RE.search(page).group(1).replace(" ", "")
    response = post_form(client, "/account/two-factor", {"code": code_at(secret, when)},
                         token_from="/account/two-factor")
    codes = RECOVERY_RE.findall(text(response))
    assert response.status_code == 200 and len(codes) == 10, text(response)[:2000]
    return secret, codes


def give_code(client, code: str, trust: bool = False):
    return post_form(client, "/account/sign-in/code", {"code": code, "trust": "y" if trust else ""},
                     token_from="/account/sign-in/code")
