"""Expert profiles: who may have one, saving one whole or not at all, and the experience derived from records."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from elearn.access import Role, has_role
from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.database import utcnow
from elearn.errors import UserError
from elearn.extensions import db
from elearn.languages import WORKING_LANGUAGES
from elearn.missions.models import (
    ExpertAvailability,
    ExpertLanguage,
    ExpertProfile,
    LanguageLevel,
    MissionTeamMember,
    expert_topic,
)
from elearn.people.models import Parliament, Person
from elearn.scheduling.models import Activity, ActivityStatus, activity_trainer
from elearn.topics import Topic

MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 40
MAX_SUMMARY = 5000
MAX_PERIODS = 30


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date
    note: str = ""


@dataclass
class ProfileInput:
    summary: str = ""
    keywords: str | list[str] = ""  # as typed (commas or new lines) or already split
    topic_ids: tuple[int, ...] = ()
    languages: tuple[tuple[str, LanguageLevel], ...] = ()
    availability: tuple[Period, ...] = ()
    willing_to_travel: bool = True
    travel_note: str = ""
    active: bool = True


def may_have_profile(person) -> bool:
    """Members and staff of an assisting parliament, whatever their role on the platform."""
    parliament = getattr(person, "parliament", None)
    return bool(parliament is not None and parliament.gives_assistance and person.is_active
                and person.erased_at is None)


def may_view_profiles(person) -> bool:
    return has_role(person, Role.TRAINER)


def may_edit_profile(actor, profile: ExpertProfile) -> bool:
    return actor.id == profile.person_id or has_role(actor, Role.ADMIN)


def profile_of(person) -> ExpertProfile | None:
    return db.session.scalar(select(ExpertProfile).where(ExpertProfile.person_id == person.id))


def normalise_keywords(raw: str | list[str]) -> list[str]:
    """Lower-case, single-spaced, first occurrence kept; too many or too long is refused, not cut."""
    pieces = re.split(r"[,;\n]", raw) if isinstance(raw, str) else list(raw)
    keywords: list[str] = []
    for piece in pieces:
        keyword = " ".join(str(piece).split()).lower()
        if not keyword or keyword in keywords:
            continue
        if len(keyword) > MAX_KEYWORD_LENGTH:
            raise UserError(_("The keyword “%(keyword)s” is longer than %(max)d characters.",
                              keyword=keyword[:MAX_KEYWORD_LENGTH] + "…", max=MAX_KEYWORD_LENGTH), "keywords")
        keywords.append(keyword)
    if len(keywords) > MAX_KEYWORDS:
        raise UserError(_("At most %(max)d keywords, please: there are %(count)d.", max=MAX_KEYWORDS,
                          count=len(keywords)), "keywords")
    return keywords


def _checked_topics(topic_ids) -> list[int]:
    wanted = sorted(set(topic_ids))
    if not wanted:
        return []
    known = set(db.session.scalars(select(Topic.id).where(Topic.id.in_(wanted))))
    if known != set(wanted):
        raise UserError(_("Choose the areas of expertise from the topic list."), "topic_ids")
    return wanted


def _checked_languages(languages) -> list[tuple[str, LanguageLevel]]:
    seen: dict[str, LanguageLevel] = {}
    for code, level in languages:
        if code not in WORKING_LANGUAGES:
            raise UserError(_("Choose each language from the list."), "languages")
        try:
            level = LanguageLevel(level)
        except ValueError:
            raise UserError(_("Choose a level for each language."), "languages") from None
        if code in seen:
            raise UserError(_("%(language)s is listed twice: keep one line per language.",
                              language=WORKING_LANGUAGES[code]), "languages")
        seen[code] = level
    return list(seen.items())


def checked_periods(periods) -> list[Period]:
    """Sorted periods; a period ending before it starts, or two that overlap or follow on, are refused.

    Touching periods are refused too (make them one): a search then asks only whether ONE period covers
    the whole range it looks for."""
    ordered = sorted(periods, key=lambda p: (p.starts_on, p.ends_on))
    if len(ordered) > MAX_PERIODS:
        raise UserError(_("At most %(max)d availability periods, please.", max=MAX_PERIODS), "availability")
    for period in ordered:
        if period.ends_on < period.starts_on:
            raise UserError(_("A period cannot end (%(end)s) before it starts (%(start)s).",
                              start=period.starts_on.isoformat(), end=period.ends_on.isoformat()), "availability")
    for before, after in pairwise(ordered):
        if (after.starts_on - before.ends_on).days <= 1:
            raise UserError(_("The periods %(first)s and %(second)s overlap or follow on each other: make them one "
                              "period.", first=f"{before.starts_on.isoformat()}–{before.ends_on.isoformat()}",
                              second=f"{after.starts_on.isoformat()}–{after.ends_on.isoformat()}"), "availability")
    return [Period(p.starts_on, p.ends_on, (p.note or "").strip()[:200]) for p in ordered]


def save_profile(person: Person, data: ProfileInput, actor) -> ExpertProfile:
    """Create or replace `person`'s profile. Everything is checked before anything is written."""
    if not may_have_profile(person):
        raise UserError(_("Only members and staff of a parliament that gives assistance can have an expert "
                          "profile."))
    summary = (data.summary or "").strip()
    if len(summary) > MAX_SUMMARY:
        raise UserError(_("The summary is longer than %(max)d characters.", max=MAX_SUMMARY), "summary")
    travel_note = " ".join((data.travel_note or "").split())
    if len(travel_note) > 300:
        raise UserError(_("The travel note is longer than %(max)d characters.", max=300), "travel_note")
    keywords = normalise_keywords(data.keywords)
    topic_ids = _checked_topics(data.topic_ids)
    languages = _checked_languages(data.languages)
    periods = checked_periods(data.availability)

    profile = profile_of(person)
    created = profile is None
    if created:
        profile = ExpertProfile(person_id=person.id)
        db.session.add(profile)
    before = None if created else snapshot(profile)
    profile.summary, profile.keywords, profile.travel_note = summary, keywords, travel_note
    profile.willing_to_travel, profile.active = bool(data.willing_to_travel), bool(data.active)
    profile.updated_at = utcnow()
    db.session.flush()
    # Rows replaced in bulk: the profile's lists are small and a partial diff would buy nothing.
    db.session.execute(delete(expert_topic).where(expert_topic.c.profile_id == profile.id))
    if topic_ids:
        db.session.execute(insert(expert_topic), [{"profile_id": profile.id, "topic_id": t} for t in topic_ids])
    db.session.execute(delete(ExpertLanguage).where(ExpertLanguage.profile_id == profile.id))
    db.session.execute(delete(ExpertAvailability).where(ExpertAvailability.profile_id == profile.id))
    for code, level in languages:
        db.session.add(ExpertLanguage(profile_id=profile.id, language=code, level=level))
    for period in periods:
        db.session.add(ExpertAvailability(profile_id=profile.id, starts_on=period.starts_on,
                                          ends_on=period.ends_on, note=period.note))
    db.session.flush()
    db.session.expire(profile, ["topics", "languages", "availability"])
    if getattr(actor, "id", None) != person.id:
        record(AuditAction.EXPERT_PROFILE_CHANGED, actor=actor, object_type="expert_profile", object_id=profile.id,
               details={"person_id": person.id, "created": created, "before": before, "after": snapshot(profile)})
    db.session.commit()
    return profile


