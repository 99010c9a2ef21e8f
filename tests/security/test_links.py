"""Online links: only http(s) addresses with a host and no control character are saved, and one that got into
the database some other way is left out of feeds, mail and pages rather than breaking them."""
from __future__ import annotations

import logging
from base64 import b64decode

import pytest
from sqlalchemy import func, select, update

from elearn.access import Role
from elearn.extensions import db
from elearn.feeds import services as feed_services
from elearn.mail import services as mail_services
from elearn.mail.models import OutboxMessage
from elearn.scheduling import services
from elearn.scheduling.models import Activity, Registration, RegistrationState
from elearn.urls import checked_url
from tests import factories
from tests.feeds.helpers import icaljs, lines
from tests.helpers import post_form, sign_in
from tests.helpers import text as page_text
from tests.scheduling.factories import make_activity

BAD_LINKS = [
    "https://meet.example/room\r\nX-Injected: 1",
    "https://meet.example/room\nEND:VEVENT",
    "https://meet.example/\x00room",
    "https://meet.example/\u2028room",
    "javascript:alert(1)",
    "ftp://meet.example/room",
    "https://",
    "https:///room",
    "http//meet.example",
    "https://meet .example/room",
    "https://meet.example/ro om",
    "https://user@:80/",
]


@pytest.mark.parametrize("link", BAD_LINKS)
def test_checked_url_refuses_what_is_not_a_web_address(link):
    with pytest.raises(ValueError):
        checked_url(link)


@pytest.mark.parametrize("link", ["https://meet.example/room?id=1&pwd=x#top", "http://127.0.0.1:8080/r",
                                  "  https://Meet.Example/Room  ", "https://réunion.example/salle"])
def test_checked_url_keeps_good_addresses(link):
    assert checked_url(link).startswith(("https://", "http://"))


def test_the_activity_service_refuses_a_link_with_a_line_break(app):
    activity = make_activity(online_url="https://meet.example/room")
    data = services.activity_input(activity, online_url="https://meet.example/room\r\nX-Injected: 1")
    with pytest.raises(services.SchedulingError):
        services.update_activity(activity, data)
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).online_url == "https://meet.example/room"


def test_the_activity_form_refuses_a_link_with_a_line_break_and_saves_nothing(app, people, login_as):
    form = {"title": "Online seminar", "modality": "seminar", "languages": ["en"], "audience": "both",
            "timezone": "Europe/Paris", "capacity": "5", "programme_id": "", "host_parliament_id": "",
            "sessions-0-start_date": "2031-03-04", "sessions-0-start_time": "09:00", "sessions-0-end_time": "11:00"}
    client = login_as("trainer")
    response = post_form(client, "/manage/activities/new",
                         {**form, "online_url": "https://meet.example/room\r\nX-Injected: 1"})
    assert response.status_code == 200
    assert "must be a web address starting with https://" in page_text(response)
    assert db.session.scalar(select(func.count(Activity.id))) == 0
    # The same form with a good link saves.
    assert post_form(client, "/manage/activities/new",
                     {**form, "online_url": "https://meet.example/room"}).status_code == 302
    assert db.session.scalar(select(Activity.online_url)) == "https://meet.example/room"


@pytest.fixture
def stored_bad_link(app):
    """An online activity whose link was written straight into the database, as older versions let it be."""
    activity = make_activity(online_url="https://meet.example/room")
    db.session.execute(update(Activity).where(Activity.id == activity.id)
                       .values(online_url="https://meet.example/room\r\nX-Injected: 1\r\nEND:VEVENT"))
    db.session.commit()
    return activity


def test_a_stored_bad_link_breaks_no_registration_feed_or_mail(app, people, stored_bad_link, caplog):
    learner = people["learner"]
    client = app.test_client()
    assert sign_in(client, learner.email, factories.PASSWORD).status_code == 302
    with caplog.at_level(logging.WARNING):
        response = post_form(client, f"/activities/{stored_bad_link.id}/register",
                             token_from=f"/activities/{stored_bad_link.id}")
    assert response.status_code == 302, page_text(response)[:300]
    registration = db.session.scalar(select(Registration).where(Registration.person_id == learner.id))
    assert registration.state == RegistrationState.CONFIRMED
    assert "online link" in caplog.text and "X-Injected" not in caplog.text

    # The confirmation mail went, without the link, and its calendar parses.
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == learner.email)).all()[-1]
    assert "X-Injected" not in (message.body_text + (message.body_html or ""))
    email = mail_services.build_email(message, app.config["MAIL_DEFAULT_SENDER"])
    assert b"X-Injected" not in email.as_bytes()
    calendars = [b64decode(a["content"]) for a in message.attachments if a["content_type"].startswith("text/calendar")]
    assert calendars and all(b"X-Injected" not in body for body in calendars)
    icaljs(*calendars)

    # The activity page and the personal feed answer, without the bad link.
    assert "X-Injected" not in page_text(client.get(f"/activities/{stored_bad_link.id}"))
    secret = feed_services.issue_token(db.session.get(type(learner), learner.id))
    feed = app.test_client().get(f"/feeds/{secret}.ics")
    assert feed.status_code == 200
    assert b"X-Injected" not in feed.data
    assert lines(feed.data).count("END:VEVENT") == 1
    icaljs(feed.data)


def test_a_trainer_sees_a_stored_bad_link_in_their_feed_without_a_crash(app, stored_bad_link):
    trainer = factories.make_person(Role.TRAINER, email="t2@example.org")
    activity = db.session.get(Activity, stored_bad_link.id)
    activity.trainers = [trainer]
    db.session.commit()
    secret = feed_services.issue_token(trainer)
    feed = app.test_client().get(f"/feeds/{secret}.ics")
    assert feed.status_code == 200 and b"X-Injected" not in feed.data


def test_the_course_checker_reports_a_web_link_that_is_not_a_web_address(tmp_path, monkeypatch):
    from elearn.learning.content.loading import load_courses
    from tests.learning.factories import write_course

    monkeypatch.chdir(tmp_path)
    folder = write_course(tmp_path / "courses", "committee-work", lessons=1)
    lesson = folder / "01-lesson-1.en.md"
    lesson.write_text(lesson.read_text() + "\nSee [the room](https:///room) and [the site](https://example.org/a).\n")
    _courses, problems = load_courses(tmp_path / "courses")
    assert [str(problem) for problem in problems] == [
        "courses/committee-work/01-lesson-1.en.md:"
        f"{lesson.read_text().splitlines().index('See [the room](https:///room) and [the site](https://example.org/a).') + 1}"
        ": broken link to https:///room: not an http or https address with a host"]
