"""Demo library: fifteen resources of every kind and every access (public, network, The Gambia's parliament,
a mentoring pair if the demo has one), some from the missions' activities and programme, in several languages.
Each is added once (found by its title) through the library's `publish`."""
from __future__ import annotations

from sqlalchemy import select

from elearn.demo.missions import ASSESSMENT, CONFERENCE, PROGRAMME_SLUG
from elearn.extensions import db
from elearn.library.models import LibraryResource, ResourceAccess, ResourceKind
from elearn.library.services import publish
from elearn.mentoring.models import MentoringPair
from elearn.people.models import Person
from elearn.scheduling.models import Activity, Programme
from elearn.topics import Topic

D, M, G, A, S = (ResourceKind.DOCUMENT, ResourceKind.MODEL_TEXT, ResourceKind.GUIDE, ResourceKind.ANSWER,
                 ResourceKind.SEMINAR_MATERIAL)
PUBLIC, NETWORK, PARLIAMENT, PAIR = (ResourceAccess.PUBLIC, ResourceAccess.NETWORK, ResourceAccess.PARLIAMENT,
                                     ResourceAccess.PAIR)

# title, kind, language, topic slug, access, from (None, "assessment", "conference", "programme"), summary, body
RESOURCES = [
    ("Guide to the budget cycle for committee members", G, "en", "budget", PUBLIC, "programme",
     "The stages of the budget year and where a committee can weigh in.",
     "Pre-budget hearings, the scrutiny of the draft budget, amendments, and the audit of the accounts."),
    ("Model rules of procedure for a public accounts committee", M, "en", "oversight", NETWORK, None,
     "Articles a parliament can adapt: membership, chair from the opposition, hearings, reports.",
     "Article 1. The committee examines the accounts of the State and the reports of the supreme audit "
     "institution. Article 2. The chair is chosen from the opposition."),
    ("Guide de rédaction des amendements", G, "fr", "legislative-procedure", PUBLIC, None,
     "Recevabilité, rédaction et exposé sommaire d'un amendement.",
     "Un amendement porte sur un seul article ; son exposé sommaire en explique l'objet."),
    ("Modelo de reglamento de la comisión de igualdad", M, "es", "gender-equality", NETWORK, None,
     "Un texto modelo para crear una comisión de igualdad de género.",
     "La comisión examina la perspectiva de género de los proyectos de ley y del presupuesto."),
    ("Manual do serviço de redação das atas", G, "pt", "official-record", NETWORK, None,
     "Como se prepara o diário das sessões, da gravação à publicação.",
     "A revisão do texto, a correção pelos oradores e a publicação no prazo."),
    ("دليل الرقابة البرلمانية على عمل الحكومة", G, "ar", "oversight", PUBLIC, None,
     "الأسئلة الشفوية والكتابية ولجان التحقيق.",
     "يمارس البرلمان الرقابة على الحكومة من خلال الأسئلة والاستجوابات ولجان تقصي الحقائق."),
    ("Findings of the needs-assessment mission", D, "en", "committee-work", PARLIAMENT, "assessment",
     "What the mission saw in the committees' secretariats and what it recommends.",
     "Committees lack research support; minutes are published late; the budget committee needs analysts."),
    ("Staffing plan of the committee secretariat", D, "en", "human-resources", PARLIAMENT, None,
     "Posts, grades and training needs of the secretariat.", ""),
    ("Slides: budget transparency in West Africa", S, "en", "budget", NETWORK, "conference",
     "The conference's opening presentation.", "Open budget index, citizens' budgets, timely audit reports."),
    ("Support de séminaire : le contrôle de l'exécution du budget", S, "fr", "budget", NETWORK, "conference",
     "Exposé de la commission des finances.", "Rapports de la Cour des comptes, questions au Gouvernement."),
    ("How long may a committee keep a bill before reporting?", A, "en", "committee-work", NETWORK, None,
     "A published answer of the remote assistance.",
     "Most parliaments set a period of two to six weeks, which the plenary may extend."),
    ("Can the opposition chair the public accounts committee?", A, "en", "majority-opposition", PUBLIC, None,
     "A published answer of the remote assistance.",
     "Yes: in many parliaments the rules reserve the chair for the largest opposition group."),
    ("Induction handbook for newly elected members", G, "en", "new-members", PUBLIC, None,
     "Rights, duties and services of the parliament, for a member's first months.", ""),
    ("Reading list for the mentoring pair: committee hearings", D, "en", "committee-work", PAIR, None,
     "What the mentor recommends reading before the next meeting.",
     "Hearing plans, questioning techniques, the follow-up of recommendations."),
    ("Digital archives: a model retention schedule", M, "en", "archives", NETWORK, None,
     "How long each kind of parliamentary record is kept, and where.", ""),
]


def seed_library() -> None:
    gambia = db.session.scalar(select(Person.parliament_id).where(Person.email == "mp@example.org"))
    trainer = db.session.scalar(select(Person).where(Person.email == "trainer@example.org"))
    pair = db.session.scalar(select(MentoringPair).order_by(MentoringPair.id))
    topics = {topic.slug: topic.id for topic in db.session.scalars(select(Topic))}
    origins = {"assessment": db.session.scalar(select(Activity).where(Activity.title == ASSESSMENT)),
               "conference": db.session.scalar(select(Activity).where(Activity.title == CONFERENCE))}
    programme = db.session.scalar(select(Programme).where(Programme.slug == PROGRAMME_SLUG))
    existing = set(db.session.scalars(select(LibraryResource.title)))
    for title, kind, language, topic, access, origin, summary, body in RESOURCES:
        if title in existing or (access == PAIR and pair is None) or (access == PARLIAMENT and gambia is None):
            continue
        activity = origins.get(origin)
        publish(title=title, summary=summary, body=body, kind=kind, language=language, topic_id=topics.get(topic),
                access=access, parliament_id=gambia if access == PARLIAMENT else None,
                pair_id=pair.id if access == PAIR else None, activity_id=activity.id if activity else None,
                programme_id=(programme.id if programme and origin == "programme"
                              else activity.programme_id if activity else None),
                added_by=trainer)
    db.session.commit()
