"""Demo missions: the expert roster, a past needs-assessment mission in The Gambia with its terms of reference,
validated report and what it led to, a technical-assistance mission in progress, and a coming
inter-parliamentary conference.

Rows go through the scheduling and cooperation services where those exist (activities, registrations,
programmes, requests); the missions' own rows (team, terms, report) are written directly, so the demo does
not depend on the pages built for them. Dated from today; each part is added once (found by its title).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from elearn.content import render_markdown
from elearn.cooperation import services as cooperation
from elearn.cooperation.models import SupportKind
from elearn.database import utcnow
from elearn.demo import mission_texts as texts
from elearn.demo.experts import email_of, seed_roster
from elearn.extensions import db
from elearn.missions.models import MissionTeamMember, TeamRole
from elearn.missions.report_models import MissionReport, Recommendation, ReportStatus
from elearn.missions.terms_models import TERMS_FIELDS, TermsOfReference, TermsVersion
from elearn.people.models import Parliament, Person
from elearn.scheduling import services
from elearn.scheduling.models import (
    Activity,
    ActivityStatus,
    AttendanceStatus,
    Audience,
    Modality,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
)
from elearn.scheduling.programmes import ProgrammeInput, save_programme
from elearn.topics import Topic

ASSESSMENT = "Needs-assessment mission to the National Assembly of The Gambia"
ASSISTANCE = "Technical-assistance mission: a same-day verbatim record in Banjul"
CONFERENCE = "Inter-parliamentary conference on budget transparency in West Africa"
PROGRAMME_SLUG = "gambia-committees-budget"


def _days(first: date, count: int) -> tuple[services.SessionInput, ...]:
    return tuple(services.SessionInput(start_date=first + timedelta(days=n), start_time=time(9),
                                       end_time=time(17)) for n in range(count))


def _by_country() -> dict[str, Parliament]:
    result: dict[str, Parliament] = {}
    for parliament in db.session.scalars(select(Parliament).order_by(Parliament.id)):
        result.setdefault(parliament.country_code, parliament)
    return result


def _mission(title: str, modality: Modality, first: date, days: int, host: Parliament, trainer: Person | None,
             topics: list[int], description: str) -> Activity:
    activity = services.create_activity(services.ActivityInput(
        title=title, modality=modality, timezone="Africa/Banjul", sessions=_days(first, days),
        description_md=description, languages=("en", "fr"), audience=Audience.BOTH, topic_ids=tuple(topics),
        host_parliament_id=host.id, trainer_ids=(trainer.id,) if trainer else (), venue_name="National Assembly",
        venue_city="Banjul", venue_country="GM", capacity=4), trainer)
    services.set_status(activity, ActivityStatus.PUBLISHED)
    return activity


def _team(activity: Activity, members: list[tuple[Person, TeamRole]], trainer: Person | None) -> None:
    """Each member holds a confirmed seat, registered as anyone is (a past mission: as of the week before)."""
    as_of = min(utcnow(), activity.starts_at - timedelta(days=7))
    for person, role in members:
        outcome = services.register(activity.id, person, now=as_of)
        db.session.add(MissionTeamMember(activity_id=activity.id, person_id=person.id, role=role,
                                         registration_id=outcome.registration.id,
                                         added_by_id=trainer.id if trainer else None,
                                         added_at=as_of - timedelta(days=14)))
    db.session.commit()


def _mark_present(activity: Activity) -> None:
    """The team was there on every day already over: no sheet left waiting on the trainer's dashboard."""
    now = utcnow()
    registrations = [m.registration_id for m in db.session.scalars(
        select(MissionTeamMember).where(MissionTeamMember.activity_id == activity.id))]
    for session in activity.sessions:
        if session.ends_at <= now:
            services.record_attendance(session, dict.fromkeys(registrations, AttendanceStatus.PRESENT))


