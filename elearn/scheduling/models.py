"""Programmes, activities of every modality, their sessions, registrations and attendance."""
from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.learning.models import Course
from elearn.people.models import Parliament, Person
from elearn.references import name_references
from elearn.topics import Topic
from elearn.urls import safe_link


class Modality(LabelledEnum):
    TRAINING_WORKSHOP = "training_workshop", _l("Training workshop")
    SEMINAR = "seminar", _l("Seminar")
    REGIONAL_SEMINAR = "regional_seminar", _l("Regional seminar")
    EXCHANGE_VISIT = "exchange_visit", _l("Exchange or working visit")
    TRAINING_PERIOD = "training_period", _l("Training period")
    SHADOWING = "shadowing", _l("Shadowing")
    INTERNATIONAL_MENTORING = "international_mentoring", _l("International mentoring")
    REMOTE_ASSISTANCE = "remote_assistance", _l("Remote assistance")
    INDUCTION_PROGRAMME = "induction_programme", _l("Induction or orientation programme")
    DIALOGUE_FACILITATION = "dialogue_facilitation", _l("Dialogue facilitation")
    BRIEFING = "briefing", _l("Briefing")
    LIVE_ELEARNING = "live_elearning", _l("Live e-learning session")
    NEEDS_ASSESSMENT_MISSION = "needs_assessment_mission", _l("Needs-assessment mission")
    TECHNICAL_ASSISTANCE_MISSION = "technical_assistance_mission", _l("Technical-assistance mission")
    INFORMATION_MISSION = "information_mission", _l("Information or training mission")
    CONFERENCE = "inter_parliamentary_conference", _l("Inter-parliamentary conference")


# The modalities whose activity sends the assisting parliament's own people abroad: they get a team, terms of
# reference and a mission report (elearn/missions).
MISSION_MODALITIES = frozenset({Modality.NEEDS_ASSESSMENT_MISSION, Modality.TECHNICAL_ASSISTANCE_MISSION,
                                Modality.INFORMATION_MISSION})


class Audience(LabelledEnum):
    MPS = "mps", _l("Members of parliament")
    STAFF = "staff", _l("Parliamentary staff")
    BOTH = "both", _l("Members and staff")


class ProgrammeKind(LabelledEnum):
    BILATERAL = "bilateral", _l("Bilateral")
    MULTILATERAL = "multilateral", _l("Multilateral")


class ProgrammeStatus(LabelledEnum):
    PLANNED = "planned", _l("Planned")
    ACTIVE = "active", _l("Active")
    CLOSED = "closed", _l("Closed")


class ActivityStatus(LabelledEnum):
    DRAFT = "draft", _l("draft")
    PUBLISHED = "published", _l("published")
    CANCELLED = "cancelled", _l("cancelled")
    COMPLETED = "completed", _l("completed")


class RegistrationState(LabelledEnum):
    REQUESTED = "requested", _l("awaiting approval")
    CONFIRMED = "confirmed", _l("confirmed")
    WAITLISTED = "waitlisted", _l("on the waiting list")
    DECLINED = "declined", _l("declined")
    WITHDRAWN = "withdrawn", _l("withdrawn")
    # A trainer took a confirmed or waitlisted person off the activity: not a refused request.
    REMOVED = "removed", _l("removed by a trainer")


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


programme_partner = Table(
    "programme_partner", db.metadata,
    Column("programme_id", ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True),
    Column("parliament_id", ForeignKey("parliament.id"), primary_key=True),
)
programme_consortium = Table(
    "programme_consortium", db.metadata,
    Column("programme_id", ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True),
    Column("parliament_id", ForeignKey("parliament.id"), primary_key=True),
)
activity_topic = Table(
    "activity_topic", db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id"), primary_key=True, index=True),
)
activity_invited_parliament = Table(
    "activity_invited_parliament", db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("parliament_id", ForeignKey("parliament.id"), primary_key=True, index=True),
)
activity_trainer = Table(
    "activity_trainer", db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id"), primary_key=True, index=True),
)


