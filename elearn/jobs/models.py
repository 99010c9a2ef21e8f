"""A job: one piece of deferred work (e.g. mail everyone registered at an activity), with its progress."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.extensions import db


class JobState(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    __tablename__ = "job"
    __table_args__ = (Index("ix_job_due", "state", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    # What to do and how far it got: the handler's own keys (e.g. a cursor), saved after every batch.
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[JobState] = mapped_column(string_enum(JobState, "job_state"), default=JobState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    # Batches committed so far: a worker saves a batch only if this is still the number it read,
    # so a worker that lost its claim (taken over as stale) cannot commit a batch twice.
    steps: Mapped[int] = mapped_column(default=0)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_by: Mapped[Optional[str]] = mapped_column(String(100))
    locked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
