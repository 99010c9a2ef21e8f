"""Demo expert roster: members and officials of the assisting parliaments whom missions can call upon.

Availability is dated from the day the seed runs, so the roster search always has periods to find.
"""
from __future__ import annotations

import unicodedata
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.missions.models import ExpertAvailability, ExpertLanguage, ExpertProfile, LanguageLevel
from elearn.people.models import Gender, Parliament, Person, PersonKind
from elearn.topics import Topic

PASSWORD = "demo-learner-2026"
W, M = Gender.WOMAN, Gender.MAN
B, WK, FL, NA = LanguageLevel.BASIC, LanguageLevel.WORKING, LanguageLevel.FLUENT, LanguageLevel.NATIVE
AN, SEN, BE, DE, PT, ES = (("FR", "National Assembly"), ("FR", "Senate"), ("BE", "Chamber of Representatives"),
                           ("DE", "Bundestag"), ("PT", "Assembly of the Republic"), ("ES", "Congress of Deputies"))
TIMEZONES = {"FR": "Europe/Paris", "BE": "Europe/Brussels", "DE": "Europe/Berlin", "PT": "Europe/Lisbon",
             "ES": "Europe/Madrid"}

# Languages are the platform's working languages only (elearn.languages): a German expert's German is not one.
# name, chamber, kind, gender, position, topics, keywords, languages, summary, willing to travel, travel note
ROSTER = [
    ("Claire Vasseur", AN, PersonKind.STAFF, W, "Deputy Director, Committee Department",
     ["committee-work", "oversight"], ["committee secretariat", "hearings", "rules of procedure"],
     [("fr", NA), ("en", FL), ("es", WK)],
     "Twenty years in committee secretariats; has led assessment missions in West Africa and the Caribbean.", True, ""),
    ("Rui Carvalho", PT, PersonKind.STAFF, M, "Head of the Budget Support Unit (UTAO)",
     ["budget", "oversight"], ["budget office", "fiscal forecasts", "public accounts"],
     [("pt", NA), ("en", FL), ("fr", WK), ("es", WK)],
     "Set up the technical budget support unit of the Assembly of the Republic; writes its opinions on the "
     "state budget.", True, "No missions longer than ten days"),
    ("Nadia El Amrani", BE, PersonKind.STAFF, W, "Conference interpreter, Translation Service",
     ["plenary-sitting"], ["interpreting", "consecutive", "simultaneous"],
     [("ar", NA), ("fr", NA), ("en", NA)],
     "Interprets between Arabic, French and English for the Chamber's delegations and visiting committees.",
     True, ""),
    ("Jean-Baptiste Lemaire", SEN, PersonKind.STAFF, M, "Head of the Verbatim Record Service",
     ["official-record", "ict"], ["hansard", "transcription", "speech-to-text"],
     [("fr", NA), ("en", FL)],
     "Runs the Senate's verbatim record; moved it to a digital production chain with same-day publication.",
     True, ""),
    ("Ana Sofia Martins", PT, PersonKind.STAFF, W, "Parliamentary librarian",
     ["library", "archives"], ["cataloguing", "research desk", "open access"],
     [("pt", NA), ("en", FL), ("es", FL)],
     "Manages the catalogue and the members' research desk; has trained librarians in Mozambique and "
     "Cabo Verde.", True, ""),
    ("Thomas Becker", DE, PersonKind.STAFF, M, "Research Services, Budget and Finance",
     ["budget", "library"], ["research service", "policy briefs", "budget analysis"],
     [("en", FL), ("fr", WK)],
     "Writes briefs for the budget committee and trains new researchers of the Bundestag's research services.",
     True, ""),
    ("Isabel Romero Díaz", ES, PersonKind.STAFF, W, "Lawyer of the Cortes Generales",
     ["legislative-procedure", "committee-work"], ["legislative drafting", "amendments", "standing orders"],
     [("es", NA), ("en", FL), ("fr", FL), ("pt", WK)],
     "Advises committees on the admissibility of amendments; co-wrote the drafting manual of the Congress.",
     True, ""),
    ("Philippe Dumont", BE, PersonKind.MP, M, "Member, Finance and Budget Committee",
     ["budget", "oversight"], ["public accounts", "court of audit"],
     [("fr", NA), ("en", WK)],
     "Former rapporteur for the Court of Audit's reports; speaks at seminars on the scrutiny of public accounts.",
     True, "Only outside plenary weeks"),
    ("Sophie Marchand", AN, PersonKind.MP, W, "Member, Committee on Foreign Affairs",
     ["gender-equality", "majority-opposition"], ["women's caucus", "parliamentary diplomacy"],
     [("fr", NA), ("en", FL), ("ar", B)],
     "Chaired the women's delegation; has facilitated dialogue between parliamentary groups in the Sahel.",
     True, "Only outside plenary weeks"),
    ("Miguel Ángel Ortega", ES, PersonKind.STAFF, M, "Head of ICT, Congress of Deputies",
     ["ict", "security"], ["e-parliament", "voting system", "cybersecurity"],
     [("es", NA), ("en", FL), ("pt", WK)],
     "Led the electronic voting and remote-sitting projects of the Congress.", True, ""),
    ("Katrin Vogel", DE, PersonKind.STAFF, W, "Head of Human Resources Development",
     ["human-resources"], ["recruitment", "competency frameworks", "staff training"],
     [("en", FL), ("es", WK)],
     "Designed the Bundestag administration's competency framework and its induction for new officials.",
     False, "Available for remote assistance only"),
    ("Henri Lefèvre", SEN, PersonKind.STAFF, M, "Adviser, Committee on Finance",
     ["budget", "committee-work"], ["budget office", "finance bill", "audit follow-up"],
     [("fr", NA), ("en", WK), ("pt", B)],
     "Prepares the finance committee's scrutiny of the budget bill and of the Court of Audit's reports.",
     True, ""),
    ("Leila Haddad", AN, PersonKind.STAFF, W, "Interpreter, International Relations Department",
     ["protocol"], ["interpreting", "official visits"],
     [("ar", NA), ("fr", NA), ("en", FL)],
     "Interprets for the President's official visits and for delegations from the Arab world.", True, ""),
    ("João Pereira", PT, PersonKind.MP, M, "Member, Committee on Budget and Finance",
     ["budget", "new-members"], ["budget cycle", "induction"],
     [("pt", NA), ("es", FL), ("en", WK)],
     "Has given induction sessions on the budget cycle to new members in Lusophone parliaments.", True, ""),
    ("Marie Claes", BE, PersonKind.STAFF, W, "Head of Archives",
     ["archives", "official-record"], ["records management", "digitisation", "retention schedules"],
     [("fr", NA), ("en", FL)],
     "Digitised a century of plenary records; advises on retention schedules and archive buildings.", True, ""),
    ("Friedrich Hartmann", DE, PersonKind.MP, M, "Member, Committee on Economic Cooperation",
     ["oversight", "majority-opposition"], ["opposition rights", "inquiry committees"],
     [("en", FL), ("fr", B)],
     "Sat on two committees of inquiry; speaks on the rights of the opposition in oversight.", True,
     "Only outside sitting weeks"),
    ("Carmen Vidal Ruiz", ES, PersonKind.STAFF, W, "Head of Protocol",
     ["protocol", "security"], ["official visits", "ceremonies", "delegations"],
     [("es", NA), ("en", FL), ("fr", WK), ("ar", B)],
     "Organises official visits to the Congress and the security of foreign delegations.", True, ""),
    ("Olivier Girard", AN, PersonKind.STAFF, M, "Clerk, Legislative Services",
     ["legislative-procedure", "plenary-sitting"], ["table office", "amendments", "order paper"],
     [("fr", NA), ("en", FL), ("es", B)],
     "Sits at the table during plenary sittings; trains clerks on the handling of amendments.", True, ""),
    ("Beatriz Nunes", PT, PersonKind.STAFF, W, "Conference interpreter",
     ["plenary-sitting"], ["interpreting", "simultaneous"],
     [("pt", NA), ("en", NA), ("fr", FL), ("es", FL)],
     "Interprets for the Assembly's delegations to Lusophone and international parliamentary assemblies.",
     True, ""),
    ("Stefan Krüger", DE, PersonKind.STAFF, M, "Head of Parliamentary Documentation",
     ["library", "ict"], ["documentation system", "open data", "thesaurus"],
     [("en", FL)],
     "Runs the Bundestag's documentation system and its open-data publication.", True, ""),
    ("Émilie Rousseau", SEN, PersonKind.STAFF, W, "Head of Training, Human Resources",
     ["human-resources", "new-members"], ["training plans", "induction", "e-learning"],
     [("fr", NA), ("en", WK), ("es", WK)],
     "Builds the Senate's training plan and the induction of new senators' assistants.", True, ""),
    ("Pablo Serrano", ES, PersonKind.MP, M, "Member, Committee on Budget",
     ["budget", "oversight"], ["budget amendments", "public accounts"],
     [("es", NA), ("pt", WK), ("en", WK)],
     "Has taken part in peer exchanges with Latin American budget committees.", True,
     "Only outside plenary weeks"),
    ("Anne Dubois", BE, PersonKind.STAFF, W, "Head of the Committee Secretariat",
     ["committee-work", "gender-equality"], ["committee reports", "gender mainstreaming"],
     [("fr", NA), ("en", FL), ("es", B)],
     "Introduced gender impact notes in committee reports; coached committee secretaries in Morocco and Benin.",
     True, ""),
    ("Karim Benali", AN, PersonKind.STAFF, M, "Security Adviser",
     ["security"], ["building security", "crisis plans"],
     [("fr", NA), ("ar", FL), ("en", WK)],
     "Wrote the Assembly's crisis plan; has advised parliaments in North Africa on building security.", True, ""),
    ("Inês Almeida", PT, PersonKind.STAFF, W, "Legal adviser, Committee on Constitutional Affairs",
     ["legislative-procedure", "oversight"], ["constitutional review", "regulatory impact"],
     [("pt", NA), ("fr", FL), ("en", FL)],
     "Prepares the constitutional committee's opinions; trained legislative drafters in Guinea-Bissau.", True, ""),
    ("Lukas Schneider", DE, PersonKind.STAFF, M, "ICT Project Manager",
     ["ict", "official-record"], ["speech-to-text", "digital workflow"],
     [("en", FL), ("es", B)],
     "Manages the speech-recognition pilot for the verbatim record.", True, ""),
    ("Marta Giménez", ES, PersonKind.STAFF, W, "Librarian, Research and Documentation",
     ["library"], ["research desk", "press monitoring"],
     [("es", NA), ("en", FL), ("fr", WK), ("pt", WK)],
     "Runs the members' research desk and the daily press review of the Congress.", True, ""),
    ("Antoine Mercier", SEN, PersonKind.MP, M, "Senator, Committee on European Affairs",
     ["oversight", "committee-work"], ["european affairs", "scrutiny reserve"],
     [("fr", NA), ("en", FL)],
     "Rapporteur on subsidiarity; has spoken at regional seminars on committee oversight.", False,
     "Cannot travel before the end of the session"),
    ("Hélène Morel", AN, PersonKind.STAFF, W, "Head of the Budget Evaluation Unit",
     ["budget"], ["performance budgeting", "spending reviews"],
     [("fr", NA), ("en", FL), ("pt", B)],
     "Leads the Assembly's spending reviews and trains staff of budget offices abroad.", True, ""),
    ("Youssef Amrani", BE, PersonKind.STAFF, M, "Translator and interpreter",
     ["plenary-sitting", "protocol"], ["interpreting", "translation"],
     [("ar", NA), ("fr", NA), ("en", FL), ("es", WK)],
     "Translates for the Chamber's Arabic-language partners and interprets during missions.", True, ""),
]


