"""Personal feeds: what they hold, their secret addresses, rotation, revocation, and the subscriptions page."""
import hashlib
import re

from sqlalchemy import select

from elearn.access import Role
from elearn.extensions import db
from elearn.feeds import services as feed_services
from elearn.feeds.models import FeedCache, FeedToken
from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus, RegistrationState
from tests.factories import PASSWORD, make_person
from tests.feeds.conftest import register
from tests.feeds.helpers import by_uid, icaljs, values, vevents
from tests.helpers import csrf_token, post_form, sign_in, text
from tests.scheduling.factories import make_activity

HOST = "hemicycle.test"


def uid(activity):
    return f"session-{activity.sessions[0].id}@{HOST}"


def test_confirmed_activities_only_by_default(client, personal_url):
    person = make_person()
    confirmed = make_activity(title="Confirmed")
    waitlisted, requested = make_activity(title="Waitlisted"), make_activity(title="Requested")
    declined, withdrawn = make_activity(title="Declined"), make_activity(title="Withdrawn")
    make_activity(title="Someone else's")
    for activity, state in ((confirmed, RegistrationState.CONFIRMED), (waitlisted, RegistrationState.WAITLISTED),
                            (requested, RegistrationState.REQUESTED), (declined, RegistrationState.DECLINED),
                            (withdrawn, RegistrationState.WITHDRAWN)):
        register(activity, person, state)
    body = client.get(personal_url(person)).data
    assert set(by_uid(body)) == {uid(confirmed)}
    assert str(by_uid(body)[uid(confirmed)]["STATUS"]) == "CONFIRMED"


def test_waitlisted_and_requested_show_as_tentative_when_asked(client, personal_url):
    person = make_person()
    confirmed, waitlisted, requested = (make_activity(title=t) for t in ("Confirmed", "Waitlisted", "Requested"))
    register(confirmed, person, RegistrationState.CONFIRMED)
    register(waitlisted, person, RegistrationState.WAITLISTED)
    register(requested, person, RegistrationState.REQUESTED)
    events = by_uid(client.get(personal_url(person, include_tentative=True)).data)
    assert {u: str(e["STATUS"]) for u, e in events.items()} == {
        uid(confirmed): "CONFIRMED", uid(waitlisted): "TENTATIVE", uid(requested): "TENTATIVE"}


def test_trainers_see_what_they_teach(client, personal_url):
    trainer = make_person(Role.TRAINER)
    teaching = make_activity(title="Taught", trainer_ids=(trainer.id,))
    make_activity(title="Not taught")
    make_activity(title="Draft taught", trainer_ids=(trainer.id,), status=ActivityStatus.DRAFT)
    body = client.get(personal_url(trainer)).data
    assert set(by_uid(body)) == {uid(teaching)}
    assert str(by_uid(body)[uid(teaching)]["STATUS"]) == "CONFIRMED"


def test_a_cancelled_activity_stays_in_the_personal_feed_as_cancelled(client, personal_url):
    person = make_person()
    activity = make_activity(title="Mission")
    register(activity, person, RegistrationState.CONFIRMED)
    services.set_status(activity, ActivityStatus.CANCELLED)
    event = by_uid(client.get(personal_url(person)).data)[uid(activity)]
    assert str(event["STATUS"]) == "CANCELLED" and str(event["SUMMARY"]) == "Cancelled: Mission"


def test_the_join_link_is_in_url_conference_and_description_for_confirmed_people_only(client, personal_url):
    person, trainer = make_person(), make_person(Role.TRAINER)
    online = make_activity(title="Online", venue_name="", venue_city="", online_url="https://meet.example.org/r-1",
                           trainer_ids=(trainer.id,))
    waiting = make_activity(title="Online, waiting", online_url="https://meet.example.org/r-2")
    register(online, person, RegistrationState.CONFIRMED)
    register(waiting, person, RegistrationState.WAITLISTED)
    for who in (person, trainer):
        event = by_uid(client.get(personal_url(who, include_tentative=True)).data)[uid(online)]
        assert str(event["URL"]) == "https://meet.example.org/r-1"
        assert str(event["CONFERENCE"]) == "https://meet.example.org/r-1"
        assert event["CONFERENCE"].params["VALUE"] == "URI" and event["CONFERENCE"].params["FEATURE"] == "VIDEO"
        assert "Join online: https://meet.example.org/r-1" in str(event["DESCRIPTION"])
        assert f"http://{HOST}/activities/{online.id}" in str(event["DESCRIPTION"])  # and the way back
    tentative = by_uid(client.get(personal_url(person, include_tentative=True)).data)[uid(waiting)]
    assert "CONFERENCE" not in tentative and "r-2" not in str(tentative.to_ical())


