"""The weekly digest: what is new and open to each person, once per person per week."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.notifications.digest import send_digests, week_key
from elearn.notifications.models import SentReminder
from elearn.notifications.services import PreferenceInput, save_preferences
from elearn.people.models import PersonKind
from elearn.scheduling.models import ActivityStatus, Audience
from elearn.scheduling.services import SessionInput
from elearn.topics import Topic, seed_topics
from tests.factories import make_parliament, make_person
from tests.helpers import frozen_clock, text
from tests.notifications.conftest import outbox
from tests.scheduling.factories import make_activity

UTC = timezone.utc
MONDAY = datetime(2027, 3, 8, 7, 0, tzinfo=UTC)  # ISO week 2027-W10


def in_april(day: int = 12):
    return (SessionInput(start_date=date(2027, 4, day), start_time=time(9), end_time=time(12)),)


@pytest.fixture
def world(app):
    """Two parliaments, people with different choices, and activities published at different times."""
    seed_topics()
    topic = {t.slug: t.id for t in db.session.scalars(select(Topic))}
    gambia, niger = make_parliament(name_en="National Assembly of The Gambia"), make_parliament(name_en="Niger")

    def publish(at: datetime, **values):
        with frozen_clock(at):
            values.setdefault("sessions", in_april())
            values.setdefault("languages", ("en",))
            return make_activity(**values)

    week_start = MONDAY - timedelta(days=7)
    activities = {
        "budget": publish(week_start + timedelta(days=1), title="Budget scrutiny workshop",
                          topic_ids=(topic["budget"],)),
        "niger_only": publish(week_start + timedelta(days=2), title="Séminaire pour le Niger",
                              languages=("en", "fr"), invited_parliament_ids=(niger.id,)),
        "french": publish(week_start + timedelta(days=3), title="Atelier sur le compte rendu", languages=("fr",),
                          topic_ids=(topic["official-record"],)),
        "ict": publish(week_start + timedelta(days=4), title="Digital records for staff",
                       topic_ids=(topic["ict"],)),
        "for_mps": publish(week_start + timedelta(days=5), title="Induction for new members",
                           audience=Audience.MPS),
        "old": publish(week_start - timedelta(days=1), title="Published the week before"),
        "draft": publish(week_start + timedelta(days=1), title="Not yet published", status=ActivityStatus.DRAFT),
    }
    with frozen_clock(week_start + timedelta(days=1)):
        people = {
            "awa": make_person(email="awa@example.org", full_name="Awa Jallow", parliament=gambia,
                               kind=PersonKind.STAFF, timezone="Africa/Banjul"),
            "ousmane": make_person(email="ousmane@example.org", parliament=niger, kind=PersonKind.STAFF,
                                   preferred_language="fr", timezone="Africa/Niamey"),
            "fatou": make_person(email="fatou@example.org", parliament=gambia, kind=PersonKind.MP),
            "quiet": make_person(email="quiet@example.org", parliament=gambia),
            "bilingual": make_person(email="both@example.org", parliament=gambia, kind=PersonKind.STAFF),
        }
    save_preferences(people["awa"], PreferenceInput(reminders=True, digest=True, topic_ids=(topic["budget"],)))
    save_preferences(people["quiet"], PreferenceInput(reminders=True, digest=False))
    save_preferences(people["bilingual"], PreferenceInput(reminders=True, digest=True, languages=("en", "fr")))
    return {"activities": activities, "people": people}


def digest_to(email: str):
    found = outbox(email, kind="digest")
    assert len(found) <= 1
    return found[0] if found else None


def titles_in(message) -> list[str]:
    return [title for title in ("Budget scrutiny workshop", "Séminaire pour le Niger", "Atelier sur le compte rendu",
                                "Digital records for staff", "Induction for new members", "Published the week before",
                                "Not yet published") if title in message.body_text]


def test_each_person_gets_what_is_new_and_open_to_them(world):
    with frozen_clock(MONDAY):
        report = send_digests()

    assert report.queued == 4
    assert titles_in(digest_to("awa@example.org")) == ["Budget scrutiny workshop"]  # her topic only
    assert titles_in(digest_to("ousmane@example.org")) == ["Séminaire pour le Niger", "Atelier sur le compte rendu"]
    assert titles_in(digest_to("fatou@example.org")) == [
        "Budget scrutiny workshop", "Digital records for staff", "Induction for new members"]
    assert titles_in(digest_to("both@example.org")) == [
        "Budget scrutiny workshop", "Atelier sur le compte rendu", "Digital records for staff"]
    assert digest_to("quiet@example.org") is None


def test_the_digest_reads_well_in_english_and_french(world):
    with frozen_clock(MONDAY):
        send_digests()

    english = digest_to("fatou@example.org")
    assert english.subject == "3 new activities for you on Hemicycle"
    budget = world["activities"]["budget"]
    assert f"http://hemicycle.test/activities/{budget.id}" in english.body_text
    assert f'href="http://hemicycle.test/activities/{budget.id}"' in english.body_html
    assert "Mon, Apr 12, 2027, 7:00\u202fAM–10:00\u202fAM" in english.body_text  # UTC, her timezone
    assert "Seminar · English" in english.body_text
    assert "You receive this digest because it is on in your notification settings." in english.body_text
    assert english.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    french = digest_to("ousmane@example.org")
    assert french.subject == "2 nouvelles activités pour vous sur Hemicycle"
    assert "Bonjour" in french.body_text
    assert "lun. 12 avr. 2027, 08:00–11:00" in french.body_text  # Niamey, UTC+1
    assert "Séminaire · English, Français" in french.body_text
    single = digest_to("awa@example.org")
    assert single.subject == "1 new activity for you on Hemicycle"


def test_once_per_person_per_week_however_often_it_runs(world, runner):
    with frozen_clock(MONDAY):
        first = runner.invoke(args=["notify", "digest"])
        again = runner.invoke(args=["notify", "digest"])
    with frozen_clock(MONDAY + timedelta(days=3)):
        later_that_week = send_digests()

    assert first.exit_code == 0, first.output
    assert first.output.strip() == "digests queued 4, skipped 0"
    assert again.output.strip() == "digests queued 0, skipped 0"
    assert later_that_week.queued == 0
    assert db.session.scalar(select(func.count()).select_from(SentReminder)) == 4
    assert set(db.session.scalars(select(SentReminder.object_id))) == {week_key(MONDAY)} == {202710}

    # The next week, something new is published: a new digest.
    with frozen_clock(MONDAY + timedelta(days=5)):
        make_activity(title="Committee hearings", sessions=in_april(20))
    with frozen_clock(MONDAY + timedelta(days=7)):
        next_week = send_digests()
    assert next_week.queued == 2  # in English, no topic: not for Ousmane (French) nor Awa (budget only)
    assert len(outbox("fatou@example.org", kind="digest")) == 2


def test_nothing_new_means_no_mail(app):
    make_person(email="awa@example.org")
    with frozen_clock(MONDAY):
        assert send_digests().queued == 0
    assert outbox(kind="digest") == []


def test_unsubscribing_from_the_digest_stops_it(world, client):
    with frozen_clock(MONDAY):
        send_digests()
    link = digest_to("fatou@example.org").headers["List-Unsubscribe"].strip("<>")
    response = client.post(link.removeprefix("http://hemicycle.test"), data={"List-Unsubscribe": "One-Click"})
    assert "no longer receive the weekly digest" in text(response)

    with frozen_clock(MONDAY + timedelta(days=5)):
        make_activity(title="Committee hearings", sessions=in_april(20))
    with frozen_clock(MONDAY + timedelta(days=7)):
        send_digests()
    assert len(outbox("fatou@example.org", kind="digest")) == 1


def test_week_keys_follow_iso_weeks():
    assert week_key(datetime(2027, 1, 1, tzinfo=UTC)) == 202653  # Friday 1 January 2027 is in 2026-W53
    assert week_key(datetime(2027, 1, 4, tzinfo=UTC)) == 202701
