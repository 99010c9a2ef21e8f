"""What the learning services refuse, with messages for the user."""
from __future__ import annotations


class LearningError(Exception):
    """A request that cannot be carried out; the message is for the user."""


class TamperedSubmission(Exception):
    """A quiz submission no honest form could have produced (the view answers 400)."""


class IncompleteSubmission(LearningError):
    def __init__(self, message: str, missing: list[int]):
        super().__init__(message)
        self.missing = missing


class UnknownAddresses(LearningError):
    """Some addresses match no active account (the message names them)."""


class AttemptRefused(LearningError):
    """No attempt left, or the wait after the last attempt is not over (the message says until when)."""