def test_a_registration_change_reaches_the_feed(client, personal_url):
    person = make_person()
    activity = make_activity()
    registration = register(activity, person, RegistrationState.CONFIRMED)
    url = personal_url(person)
    first = client.get(url)
    services.withdraw(registration)
    response = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert response.status_code == 200 and b"BEGIN:VEVENT" not in response.data


def test_personal_feeds_are_private_and_in_the_person_s_language(client, personal_url):
    person = make_person(preferred_language="fr")
    register(make_activity(), person, RegistrationState.CONFIRMED)
    response = client.get(personal_url(person))
    assert response.headers["Cache-Control"] == "private, max-age=300"
    assert response.headers["Content-Disposition"] == 'attachment; filename="hemicycle-my-activities.ics"'
    assert values(response.data, "X-WR-CALNAME") == ["Hemicycle : mes activités"]
    assert icaljs(response.data)[0]["events"][0]["status"] == "CONFIRMED"


def test_the_secret_is_random_long_and_stored_only_as_a_hash(app):
    person = make_person()
    first, second = feed_services.issue_token(person), feed_services.issue_token(person)
    assert first != second
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first)  # 32 random bytes: 256 bits
    stored = db.session.scalars(select(FeedToken.token_hash)).all()
    assert hashlib.sha256(second.encode()).hexdigest() in stored
    assert first not in stored and second not in stored


def test_rotation_stops_the_old_address_at_once(client, personal_url):
    person = make_person()
    register(make_activity(), person, RegistrationState.CONFIRMED)
    old = personal_url(person, include_tentative=True)
    assert client.get(old).status_code == 200
    new = personal_url(person)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    token = feed_services.active_token(person)
    assert token.include_tentative is False


def test_revocation_stops_the_address_and_drops_its_cached_copy(client, personal_url):
    person = make_person()
    register(make_activity(), person, RegistrationState.CONFIRMED)
    url = personal_url(person)
    assert client.get(url).status_code == 200
    assert db.session.scalar(select(FeedCache.key)) is not None
    feed_services.revoke_tokens(person)
    assert client.get(url).status_code == 404
    assert db.session.scalars(select(FeedCache.key)).all() == []


def test_a_deactivated_person_s_feed_is_gone(client, personal_url):
    person = make_person()
    url = personal_url(person)
    person.is_active = False
    db.session.commit()
    assert client.get(url).status_code == 404


def test_a_bad_token_is_a_plain_404_even_when_signed_in(app, client, login_as):
    for who in (client, login_as("learner")):
        for url in ("/feeds/not-a-token.ics", "/feeds/" + "x" * 43 + ".ics", "/feeds/" + "y" * 500 + ".ics"):
            response = who.get(url)
            assert response.status_code == 404
            assert response.mimetype == "text/plain"
            assert "Location" not in response.headers
            assert "Set-Cookie" not in response.headers


def test_the_personal_feed_needs_no_cookie_and_sets_none(app, people, personal_url):
    learner = people["learner"]
    register(make_activity(), learner, RegistrationState.CONFIRMED)
    url = personal_url(learner)
    anonymous = app.test_client(use_cookies=False)
    response = anonymous.get(url)
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.data
    assert "Set-Cookie" not in response.headers
    # A browser that is signed in (session and remember-me cookies) gets no new cookie either.
    browser = app.test_client()
    assert sign_in(browser, learner.email, PASSWORD, remember=True).status_code == 302
    for request_headers in ({}, {"If-None-Match": response.headers["ETag"]}):
        fetched = browser.get(url, headers=request_headers)
        assert fetched.status_code in (200, 304)
        assert "Set-Cookie" not in fetched.headers


# The subscriptions page ------------------------------------------------------

