"""The reference data every site needs before its first form: topics and parliaments (`flask setup`)."""
from __future__ import annotations

from dataclasses import dataclass

from elearn.people.parliaments import seed_parliaments
from elearn.topics import seed_topics


@dataclass(frozen=True)
class ReferenceDataAdded:
    topics: int
    parliaments: int


def seed_reference_data() -> ReferenceDataAdded:
    """Add the reference topics and parliaments that are missing; running it again adds nothing."""
    return ReferenceDataAdded(topics=seed_topics(), parliaments=seed_parliaments())