class Programme(db.Model):
    __tablename__ = "programme"
    __table_args__ = (CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
                                      name="dates_in_order"),
                      CheckConstraint("women_target_percent IS NULL OR "
                                      "(women_target_percent >= 0 AND women_target_percent <= 100)",
                                      name="women_target_in_range"),
                      CheckConstraint("opposition_target_percent IS NULL OR "
                                      "(opposition_target_percent >= 0 AND opposition_target_percent <= 100)",
                                      name="opposition_target_in_range"))

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ProgrammeKind] = mapped_column(string_enum(ProgrammeKind, "programme_kind"))
    funders: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_on: Mapped[Optional[date]]
    ends_on: Mapped[Optional[date]]
    status: Mapped[ProgrammeStatus] = mapped_column(
        string_enum(ProgrammeStatus, "programme_status"), default=ProgrammeStatus.ACTIVE)
    # The share of women among participations the programme aims at; None: no target set.
    women_target_percent: Mapped[Optional[int]]
    # The least share of opposition among the members of parliament of each activity (scheduling.balance).
    opposition_target_percent: Mapped[Optional[int]]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    partners: Mapped[list[Parliament]] = relationship(secondary=programme_partner, order_by=Parliament.name_en)
    consortium: Mapped[list[Parliament]] = relationship(secondary=programme_consortium, order_by=Parliament.name_en)
    activities: Mapped[list["Activity"]] = relationship(back_populates="programme")


class Activity(db.Model):
    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("quota_per_parliament IS NULL OR quota_per_parliament >= 1", name="quota_positive"),
        CheckConstraint("opposition_target_percent IS NULL OR "
                        "(opposition_target_percent >= 0 AND opposition_target_percent <= 100)",
                        name="opposition_target_in_range"),
        CheckConstraint("registration_closes_at IS NULL OR registration_opens_at IS NULL "
                        "OR registration_closes_at > registration_opens_at", name="window_in_order"),
        Index("ix_activity_status_start", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    programme_id: Mapped[Optional[int]] = mapped_column(ForeignKey("programme.id"), index=True)
    modality: Mapped[Modality] = mapped_column(string_enum(Modality, "modality"))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    audience: Mapped[Audience] = mapped_column(string_enum(Audience, "audience"), default=Audience.BOTH)
    host_parliament_id: Mapped[Optional[int]] = mapped_column(ForeignKey("parliament.id"))
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    venue_city: Mapped[str] = mapped_column(String(120), default="")
    venue_country: Mapped[str] = mapped_column(String(2), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int] = mapped_column(default=20)
    quota_per_parliament: Mapped[Optional[int]]
    # Overrides the programme's opposition target when set (scheduling.balance.opposition_target).
    opposition_target_percent: Mapped[Optional[int]]
    registration_opens_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    approval_required: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ActivityStatus] = mapped_column(
        string_enum(ActivityStatus, "activity_status"), default=ActivityStatus.DRAFT)
    # Span of all sessions, kept by the services for listing and feed queries.
    starts_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Indexed: the listings keep the activities not yet over (ends_at >= now).
    ends_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    # When it was first published (the weekly digest lists the newly published).
    published_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Bumped as the first statement of every seat-changing transaction: a write
    # that serialises registrations for this activity on SQLite and PostgreSQL.
    seat_lock: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Indexed: the feeds read the newest change with one index step per request.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    # The e-learning course this activity belongs to (its live sessions), and the
    # course a participant must have completed before registering.
    course_id: Mapped[Optional[int]] = mapped_column(ForeignKey("course.id"), index=True)
    prerequisite_course_id: Mapped[Optional[int]] = mapped_column(ForeignKey("course.id"))

    programme: Mapped[Optional[Programme]] = relationship(back_populates="activities")
    host_parliament: Mapped[Optional[Parliament]] = relationship(foreign_keys=[host_parliament_id])
    course: Mapped[Optional[Course]] = relationship(foreign_keys=[course_id])
    prerequisite_course: Mapped[Optional[Course]] = relationship(foreign_keys=[prerequisite_course_id])
    topics: Mapped[list[Topic]] = relationship(secondary=activity_topic, order_by=Topic.slug)
    invited_parliaments: Mapped[list[Parliament]] = relationship(
        secondary=activity_invited_parliament, order_by=Parliament.name_en)
    trainers: Mapped[list[Person]] = relationship(secondary=activity_trainer, order_by=Person.full_name)
    sessions: Mapped[list["ActivitySession"]] = relationship(
        back_populates="activity", order_by="ActivitySession.starts_at", cascade="all, delete-orphan")
    registrations: Mapped[list["Registration"]] = relationship(back_populates="activity")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def join_url(self) -> str:
        """The online link for pages, feeds and mail: "" (and a warning logged) if the stored one is not valid."""
        return safe_link(self.online_url, what=f"online link of activity {self.id}")

    @property
    def has_venue(self) -> bool:
        return bool(self.venue_name or self.venue_city)

    @property
    def is_over(self) -> bool:
        """Its last session has ended (or a trainer marked it completed)."""
        return self.status == ActivityStatus.COMPLETED or bool(self.ends_at and self.ends_at <= utcnow())