def test_the_page_shows_the_address_once_with_copy_buttons(app, login_as, people):
    browser = login_as("learner")
    page = text(browser.get("/my/calendar"))
    assert "Make your private address" in page
    response = post_form(browser, "/my/calendar/address", {"include_tentative": "y"}, token_from="/my/calendar")
    assert response.status_code == 302 and response.headers["Location"].endswith("/my/calendar")
    page = text(browser.get("/my/calendar"))
    https = re.search(r'value="(http://hemicycle\.test/feeds/[A-Za-z0-9_-]{43}\.ics)"', page).group(1)
    assert f'value="webcal://hemicycle.test/feeds/{https.rsplit("/", 1)[1]}"' in page
    assert page.count('class="button-secondary copy-button"') == 2 and "hidden>" in page
    assert "cannot show it to you again" in page
    for client_name in ("Google Calendar", "Outlook", "Apple Calendar", "Thunderbird"):
        assert client_name in page
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []  # no inline script (the CSP forbids it)
    assert feed_services.active_token(people["learner"]).include_tentative is True
    # Shown once: the next visit only says that an address works.
    again = text(browser.get("/my/calendar"))
    assert https not in again and "Your private address has worked since" in again
    assert app.test_client().get(https.replace("http://hemicycle.test", "")).status_code == 200


def test_rotate_and_revoke_from_the_page(app, login_as, people):
    browser = login_as("learner")
    post_form(browser, "/my/calendar/address", token_from="/my/calendar")
    first = re.search(r'value="http://hemicycle\.test(/feeds/[^"]+)"', text(browser.get("/my/calendar"))).group(1)
    post_form(browser, "/my/calendar/address", token_from="/my/calendar")
    second = re.search(r'value="http://hemicycle\.test(/feeds/[^"]+)"', text(browser.get("/my/calendar"))).group(1)
    reader = app.test_client()
    assert (reader.get(first).status_code, reader.get(second).status_code) == (404, 200)
    # Stopping is asked once more, on a page of its own that changes nothing.
    question = text(browser.get("/my/calendar/revoke"))
    assert "Stop your private calendar address?" in question and "stop updating" in question
    assert reader.get(second).status_code == 200
    response = post_form(browser, "/my/calendar/revoke", token_from="/my/calendar/revoke", follow_redirects=True)
    assert "no longer works" in text(response)
    assert reader.get(second).status_code == 404
    assert "Make your private address" in text(browser.get("/my/calendar"))


def test_changing_options_from_the_page(app, login_as, people):
    browser = login_as("learner")
    register(make_activity(title="Waiting"), people["learner"], RegistrationState.WAITLISTED)
    post_form(browser, "/my/calendar/address", token_from="/my/calendar")
    url = re.search(r'value="http://hemicycle\.test(/feeds/[^"]+)"', text(browser.get("/my/calendar"))).group(1)
    reader = app.test_client()
    assert vevents(reader.get(url).data) == []
    post_form(browser, "/my/calendar/options", {"include_tentative": "y"}, token_from="/my/calendar")
    assert [str(e["STATUS"]) for e in vevents(reader.get(url).data)] == ["TENTATIVE"]


def test_rotate_and_revoke_need_a_post_with_a_csrf_token(app, login_as, people):
    browser = login_as("learner")
    post_form(browser, "/my/calendar/address", token_from="/my/calendar")
    token = feed_services.active_token(people["learner"])
    assert browser.get("/my/calendar/revoke").status_code == 200  # the question, not the act
    for path in ("/my/calendar/address", "/my/calendar/revoke", "/my/calendar/options"):
        if path != "/my/calendar/revoke":
            assert browser.get(path).status_code == 405
        assert browser.post(path).status_code == 400
        assert browser.post(path, data={"csrf_token": "forged"}).status_code == 400
    assert feed_services.active_token(people["learner"]).id == token.id
    csrf_token(browser, "/my/calendar")  # the page itself still works


def test_the_subscriptions_page_needs_a_sign_in(client):
    response = client.get("/my/calendar")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_stop_question_needs_a_sign_in_and_an_address(app, client, login_as, people):
    response = client.get("/my/calendar/revoke")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    browser = login_as("learner")
    response = browser.get("/my/calendar/revoke", follow_redirects=True)
    assert "You have no private address to stop." in text(response)
    assert 'href="/my/calendar/revoke"' not in text(browser.get("/my/calendar"))