def _terms(activity: Activity, versions: list[dict], author: Person | None, focal: Person | None,
           agreed_version: int | None) -> TermsOfReference:
    """The terms as their last version, every version's snapshot, and the focal point's agreement."""
    changed_at = activity.starts_at - timedelta(days=40)
    terms = TermsOfReference(activity_id=activity.id)
    previous: dict = {}
    for number, values in enumerate(versions, start=1):
        snapshot = {name: values[name].isoformat() if isinstance(values[name], date) else values[name]
                    for name in TERMS_FIELDS}
        changed = [name for name in TERMS_FIELDS if snapshot[name] != previous.get(name, "")]
        terms.versions.append(TermsVersion(version=number, changed_by_id=author.id if author else None,
                                           changed_at=changed_at, changed_fields=changed, snapshot=snapshot))
        for name in TERMS_FIELDS:
            setattr(terms, name, values[name])
        terms.version, terms.updated_at = number, changed_at
        previous = snapshot
        changed_at += timedelta(days=9)
    terms.body_html = render_markdown(terms.body_md)
    terms.updated_by_id = author.id if author else None
    if agreed_version and focal is not None:
        terms.agreed_version, terms.agreed_by_id = agreed_version, focal.id
        terms.agreed_at = changed_at - timedelta(days=6)
    db.session.add(terms)
    db.session.commit()
    return terms


def _report(activity: Activity, head: Person, findings: str, recommendations, status: ReportStatus,
            validator: Person | None) -> MissionReport:
    written = activity.ends_at + timedelta(days=12) if activity.ends_at < utcnow() else utcnow()
    report = MissionReport(activity_id=activity.id, author_id=head.id, findings_md=findings,
                           findings_html=render_markdown(findings), status=status, updated_at=written,
                           recommendations=[Recommendation(position=n, text=text, priority=priority)
                                            for n, (text, priority) in enumerate(recommendations, start=1)])
    if status == ReportStatus.VALIDATED:
        report.submitted_at, report.validated_at = written, written + timedelta(days=5)
        report.validated_by_id = validator.id if validator else None
    db.session.add(report)
    db.session.commit()
    return report


def _converted(recommendation: Recommendation, actor: Person | None, at: datetime, **link) -> None:
    for name, value in link.items():
        setattr(recommendation, name, value)
    recommendation.converted_at, recommendation.converted_by_id = at, actor.id if actor else None


def _seed_assessment(experts, host, trainer, focal, topics) -> None:
    today = utcnow().date()
    activity = _mission(ASSESSMENT, Modality.NEEDS_ASSESSMENT_MISSION, today - timedelta(days=110), 5, host,
                        trainer, [topics[s] for s in ("committee-work", "budget", "library") if s in topics],
                        texts.ASSESSMENT_DESCRIPTION)
    _team(activity, [(experts[email_of("Claire Vasseur")], TeamRole.HEAD),
                     (experts[email_of("Rui Carvalho")], TeamRole.EXPERT),
                     (experts[email_of("Ana Sofia Martins")], TeamRole.EXPERT),
                     (experts[email_of("Leila Haddad")], TeamRole.INTERPRETER)], trainer)
    _mark_present(activity)
    services.set_status(activity, ActivityStatus.COMPLETED)
    first = activity.starts_at.astimezone(activity.zone).date()
    _terms(activity, texts.assessment_terms(first, first + timedelta(days=4)), trainer, focal, agreed_version=2)
    report = _report(activity, experts[email_of("Claire Vasseur")], texts.ASSESSMENT_FINDINGS,
                     texts.ASSESSMENT_RECOMMENDATIONS, ReportStatus.VALIDATED, trainer)
    converted_at = report.validated_at + timedelta(days=3)
    programme = save_programme(ProgrammeInput(
        title="Support to the committees and budget scrutiny of the National Assembly of The Gambia",
        slug=PROGRAMME_SLUG, kind=ProgrammeKind.BILATERAL, status=ProgrammeStatus.PLANNED,
        funders=("European Union",), starts_on=today + timedelta(days=90), ends_on=today + timedelta(days=90 + 3 * 365),
        women_target_percent=40, partner_ids=(host.id,),
        consortium_ids=tuple(p.id for p in db.session.scalars(select(Parliament).where(
            Parliament.gives_assistance.is_(True), Parliament.country_code.in_(("FR", "PT"))))
            if p.chamber_name != "Senate")))
    actor = trainer or focal
    request = cooperation.submit_request(cooperation.RequestInput(
        parliament_id=host.id, kind=SupportKind.ADVICE, title="A research desk in the National Assembly Library",
        need=report.recommendations[1].text, audience=Audience.BOTH, services="Library and research unit",
        preferred_modality=Modality.TECHNICAL_ASSISTANCE_MISSION,
        topic_ids=tuple(topics[s] for s in ("library",) if s in topics)), actor)
    _converted(report.recommendations[0], trainer, converted_at, programme_id=programme.id)
    _converted(report.recommendations[1], trainer, converted_at, needs_request_id=request.id)
    db.session.commit()


