"""Demo: a directory of Paris institutions and a three-day agenda of meetings for the demo working visit."""
from __future__ import annotations

from datetime import time

from sqlalchemy import func, select

from elearn.delegations import agenda, institutions
from elearn.delegations.agenda_models import AgendaItem, Institution, InstitutionKind
from elearn.demo.delegations import VISIT_TITLE
from elearn.extensions import db
from elearn.people.models import Person, PersonKind
from elearn.scheduling.models import Activity, ActivitySession, Registration, RegistrationState

K = InstitutionKind
# name, kind, address, contact person
INSTITUTIONS = [
    ("Senate", K.UPPER_HOUSE, "15 rue de Vaugirard", "Protocol office of the Senate"),
    ("Constitutional Council", K.CONSTITUTIONAL_COURT, "2 rue de Montpensier", "Office of the Secretary General"),
    ("Council of State", K.COUNCIL_OF_STATE, "1 place du Palais-Royal", "International relations unit"),
    ("General Secretariat of the Government", K.GENERAL_SECRETARIAT, "57 rue de Varenne", "Legislative department"),
    ("Ministry of Economy and Finance", K.MINISTRY, "139 rue de Bercy", "Budget directorate, protocol"),
    ("Court of Audit", K.COURT, "13 rue Cambon", "International relations department"),
]

# day (0-2), start, end, title, institution, host, room, members only, briefing
AGENDA = [
    (0, time(9, 30), time(11, 0), "Welcome and the examination of the budget bill", "Senate",
     "The Finance Committee's secretariat", "Salle Médicis", False,
     "How the upper house examines the **budget bill** after the National Assembly; questions to prepare."),
    (0, time(14, 30), time(16, 0), "Meeting with members of the Finance Committee", "Senate",
     "The chair of the Finance Committee", "Salle René Monory", True,
     "For the members of the delegation: an exchange between legislators on amendments to the budget."),
    (1, time(9, 30), time(11, 0), "Review of the constitutionality of finance laws", "Constitutional Council",
     "The Secretary General", "Grand salon", False, ""),
    (1, time(11, 30), time(12, 30), "Preparing government bills", "General Secretariat of the Government",
     "The head of the legislative department", "Hôtel Matignon, salle des conseillers", False, ""),
    (1, time(15, 0), time(16, 30), "Drafting the budget", "Ministry of Economy and Finance",
     "The Budget directorate", "Bâtiment Colbert, salle 1", False,
     "Bring questions on the budget calendar and performance indicators."),
    (2, time(9, 30), time(11, 0), "The Council of State's advice on bills", "Council of State",
     "The president of the Finance section", "Salle d'assemblée", False, ""),
    (2, time(14, 0), time(15, 30), "Certifying the State's accounts", "Court of Audit",
     "A chamber president", "Grand'chambre", False,
     "How the Court assists Parliament in overseeing the budget's execution."),
]


def _directory() -> dict[str, Institution]:
    found = {}
    for name, kind, address, contact in INSTITUTIONS:
        institution = db.session.scalar(select(Institution).where(Institution.name == name,
                                                                   Institution.city == "Paris"))
        if institution is None:
            institution = institutions.save_institution(institutions.InstitutionInput(
                name=name, kind=kind, address=address, city="Paris", country="FR", contact_name=contact))
        found[name] = institution
    return found


def _members(activity: Activity) -> tuple[int, ...]:
    return tuple(db.session.scalars(
        select(Registration.id).join(Registration.person)
        .where(Registration.activity_id == activity.id, Registration.state == RegistrationState.CONFIRMED,
               Person.kind == PersonKind.MP).order_by(Registration.id)))


def seed_agenda() -> None:
    directory = _directory()
    activity = db.session.scalar(select(Activity).where(Activity.title == VISIT_TITLE))
    if activity is None or len(activity.sessions) < 3:
        return
    already = db.session.scalar(select(func.count()).select_from(AgendaItem).join(ActivitySession)
                                .where(ActivitySession.activity_id == activity.id))
    if already:
        return
    members = _members(activity)
    for day, start, end, title, where, host, room, members_only, briefing in AGENDA:
        session = activity.sessions[day]
        agenda.create_item(activity, agenda.AgendaItemInput(
            session_id=session.id, day=session.local_start.date(), start_time=start, end_time=end, title=title,
            institution_id=directory[where].id, host=host, room=room, briefing_md=briefing,
            for_everyone=not (members_only and members), registration_ids=members if members_only else ()))
