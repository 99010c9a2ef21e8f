"""Staffing a mission: who goes, in which role, and what a manager should know before sending them.

A team member holds a confirmed registration for the mission (scheduling.services.place_confirmed), so the
confirmation mail with its calendar invitation, the schedule, the personal feed and the clash checks treat
them as any participant. They are placed whatever the participants' rules say (invited parliaments, audience,
approval, seat count): the team is chosen by the mission's managers, not by registration. Their seats are
still counted as confirmed, so a mission's capacity is best set to the team plus any other participants.
Clashes and unavailability are warnings, never refusals: the manager knows things the data does not.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from elearn.audit.models import AuditAction
from elearn.audit.services import record as audit
from elearn.errors import UserError
from elearn.extensions import db
from elearn.missions.models import ExpertProfile, MissionTeamMember, TeamRole
from elearn.people.models import Parliament, Person
from elearn.scheduling import services as scheduling
from elearn.scheduling.models import MISSION_MODALITIES, Activity, ActivityStatus, Modality, session_days

SEARCH_LIMIT = 20  # candidates offered for one search: a name or address narrows it further


class TeamError(UserError):
    """A refused team change, with the form field it concerns."""


@dataclass
class AddedMember:
    member: MissionTeamMember
    warnings: list[str] = field(default_factory=list)


def is_mission(activity: Activity) -> bool:
    return activity.modality in MISSION_MODALITIES or activity.modality == Modality.CONFERENCE


def members(activity: Activity) -> list[MissionTeamMember]:
    """The team, head of mission first, then by role and name."""
    order = {TeamRole.HEAD: 0, TeamRole.EXPERT: 1, TeamRole.INTERPRETER: 2}
    found = db.session.scalars(select(MissionTeamMember).where(MissionTeamMember.activity_id == activity.id)
                               .options(selectinload(MissionTeamMember.person),
                                        selectinload(MissionTeamMember.registration))).all()
    return sorted(found, key=lambda m: (order[m.role], m.person.full_name.lower(), m.id))


def active_profile(person: Person) -> ExpertProfile | None:
    return db.session.scalar(select(ExpertProfile).where(ExpertProfile.person_id == person.id,
                                                         ExpertProfile.active.is_(True)))


def role_problem(person: Person, role: TeamRole) -> str | None:
    """Experts and heads come from the roster; an interpreter may also be anyone of an assisting parliament
    (interpreters are often hired for one mission and have no expert profile)."""
    if not person.is_active:
        return _("This account is deactivated.")
    if active_profile(person) is not None:
        return None
    if role == TeamRole.INTERPRETER:
        parliament = db.session.get(Parliament, person.parliament_id) if person.parliament_id else None
        if parliament is not None and parliament.gives_assistance:
            return None
        return _("An interpreter without an expert profile must belong to an assisting parliament.")
    return _("Only people with an active expert profile can join a mission as head or expert.")


def candidates(activity: Activity, words: str) -> list[tuple[Person, bool]]:
    """People matching a name or address whom the team may take: (person, has an active expert profile).

    Roster experts first; people of assisting parliaments follow (they may join as interpreters).
    """
    words = words.strip().lower()
    if len(words) < 2:
        return []
    pattern = f"%{words.replace('%', '').replace('_', '')}%"
    has_profile = select(ExpertProfile.id).where(ExpertProfile.person_id == Person.id,
                                                 ExpertProfile.active.is_(True)).exists()
    assisting = select(Parliament.id).where(Parliament.id == Person.parliament_id,
                                            Parliament.gives_assistance.is_(True)).exists()
    taken = select(MissionTeamMember.person_id).where(MissionTeamMember.activity_id == activity.id)
    rows = db.session.execute(
        select(Person, has_profile.label("expert"))
        .where(Person.is_active.is_(True), or_(has_profile, assisting), Person.id.not_in(taken),
               or_(func.lower(Person.full_name).like(pattern), Person.email.like(pattern)))
        .order_by(has_profile.desc(), Person.full_name, Person.id).limit(SEARCH_LIMIT)).all()
    return [(person, bool(expert)) for person, expert in rows]


def mission_days(activity: Activity) -> list[date]:
    days = set()
    for session in activity.sessions:
        days.update(session_days(session.starts_at, session.ends_at, session.all_day, activity.zone))
    return sorted(days)


def warnings_for(activity: Activity, person: Person) -> list[str]:
    """What a manager should weigh before sending this person: clashes and the days they are not available."""
    found = []
    sessions = scheduling.overlapping_sessions(activity.sessions, person_id=person.id, exclude_activity_id=activity.id)
    sessions += scheduling.overlapping_sessions(activity.sessions, trainer_id=person.id,
                                                exclude_activity_id=activity.id)
    for other in dict.fromkeys(s.activity for s in sessions):
        found.append(_("%(name)s is also booked for “%(title)s” at the same time.",
                       name=person.full_name, title=other.title))
    profile = active_profile(person)
    if profile is None:
        return found
    if not profile.willing_to_travel:
        found.append(_("%(name)s has said they do not wish to travel.", name=person.full_name))
    days = mission_days(activity)
    if days and not profile.availability:
        found.append(_("%(name)s has stated no availability periods: check the dates with them.",
                       name=person.full_name))
    elif days:
        missing = [day for day in days
                   if not any(period.starts_on <= day <= period.ends_on for period in profile.availability)]
        if missing:
            found.append(ngettext("%(name)s is not available on %(days)s.",
                                  "%(name)s is not available on %(num)d of the mission's days: %(days)s.",
                                  len(missing), name=person.full_name,
                                  days=", ".join(format_date(day, "medium") for day in missing)))
    return found


def change_problem(activity: Activity) -> str | None:
    if not is_mission(activity):
        return _("This activity is not a mission.")
    if activity.status == ActivityStatus.CANCELLED:
        return _("This mission is cancelled.")
    if activity.status == ActivityStatus.DRAFT:
        return _("Publish the mission first: its team is invited by mail with a calendar invitation.")
    if activity.is_over:
        return _("This mission is over: its team stays on record as it was.")
    return None


def add_member(activity: Activity, person: Person, role: TeamRole, *, actor) -> AddedMember:
    """Put a person on the team, confirmed and invited; committed, or nothing saved."""
    problem = change_problem(activity) or role_problem(person, role)
    if problem:
        raise TeamError(problem, "person_id")
    activity_id, person_id = activity.id, person.id
    db.session.commit()  # a fresh transaction whose first statement is the lock
    scheduling.lock_seats(activity_id)  # also serialises team changes: one head, one row per person
    activity = db.session.get(Activity, activity_id, populate_existing=True)
    existing = db.session.scalars(select(MissionTeamMember).where(MissionTeamMember.activity_id == activity_id)).all()
    if any(member.person_id == person_id for member in existing):
        db.session.rollback()
        raise TeamError(_("%(name)s is already on the team.", name=person.full_name), "person_id")
    if role == TeamRole.HEAD and any(member.role == TeamRole.HEAD for member in existing):
        db.session.rollback()
        raise TeamError(_("The mission already has a head: remove them first."), "role")
    registration, _changed = scheduling.place_confirmed(activity, person, placed_by=actor)
    member = MissionTeamMember(activity_id=activity_id, person_id=person_id, role=role, registration=registration,
                               added_by_id=getattr(actor, "id", None))
    db.session.add(member)
    db.session.flush()
    audit(AuditAction.MISSION_MEMBER_ADDED, actor=actor, object_type="activity", object_id=activity_id,
          details={"person_id": person_id, "role": role.value, "registration_id": registration.id})
    warnings = warnings_for(activity, person)
    db.session.commit()
    return AddedMember(member, warnings)


def remove_member(member: MissionTeamMember, *, actor) -> None:
    """Take a person off the team; their registration is removed with the calendar cancellation."""
    problem = change_problem(member.activity)
    if problem:
        raise TeamError(problem)
    member_id, activity_id = member.id, member.activity_id
    db.session.commit()
    scheduling.lock_seats(activity_id)
    member = db.session.get(MissionTeamMember, member_id, populate_existing=True)
    if member is None:  # another manager removed them meanwhile
        db.session.rollback()
        return
    if member.registration is not None:
        scheduling.take_off(member.registration)
    audit(AuditAction.MISSION_MEMBER_REMOVED, actor=actor, object_type="activity", object_id=activity_id,
          details={"person_id": member.person_id, "role": member.role.value,
                   "registration_id": member.registration_id})
    db.session.delete(member)
    db.session.commit()
