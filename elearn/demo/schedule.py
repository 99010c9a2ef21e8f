"""Demo programmes and activities, dated from today so the demo always has a future."""
from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import func, select

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import Parliament, Person
from elearn.scheduling import services
from elearn.scheduling.models import (
    Activity,
    ActivityStatus,
    Audience,
    Modality,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
)
from elearn.topics import Topic

# title, modality, timezone, city, days from today, number of days, all-day, audience, capacity, topics, state
DEMO_ACTIVITIES = [
    ("Committee secretaries' workshop on hearings", Modality.TRAINING_WORKSHOP, "Africa/Banjul", "Banjul", 10, 2, False, Audience.STAFF, 3, ["committee-work"], "full"),
    ("Regional seminar on budget oversight", Modality.REGIONAL_SEMINAR, "Africa/Abidjan", "Abidjan", 24, 3, False, Audience.BOTH, 30, ["budget", "oversight"], "open"),
    ("Induction programme for newly elected members", Modality.INDUCTION_PROGRAMME, "Africa/Blantyre", "Lilongwe", 35, 2, False, Audience.MPS, 25, ["new-members", "plenary-sitting"], "open"),
    ("Exchange visit: the official record service", Modality.EXCHANGE_VISIT, "Europe/Paris", "Paris", 45, 4, True, Audience.STAFF, 6, ["official-record"], "open"),
    ("Training period in the legislative division", Modality.TRAINING_PERIOD, "Europe/Paris", "Paris", 60, 10, True, Audience.STAFF, 4, ["legislative-procedure"], "approval"),
    ("Briefing on the new rules of procedure", Modality.BRIEFING, "Asia/Thimphu", "Thimphu", 14, 1, False, Audience.MPS, 40, ["plenary-sitting"], "open"),
    ("Live e-learning: drafting amendments", Modality.LIVE_ELEARNING, "UTC", "", 7, 1, False, Audience.BOTH, 100, ["legislative-procedure"], "online"),
    ("Needs-assessment mission to the People's Majlis", Modality.NEEDS_ASSESSMENT_MISSION, "Indian/Maldives", "Malé", 30, 3, False, Audience.STAFF, 8, ["ict"], "open"),
    ("Technical-assistance mission on parliamentary archives", Modality.TECHNICAL_ASSISTANCE_MISSION, "America/Panama", "Panama City", 50, 5, False, Audience.STAFF, 10, ["archives", "library"], "open"),
    ("Seminar on the protection of parliamentary buildings", Modality.SEMINAR, "Africa/Niamey", "Niamey", 40, 2, False, Audience.STAFF, 2, ["security"], "full"),
    ("Dialogue facilitation between parliamentary groups", Modality.DIALOGUE_FACILITATION, "Africa/Banjul", "Banjul", 20, 1, False, Audience.MPS, 20, ["plenary-sitting"], "open"),
    ("International mentoring: heads of human resources", Modality.INTERNATIONAL_MENTORING, "America/Port_of_Spain", "Port of Spain", 28, 1, False, Audience.STAFF, 5, ["human-resources"], "open"),
    ("Remote assistance: committee report templates", Modality.REMOTE_ASSISTANCE, "America/Lima", "", 12, 1, False, Audience.STAFF, 12, ["committee-work"], "online"),
    ("Protocol workshop for official visits", Modality.TRAINING_WORKSHOP, "Europe/Podgorica", "Podgorica", 70, 2, False, Audience.STAFF, 15, ["protocol"], "open"),
    ("Information mission on the budget cycle", Modality.INFORMATION_MISSION, "America/La_Paz", "La Paz", 33, 2, False, Audience.BOTH, 12, ["budget"], "cancelled"),
]

SCALE_TEST_TITLE = "Scale-test activity"


def _sessions(first_day: date, days: int, all_day: bool) -> tuple[services.SessionInput, ...]:
    if all_day:
        return (services.SessionInput(start_date=first_day, end_date=first_day + timedelta(days=days - 1), all_day=True),)
    return tuple(services.SessionInput(start_date=first_day + timedelta(days=offset), start_time=time(9, 0),
                                       end_time=time(16, 30)) for offset in range(days))