def snapshot(profile: ExpertProfile) -> dict:
    """What the audit keeps of a profile: enough to see what someone else changed."""
    return {"summary": profile.summary[:200], "keywords": list(profile.keywords or []),
            "topics": [t.slug for t in profile.topics],
            "languages": {row.language: row.level.value for row in profile.languages},
            "availability": [[a.starts_on.isoformat(), a.ends_on.isoformat()] for a in profile.availability],
            "willing_to_travel": profile.willing_to_travel, "active": profile.active}


# Derived experience -------------------------------------------------------------------------

_COUNTED = (ActivityStatus.CANCELLED,)


def past_missions(person_ids, now=None) -> dict[int, list]:
    """Missions each person was on, over by `now`, newest first: rows (activity, role, host parliament)."""
    now = now or utcnow()
    if not person_ids:
        return {}
    rows = db.session.execute(
        select(MissionTeamMember.person_id, Activity, MissionTeamMember.role, Parliament)
        .join(Activity, Activity.id == MissionTeamMember.activity_id)
        .outerjoin(Parliament, Parliament.id == Activity.host_parliament_id)
        .where(MissionTeamMember.person_id.in_(list(person_ids)), Activity.ends_at < now,
               Activity.status.not_in(_COUNTED))
        .order_by(Activity.starts_at.desc(), Activity.id)).all()
    found: dict[int, list] = {pid: [] for pid in person_ids}
    for person_id, activity, role, parliament in rows:
        found[person_id].append((activity, role, parliament))
    return found


def trained_activities(person_ids, now=None) -> dict[int, list]:
    """Activities each person trained at, over by `now`, newest first."""
    now = now or utcnow()
    if not person_ids:
        return {}
    rows = db.session.execute(
        select(activity_trainer.c.person_id, Activity)
        .join(Activity, Activity.id == activity_trainer.c.activity_id)
        .where(activity_trainer.c.person_id.in_(list(person_ids)), Activity.ends_at < now,
               Activity.status.not_in(_COUNTED))
        .order_by(Activity.starts_at.desc(), Activity.id)).all()
    found: dict[int, list] = {pid: [] for pid in person_ids}
    for person_id, activity in rows:
        found[person_id].append(activity)
    return found
