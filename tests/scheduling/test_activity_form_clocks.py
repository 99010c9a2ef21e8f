"""The activity form on the nights the clocks change: a skipped time is refused, a repeated one is asked."""
from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timezone

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.scheduling import services
from elearn.scheduling.errors import SchedulingError
from elearn.scheduling.models import Activity, ActivitySession
from elearn.scheduling.services import SessionInput
from tests.helpers import post_form, text
from tests.scheduling.factories import make_activity

UTC = timezone.utc


def activity_form(**sessions_and_changes) -> dict:
    form = {"title": "Night session", "modality": "seminar", "languages": ["en"], "audience": "both",
            "timezone": "Europe/Paris", "capacity": "5", "programme_id": "", "host_parliament_id": ""}
    form.update(sessions_and_changes)
    return form


def one_row(day: str, start: str, end: str, **extra) -> dict:
    row = {"sessions-0-start_date": day, "sessions-0-start_time": start, "sessions-0-end_time": end}
    row.update({f"sessions-0-{name}": value for name, value in extra.items()})
    return row


def plain(page: str) -> str:
    """The page's text with tags dropped and the narrow spaces of times made plain."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\u202f", " ")


def activities() -> int:
    return db.session.scalar(select(func.count(Activity.id)))


def test_a_time_the_clocks_skip_is_refused_and_the_change_explained(people, login_as):
    client = login_as("trainer")
    response = post_form(client, "/manage/activities/new", activity_form(**one_row("2027-03-28", "02:30", "04:00")))
    page = plain(text(response))
    assert response.status_code == 200
    assert ("Session 1: On March 28, 2027 the clocks in Europe/Paris go forward from 2:00 AM to 3:00 AM: "
            "2:30 AM does not exist that day. Give another time.") in page
    assert activities() == 0


def test_a_time_the_clocks_repeat_is_asked_and_the_choice_taken(people, login_as):
    client = login_as("trainer")
    night = one_row("2027-10-31", "02:30", "03:30")
    page = plain(text(post_form(client, "/manage/activities/new", activity_form(**night))))
    assert ("Session 1: On October 31, 2027 the clocks in Europe/Paris go back from 3:00 AM to 2:00 AM: "
            "2:30 AM occurs twice that day. Say which one you mean.") in page
    assert "the first 2:30 AM (UTC+02:00)" in page and "the second 2:30 AM (UTC+01:00)" in page
    assert activities() == 0

    response = post_form(client, "/manage/activities/new",
                         activity_form(**one_row("2027-10-31", "02:30", "03:30", start_occurrence="second")))
    assert response.status_code == 302
    [session] = db.session.scalars(select(ActivitySession)).all()
    # The second 02:30 (UTC+1) to 03:30 (UTC+1): one hour, not the two hours the first 02:30 would make.
    assert (session.starts_at, session.ends_at) == (datetime(2027, 10, 31, 1, 30, tzinfo=UTC),
                                                    datetime(2027, 10, 31, 2, 30, tzinfo=UTC))


def test_the_first_reading_of_a_repeated_time_can_be_chosen_too_in_chatham(people, login_as):
    # Chatham (UTC+13:45 in summer) goes back from 03:45 to 02:45 on 4 April 2027.
    client = login_as("trainer")
    form = activity_form(timezone="Pacific/Chatham", **one_row("2027-04-04", "03:00", "05:00",
                                                                start_occurrence="first"))
    assert post_form(client, "/manage/activities/new", form).status_code == 302
    [session] = db.session.scalars(select(ActivitySession)).all()
    assert session.starts_at == datetime(2027, 4, 3, 13, 15, tzinfo=UTC)


def checked_occurrence(page: str, name: str) -> str | None:
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and re.search(r"\bchecked\b", tag):
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def test_the_edit_form_says_which_reading_of_a_repeated_time_is_stored(people, login_as):
    activity = make_activity(sessions=(
        SessionInput(start_date=date(2027, 10, 31), start_time=time(2, 30), end_time=time(3, 30), start_fold=1),
        SessionInput(start_date=date(2027, 10, 31), start_time=time(1, 0), end_time=time(2, 15))))
    client = login_as("trainer")
    page = text(client.get(f"/manage/activities/{activity.id}/edit"))
    assert "the second 2:30\u202fAM (UTC+01:00)" in page
    # Rows in time order: 01:00 to the first 02:15, then the second 02:30 to 03:30.
    assert checked_occurrence(page, "sessions-0-end_occurrence") == "first"  # as RFC 5545 reads it
    assert checked_occurrence(page, "sessions-1-start_occurrence") == "second"
    assert "sessions-1-end_occurrence" not in page  # 03:30 happens once

    # Saved again untouched, the sessions stay where they were.
    before = [(s.starts_at, s.ends_at) for s in activity.sessions]
    form = activity_form(**{
        "sessions-0-start_date": "2027-10-31", "sessions-0-start_time": "01:00", "sessions-0-end_time": "02:15",
        "sessions-0-end_occurrence": "first",
        "sessions-1-start_date": "2027-10-31", "sessions-1-start_time": "02:30", "sessions-1-end_time": "03:30",
        "sessions-1-start_occurrence": "second"})
    assert post_form(client, f"/manage/activities/{activity.id}/edit", form).status_code == 302
    db.session.expire_all()
    assert [(s.starts_at, s.ends_at) for s in db.session.get(Activity, activity.id).sessions] == before


def test_registration_dates_at_a_skipped_or_repeated_time_ask_for_another(people, login_as):
    client = login_as("trainer")
    form = activity_form(registration_opens_at="2027-03-28T02:30", registration_closes_at="2027-10-31T02:15",
                         **one_row("2027-11-15", "09:00", "12:00"))
    page = plain(text(post_form(client, "/manage/activities/new", form)))
    assert "2:30 AM does not exist that day. Give another time." in page
    assert "2:15 AM occurs twice that day. Give another time." in page
    assert activities() == 0


def test_a_copy_that_would_land_on_a_skipped_time_is_refused(people):
    # 02:30 on Monday 30 March 2026 exists; 363 days later, Sunday 28 March 2027, it does not in Paris.
    activity = make_activity(sessions=(SessionInput(start_date=date(2026, 3, 30), start_time=time(2, 30),
                                                    end_time=time(4)),))
    with pytest.raises(SchedulingError, match="2:30\u202fAM does not exist that day"):
        services.clone_activity(activity, 363)
    assert activities() == 1


def test_the_error_summary_names_a_bad_session_field_by_its_row(people, login_as):
    client = login_as("trainer")
    rows = {**one_row("2027-05-10", "09:00", "12:00"), "sessions-1-start_date": "2027-02-30"}
    response = post_form(client, "/manage/activities/new", activity_form(**rows))
    summary = plain(text(response).split('class="error-summary"')[1].split("</div>")[0])
    assert "First day (row 2): Not a valid date value." in " ".join(summary.split())
    assert "{" not in summary, "a row's errors were printed as a Python dict"
    assert activities() == 0


def test_a_repeated_time_is_asked_once_in_the_summary(people, login_as):
    client = login_as("trainer")
    response = post_form(client, "/manage/activities/new",
                         activity_form(**one_row("2027-10-31", "02:30", "03:30")))
    summary = plain(text(response).split('class="error-summary"')[1].split("</div>")[0])
    assert summary.count("occurs twice that day") == 1
    assert "{" not in summary


def test_the_french_error_summary_names_the_sessions_in_french(people, login_as):
    people["trainer"].preferred_language = "fr"
    db.session.commit()
    client = login_as("trainer")
    response = post_form(client, "/manage/activities/new", activity_form(**one_row("2027-03-28", "02:30", "04:00")))
    summary = " ".join(plain(text(response).split('class="error-summary"')[1].split("</div>")[0]).split())
    assert "Séances : Séance 1 : Le 28 mars 2027" in summary.replace("\u00a0", " ")
    assert "Sessions" not in summary
