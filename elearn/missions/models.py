"""The expert roster (profiles, languages, availability) and a mission's team."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.database import UTCDateTime, string_enum, utcnow
from elearn.enums import LabelledEnum
from elearn.extensions import db
from elearn.people.models import Person
from elearn.scheduling.models import Activity, Registration
from elearn.topics import Topic


class LanguageLevel(LabelledEnum):
    """How well an expert works in a language, from reading documents to interpreting."""
    BASIC = "basic", _l("Basic: reads documents")
    WORKING = "working", _l("Working: holds meetings")
    FLUENT = "fluent", _l("Fluent: trains and presents")
    NATIVE = "native", _l("Native or interpreting level")


LEVEL_RANK = {LanguageLevel.BASIC: 1, LanguageLevel.WORKING: 2, LanguageLevel.FLUENT: 3, LanguageLevel.NATIVE: 4}


expert_topic = Table(
    "expert_topic", db.metadata,
    Column("profile_id", ForeignKey("expert_profile.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id"), primary_key=True, index=True),
)


class ExpertProfile(db.Model):
    """A member or official of an assisting parliament whom missions can call upon."""
    __tablename__ = "expert_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")  # plain text: what they know and have done
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)  # lower-case free keywords
    willing_to_travel: Mapped[bool] = mapped_column(default=True)
    travel_note: Mapped[str] = mapped_column(String(300), default="")  # e.g. "no missions over two weeks"
    active: Mapped[bool] = mapped_column(default=True)  # false: kept, but not offered in searches
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=expert_topic, order_by=Topic.slug)
    languages: Mapped[list[ExpertLanguage]] = relationship(back_populates="profile", cascade="all, delete-orphan",
                                                          order_by="ExpertLanguage.language")
    availability: Mapped[list[ExpertAvailability]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="ExpertAvailability.starts_on")


class ExpertLanguage(db.Model):
    __tablename__ = "expert_language"
    __table_args__ = (UniqueConstraint("profile_id", "language", name="uq_expert_language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("expert_profile.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8), index=True)  # a code of elearn.languages.WORKING_LANGUAGES
    level: Mapped[LanguageLevel] = mapped_column(string_enum(LanguageLevel, "language_level"))

    profile: Mapped[ExpertProfile] = relationship(back_populates="languages")


class ExpertAvailability(db.Model):
    """A period (whole days, inclusive) in which the expert can be sent on a mission."""
    __tablename__ = "expert_availability"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ck_expert_availability_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("expert_profile.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(200), default="")

    profile: Mapped[ExpertProfile] = relationship(back_populates="availability")


class TeamRole(LabelledEnum):
    HEAD = "head", _l("Head of mission")
    EXPERT = "expert", _l("Expert")
    INTERPRETER = "interpreter", _l("Interpreter")


class MissionTeamMember(db.Model):
    """Who goes on a mission, in which role. Each member also holds a confirmed registration for the mission,
    so that the schedule, the personal feed, the clash checks and the mails treat them as for any activity."""
    __tablename__ = "mission_team_member"
    __table_args__ = (UniqueConstraint("activity_id", "person_id", name="uq_mission_team_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    registration_id: Mapped[Optional[int]] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"))
    role: Mapped[TeamRole] = mapped_column(string_enum(TeamRole, "team_role"))
    added_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    registration: Mapped[Optional[Registration]] = relationship()
    added_by: Mapped[Optional[Person]] = relationship(foreign_keys=[added_by_id])
