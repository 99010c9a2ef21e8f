"""Finding experts: filters, a rank computed in SQL, and a page loaded in a fixed number of queries.

A page costs: one count, one ranked page of (profile, person, parliament), then one query each for the page's
topics, languages, availability, past missions and trained activities, whatever the page size or roster size.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import String, and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from elearn.database import utcnow
from elearn.extensions import db
from elearn.missions.models import (
    LEVEL_RANK,
    ExpertAvailability,
    ExpertLanguage,
    ExpertProfile,
    LanguageLevel,
    MissionTeamMember,
    expert_topic,
)
from elearn.missions.roster import past_missions, trained_activities
from elearn.people.models import Parliament, Person
from elearn.scheduling.models import Activity, ActivityStatus, activity_topic
from elearn.topics import Topic

# How much each kind of match weighs in the rank; topics first, as a trainer looks for a subject.
TOPIC_WEIGHT, LEVEL_WEIGHT, COVER_WEIGHT, EXPERIENCE_WEIGHT, EXPERIENCE_CAP = 100, 10, 50, 5, 5


@dataclass(frozen=True)
class SearchFilters:
    topic_ids: tuple[int, ...] = ()
    language: str = ""
    min_level: LanguageLevel | None = None
    available_from: date | None = None
    available_to: date | None = None
    parliament_id: int | None = None
    country: str = ""  # the partner's country: past missions there rank higher (never filters)
    text: str = ""
    include_inactive: bool = False


@dataclass
class Result:
    profile: ExpertProfile
    person: Person
    parliament: Parliament
    score: int
    topics: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    availability: list = field(default_factory=list)
    missions: list = field(default_factory=list)
    trained: list = field(default_factory=list)
    covers_range: bool = False


class ResultPagination(SelectPagination):
    """The ranked rows whole (db.paginate would keep only their first column)."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(statement).all())


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _range(filters: SearchFilters) -> tuple[date, date] | None:
    if filters.available_from and filters.available_to:
        return filters.available_from, filters.available_to
    if filters.available_from or filters.available_to:
        day = filters.available_from or filters.available_to
        return day, day
    return None


def _smaller(value, cap: int):
    # Capped so that a veteran of many missions does not outrank a better topic or language match.
    least = func.min if db.session.get_bind().dialect.name == "sqlite" else func.least
    return least(value, cap)


def ranked_statement(filters: SearchFilters):
    """select(profile, person, parliament, score) for the filters, best first."""
    profile_id = ExpertProfile.id
    conditions = [Parliament.gives_assistance.is_(True), Person.is_active.is_(True), Person.erased_at.is_(None)]
    if not filters.include_inactive:
        conditions.append(ExpertProfile.active.is_(True))
    score = literal(0)

    if filters.topic_ids:
        topic_ids = list(filters.topic_ids)
        matches = (select(func.count()).select_from(expert_topic)
                   .where(expert_topic.c.profile_id == profile_id, expert_topic.c.topic_id.in_(topic_ids))
                   .correlate(ExpertProfile).scalar_subquery())
        conditions.append(exists().where(expert_topic.c.profile_id == profile_id,
                                         expert_topic.c.topic_id.in_(topic_ids)))
        score = score + matches * TOPIC_WEIGHT

    if filters.language:
        wanted = [level for level, rank in LEVEL_RANK.items()
                  if rank >= LEVEL_RANK.get(filters.min_level, 1)]
        rank = case(*[(ExpertLanguage.level == level, LEVEL_RANK[level]) for level in LanguageLevel], else_=0)
        level_rank = (select(func.max(rank)).where(ExpertLanguage.profile_id == profile_id,
                                                   ExpertLanguage.language == filters.language)
                      .correlate(ExpertProfile).scalar_subquery())
        conditions.append(exists().where(ExpertLanguage.profile_id == profile_id,
                                         ExpertLanguage.language == filters.language,
                                         ExpertLanguage.level.in_(wanted)))
        score = score + func.coalesce(level_rank, 0) * LEVEL_WEIGHT

    wanted_range = _range(filters)
    if wanted_range:
        first, last = wanted_range
        conditions.append(exists().where(ExpertAvailability.profile_id == profile_id,
                                         ExpertAvailability.starts_on <= last, ExpertAvailability.ends_on >= first))
        covers = exists().where(ExpertAvailability.profile_id == profile_id,
                                ExpertAvailability.starts_on <= first, ExpertAvailability.ends_on >= last)
        score = score + case((covers, COVER_WEIGHT), else_=0)

    if filters.parliament_id:
        conditions.append(Person.parliament_id == filters.parliament_id)

    for word in filters.text.lower().split()[:8]:
        pattern = _like(word)
        keywords = cast(ExpertProfile.keywords, String)
        # The JSON text holds non-ASCII letters as \uXXXX escapes: look for that spelling too.
        escaped = _like(json.dumps(word)[1:-1])
        conditions.append(or_(func.lower(Person.full_name).like(pattern, escape="\\"),
                              func.lower(ExpertProfile.summary).like(pattern, escape="\\"),
                              keywords.like(pattern, escape="\\"), keywords.like(escaped, escape="\\")))

    if filters.topic_ids or filters.country:
        score = score + _smaller(_experience(filters), EXPERIENCE_CAP) * EXPERIENCE_WEIGHT

    score = score.label("score")
    return (select(ExpertProfile, Person, Parliament, score)
            .join(Person, Person.id == ExpertProfile.person_id)
            .join(Parliament, Parliament.id == Person.parliament_id)
            .where(and_(*conditions))
            .order_by(score.desc(), Person.full_name, ExpertProfile.id))


