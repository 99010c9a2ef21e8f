"""Every message the flows send, in English and in French, as text and HTML, each with its link."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from elearn.access import Role
from elearn.extensions import db
from elearn.learning.enrolling import enrol_people
from elearn.notifications import reminders
from elearn.notifications.once import Reminder
from elearn.notifications.reminders import send_reminders
from elearn.people.services import request_password_reset, send_invitation
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus
from elearn.scheduling.services import ActivityInput, SessionInput
from tests.factories import make_parliament, make_person
from tests.helpers import frozen_clock, run_jobs
from tests.learning.factories import make_course
from tests.notifications.conftest import outbox
from tests.scheduling.factories import make_activity

UTC = timezone.utc
T0 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
FIRST_DAY = date(2027, 3, 26)

# kind -> (subject, a sentence of the body) in each language
EXPECTED = {
    "en": {
        "registration_requested": ("Request received: Oversight", "Your request is received."),
        "registration_confirmed": ("Your seat is confirmed: Oversight", "Your seat is confirmed."),
        "registration_waitlisted": ("You are on the waiting list: Full house",
                                    "You are on the waiting list at position 1"),
        "promoted": ("A seat is free for you: Full house", "A seat has become free and it is yours"),
        "registration_declined": ("Registration declined: Declined", "Message from the trainer: Clerks only."),
        "registration_withdrawn": ("You have withdrawn: Withdrawn", "Your withdrawal is recorded"),
        "registration_removed": ("You are no longer registered: Removed",
                                 "A trainer has removed you from this activity."),
        "nominated": ("Your seat is confirmed: Nominated", "your parliament's focal point, has nominated you."),
        "activity_changed": ("Changed: Oversight", "Moved: Fri, Mar 26, 2027"),
        "activity_cancelled": ("Cancelled: Oversight", "is cancelled"),
        "activity_reminder": ("Reminder: Full house", "starts in 7 days"),
        "commitment_due": ("Commitment due on 2027-04-15", "is due on 2027-04-15"),
        "review_due": ("Review due on 2027-05-01: action plan of Gambia", "is due on 2027-05-01"),
        "password_reset": ("Choose a new Hemicycle password", "asked to reset the password"),
        "invitation": ("Your Hemicycle account is ready", "A Hemicycle account has been created for you."),
        "course_enrolment": ("You are enrolled in", "has enrolled you in the course"),
    },
    "fr": {
        "registration_requested": ("Demande reçue\xa0: Oversight", "Votre demande a bien été reçue."),
        "registration_confirmed": ("Votre place est confirmée\xa0: Oversight", "Votre place est confirmée."),
        "registration_waitlisted": ("Vous êtes sur liste d'attente\xa0: Full house",
                                    "Vous êtes en position 1 sur la liste d'attente"),
        "promoted": ("Une place s'est libérée pour vous\xa0: Full house", "Une place s'est libérée"),
        "registration_declined": ("Inscription refusée\xa0: Declined", "Clerks only."),
        "registration_withdrawn": ("Désinscription enregistrée\xa0: Withdrawn", "Votre désinscription est enregistrée"),
        "registration_removed": ("Vous n'êtes plus inscrit\xa0: Removed", "Un formateur a annulé votre inscription à cette activité."),
        "nominated": ("Votre place est confirmée\xa0: Nominated", "a procédé à votre désignation."),
        "activity_changed": ("Modification\xa0: Oversight", "Séance déplacée\xa0: ven. 26 mars 2027"),
        "activity_cancelled": ("Annulation\xa0: Oversight", "est annulée"),
        "activity_reminder": ("Rappel\xa0: Full house", "commence dans 7\xa0jours"),
        "commitment_due": ("Engagement à tenir pour le 2027-04-15", "arrive à échéance le 2027-04-15"),
        "review_due": ("Revue prévue le 2027-05-01\xa0: plan d'action, Gambia", "est prévue le 2027-05-01"),
        "password_reset": ("Choisissez un nouveau mot de passe Hemicycle", "la réinitialisation du mot de passe"),
        "invitation": ("Votre compte Hemicycle est prêt", "Un compte Hemicycle a été créé pour vous."),
        "course_enrolment": ("Vous êtes inscrit", "vous a inscrit au cours"),
    },
}


def sessions(start: time = time(9)) -> tuple[SessionInput, ...]:
    return (SessionInput(start_date=FIRST_DAY, start_time=start, end_time=time(17)),)


def cooperation_kind(person):
    """Stand-ins for the cooperation package's commitment and review reminders."""

    def finder(now):
        context = dict(parliament_name="Gambia", activity_title="Oversight", description="Publish the reports",
                       responsible="Clerk", link="http://hemicycle.test/plans/1")
        return [Reminder(kind="commitment", object_id=1, person_id=person.id, offset_days=14,
                         template="commitment_due", context=lambda p: {**context, "due_on": "2027-04-15"}),
                Reminder(kind="review", object_id=1, person_id=person.id, offset_days=14,
                         template="review_due", context=lambda p: {**context, "due_on": "2027-05-01"})]

    return finder


