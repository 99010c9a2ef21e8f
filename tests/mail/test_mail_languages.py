"""Each person's language drives their mail: subject, text and HTML, in French, Spanish, Portuguese and Arabic.

The expected phrases are read from the catalogs (gettext under force_locale), so a reworded
translation does not break the test; one literal word per language makes sure the catalog was
really used, and the English wording of each template is checked absent from the subject.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from html import unescape

import pytest
from flask_babel import force_locale, gettext, ngettext

from elearn.notifications.reminders import send_reminders
from elearn.people.resets import ask_for_reset, process_reset_requests
from elearn.scheduling import services
from elearn.scheduling.services import SessionInput
from tests.factories import make_person
from tests.helpers import frozen_clock
from tests.notifications.conftest import only_calendar, outbox
from tests.scheduling.factories import make_activity

UTC = timezone.utc
T0 = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
START = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)  # 09:00 in Paris
# An activity title with no English in it, so that any English in a subject comes from a template.
TITLE = "PARL-2027"
LANGUAGES = ["fr", "es", "pt", "ar"]
# One word each language's mails must contain, written out here so that the test fails on English.
LITERAL = {
    "fr": {"password_reset": "mot de passe", "registration_confirmed": "Bonjour", "activity_reminder": "Rappel"},
    "es": {"password_reset": "contraseña", "registration_confirmed": "confirmada", "activity_reminder": "Recordatorio"},
    "pt": {"password_reset": "palavra-passe", "registration_confirmed": "confirmada", "activity_reminder": "Lembrete"},
    "ar": {"password_reset": "كلمة مرور", "registration_confirmed": "مقعدكم", "activity_reminder": "تذكير"},
}
ENGLISH_WORDS = re.compile(r"\b(choose|new|password|your|seat|is|confirmed|reminder|hello)\b", re.IGNORECASE)
HTML_OPENING = re.compile(r"<html\b[^>]*>")


def translated(language: str, message: str, **values) -> str:
    with force_locale(language):
        return gettext(message, **values)


def english(message: str, **values) -> str:
    with force_locale("en"):
        return gettext(message, **values)


def assert_in_language(mail, language: str, kind: str, subject_msgid: str, body_msgids: list[str],
                       html_msgids: list[str], **values) -> None:
    subject = translated(language, subject_msgid, **values)
    assert mail.subject == subject
    assert subject != english(subject_msgid, **values)
    assert not ENGLISH_WORDS.search(mail.subject.replace("Hemicycle", "")), mail.subject
    for msgid in body_msgids:
        phrase = translated(language, msgid, **values)
        assert phrase != english(msgid, **values), msgid
        assert phrase in mail.body_text, phrase
    for msgid in html_msgids:
        assert translated(language, msgid, **values) in unescape(mail.body_html), msgid
    word = LITERAL[language][kind]
    assert word in mail.subject + mail.body_text
    assert word in mail.body_html
    [opening] = HTML_OPENING.findall(mail.body_html)
    assert f'lang="{language}"' in opening
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in opening


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_password_reset_mail_is_in_the_persons_language(app, language):
    make_person(email="reader@example.org", full_name="Nadia Reader", preferred_language=language)

    ask_for_reset("reader@example.org")
    assert process_reset_requests() == 1

    [mail] = outbox("reader@example.org")
    assert mail.kind == "password_reset"
    assert_in_language(mail, language, "password_reset", "Choose a new Hemicycle password", [
        "Hello %(name)s,",
        "Someone, probably you, asked to reset the password of your Hemicycle account. "
        "Open this link to choose a new one:",
        "You receive this message because you have an account on Hemicycle.",
    ], ["Hello %(name)s,", "Choose a new password"], name="Nadia Reader")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_registration_confirmation_and_its_invitation_are_in_the_persons_language(app, language):
    with frozen_clock(T0):
        activity = make_activity(title=TITLE, timezone="Europe/Paris", capacity=5, sessions=(
            SessionInput(start_date=date(2027, 3, 26), start_time=time(9), end_time=time(17)),))
        services.register(activity.id, make_person(email="reader@example.org", full_name="Nadia Reader",
                                                   preferred_language=language, timezone="Europe/Paris"))

    [mail] = outbox("reader@example.org")
    assert mail.kind == "registration_confirmed"
    assert_in_language(mail, language, "registration_confirmed", "Your seat is confirmed: %(title)s", [
        "Hello %(name)s,",
        "The attached invitation puts the activity in your calendar; later changes will update it there.",
        "When (your time, %(zone)s):",
    ], ["Hello %(name)s,", "When (your time, %(zone)s):", "See the activity"],
        title=TITLE, name="Nadia Reader", zone="Europe/Paris")
    calendar = only_calendar(mail)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["ATTENDEE"]) == "mailto:reader@example.org"
    assert event["SUMMARY"] == TITLE
    # The invitation's own text is in the reader's language too.
    assert translated(language, "Details and registration:") in str(event["DESCRIPTION"])
    assert "Details and registration" not in str(event["DESCRIPTION"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reminder_the_day_before_is_in_the_persons_language(app, language):
    with frozen_clock(T0):
        activity = make_activity(title=TITLE, timezone="Europe/Paris", capacity=5, sessions=(
            SessionInput(start_date=date(2027, 3, 26), start_time=time(9), end_time=time(17)),))
        services.register(activity.id, make_person(email="reader@example.org", full_name="Nadia Reader",
                                                   preferred_language=language, timezone="Europe/Paris"))
    with frozen_clock(START - timedelta(days=1)):
        assert send_reminders().queued == 1

    [mail] = outbox("reader@example.org", kind="activity_reminder")
    assert_in_language(mail, language, "activity_reminder", "Reminder: %(title)s", [
        "Hello %(name)s,",
        "You receive reminders because they are on in your notification settings.",
        "Unsubscribe:",
    ], ["Hello %(name)s,", "Unsubscribe", "Choose which mails you get"], title=TITLE, name="Nadia Reader")
    with force_locale(language):
        starts = ngettext("“%(title)s” starts in %(num)d day. Your seat is confirmed.",
                          "“%(title)s” starts in %(num)d days. Your seat is confirmed.", 1, title=TITLE)
    assert "starts in" not in starts
    assert starts in mail.body_text and starts in unescape(mail.body_html)