def _experience(filters: SearchFilters):
    """Past missions in one of the topics searched for, or in the partner's country."""
    host = aliased(Parliament)
    relevant = []
    if filters.topic_ids:
        relevant.append(exists().where(activity_topic.c.activity_id == Activity.id,
                                       activity_topic.c.topic_id.in_(list(filters.topic_ids))))
    if filters.country:
        relevant.append(or_(Activity.venue_country == filters.country, host.country_code == filters.country))
    return (select(func.count()).select_from(MissionTeamMember)
            .join(Activity, Activity.id == MissionTeamMember.activity_id)
            .outerjoin(host, host.id == Activity.host_parliament_id)
            .where(MissionTeamMember.person_id == ExpertProfile.person_id, Activity.ends_at < utcnow(),
                   Activity.status != ActivityStatus.CANCELLED, or_(*relevant))
            .correlate(ExpertProfile).scalar_subquery())


def search(filters: SearchFilters, page: int = 1, per_page: int = 20, today: date | None = None) -> ResultPagination:
    """One page of ranked results, each with what the results table shows, in a fixed number of queries."""
    today = today or utcnow().date()
    pagination = ResultPagination(select=ranked_statement(filters), session=db.session, page=page,
                                  per_page=per_page, max_per_page=per_page, error_out=False)
    pagination.items = attach(pagination.items, filters, today)
    return pagination


def attach(rows, filters: SearchFilters, today: date) -> list[Result]:
    results = [Result(profile=p, person=person, parliament=parliament, score=int(score or 0))
               for p, person, parliament, score in rows]
    if not results:
        return results
    by_profile = {r.profile.id: r for r in results}
    ids = list(by_profile)
    for profile_id, topic in db.session.execute(
            select(expert_topic.c.profile_id, Topic).join(Topic, Topic.id == expert_topic.c.topic_id)
            .where(expert_topic.c.profile_id.in_(ids)).order_by(Topic.slug)):
        by_profile[profile_id].topics.append(topic)
    for row in db.session.scalars(select(ExpertLanguage).where(ExpertLanguage.profile_id.in_(ids))
                                  .order_by(ExpertLanguage.language)):
        by_profile[row.profile_id].languages.append(row)
    wanted_range = _range(filters)
    for row in db.session.scalars(select(ExpertAvailability).where(ExpertAvailability.profile_id.in_(ids),
                                                                   ExpertAvailability.ends_on >= today)
                                  .order_by(ExpertAvailability.starts_on)):
        result = by_profile[row.profile_id]
        result.availability.append(row)
        if wanted_range and row.starts_on <= wanted_range[0] and row.ends_on >= wanted_range[1]:
            result.covers_range = True
    by_person = {r.person.id: r for r in results}
    for person_id, missions in past_missions(list(by_person)).items():
        by_person[person_id].missions = missions
    for person_id, activities in trained_activities(list(by_person)).items():
        by_person[person_id].trained = activities
    return results
