"""Field conventions every resource shares: ids as integers, times as ISO 8601 with their offset."""
from __future__ import annotations

from marshmallow import Schema, fields


class Names(Schema):
    en = fields.String(required=True)
    fr = fields.String(allow_none=True)
    es = fields.String(allow_none=True)
    pt = fields.String(allow_none=True)
    ar = fields.String(allow_none=True)


def names_of(row) -> dict:
    """A localised row's names (parliaments, topics): every language, the caller picks."""
    return {language: getattr(row, f"name_{language}") for language in ("en", "fr", "es", "pt", "ar")}


def aware(value):
    """UTC datetimes out as 2026-12-06T14:00:00+00:00 (the database may hand SQLite's back naive)."""
    from datetime import timezone

    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


class Instant(fields.DateTime):
    """An instant, always written with its offset."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(aware(value), attr, obj, **kwargs)
