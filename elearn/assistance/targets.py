"""The target response time of each urgency, in working days (Monday to Friday), and the due time it gives.

The targets are read from the ASSISTANCE_TARGET_DAYS setting (a mapping of urgency value to days) when it is
set, else DEFAULT_TARGET_DAYS; a question keeps the due time computed when it was asked.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from elearn.assistance.models import Urgency

DEFAULT_TARGET_DAYS = {Urgency.LOW.value: 10, Urgency.NORMAL.value: 5, Urgency.URGENT.value: 2}


def target_days(urgency: Urgency) -> int:
    configured = current_app.config.get("ASSISTANCE_TARGET_DAYS") or {}
    days = configured.get(urgency.value, DEFAULT_TARGET_DAYS[urgency.value])
    return max(0, int(days))


def add_working_days(start: datetime, days: int) -> datetime:
    """`start` plus `days` weekdays at the same time of day (UTC): a Friday's question due in 2 is due Tuesday."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def due_time(asked_at: datetime, urgency: Urgency) -> datetime:
    return add_working_days(asked_at, target_days(urgency))
