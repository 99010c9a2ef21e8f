"""Commitment and review reminders go to the right side, each once."""
from datetime import date, datetime, time, timedelta, timezone

from elearn.access import Role
from elearn.notifications.reminders import send_reminders
from tests.cooperation.factories import make_plan
from tests.factories import make_parliament, make_person
from tests.helpers import frozen_clock
from tests.notifications.conftest import outbox
from tests.scheduling.factories import make_activity

AGREED = date(2027, 1, 10)


def test_commitments_and_reviews_remind_each_side_once(app):
    partner = make_parliament()
    make_person(Role.FOCAL_POINT, parliament=partner, email="focal@partner.example")
    trainer = make_person(Role.TRAINER, email="trainer@unit.example")
    activity = make_activity(trainer_ids=(trainer.id,))
    make_plan(activity, partner, agreed_on=AGREED, review_months=(3,))
    # The partner's commitment is due 60 days after the agreement, the assisting side's after 30.
    day_before_assisting = datetime.combine(AGREED + timedelta(days=29), time(9), timezone.utc)
    with frozen_clock(day_before_assisting):
        send_reminders()
        send_reminders()  # a second run queues nothing more
    assisting = outbox(kind="commitment_due")
    assert [m.to_address for m in assisting] == ["trainer@unit.example"]
    assert "Send the model rules of procedure" in assisting[0].body_text

    with frozen_clock(datetime.combine(AGREED + timedelta(days=59), time(9), timezone.utc)):
        send_reminders()
    partner_mail = [m for m in outbox(kind="commitment_due") if m.to_address == "focal@partner.example"]
    assert len(partner_mail) == 1 and "Publish the committee's report template" in partner_mail[0].body_text

    review_due = AGREED + timedelta(days=90)
    with frozen_clock(datetime.combine(review_due - timedelta(days=1), time(9), timezone.utc)):
        send_reminders()
    review_mail = outbox(kind="review_due")
    assert sorted(m.to_address for m in review_mail) == ["focal@partner.example", "trainer@unit.example"]


def test_french_reminders_name_the_parliament_without_a_broken_de(app):
    # "plan d'action de Assemblée nationale de Gambie": French needs "de l'", "du" or "de la" before most names.
    partner = make_parliament(name_en="National Assembly of The Gambia", name_fr="Assemblée nationale de Gambie")
    make_person(Role.FOCAL_POINT, parliament=partner, email="focal@partner.example", preferred_language="fr")
    trainer = make_person(Role.TRAINER, email="trainer@unit.example", preferred_language="fr")
    activity = make_activity(trainer_ids=(trainer.id,))
    make_plan(activity, partner, agreed_on=AGREED, review_months=(3,))
    for day in (29, 59, 89):
        with frozen_clock(datetime.combine(AGREED + timedelta(days=day), time(9), timezone.utc)):
            send_reminders()
    mails = outbox(kind="commitment_due") + outbox(kind="review_due")
    assert len(mails) == 4
    for mail in mails:
        assert "Assemblée nationale de Gambie" in mail.subject + mail.body_text
        assert "de Assemblée" not in mail.subject + mail.body_text
