"""Staff and public scheduling pages in the reader's language: names, their order, numbers and plurals."""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest

from elearn.access import Role
from elearn.database import utcnow
from elearn.extensions import db
from elearn.scheduling import services
from elearn.scheduling.models import AttendanceStatus, ProgrammeKind, ProgrammeStatus
from elearn.scheduling.programmes import ProgrammeInput, save_programme
from elearn.topics import Topic
from tests import factories
from tests.helpers import sign_in, text
from tests.reports.factories import attend, make_held_activity
from tests.scheduling.factories import make_activity


def option_labels(page: str, select_name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select named {select_name}"
    return [html.unescape(label).strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))]


def checkbox_labels(page: str, name: str) -> list[str]:
    return [html.unescape(label).strip()
            for label in re.findall(rf'<input type="checkbox" name="{name}"[^>]*>([^<]*)</label>', page)]


def signed_in(app, role: Role, language: str, **values):
    person = factories.make_person(role, preferred_language=language, **values)
    client = app.test_client()
    sign_in(client, person.email, factories.PASSWORD)
    return client


@pytest.fixture
def names(app):
    """Two parliaments and three topics whose French names sort otherwise than their English ones."""
    gambia = factories.make_parliament(name_en="National Assembly of The Gambia", name_fr="Assemblée nationale de Gambie",
                                       gives_assistance=True)
    ethiopia = factories.make_parliament(name_en="House of Federation of Ethiopia", country_code="ET",
                                         name_fr="Chambre de la Fédération d'Éthiopie", gives_assistance=True)
    for slug, name_en, name_fr in (("drafting", "Legislative drafting", "Légistique"), ("ethics", "Ethics", "Éthique"),
                                   ("finance", "Public finance", "Finances publiques")):
        db.session.add(Topic(slug=slug, name_en=name_en, name_fr=name_fr))
    db.session.commit()
    return {"gambia": gambia, "ethiopia": ethiopia}


FRENCH_PARLIAMENTS = ["Assemblée nationale de Gambie", "Chambre de la Fédération d'Éthiopie"]


def test_the_activity_form_offers_parliaments_and_topics_in_french_and_french_order(app, names):
    page = text(signed_in(app, Role.TRAINER, "fr").get("/manage/activities/new"))

    assert option_labels(page, "topic_ids") == ["Éthique", "Finances publiques", "Légistique"]
    assert option_labels(page, "invited_parliament_ids") == FRENCH_PARLIAMENTS
    assert option_labels(page, "host_parliament_id")[1:] == FRENCH_PARLIAMENTS


def test_the_programme_form_and_list_name_parliaments_in_french(app, names):
    trainer = signed_in(app, Role.TRAINER, "fr")
    form = text(trainer.get("/manage/programmes/new"))
    assert option_labels(form, "partner_ids") == FRENCH_PARLIAMENTS
    assert option_labels(form, "consortium_ids") == FRENCH_PARLIAMENTS
    save_programme(ProgrammeInput(title="Soutien", slug="soutien", kind=ProgrammeKind.BILATERAL,
                                  status=ProgrammeStatus.PLANNED, partner_ids=(names["gambia"].id, names["ethiopia"].id)))

    listing = html.unescape(text(trainer.get("/manage/programmes")))

    assert "Assemblée nationale de Gambie, Chambre de la Fédération d'Éthiopie" in listing
    assert "National Assembly of The Gambia" not in listing


def test_the_person_form_offers_parliaments_in_french(app, names):
    page = text(signed_in(app, Role.ADMIN, "fr").get("/admin/people/new"))

    assert option_labels(page, "parliament_id")[1:] == FRENCH_PARLIAMENTS


def test_the_report_and_enrolment_forms_sort_parliaments_and_topics_in_french(app, names):
    from tests.learning.factories import make_course

    trainer = signed_in(app, Role.TRAINER, "fr")
    report = text(trainer.get("/reports/participation"))
    assert option_labels(report, "parliament_id")[1:] == FRENCH_PARLIAMENTS
    assert option_labels(report, "topic_id")[1:] == ["Éthique", "Finances publiques", "Légistique"]
    make_course("budget-basics")
    assert option_labels(text(trainer.get("/admin/courses/budget-basics/enrol")), "parliament_id")[1:] == FRENCH_PARLIAMENTS


