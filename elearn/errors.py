"""The base of the errors services raise for a person to read."""
from __future__ import annotations


class UserError(Exception):
    """A change a service refuses; the message is for the user, `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
