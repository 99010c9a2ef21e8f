"""The base of the errors services raise for a person to read."""
from __future__ import annotations


class UserError(Exception):
    """A change a service refuses; the message is for the user, `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


ERROR_RESPONDERS = "hemicycle_error_responders"


def add_error_responder(app, respond) -> None:
    """Hook for a feature whose addresses answer errors in their own format (the JSON API's problem
    documents): `respond(error, code)` returns a response for the current request, or None to leave it
    to the site's error page (elearn.main.errors)."""
    app.extensions.setdefault(ERROR_RESPONDERS, []).append(respond)