def test_the_public_filters_and_the_request_form_sort_in_french(app, names):
    learner = signed_in(app, Role.LEARNER, "fr")
    listing = text(learner.get("/activities"))
    assert option_labels(listing, "topic")[1:] == ["Éthique", "Finances publiques", "Légistique"]
    assert option_labels(listing, "parliament")[1:] == FRENCH_PARLIAMENTS
    calendar = text(learner.get("/calendar"))
    assert checkbox_labels(calendar, "topic") == ["Éthique", "Finances publiques", "Légistique"]
    assert checkbox_labels(calendar, "parliament") == FRENCH_PARLIAMENTS
    trainer = signed_in(app, Role.TRAINER, "fr")
    assert option_labels(text(trainer.get("/cooperation/requests")), "parliament")[1:] == FRENCH_PARLIAMENTS


def test_accents_do_not_send_a_name_to_the_end():
    from elearn.i18n import name_sort_key

    assert sorted(["Zambie", "Éthiopie", "Gambie", "bhoutan"], key=name_sort_key) == [
        "bhoutan", "Éthiopie", "Gambie", "Zambie"]


@pytest.fixture
def held_roster(app, names):
    """A session of six hours and a half last week, at which a Gambian member was present."""
    start = datetime.combine(utcnow().date() - timedelta(days=7), datetime.min.time()).replace(hour=9)
    activity = make_held_activity([(start, start.replace(hour=15, minute=30))], title="Budget workshop")
    attend(activity, factories.make_person(full_name="Fatou Jallow", parliament=names["gambia"]),
           AttendanceStatus.PRESENT)
    return activity


def test_the_roster_and_its_csv_write_hours_and_parliaments_as_the_reader_does(app, held_roster):
    french = signed_in(app, Role.TRAINER, "fr")
    roster = text(french.get(f"/manage/activities/{held_roster.id}"))
    assert '<td class="num">6,5</td>' in roster and "6.5" not in roster

    csv_text = french.get(f"/manage/activities/{held_roster.id}/participants.csv").get_data().decode("utf-8-sig")
    assert "Assemblée nationale de Gambie" in csv_text and "National Assembly" not in csv_text
    assert csv_text.splitlines()[1].endswith(',"6,5"')

    english = signed_in(app, Role.TRAINER, "en")
    english_csv = english.get(f"/manage/activities/{held_roster.id}/participants.csv").get_data().decode("utf-8-sig")
    assert english_csv.splitlines()[1].endswith(",6.5") and "National Assembly of The Gambia" in english_csv


def test_a_quota_of_one_seat_is_said_in_the_singular(app):
    parliament = factories.make_parliament()
    focal = factories.make_person(Role.FOCAL_POINT, parliament=parliament, preferred_language="en")
    colleagues = [factories.make_person(parliament=parliament) for _ in range(2)]
    activity = make_activity(quota_per_parliament=1)
    client = app.test_client()
    sign_in(client, focal.email, factories.PASSWORD)
    assert "Your parliament may hold 1 seat." in text(client.get(f"/activities/{activity.id}/nominate"))

    services.nominate(activity.id, colleagues[0], focal)
    with app.test_request_context(), pytest.raises(services.SchedulingError) as refusal:
        services.nominate(activity.id, colleagues[1], focal)
    assert str(refusal.value) == "Your parliament's quota of 1 seat is used."

    focal.preferred_language = "fr"
    db.session.commit()
    assert "Votre parlement dispose d'au plus 1 place." in html.unescape(
        text(client.get(f"/activities/{activity.id}/nominate")))


def test_the_activity_page_names_its_languages(client):
    activity = make_activity(languages=("en", "fr"))

    page = text(client.get(f"/activities/{activity.id}"))

    assert '<span lang="en" dir="ltr">English</span>, <span lang="fr" dir="ltr">Français</span>' in page
    assert "en, fr" not in page


def test_a_session_joins_its_date_and_times_as_each_language_does():
    """Babel has no date-and-time interval, so the span is composed: with the locale's own joint, so that an
    Arabic page reads the Arabic comma and not a Latin one between the day and the hours."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from elearn.scheduling.display import format_span

    utc = ZoneInfo("UTC")
    start, end = datetime(2026, 12, 13, 9, tzinfo=timezone.utc), datetime(2026, 12, 13, 16, 30, tzinfo=timezone.utc)
    shown = {locale: format_span(start, end, False, activity_zone=utc, zone=utc, locale=locale).replace("\u202f", " ")
             for locale in ("en", "pt", "ar")}
    assert shown["en"] == "Sun, Dec 13, 2026, 9:00 AM–4:30 PM"
    assert shown["pt"] == "dom., 13 de dez. de 2026 09:00–16:30"
    assert shown["ar"].startswith("الأحد، 13 ديسمبر 2026، ") and "," not in shown["ar"]
