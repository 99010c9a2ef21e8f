"""The meetings' pages: scheduling through the form, times in each viewer's zone, refusals, other pairs (IDOR)."""
from __future__ import annotations

from datetime import date

import pytest
from flask import render_template_string
from flask_login import login_user
from sqlalchemy import func, select

from elearn.access import Role
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.mentoring import meetings
from elearn.mentoring.models import MeetingStatus, MentoringMeeting, PairStatus
from tests import factories
from tests.helpers import post_form, sign_in, text
from tests.mentoring.meetings_helpers import make_pair, meeting_input, past_meeting


@pytest.fixture
def pair(people):
    people["learner"].timezone = "Africa/Banjul"
    db.session.commit()
    return make_pair(mentee=people["learner"], trainer=people["trainer"])


def form(**changes) -> dict:
    values = {"day": "2031-01-15", "start_time": "10:00", "end_time": "11:00", "timezone": "Europe/Paris",
              "online_url": "https://meet.example.org/pair", "place": "", "agenda": "Questions to the government"}
    values.update(changes)
    return values


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_mentee_schedules_a_meeting_and_each_side_reads_it_in_their_own_zone(login_as, app, pair):
    client = login_as("learner")
    new = f"/mentoring/pairs/{pair.id}/meetings/new"
    page = text(client.get(new))
    assert '<option selected value="Africa/Banjul">' in page  # their own zone by default
    response = post_form(client, new, form(), token_from=new)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/mentoring/pairs/{pair.id}/meetings")
    listing = text(client.get(response.headers["Location"]))
    assert "you both have been sent a calendar invitation" in listing
    assert "Times in your timezone, Africa/Banjul." in listing
    assert "9:00" in listing and "scheduled in Europe/Paris" in listing and "Questions to the government" in listing
    meeting = db.session.scalars(select(MentoringMeeting)).one()
    assert meeting.scheduled_by_id == pair.mentee_id

    mentor = app.test_client()
    sign_in(mentor, pair.mentor.email, factories.PASSWORD)
    mentor_page = text(mentor.get(f"/mentoring/pairs/{pair.id}/meetings"))
    assert "Europe/Paris" in mentor_page and "scheduled in" not in mentor_page  # same zone: said once
    assert f"/mentoring/meetings/{meeting.id}/edit" in mentor_page


def test_a_refused_meeting_shows_why_and_saves_nothing(login_as, pair):
    client = login_as("learner")
    new = f"/mentoring/pairs/{pair.id}/meetings/new"
    response = post_form(client, new, form(online_url="", place=""), token_from=new)
    assert response.status_code == 200
    assert "Give an online link, a place, or both." in text(response)
    response = post_form(client, new, form(timezone="Asia/Tokyo"), token_from=new)
    assert "Choose one of the timezones offered." in text(response)
    assert count(MentoringMeeting) == 0 and count(OutboxMessage) == 0


def test_change_cancel_and_mark_held_through_the_pages(login_as, pair):
    client = login_as("trainer")
    meeting = meetings.schedule(pair, meeting_input(date(2031, 1, 15)), pair.mentor)
    edit = f"/mentoring/meetings/{meeting.id}/edit"
    assert 'value="2031-01-15"' in text(client.get(edit))
    response = post_form(client, edit, form(start_time="15:00", end_time="16:00", place="Salle Médicis"),
                         token_from=edit)
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.sequence == 1 and meeting.place == "Salle Médicis"
    confirm = f"/mentoring/meetings/{meeting.id}/cancel"
    assert "Both of you are sent a cancellation" in text(client.get(confirm))
    post_form(client, confirm, token_from=confirm)
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.CANCELLED

    done = past_meeting(pair)
    listing = f"/mentoring/pairs/{pair.id}/meetings"
    assert f"/mentoring/meetings/{done.id}/held" in text(client.get(listing))
    response = post_form(client, f"/mentoring/meetings/{done.id}/held", token_from=listing)
    assert "The meeting is marked held." in text(client.get(response.headers["Location"]))
    db.session.refresh(done)
    assert done.status == MeetingStatus.HELD


