"""Joins on-site work to the app: the receivers of scheduling's signals (pages are added here as they come)."""
from __future__ import annotations


def install(app) -> None:
    from elearn.onsite import receivers

    receivers.connect()
