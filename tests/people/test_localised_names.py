"""Parliaments and topics named in the reader's language (en, fr, es, pt, ar), English when a name is missing."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.importing import check_csv
from elearn.people.models import Parliament
from elearn.people.parliament_data import REFERENCE_PARLIAMENTS
from elearn.scheduling.models import AttendanceStatus
from elearn.topics import REFERENCE_TOPICS, TOPIC_NAMES, Topic
from tests import factories
from tests.delegations.boards_fixture import build_world
from tests.helpers import sign_in, text
from tests.people import submit
from tests.reports.factories import attend, make_held_activity
from tests.scheduling.test_localised import option_labels

IVORY = {"es": "Asamblea Nacional de Costa de Marfil", "pt": "Assembleia Nacional da Costa do Marfim",
         "ar": "الجمعية الوطنية في كوت ديفوار"}
WINDOW = {"from": "2030-03-25", "to": "2030-04-05"}


def signed_in(app, role: Role, language: str, **values):
    person = factories.make_person(role, preferred_language=language, **values)
    client = app.test_client()
    sign_in(client, person.email, factories.PASSWORD)
    return client


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


# The model and the SQL helper

def test_a_parliament_reads_in_each_language_and_falls_back_to_english(app):
    parliament = factories.make_parliament(name_en="National Assembly of Panama", name_fr="Assemblée nationale du Panama",
                                           name_es="Asamblea Nacional de Panamá", name_pt="", name_ar=None)

    assert parliament.name("es") == "Asamblea Nacional de Panamá"
    assert parliament.name("fr") == "Assemblée nationale du Panama"
    assert parliament.name("pt") == parliament.name("ar") == "National Assembly of Panama"
    assert parliament.name("pt_PT") == parliament.name("de") == parliament.name(None) == "National Assembly of Panama"
    for language in ("en", "fr", "es", "pt", "ar"):  # SQL chooses as Python does, an empty name included
        assert db.session.scalar(select(Parliament.name_column(language)).where(
            Parliament.id == parliament.id)) == parliament.name(language)


def test_a_topic_reads_in_each_language(app):
    topic = Topic(slug="budget", name_en="Budget", name_fr="Budget", name_pt="Orçamento", name_ar="الميزانية")
    assert (topic.name("pt"), topic.name("ar"), topic.name("es")) == ("Orçamento", "الميزانية", "Budget")
    for language, expected in (("es", "Organización de la sesión plenaria"), ("ar", "تنظيم الجلسة العامة"),
                               ("en", "Organisation of the plenary sitting")):
        with force_locale(language):
            assert str(TOPIC_NAMES["plenary-sitting"]) == expected


def test_every_reference_row_is_named_in_every_language():
    for names in [parliament.names for parliament in REFERENCE_PARLIAMENTS] + [names for _, names in REFERENCE_TOPICS]:
        assert set(names) == {"en", "fr", "es", "pt", "ar"} and all(name.strip() for name in names.values())
        assert all(len(name) <= 120 for name in names.values())


# Pages, exports and boards

@pytest.fixture
def panama(app):
    factories.make_parliament(name_en="National Assembly of Panama", name_fr="Assemblée nationale du Panama",
                              name_es="Asamblea Nacional de Panamá", name_pt="Assembleia Nacional do Panamá",
                              name_ar="الجمعية الوطنية في بنما", country_code="PA")
    factories.make_parliament(name_en="Parliament of Bhutan", name_fr="Parlement du Bhoutan", country_code="BT")


@pytest.mark.parametrize("language, panama_name", [("es", "Asamblea Nacional de Panamá"),
                                                   ("pt", "Assembleia Nacional do Panamá"),
                                                   ("ar", "الجمعية الوطنية في بنما")])
def test_the_activities_filter_names_parliaments_in_the_readers_language(app, panama, language, panama_name):
    labels = option_labels(text(signed_in(app, Role.LEARNER, language).get("/activities")), "parliament")

    assert panama_name in labels and "Parliament of Bhutan" in labels  # Bhutan has no name there: English
    assert "National Assembly of Panama" not in labels


def test_the_roster_export_names_parliaments_in_the_readers_language(app):
    gambia = factories.make_parliament(name_en="National Assembly of The Gambia", name_fr="Assemblée nationale de Gambie",
                                       name_pt="Assembleia Nacional da Gâmbia", name_ar="الجمعية الوطنية في غامبيا")
    start = datetime.combine(utcnow().date() - timedelta(days=7), datetime.min.time()).replace(hour=9)
    activity = make_held_activity([(start, start.replace(hour=12))], title="Budget workshop")
    attend(activity, factories.make_person(full_name="Fatou Jallow", parliament=gambia), AttendanceStatus.PRESENT)
    path = f"/manage/activities/{activity.id}/participants.csv"

    for language, expected in (("pt", "Assembleia Nacional da Gâmbia"), ("ar", "الجمعية الوطنية في غامبيا"),
                               ("es", "National Assembly of The Gambia")):  # no Spanish name: English
        rows = csv_rows(signed_in(app, Role.TRAINER, language).get(path))
        assert rows[1][:3] == ["Fatou Jallow", rows[1][1], expected]


@pytest.fixture
def world(app, people):
    world = build_world()
    ivory = world.people["Aya Kone"].parliament
    ivory.name_es, ivory.name_pt, ivory.name_ar = IVORY["es"], IVORY["pt"], IVORY["ar"]
    db.session.commit()
    return world


@pytest.mark.parametrize("language", ["es", "pt", "ar"])
def test_the_delegation_board_names_parliaments_in_the_readers_language(app, world, language):
    client = signed_in(app, Role.ADMIN, language)
    rows = csv_rows(client.get("/manage/logistics/rooming.csv", query_string=WINDOW))
    parliaments = {row[1]: row[2] for row in rows[1:]}

    assert parliaments["Aya Kone"] == IVORY[language]
    assert parliaments["Hiro Sato"] == "House of Councillors"  # no name in that language: English
    page = text(client.get("/manage/logistics/arrivals", query_string=WINDOW))
    assert IVORY[language] in page and "National Assembly of Côte d'Ivoire" not in page


# Reference data, the admin form and the importer

def test_setup_fills_missing_names_and_keeps_an_administrators(app, runner):
    gambia = Parliament(country_code="GM", chamber_name="National Assembly", name_en="Our Gambia",
                        name_fr="Notre Gambie", name_es="Asamblea de Gambia (nuestra)", name_pt="")
    budget = Topic(slug="budget", name_en="Budget", name_fr="Budget", name_ar="ميزانيتنا")
    db.session.add_all([gambia, budget])
    db.session.commit()

    result = runner.invoke(args=["setup"])

    assert (f"reference data ready: {len(REFERENCE_TOPICS) - 1} topics and {len(REFERENCE_PARLIAMENTS) - 1} "
            "parliaments added") in result.output
    db.session.expire_all()
    assert (gambia.name_en, gambia.name_fr, gambia.name_es) == ("Our Gambia", "Notre Gambie", "Asamblea de Gambia (nuestra)")
    assert (gambia.name_pt, gambia.name_ar) == ("Assembleia Nacional da Gâmbia", "الجمعية الوطنية في غامبيا")
    assert (budget.name_ar, budget.name_es) == ("ميزانيتنا", "Presupuesto y gestión financiera")
    panama = db.session.scalar(select(Parliament).where(Parliament.country_code == "PA"))
    assert (panama.name_es, panama.name("pt")) == ("Asamblea Nacional de Panamá", "Assembleia Nacional do Panamá")
    assert db.session.scalar(select(Topic).where(Topic.slug == "library")).name("ar") == "المكتبة والتوثيق"


def test_the_parliament_form_saves_the_names_in_spanish_portuguese_and_arabic(admin_client, people):
    page = text(admin_client.get("/admin/parliaments/new"))
    assert "Name in Spanish" in page and 'dir="rtl" id="name_ar" lang="ar"' in page
    submit(admin_client, "/admin/parliaments/new", {
        "name_en": "Parliament of Malawi", "name_fr": "Parlement du Malawi", "name_es": "Parlamento de Malaui",
        "name_pt": "Parlamento do Malawi", "name_ar": "برلمان ملاوي", "country_code": "mw",
        "chamber_name": "National Assembly", "receives_assistance": "y", "working_languages": ["en"]})
    malawi = db.session.scalar(select(Parliament).where(Parliament.country_code == "MW"))
    assert (malawi.name_es, malawi.name_pt, malawi.name_ar) == ("Parlamento de Malaui", "Parlamento do Malawi",
                                                                "برلمان ملاوي")

    submit(admin_client, f"/admin/parliaments/{malawi.id}", {"name_pt": "  ", "name_es": "Parlamento de Malawi"})

    db.session.expire_all()
    assert (malawi.name_es, malawi.name_pt, malawi.name("pt")) == ("Parlamento de Malawi", None, "Parliament of Malawi")


def test_the_importer_matches_a_parliament_by_its_spanish_portuguese_or_arabic_name(app, people):
    panama = factories.make_parliament(name_en="National Assembly of Panama", country_code="PA",
                                       name_es="Asamblea Nacional de Panamá", name_pt="Assembleia Nacional do Panamá",
                                       name_ar="الجمعية الوطنية في بنما")
    check = check_csv("email,full_name,parliament\n"
                      "ana@example.org,Ana Ruiz,asamblea nacional de panamá\n"
                      "joao@example.org,João Lopes,Assembleia Nacional do Panamá\n"
                      "amal@example.org,Amal Haddad,الجمعية الوطنية في بنما\n")

    assert check.problems == []
    assert [row.data.parliament_id for row in check.rows] == [panama.id] * 3
