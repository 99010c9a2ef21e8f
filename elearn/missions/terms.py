"""A mission's terms of reference: saving versions, who may read them, and the partner's explicit agreement.

Every save that changes something raises `version` and keeps a TermsVersion (who, when, which fields, the
whole text), so the history can show what changed; a save that changes nothing writes nothing (not even a
mail). The partner parliament's focal point agrees to one version by sending back the number they were shown:
a text changed meanwhile is refused, never agreed to unseen.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from elearn.access import Role
from elearn.audit.models import AuditAction
from elearn.audit.services import record
from elearn.content import render_markdown
from elearn.database import utcnow
from elearn.delegations.managers import may_manage
from elearn.errors import UserError
from elearn.extensions import db
from elearn.languages import interface_locale
from elearn.mail.services import queue_mail
from elearn.missions.models import MissionTeamMember
from elearn.missions.terms_models import TERMS_FIELDS, TermsOfReference, TermsVersion
from elearn.people.models import Person
from elearn.scheduling.models import MISSION_MODALITIES, Activity
from elearn.urls import absolute_url

FIELD_LABELS = {
    "objectives": _l("Objectives"),
    "expected_outputs": _l("Expected outputs"),
    "counterpart_institution": _l("Counterpart institution"),
    "counterpart_contacts": _l("Counterpart contacts"),
    "starts_on": _l("Start date"),
    "ends_on": _l("End date"),
    "body_md": _l("Terms of reference"),
}
DATE_FIELDS = ("starts_on", "ends_on")
# Generous, but a bound: a pasted document should not fill the versions table a megabyte at a time.
MAX_LENGTH = {"counterpart_institution": 200, "objectives": 10_000, "expected_outputs": 10_000,
              "counterpart_contacts": 5_000, "body_md": 50_000}


class TermsError(UserError):
    pass


@dataclass(frozen=True)
class TermsInput:
    objectives: str = ""
    expected_outputs: str = ""
    counterpart_institution: str = ""
    counterpart_contacts: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    body_md: str = ""


@dataclass
class SaveResult:
    terms: TermsOfReference | None
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def is_mission(activity: Activity) -> bool:
    return activity.modality in MISSION_MODALITIES


def terms_for(activity: Activity) -> TermsOfReference | None:
    return db.session.scalar(select(TermsOfReference).where(TermsOfReference.activity_id == activity.id))


def is_partner_focal_point(person, activity: Activity) -> bool:
    """Only a focal point of the host parliament: a focal point of any other parliament is not the partner's."""
    return (getattr(person, "is_authenticated", False) and Role(person.role) == Role.FOCAL_POINT
            and activity.host_parliament_id is not None and person.parliament_id == activity.host_parliament_id)


def is_team_member(person, activity: Activity) -> bool:
    return getattr(person, "is_authenticated", False) and db.session.scalar(
        select(MissionTeamMember.id).where(MissionTeamMember.activity_id == activity.id,
                                           MissionTeamMember.person_id == person.id)) is not None


def may_read(person, activity: Activity) -> bool:
    return may_manage(person, activity) or is_partner_focal_point(person, activity) or is_team_member(person, activity)


def partner_focal_points(activity: Activity) -> list[Person]:
    if activity.host_parliament_id is None:
        return []
    return list(db.session.scalars(select(Person).where(
        Person.role == Role.FOCAL_POINT.value, Person.parliament_id == activity.host_parliament_id,
        Person.is_active.is_(True)).order_by(Person.id)))


def snapshot(source) -> dict:
    """The TERMS_FIELDS of terms or of an input, dates as ISO text (JSON keeps no dates)."""
    values = {}
    for name in TERMS_FIELDS:
        value = getattr(source, name)
        values[name] = value.isoformat() if isinstance(value, date) else (value or "")
    return values


def _clean(data: TermsInput) -> TermsInput:
    """Trimmed, with one kind of line break: a form sent again unchanged must compare equal to what is kept."""
    def text(value: str) -> str:
        return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()

    cleaned = {name: text(getattr(data, name)) for name in TERMS_FIELDS if name not in DATE_FIELDS}
    cleaned["counterpart_institution"] = " ".join(cleaned["counterpart_institution"].split())
    return TermsInput(starts_on=data.starts_on, ends_on=data.ends_on, **cleaned)


def _check(data: TermsInput) -> None:
    for name, limit in MAX_LENGTH.items():
        if len(getattr(data, name)) > limit:
            raise TermsError(_("Keep this under %(limit)d characters.", limit=limit), field=name)
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise TermsError(_("The end date cannot be before the start date."), field="ends_on")


def mission_dates(activity: Activity) -> tuple[date | None, date | None]:
    """The mission's first and last day where it takes place."""
    zone = activity.zone
    first = activity.starts_at.astimezone(zone).date() if activity.starts_at else None
    last = activity.ends_at.astimezone(zone).date() if activity.ends_at else None
    return first, last