class ActivitySession(db.Model):
    """One dated slot of an activity: a VEVENT in the feeds."""

    __tablename__ = "activity_session"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),
                      Index("ix_activity_session_span", "starts_at", "ends_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    # UTC instants; an all-day session runs from local midnight of its first day
    # to local midnight after its last day, in the activity's timezone.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    all_day: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(200), default="")
    # Calendar clients take a changed event only if SEQUENCE grows.
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    activity: Mapped[Activity] = relationship(back_populates="sessions")

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.activity.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.activity.zone)

    @property
    def hours(self) -> float:
        return session_hours(self.starts_at, self.ends_at, self.all_day, self.activity.zone)


def session_days(starts_at: datetime, ends_at: datetime, all_day: bool, zone: ZoneInfo) -> list[date]:
    """The local days a session covers: each day of an all-day span, else the day it starts."""
    first = starts_at.astimezone(zone).date()
    if not all_day:
        return [first]
    last = ends_at.astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days)]


def session_hours(starts_at: datetime, ends_at: datetime, all_day: bool, zone: ZoneInfo) -> float:
    if all_day:
        return 7.0 * len(session_days(starts_at, ends_at, True, zone))  # a training day counts as seven hours
    return round((ends_at - starts_at).total_seconds() / 3600, 2)


class Registration(db.Model):
    __tablename__ = "registration"
    __table_args__ = (
        UniqueConstraint("activity_id", "person_id", name="uq_registration_once"),
        UniqueConstraint("activity_id", "waitlist_position", name="uq_registration_waitlist_position"),
        CheckConstraint("(state = 'waitlisted') = (waitlist_position IS NOT NULL)", name="position_iff_waitlisted"),
        Index("ix_registration_activity_state", "activity_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    state: Mapped[RegistrationState] = mapped_column(string_enum(RegistrationState, "registration_state"))
    waitlist_position: Mapped[Optional[int]]
    nominated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    trainer_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="registrations")
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    nominated_by: Mapped[Optional[Person]] = relationship(foreign_keys=[nominated_by_id])
    attendance: Mapped[list["Attendance"]] = relationship(back_populates="registration", cascade="all, delete-orphan")


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("registration_id", "session_id", name="uq_attendance_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("activity_session.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(string_enum(AttendanceStatus, "attendance_status"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="attendance")
    session: Mapped[ActivitySession] = relationship()


# How the rows here read when they keep a parliament from being deleted.
name_references("programme_partner", "parliament_id", lambda n: ngettext(
    "%(num)d programme (as partner)", "%(num)d programmes (as partner)", n))
name_references("programme_consortium", "parliament_id", lambda n: ngettext(
    "%(num)d programme (in its consortium)", "%(num)d programmes (in their consortium)", n))
name_references("activity", "host_parliament_id", lambda n: ngettext(
    "%(num)d activity (as host)", "%(num)d activities (as host)", n))
name_references("activity_invited_parliament", "parliament_id", lambda n: ngettext(
    "%(num)d activity (as invited parliament)", "%(num)d activities (as invited parliament)", n))
