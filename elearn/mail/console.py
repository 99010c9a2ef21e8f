"""A message as `flask mail send` prints it when no MAIL_SERVER is set: as a person would read it.

Its MIME source (quoted-printable, base64, encoded words) is what a server
needs, not someone checking what the site sends.
"""
from __future__ import annotations

from email.message import EmailMessage


def _shown(header: str) -> bool:
    """The headers a reader cares about; the MIME ones only say how the parts are encoded."""
    return not (header.lower().startswith("content-") or header.lower() == "mime-version")


def readable(email: EmailMessage) -> str:
    """The headers decoded, the plain-text part decoded, then the attachments' names."""
    lines = [f"{name}: {value}" for name, value in email.items() if _shown(name)]
    text_part = email.get_body(preferencelist=("plain",))
    lines += ["", text_part.get_content().rstrip("\n") if text_part is not None else "(no plain-text part)"]
    attachments = [part.get_filename() or part.get_content_type() for part in email.iter_attachments()]
    if attachments:
        lines += ["", "Attachments: " + ", ".join(attachments)]
    return "\n".join(lines)
