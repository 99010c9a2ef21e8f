"""The demo's delegations: a ministry-funded training cycle and a working visit, for calls, agendas,
logistics, letters and costs to build on. Dated from today; re-runs add nothing.
"""
from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import Gender, Parliament, Person, PersonKind, PoliticalSide
from elearn.scheduling import services
from elearn.scheduling.models import Activity, ActivityStatus, Audience, Modality, Programme, ProgrammeKind

CYCLE_TITLE = "French-language training cycle 2027"
CYCLE_PROGRAMME_SLUG = "francophone-cycles"
VISIT_TITLE = "Working visit of a delegation of the National Assembly of Côte d'Ivoire"
VISIT_PASSWORD = "demo-learner-2026"

# The visiting delegation: name, email, kind, gender, side (members only).
DELEGATION = [
    ("Awa Kouassi", "awa.kouassi@example.org", PersonKind.MP, Gender.WOMAN, PoliticalSide.RULING),
    ("Yao N'Guessan", "yao.nguessan@example.org", PersonKind.MP, Gender.MAN, PoliticalSide.OPPOSITION),
    ("Mariam Traoré", "mariam.traore@example.org", PersonKind.MP, Gender.WOMAN, PoliticalSide.OPPOSITION),
    ("Koffi Brou", "koffi.brou@example.org", PersonKind.STAFF, Gender.MAN, None),
    ("Aminata Diallo", "aminata.diallo@example.org", PersonKind.STAFF, Gender.WOMAN, None),
    ("Serge Konan", "serge.konan@example.org", PersonKind.STAFF, Gender.MAN, None),
]


def _parliament(country: str) -> Parliament | None:
    return db.session.scalar(select(Parliament).where(Parliament.country_code == country).order_by(Parliament.id))


def _trainer() -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == "trainer@example.org"))


def _seed_cycle(today: date) -> None:
    if db.session.scalar(select(Activity.id).where(Activity.title == CYCLE_TITLE)) is not None:
        return
    programme = db.session.scalar(select(Programme).where(Programme.slug == CYCLE_PROGRAMME_SLUG))
    if programme is None:
        programme = Programme(slug=CYCLE_PROGRAMME_SLUG, title="Francophone parliamentary training cycles",
                              kind=ProgrammeKind.MULTILATERAL, funders=["Ministry of Foreign Affairs"],
                              starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=400),
                              women_target_percent=40)
        db.session.add(programme)
        db.session.commit()
    host = _parliament("FR")
    trainer = _trainer()
    first_day = today + timedelta(days=90)
    data = services.ActivityInput(
        title=CYCLE_TITLE, modality=Modality.TRAINING_PERIOD, timezone="Europe/Paris",
        sessions=(services.SessionInput(start_date=first_day, end_date=first_day + timedelta(days=11),
                                        all_day=True),),
        description_md=("Two weeks in Paris for members and civil servants of partner parliaments: "
                        "procedure, committees, oversight, and the administration that supports them."),
        programme_id=programme.id, languages=("fr",), audience=Audience.BOTH,
        host_parliament_id=host.id if host else None, venue_name="Assemblée nationale", venue_city="Paris",
        venue_country="FR", capacity=30, quota_per_parliament=3, approval_required=True,
        trainer_ids=(trainer.id,) if trainer else ())
    activity = services.create_activity(data, trainer)
    services.set_status(activity, ActivityStatus.PUBLISHED)


def _delegation_people(parliament: Parliament) -> list[Person]:
    from flask import current_app
    from werkzeug.security import generate_password_hash

    people = []
    shared_hash = None
    for name, email, kind, gender, side in DELEGATION:
        person = db.session.scalar(select(Person).where(Person.email == email))
        if person is None:
            shared_hash = shared_hash or generate_password_hash(
                VISIT_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
            person = Person(email=email, full_name=name, kind=kind, gender=gender, political_side=side,
                            role=Role.LEARNER, parliament_id=parliament.id, timezone="Africa/Abidjan",
                            preferred_language="fr", password_hash=shared_hash)
            db.session.add(person)
        people.append(person)
    db.session.commit()
    return people


def _seed_visit(today: date) -> None:
    if db.session.scalar(select(Activity.id).where(Activity.title == VISIT_TITLE)) is not None:
        return
    partner, host = _parliament("CI"), _parliament("FR")
    if partner is None:
        return
    programme = db.session.scalar(select(Programme).where(Programme.slug == "west-africa-2027"))
    trainer = _trainer()
    first_day = today + timedelta(days=21)
    data = services.ActivityInput(
        title=VISIT_TITLE, modality=Modality.EXCHANGE_VISIT, timezone="Europe/Paris",
        sessions=tuple(services.SessionInput(start_date=first_day + timedelta(days=n), start_time=time(9, 0),
                                             end_time=time(17, 30)) for n in range(3)),
        description_md=("Three days in Paris for members and staff of the National Assembly of Côte d'Ivoire: "
                        "how the budget is examined, and the institutions that take part."),
        programme_id=programme.id if programme else None, languages=("fr",), audience=Audience.BOTH,
        host_parliament_id=host.id if host else None, invited_parliament_ids=(partner.id,),
        venue_name="Assemblée nationale", venue_address="126 rue de l'Université", venue_city="Paris",
        venue_country="FR", capacity=8, trainer_ids=(trainer.id,) if trainer else ())
    activity = services.create_activity(data, trainer)
    services.set_status(activity, ActivityStatus.PUBLISHED)
    for person in _delegation_people(partner):
        services.register(activity.id, person)


def seed_delegations() -> None:
    today = utcnow().date()
    _seed_cycle(today)
    _seed_visit(today)