def seed_schedule(scale_test_activities: int = 0) -> int:
    """The demo programmes and activities once, and plain scale-test activities up to that number in all."""
    topics = {t.slug: t.id for t in db.session.scalars(select(Topic))}
    parliaments = {}
    for parliament in db.session.scalars(select(Parliament).order_by(Parliament.id)):
        parliaments.setdefault(parliament.country_code, parliament)
    trainer = db.session.scalar(select(Person).where(Person.email == "trainer@example.org"))
    created = 0
    if db.session.scalar(select(Programme).where(Programme.slug == "west-africa-2027")) is None:
        today = utcnow().date()
        west_africa = Programme(slug="west-africa-2027", title="West African parliamentary strengthening 2027",
                                kind=ProgrammeKind.MULTILATERAL, funders=["European Union"],
                                starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=700),
                                status=ProgrammeStatus.ACTIVE,
                                partners=[parliaments[c] for c in ("GM", "CI", "NE", "GW") if c in parliaments],
                                consortium=[parliaments[c] for c in ("FR", "BE", "PT") if c in parliaments])
        bilateral = Programme(slug="bhutan-bilateral", title="Bilateral cooperation with the Parliament of Bhutan",
                              kind=ProgrammeKind.BILATERAL, funders=["Ministry of Foreign Affairs"],
                              starts_on=today - timedelta(days=200), ends_on=today + timedelta(days=500),
                              status=ProgrammeStatus.ACTIVE, partners=[parliaments["BT"]] if "BT" in parliaments else [],
                              consortium=[parliaments["FR"]] if "FR" in parliaments else [])
        db.session.add_all([west_africa, bilateral])
        db.session.commit()
        learners = db.session.scalars(select(Person).where(Person.role == Role.LEARNER, Person.is_active.is_(True))
                                      .order_by(Person.id)).all()
        for (title, modality, timezone, city, offset, days, all_day, audience, capacity, topic_slugs,
             state) in DEMO_ACTIVITIES:
            programme = bilateral if timezone == "Asia/Thimphu" else west_africa if timezone.startswith("Africa") else None
            data = services.ActivityInput(
                title=title, modality=modality, timezone=timezone,
                sessions=_sessions(today + timedelta(days=offset), days, all_day),
                description_md=f"**{title}**: a demonstration activity of Hemicycle.\n\n- Practical cases\n- Exchange of experience",
                programme_id=programme.id if programme else None, languages=("en", "fr"), audience=audience,
                topic_ids=tuple(topics[s] for s in topic_slugs), venue_name=f"{city} parliament building" if city else "",
                venue_city=city, online_url="https://meet.example.org/hemicycle-demo" if state == "online" else "",
                capacity=capacity, approval_required=state == "approval",
                trainer_ids=(trainer.id,) if trainer else ())
            activity = services.create_activity(data, trainer)
            services.set_status(activity, ActivityStatus.PUBLISHED)
            if state == "full":
                for person in learners[: capacity + 2]:
                    try:
                        services.register(activity.id, person)
                    except services.SchedulingError:
                        continue
            if state == "cancelled":
                services.set_status(activity, ActivityStatus.CANCELLED)
            created += 1
    existing = db.session.scalar(select(func.count(Activity.id)).where(Activity.title.like(f"{SCALE_TEST_TITLE} %")))
    if scale_test_activities > existing:
        created += _more_activities(scale_test_activities - existing, topics)
    return created


def _more_activities(count: int, topics: dict[str, int]) -> int:
    """Many plain activities for scale tests; inserted in bulk, not through the form rules."""
    from elearn.scheduling.models import ActivitySession

    start_number = db.session.scalar(select(func.count(Activity.id))) + 1
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    modalities = list(Modality)
    for n in range(count):
        starts = now + timedelta(days=1 + n % 300, hours=n % 8)
        activity = Activity(title=f"{SCALE_TEST_TITLE} {start_number + n}", modality=modalities[n % len(modalities)],
                            timezone="Europe/Paris", capacity=20, status=ActivityStatus.PUBLISHED, languages=["en"],
                            starts_at=starts, ends_at=starts + timedelta(hours=3))
        activity.sessions.append(ActivitySession(starts_at=starts, ends_at=starts + timedelta(hours=3)))
        db.session.add(activity)
    db.session.commit()
    return count
