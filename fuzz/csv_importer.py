"""Atheris target: the CSV import of people (`make fuzz`).

The first byte chooses the way in: an uploaded file (decode_csv, check_csv, then
import_people when the check passes) or the text the confirm step posts back,
which may be anything (import_people directly). ImportFileError is the
importer's answer to a bad file; any other exception is a finding, and so is a
refused import that changed the database.

    .venv/bin/python -m fuzz.csv_importer fuzz/corpus/csv_importer -max_total_time=60
"""
from __future__ import annotations

import os

import atheris

from fuzz.common import run, scratch_folder

SCRATCH = scratch_folder("hemicycle-fuzz-csv-")
os.environ.setdefault("HEMICYCLE_INSTANCE_PATH", str(SCRATCH / "instance"))

with atheris.instrument_imports(include=["elearn"]):
    from sqlalchemy import delete, func, select

    from elearn import create_app
    from elearn.access import Role
    from elearn.extensions import db
    from elearn.mail.models import OutboxMessage
    from elearn.people.affiliations import PoliticalAffiliation
    from elearn.people.importing import ImportFileError, check_csv, decode_csv, import_people
    from elearn.people.models import OneTimeToken, Parliament, Person, PersonKind

app = create_app({
    "TESTING": True, "SECRET_KEY": "fuzz-secret-key-not-for-production", "SITE_URL": "http://hemicycle.test",
    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{SCRATCH / 'fuzz.db'}", "MAIL_SERVER": "",
    "RATELIMIT_STORAGE_URI": "memory://",
})
app.app_context().push()
db.create_all()
db.session.add_all([
    Parliament(name_en="Parliament of Bhutan", name_fr="Parlement du Bhoutan", country_code="BT", chamber_name=""),
    Parliament(name_en="French National Assembly", name_fr="Assemblée nationale", country_code="FR",
               chamber_name="National Assembly"),
    Parliament(name_en="French Senate", name_fr="Sénat", country_code="FR", chamber_name="Senate"),
    Person(email="learner@example.org", full_name="Already Here", kind=PersonKind.STAFF, role=Role.LEARNER),
])
db.session.commit()
FIRST_NEW_ID = db.session.scalar(select(func.max(Person.id))) + 1


def counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Person, OutboxMessage, OneTimeToken, PoliticalAffiliation))


def forget_imported() -> None:
    new = select(Person.id).where(Person.id >= FIRST_NEW_ID)
    db.session.execute(delete(OneTimeToken).where(OneTimeToken.person_id.in_(new)))
    db.session.execute(delete(PoliticalAffiliation).where(PoliticalAffiliation.person_id.in_(new)))
    db.session.execute(delete(OutboxMessage))
    db.session.execute(delete(Person).where(Person.id >= FIRST_NEW_ID))
    db.session.commit()


def test_one_input(data: bytes) -> None:
    if not data:
        return
    mode, raw = data[0], data[1:]
    before = counts()
    try:
        if mode & 1:  # the confirm step: the form's text, decoded as werkzeug does
            text = raw.decode("utf-8", errors="replace")
        else:
            text = decode_csv(raw)
            if not check_csv(text).ok:
                return
        imported = import_people(text, send_invitations=bool(mode & 2))
    except ImportFileError:
        db.session.rollback()
        if counts() != before:
            raise AssertionError("a refused import changed the database") from None
        return
    if counts()[0] != before[0] + len(imported):
        raise AssertionError("the import saved a different number of people than it returned")
    forget_imported()


SEEDS = {
    "good": b"\x00email,full_name,kind,parliament,timezone,preferred_language\n"
            b"karma@example.org,Karma Dorji,MP,BT,Asia/Thimphu,en\n"
            b"chikondi@example.org,Chikondi Banda,Fonctionnaire,French Senate,Africa/Blantyre,fr\n",
    "semicolons": "\x02\ufeffemail;full_name;parliament;political_side;term_started_on;kind\r\n"
                  "sonam@example.org;Sonam Wangchuk;parliament of bhutan;government;2023-01-31;mp\r\n".encode(),
    "bad": b"\x01email,full_name,kind,parliament,timezone,role,gender\n"
           b"learner@example.org,Already Here,staff,BT,UTC,learner,\n"
           b"fine@example.org,Fine Person,staff,FR,UTC,focal_point,female\n"
           b"FINE@example.org,\"Same, Again\",senator,Atlantis,Mars/Olympus_Mons,admin,x\n"
           b"not-an-email,,staff,BT,UTC,,,extra\n",
}

if __name__ == "__main__":
    run(test_one_input, SEEDS)