def run_every_flow(person, monkeypatch) -> dict:
    """Drive each flow once for `person`; returns their mails by kind (promotion and nomination apart)."""
    parliament = person.parliament
    focal = make_person(Role.FOCAL_POINT, parliament=parliament)
    trainer = make_person(Role.TRAINER)
    other = make_person()
    with frozen_clock(T0):
        approval = make_activity(title="Oversight", sessions=sessions(), approval_required=True)
        requested = services.register(approval.id, person).registration            # received
        services.decide(requested, approve=True)                                    # confirmed
        full = make_activity(title="Full house", sessions=sessions(), capacity=1)
        seated = services.register(full.id, other).registration
        services.register(full.id, person)                                          # waitlisted
        services.withdraw(seated)                                                   # promoted
        declined = make_activity(title="Declined", sessions=sessions(), approval_required=True)
        services.decide(services.register(declined.id, person).registration, approve=False,
                        message="Clerks only.")                                     # declined
        removed = make_activity(title="Removed", sessions=sessions())
        services.remove(services.register(removed.id, person).registration)         # removed
        withdrawn = make_activity(title="Withdrawn", sessions=sessions())
        services.withdraw(services.register(withdrawn.id, person).registration)     # withdrawn
        nominated = make_activity(title="Nominated", sessions=sessions())
        services.nominate(nominated.id, person, focal)                              # nomination
        services.update_activity(approval, ActivityInput(
            title="Oversight", modality=approval.modality, timezone=approval.timezone,
            sessions=sessions(start=time(10)), approval_required=True,
            venue_name=approval.venue_name, venue_city=approval.venue_city))        # changed
        run_jobs()  # the worker mails the change before the activity is cancelled
        services.set_status(approval, ActivityStatus.CANCELLED)                     # cancelled
    monkeypatch.setattr(reminders, "REMINDER_KINDS", [*reminders.REMINDER_KINDS, cooperation_kind(person)])
    with frozen_clock(datetime(2027, 3, 19, 8, 30, tzinfo=UTC)):
        send_reminders()                                                            # reminder, commitment, review
    request_password_reset(person.email)
    send_invitation(person, invited_by=None)
    enrol_people(make_course(slug="budget-basics", self_enrolment=False), [person], by=trainer)

    mails = {}
    for message in outbox(person.email):
        kind = message.kind
        if kind == "registration_confirmed" and "Full house" in message.subject:
            kind = "promoted"
        elif kind == "registration_confirmed" and "Nominated" in message.subject:
            kind = "nominated"
        mails.setdefault(kind, message)
    return mails


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_message_in_each_language_with_its_link(app, monkeypatch, language):
    person = make_person(email=f"{language}@example.org", full_name="Awa Jallow", preferred_language=language,
                         parliament=make_parliament(name_en="Gambia"), timezone="Europe/Paris")

    mails = run_every_flow(person, monkeypatch)

    assert sorted(mails) == sorted(EXPECTED[language])
    greeting = "Hello Awa Jallow," if language == "en" else "Bonjour Awa Jallow,"
    problems = []
    for kind, (subject, sentence) in EXPECTED[language].items():
        message = mails[kind]
        if not message.subject.startswith(subject):
            problems.append(f"{kind}: subject {message.subject!r}")
        for part, body in (("text", message.body_text), ("html", message.body_html)):
            if greeting not in body or sentence not in body.replace("&#39;", "'"):
                problems.append(f"{kind} ({part}): {sentence!r} not in {body[:400]!r}")
        links = [word for word in message.body_text.split() if word.startswith("http://hemicycle.test/")]
        if not links or f'href="{links[0]}"' not in message.body_html:
            problems.append(f"{kind}: no link in both versions")
        if f'<html lang="{language}"' not in message.body_html:
            problems.append(f"{kind}: html not marked as {language}")
    assert not problems, "\n".join(problems)


def test_mail_bodies_give_no_english_to_a_french_reader(app, monkeypatch):
    person = make_person(email="fr@example.org", full_name="Awa Jallow", preferred_language="fr",
                         parliament=make_parliament(name_en="Gambia"), timezone="Europe/Paris")
    mails = run_every_flow(person, monkeypatch)
    english = ("Hello", "Details:", "When (your time", "The attached", "You receive", "See the activity",
               "Unsubscribe", "Moved:")
    leaks = [(kind, word) for kind, message in mails.items() for word in english
             if word in message.body_text or word in message.body_html]
    assert leaks == []


def test_the_restyled_account_mails_keep_a_button_and_a_plain_link(app):
    person = make_person(email="awa@example.org", full_name="Awa Jallow")
    request_password_reset(person.email)
    [message] = outbox("awa@example.org")
    link = next(word for word in message.body_text.split() if word.startswith("http://hemicycle.test/account/reset/"))
    assert f'<a href="{link}" style="display: inline-block;' in message.body_html
    assert "If the button does not work, copy this address into your browser:" in message.body_html
    assert message.body_html.count(link) == 2
    db.session.rollback()


def test_times_in_a_mail_follow_the_readers_timezone_not_the_servers(app):
    person = make_person(email="awa@example.org", timezone="America/Panama")  # UTC-5, no summer time
    with frozen_clock(T0):
        activity = make_activity(title="Oversight", sessions=sessions())
        services.register(activity.id, person)
    [message] = outbox("awa@example.org")
    assert "When (your time, America/Panama):" in message.body_text
    assert "Fri, Mar 26, 2027, 3:00\u202fAM–11:00\u202fAM" in message.body_text