def email_of(name: str) -> str:
    """firstname.last-names@example.org, accents dropped: the addresses stay stable between runs."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    first, *rest = plain.split()
    return f"{first}.{'-'.join(rest)}@example.org"


def _availability(index: int) -> list[ExpertAvailability]:
    """Two periods over the coming months, spread so that searches on a date range find some, not all."""
    today = utcnow().date()
    first = today + timedelta(days=7 + (index * 5) % 40)
    second = today + timedelta(days=80 + (index * 11) % 60)
    periods = [ExpertAvailability(starts_on=first, ends_on=first + timedelta(days=14 + index % 3 * 7))]
    if index % 4:
        periods.append(ExpertAvailability(starts_on=second, ends_on=second + timedelta(days=20),
                                          note="After the budget session" if index % 2 else ""))
    return periods


def seed_roster() -> dict[str, Person]:
    """The experts and their profiles, by email; only the missing ones are added."""
    chambers = {(p.country_code, p.chamber_name): p for p in db.session.scalars(
        select(Parliament).where(Parliament.gives_assistance.is_(True)))}
    topics = {t.slug: t for t in db.session.scalars(select(Topic))}
    emails = [email_of(row[0]) for row in ROSTER]
    people = {p.email: p for p in db.session.scalars(select(Person).where(Person.email.in_(emails)))}
    profiled = set(db.session.scalars(select(ExpertProfile.person_id)))
    shared_hash = None
    for index, (name, chamber, kind, gender, position, topic_slugs, keywords, languages, summary, travels,
                note) in enumerate(ROSTER):
        parliament = chambers.get(chamber)
        if parliament is None:
            continue  # a trimmed reference list: the roster shrinks with it
        email = email_of(name)
        person = people.get(email)
        if person is None:
            # One hash for all: hashing is deliberately slow, and they share the learners' password.
            shared_hash = shared_hash or generate_password_hash(
                PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
            person = Person(email=email, full_name=name, kind=kind, role=Role.LEARNER, gender=gender,
                            parliament_id=parliament.id, position=position, password_hash=shared_hash,
                            timezone=TIMEZONES[chamber[0]], preferred_language=languages[0][0]
                            if languages[0][0] in {"en", "fr", "es", "pt", "ar"} else "en")
            db.session.add(person)
            db.session.flush()
            people[email] = person
        if person.id not in profiled:
            db.session.add(ExpertProfile(
                person=person, summary=summary, keywords=keywords, willing_to_travel=travels, travel_note=note,
                topics=[topics[s] for s in topic_slugs if s in topics],
                languages=[ExpertLanguage(language=code, level=level) for code, level in languages],
                availability=_availability(index)))
    db.session.commit()
    return people
