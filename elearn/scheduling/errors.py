"""The error every scheduling rule raises; its message is for the user."""


class SchedulingError(Exception):
    """A scheduling request that breaks a rule; the message is for the user."""