def _seed_assistance(experts, host, trainer, focal, topics) -> None:
    today = utcnow().date()
    activity = _mission(ASSISTANCE, Modality.TECHNICAL_ASSISTANCE_MISSION, today - timedelta(days=3), 8, host,
                        trainer, [topics[s] for s in ("official-record", "ict") if s in topics],
                        texts.ASSISTANCE_DESCRIPTION)
    head = experts[email_of("Jean-Baptiste Lemaire")]
    _team(activity, [(head, TeamRole.HEAD), (experts[email_of("Lukas Schneider")], TeamRole.EXPERT)], trainer)
    _mark_present(activity)
    first = activity.starts_at.astimezone(activity.zone).date()
    _terms(activity, texts.assistance_terms(first, first + timedelta(days=7)), trainer, focal, agreed_version=1)
    _report(activity, head, texts.ASSISTANCE_FINDINGS, texts.ASSISTANCE_RECOMMENDATIONS, ReportStatus.DRAFT, None)


def _seed_conference(parliaments, trainer, topics) -> None:
    """Many parliaments, each with a quota: their focal points nominate their delegations."""
    invited = [parliaments[c] for c in ("GM", "NE", "CI", "GW", "MR") if c in parliaments]
    programme = db.session.scalar(select(Programme).where(Programme.slug == "west-africa-2027"))
    first = utcnow().date() + timedelta(days=52)
    activity = services.create_activity(services.ActivityInput(
        title=CONFERENCE, modality=Modality.CONFERENCE, timezone="Africa/Niamey", sessions=_days(first, 2),
        description_md=texts.CONFERENCE_DESCRIPTION, programme_id=programme.id if programme else None,
        languages=("en", "fr", "pt", "ar"), audience=Audience.BOTH,
        topic_ids=tuple(topics[s] for s in ("budget", "oversight") if s in topics),
        host_parliament_id=parliaments["NE"].id if "NE" in parliaments else None,
        invited_parliament_ids=tuple(p.id for p in invited), trainer_ids=(trainer.id,) if trainer else (),
        venue_name="Palais de l'Assemblée nationale", venue_city="Niamey", venue_country="NE", capacity=20,
        quota_per_parliament=3), trainer)
    services.set_status(activity, ActivityStatus.PUBLISHED)
    focal = db.session.scalar(select(Person).where(Person.email == "focal@example.org"))
    if focal is None:
        return
    # The Gambia's focal point has begun to nominate its delegation: the quota shows one seat left.
    for email in ("participant01@example.org", "participant07@example.org"):
        nominee = db.session.scalar(select(Person).where(Person.email == email))
        if nominee is not None and nominee.parliament_id == focal.parliament_id:
            services.nominate(activity.id, nominee, focal)


def seed_missions() -> None:
    """Add what is missing of the missions demo; a second run adds nothing."""
    experts = seed_roster()
    parliaments = _by_country()
    topics = {t.slug: t.id for t in db.session.scalars(select(Topic))}
    trainer = db.session.scalar(select(Person).where(Person.email == "trainer@example.org"))
    focal = db.session.scalar(select(Person).where(Person.email == "focal@example.org"))
    host = focal.parliament if focal is not None and focal.parliament is not None else parliaments.get("GM")
    titles = set(db.session.scalars(select(Activity.title).where(Activity.title.in_((ASSESSMENT, ASSISTANCE,
                                                                                       CONFERENCE)))))
    if host is not None and ASSESSMENT not in titles:
        _seed_assessment(experts, host, trainer, focal, topics)
    if host is not None and ASSISTANCE not in titles:
        _seed_assistance(experts, host, trainer, focal, topics)
    if CONFERENCE not in titles:
        _seed_conference(parliaments, trainer, topics)