def test_whoever_does_not_see_the_pair_gets_a_404_and_changes_nothing(login_as, app, pair, people):
    meeting = meetings.schedule(pair, meeting_input(date(2031, 1, 15)), pair.mentor)
    done = past_meeting(pair)
    other_trainer = factories.make_person(Role.TRAINER, email="other-trainer@example.org")
    clients = {"focal_point": login_as("focal_point")}
    clients["other trainer"] = app.test_client()
    sign_in(clients["other trainer"], other_trainer.email, factories.PASSWORD)
    # The learner is the mentee here: another pair's meetings are what they must not reach.
    other_pair = make_pair(mentee=factories.make_person(full_name="Someone Else"))
    other_meeting = meetings.schedule(other_pair, meeting_input(date(2031, 2, 1)), other_pair.mentor)
    before = (count(OutboxMessage), meeting.sequence, other_meeting.sequence)
    for who, client, target_pair, target in (
            ("focal point", clients["focal_point"], pair, meeting),
            ("other trainer", clients["other trainer"], pair, meeting),
            ("mentee of another pair", login_as("learner"), other_pair, other_meeting)):
        for method, url in (("GET", f"/mentoring/pairs/{target_pair.id}/meetings"),
                            ("GET", f"/mentoring/pairs/{target_pair.id}/meetings/new"),
                            ("GET", f"/mentoring/meetings/{target.id}/edit"),
                            ("GET", f"/mentoring/meetings/{target.id}/cancel"),
                            ("POST", f"/mentoring/meetings/{target.id}/cancel"),
                            ("POST", f"/mentoring/meetings/{target.id}/edit"),
                            ("POST", f"/mentoring/pairs/{target_pair.id}/meetings/new"),
                            ("POST", f"/mentoring/meetings/{done.id if target is meeting else target.id}/held")):
            response = client.get(url) if method == "GET" else post_form(client, url, form())
            assert response.status_code == 404, f"{who}: {method} {url} answered {response.status_code}"
            assert "Claire Mentor" not in text(response) and "Rules of procedure" not in text(response)
    db.session.expire_all()
    assert (count(OutboxMessage), meeting.sequence, other_meeting.sequence) == before
    assert count(MentoringMeeting) == 3 and db.session.get(MentoringMeeting, done.id).status == MeetingStatus.SCHEDULED


def test_an_administrator_sees_the_meetings_but_only_the_pair_schedules(login_as, pair):
    meeting = meetings.schedule(pair, meeting_input(date(2031, 1, 15)), pair.mentor)
    client = login_as("admin")
    page = text(client.get(f"/mentoring/pairs/{pair.id}/meetings"))
    assert "Rules of procedure" in page and "Schedule a meeting" not in page and "/edit" not in page
    assert client.get(f"/mentoring/pairs/{pair.id}/meetings/new").status_code == 403
    assert client.get(f"/mentoring/meetings/{meeting.id}/edit").status_code == 403
    assert post_form(client, f"/mentoring/meetings/{meeting.id}/cancel", {}).status_code == 403
    pair.status = PairStatus.ENDED
    db.session.commit()
    assert login_as("learner").get(f"/mentoring/pairs/{pair.id}/meetings/new").status_code == 403


def test_the_partial_on_the_pair_page_shows_what_is_coming_to_the_pair_and_nothing_to_others(app, pair, people):
    meetings.schedule(pair, meeting_input(date(2031, 1, 15)), pair.mentor)
    past_meeting(pair)
    template = '{% include "mentoring/_meetings.html" ignore missing %}'
    with app.test_request_context():
        login_user(people["learner"])
        shown = render_template_string(template, pair=pair)
    assert "Coming meetings" in shown and "Last meetings" in shown and "Schedule a meeting" in shown
    assert "Rules of procedure" in shown and "Mark as held" in shown
    with app.test_request_context():
        login_user(people["focal_point"])
        assert render_template_string(template, pair=pair).strip() == ""


def test_the_list_is_paginated(login_as, pair):
    for day in range(1, 24):
        meetings.schedule(pair, meeting_input(date(2031, 3, day)), pair.mentor)
    client = login_as("learner")
    first = text(client.get(f"/mentoring/pairs/{pair.id}/meetings"))
    assert "Page 1 of 2, 23 in all" in first
    assert first.count('class="card"') == 20
    assert text(client.get(f"/mentoring/pairs/{pair.id}/meetings?page=2")).count('class="card"') == 3