def date_warnings(activity: Activity, data: TermsInput) -> list[str]:
    """Terms may cover preparation and follow-up around the mission, so dates outside it are a warning only."""
    first, last = mission_dates(activity)
    if first is None or last is None:
        return []
    outside = [day for day in (data.starts_on, data.ends_on) if day and not first <= day <= last]
    if not outside:
        return []
    return [_("The terms' dates go beyond the mission's dates (%(first)s to %(last)s): check they are meant to.",
              first=format_date(first), last=format_date(last))]


def save_terms(activity: Activity, data: TermsInput, editor, *, base_version: int | None = None) -> SaveResult:
    """Create or change the terms; a new version only when something changed. `base_version` is the version
    the editor's form was made from: a save over someone else's newer change is refused, not merged."""
    if not is_mission(activity):
        raise TermsError(_("Only a mission has terms of reference."))
    data = _clean(data)
    _check(data)
    terms = db.session.scalar(select(TermsOfReference).where(TermsOfReference.activity_id == activity.id)
                              .with_for_update())
    if terms is not None and base_version is not None and base_version != terms.version:
        raise TermsError(_("Someone saved version %(version)d of the terms while you were editing. Open the "
                           "terms again and make your change to the current text.", version=terms.version))
    new = snapshot(data)
    old = snapshot(terms) if terms is not None else {name: "" for name in TERMS_FIELDS}
    changed = [name for name in TERMS_FIELDS if new[name] != old[name]]
    if not changed:
        return SaveResult(terms)
    now = utcnow()
    if terms is None:
        terms = TermsOfReference(activity_id=activity.id, version=1)
        db.session.add(terms)
    else:
        terms.version += 1
    for name in TERMS_FIELDS:
        setattr(terms, name, getattr(data, name))
    if "body_md" in changed or not terms.body_html:
        terms.body_html = render_markdown(data.body_md)
    terms.updated_at, terms.updated_by_id = now, getattr(editor, "id", None)
    db.session.flush()
    db.session.add(TermsVersion(terms_id=terms.id, version=terms.version, changed_by_id=getattr(editor, "id", None),
                                changed_at=now, changed_fields=changed, snapshot=new))
    _tell_focal_points(activity, terms, changed)
    db.session.commit()
    return SaveResult(terms, changed, date_warnings(activity, data))


def _tell_focal_points(activity: Activity, terms: TermsOfReference, changed: list[str]) -> None:
    link = absolute_url("mission_terms.terms", activity_id=activity.id)
    for person in partner_focal_points(activity):
        locale = interface_locale(person.preferred_language)
        queue_mail(to=person.email, template="terms_ready", locale=locale, person=person, activity=activity,
                   version=terms.version, first=terms.version == 1, changed=changed, labels=FIELD_LABELS,
                   link=link)


def agree(activity: Activity, person, shown_version: int | None) -> TermsOfReference:
    """The partner's focal point agrees to the version they were shown, if it is still the current one."""
    if not is_partner_focal_point(person, activity):
        raise TermsError(_("Only the partner parliament's focal point can agree to these terms."))
    terms = db.session.scalar(select(TermsOfReference).where(TermsOfReference.activity_id == activity.id)
                              .with_for_update())
    if terms is None:
        raise TermsError(_("There are no terms of reference to agree to yet."))
    if shown_version != terms.version:
        raise TermsError(_("The terms changed after you opened them: version %(current)d is now the current text. "
                           "Read it, then agree again if it suits you.", current=terms.version))
    if terms.agreed_is_current:
        raise TermsError(_("Version %(version)d is already agreed.", version=terms.version))
    terms.agreed_version, terms.agreed_at, terms.agreed_by_id = terms.version, utcnow(), person.id
    record(AuditAction.TERMS_AGREED, actor=person, object_type="terms_of_reference", object_id=terms.id,
           details={"activity_id": activity.id, "version": terms.version})
    _tell_managers(activity, terms, person)
    db.session.commit()
    return terms


def _tell_managers(activity: Activity, terms: TermsOfReference, agreed_by) -> None:
    link = absolute_url("mission_terms.terms", activity_id=activity.id)
    for manager in activity.trainers:
        if manager.is_active:
            queue_mail(to=manager.email, template="terms_agreed", locale=interface_locale(manager.preferred_language),
                       person=manager, activity=activity, version=terms.version, agreed_by=agreed_by, link=link)


def awaiting_agreement(person) -> list[tuple[Activity, TermsOfReference]]:
    """For a focal point's dashboard: their parliament's missions whose current terms they have not agreed."""
    if not getattr(person, "is_authenticated", False) or Role(person.role) != Role.FOCAL_POINT \
            or person.parliament_id is None:
        return []
    rows = db.session.execute(
        select(Activity, TermsOfReference).join(TermsOfReference, TermsOfReference.activity_id == Activity.id)
        .where(Activity.host_parliament_id == person.parliament_id,
               (TermsOfReference.agreed_version.is_(None)) | (TermsOfReference.agreed_version != TermsOfReference.version))
        .order_by(Activity.starts_at, Activity.id).limit(20)).all()
    return [(activity, terms) for activity, terms in rows]
