"""Demo cooperation cycle: past activities with attendance, requests in every state, an action plan and its reviews.

Dated from today, so the reports, the dashboard and the follow-up always have
something recent to show.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from elearn.access import Role
from elearn.cooperation import services
from elearn.cooperation.models import (
    CommitmentOwner,
    CommitmentStatus,
    NeedsRequest,
    RequestStatus,
    SupportKind,
)
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.affiliations import record_change
from elearn.people.models import Gender, Parliament, Person, PersonKind, PoliticalSide
from elearn.scheduling.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Audience,
    Modality,
    Programme,
    Registration,
    RegistrationState,
)
from elearn.topics import Topic

MARKER = "Strengthening committee hearings"
PASSWORD = "demo-learner-2026"
R, O, I, N = PoliticalSide.RULING, PoliticalSide.OPPOSITION, PoliticalSide.INDEPENDENT, PoliticalSide.NOT_STATED
W, M, A = Gender.WOMAN, Gender.MAN, Gender.ANOTHER

# name, country, kind, gender (None: not stated), side a year ago, side since 150 days ago (a change)
PARTICIPANTS = [
    ("Awa Jallow", "GM", PersonKind.MP, W, R, None), ("Ebrima Ceesay", "GM", PersonKind.MP, M, R, O),
    ("Isatou Touray", "GM", PersonKind.MP, W, O, None), ("Modou Njie", "GM", PersonKind.MP, M, R, None),
    ("Fatoumata Bah", "GM", PersonKind.MP, W, O, None), ("Lamin Sanneh", "GM", PersonKind.MP, None, I, None),
    ("Ousman Sowe", "GM", PersonKind.STAFF, M, None, None), ("Mariama Darboe", "GM", PersonKind.STAFF, W, None, None),
    ("Haddy Camara", "GM", PersonKind.STAFF, None, None, None),
    ("Karma Wangchuk", "BT", PersonKind.MP, M, R, None), ("Dechen Zangmo", "BT", PersonKind.MP, W, R, None),
    ("Tshering Dorji", "BT", PersonKind.MP, M, O, None), ("Pema Lhamo", "BT", PersonKind.STAFF, W, None, None),
    ("Sonam Tobgay", "BT", PersonKind.STAFF, A, None, None),
    ("Hadiza Moussa", "NE", PersonKind.MP, W, R, None), ("Issoufou Adamou", "NE", PersonKind.MP, M, O, None),
    ("Mariama Issa", "NE", PersonKind.STAFF, W, None, None), ("Abdou Garba", "NE", PersonKind.STAFF, None, None, None),
    ("Aya Kouassi", "CI", PersonKind.STAFF, W, None, None), ("Yao Konan", "CI", PersonKind.MP, M, N, None),
]

# title, modality, timezone, days ago, number of days, all day, programme slug, topics, countries invited
PAST_ACTIVITIES = [
    ("Workshop on committee hearings", Modality.TRAINING_WORKSHOP, "Africa/Banjul", 120, 2, False,
     "west-africa-2027", ["committee-work", "oversight"], ["GM"]),
    ("Exchange visit: the parliamentary budget office", Modality.EXCHANGE_VISIT, "Europe/Paris", 200, 2, True,
     "west-africa-2027", ["budget"], ["GM", "NE", "CI"]),
    ("Induction seminar for members of the National Council", Modality.INDUCTION_PROGRAMME, "Asia/Thimphu", 300, 1,
     False, "bhutan-bilateral", ["new-members"], ["BT"]),
    ("Regional seminar on the official record", Modality.REGIONAL_SEMINAR, "Africa/Niamey", 60, 3, False,
     "west-africa-2027", ["official-record"], ["NE", "CI", "GM"]),
]


def _participants(parliaments: dict[str, Parliament], today: date) -> list[Person]:
    shared_hash = generate_password_hash(PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
    people = []
    for number, (name, country, kind, gender, side, new_side) in enumerate(PARTICIPANTS, start=1):
        email = f"participant{number:02d}@example.org"
        person = db.session.scalar(select(Person).where(Person.email == email))
        if person is None:
            person = Person(email=email, full_name=name, kind=kind, role=Role.LEARNER, gender=gender,
                            parliament_id=parliaments[country].id, password_hash=shared_hash,
                            preferred_language="fr" if country in {"NE", "CI"} else "en")
            db.session.add(person)
            db.session.commit()
            if side is not None:
                record_change(person, side, today - timedelta(days=400), actor=None, note="general election")
            if new_side is not None:
                record_change(person, new_side, today - timedelta(days=150), actor=None,
                              note="left the majority group")
        people.append(person)
    return people


def _past_activity(values, programmes, topics, parliaments, trainer, today) -> Activity:
    title, modality, timezone, days_ago, days, all_day, programme_slug, topic_slugs, invited = values
    zone = ZoneInfo(timezone)
    first = today - timedelta(days=days_ago)
    activity = Activity(title=title, modality=modality, timezone=timezone, capacity=30, languages=["en", "fr"],
                        audience=Audience.BOTH, status=ActivityStatus.COMPLETED,
                        programme_id=programmes[programme_slug].id, description_md="", description_html="",
                        venue_name="Parliament building", venue_city=zone.key.split("/")[-1].replace("_", " "),
                        topics=[topics[s] for s in topic_slugs], trainers=[trainer] if trainer else [],
                        invited_parliaments=[parliaments[c] for c in invited])
    if all_day:
        activity.sessions = [ActivitySession(
            starts_at=datetime.combine(first, time(0), zone).astimezone(ZoneInfo("UTC")),
            ends_at=datetime.combine(first + timedelta(days=days), time(0), zone).astimezone(ZoneInfo("UTC")),
            all_day=True)]
    else:
        activity.sessions = [ActivitySession(
            starts_at=datetime.combine(first + timedelta(days=n), time(9), zone).astimezone(ZoneInfo("UTC")),
            ends_at=datetime.combine(first + timedelta(days=n), time(16, 30), zone).astimezone(ZoneInfo("UTC")))
            for n in range(days)]
    activity.starts_at = min(s.starts_at for s in activity.sessions)
    activity.ends_at = max(s.ends_at for s in activity.sessions)
    db.session.add(activity)
    return activity


def _attend(activity: Activity, people: list[Person], pattern: int) -> None:
    """Register `people`; most are present everywhere, a few miss a session (absent or excused)."""
    for index, person in enumerate(people):
        registration = Registration(activity=activity, person=person, state=RegistrationState.CONFIRMED)
        db.session.add(registration)
        for number, session in enumerate(activity.sessions):
            status = AttendanceStatus.PRESENT
            if (index + pattern) % 7 == 0 and number == len(activity.sessions) - 1:
                status = AttendanceStatus.ABSENT if index % 2 else AttendanceStatus.EXCUSED
            if (index + pattern) % 11 == 0:
                status = AttendanceStatus.ABSENT  # registered, never came
            registration.attendance.append(Attendance(session=session, status=status))


def seed_cooperation() -> int:
    """Add the demo cycle once; returns the number of requests added."""
    if db.session.scalar(select(NeedsRequest.id).where(NeedsRequest.title == MARKER)) is not None:
        return 0
    programmes = {p.slug: p for p in db.session.scalars(select(Programme))}
    if not {"west-africa-2027", "bhutan-bilateral"} <= programmes.keys():
        return 0
    programmes["west-africa-2027"].women_target_percent = 40
    programmes["bhutan-bilateral"].women_target_percent = 50
    parliaments: dict[str, Parliament] = {}
    for parliament in db.session.scalars(select(Parliament).order_by(Parliament.id)):
        parliaments.setdefault(parliament.country_code, parliament)
    topics = {t.slug: t for t in db.session.scalars(select(Topic))}
    trainer = db.session.scalar(select(Person).where(Person.email == "trainer@example.org"))
    focal = db.session.scalar(select(Person).where(Person.email == "focal@example.org"))
    today = utcnow().date()
    people = _participants(parliaments, today)
    by_country = {}
    for person in people:
        by_country.setdefault(person.parliament.country_code, []).append(person)
    activities = [_past_activity(values, programmes, topics, parliaments, trainer, today)
                  for values in PAST_ACTIVITIES]
    hearings, budget_visit, induction, record_seminar = activities
    _attend(hearings, by_country["GM"], 1)
    _attend(budget_visit, by_country["GM"][:5] + by_country["NE"] + by_country["CI"], 2)
    _attend(induction, by_country["BT"], 3)
    _attend(record_seminar, by_country["NE"] + by_country["CI"] + by_country["GM"][6:], 4)
    db.session.commit()

    actor = trainer or focal
    services.submit_request(services.RequestInput(
        parliament_id=parliaments["GM"].id, kind=SupportKind.TRAINING, title="Training for committee clerks",
        need="Our committee clerks were recruited last year. They need practical training on preparing "
             "hearings, drafting committee reports and following up recommendations.",
        audience=Audience.STAFF, services="Committee secretariat", preferred_modality=Modality.TRAINING_WORKSHOP,
        preferred_from=today + timedelta(days=90), preferred_to=today + timedelta(days=180),
        topic_ids=(topics["committee-work"].id,)), focal or actor)
    services.submit_request(services.RequestInput(
        parliament_id=parliaments["GM"].id, kind=SupportKind.EQUIPMENT, title="Recording system for the plenary hall",
        need="The sound recording of plenary sittings often fails, and the minutes service loses whole debates.",
        audience=Audience.STAFF, services="Official record service", topic_ids=(topics["official-record"].id,)),
        focal or actor)
    assessing = services.submit_request(services.RequestInput(
        parliament_id=parliaments["BT"].id, kind=SupportKind.ADVICE, title="A catalogue for the parliamentary library",
        need="We want the library to serve members during debates: a catalogue, a research desk and a briefing service.",
        audience=Audience.BOTH, services="Library and research service", topic_ids=(topics["library"].id,),
        preferred_modality=Modality.NEEDS_ASSESSMENT_MISSION), actor)
    services.change_status(assessing, RequestStatus.UNDER_ASSESSMENT, actor=actor,
                           answer="A needs-assessment mission is being prepared with the Secretary General.")
    accepted = services.submit_request(services.RequestInput(
        parliament_id=parliaments["GM"].id, kind=SupportKind.TRAINING, title=MARKER,
        need="Committees hold hearings without written rules; ministers often do not attend. We ask for help "
             "to organise hearings and to follow up their conclusions.",
        audience=Audience.BOTH, topic_ids=(topics["committee-work"].id, topics["oversight"].id)), focal or actor)
    services.change_status(accepted, RequestStatus.UNDER_ASSESSMENT, actor=actor)
    services.change_status(accepted, RequestStatus.ACCEPTED, actor=actor, programme_id=programmes["west-africa-2027"].id,
                           activity_ids=(hearings.id,), answer="Answered by a two-day workshop in Banjul.")
    declined = services.submit_request(services.RequestInput(
        parliament_id=parliaments["NE"].id, kind=SupportKind.TEXT_EXPERTISE, title="Opinion on the draft electoral code",
        need="We would like an expert opinion on the draft electoral code before the vote.", language="fr"), actor)
    services.change_status(declined, RequestStatus.DECLINED, actor=actor,
                           answer="The unit does not give opinions on the content of a bill. It can offer a "
                                  "workshop on the legislative procedure and the drafting of amendments.")
    closed = services.submit_request(services.RequestInput(
        parliament_id=parliaments["GM"].id, kind=SupportKind.EXCHANGE, title="Exchange with a protocol service",
        need="Our protocol service would like to learn how official visits are organised elsewhere."), focal or actor)
    services.change_status(closed, RequestStatus.CLOSED, actor=actor,
                           answer="Covered by the regional protocol workshop; closed at the parliament's request.")

    agreed_on = hearings.ends_at.astimezone(hearings.zone).date()
    plan = services.create_plan(services.PlanInput(
        activity_id=hearings.id, parliament_id=parliaments["GM"].id, agreed_on=agreed_on,
        summary="Both sides agreed to put the workshop's conclusions into practice before the next session.",
        commitments=(
            services.CommitmentInput("Adopt written rules for committee hearings", CommitmentOwner.PARTNER,
                                     agreed_on + timedelta(days=60), "Clerk of the National Assembly"),
            services.CommitmentInput("Publish hearing reports on the parliament's website", CommitmentOwner.PARTNER,
                                     agreed_on + timedelta(days=90), "Communication unit"),
            services.CommitmentInput("Send model hearing guidelines and report templates", CommitmentOwner.ASSISTING,
                                     agreed_on + timedelta(days=14), "Cooperation unit"),
            services.CommitmentInput("Host two committee clerks for a training period", CommitmentOwner.ASSISTING,
                                     agreed_on + timedelta(days=200), "Cooperation unit"),
        ), review_months=(3, 6, 12)), actor)
    commitments = {c.description.split()[0]: c for c in plan.commitments}  # listed by due date
    services.update_commitment(commitments["Send"], CommitmentStatus.DONE,
                               "Guidelines and templates sent by mail and on paper.", actor)
    services.update_commitment(commitments["Adopt"], CommitmentStatus.IN_PROGRESS,
                               "Draft rules discussed by the Conference of Presidents; vote expected next session.",
                               focal or actor)
    three_months = plan.reviews[0]
    if three_months.due_on <= today:
        services.write_review(three_months, held_on=min(three_months.due_on + timedelta(days=3), today),
                              notes="Templates are in use in two committees. The written rules are drafted but "
                                    "not adopted; the website publication has not started.", actor=actor)
    services.schedule_review(plan, today + timedelta(days=5))
    return 6
