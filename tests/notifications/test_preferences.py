"""Each person's choices, and one-click unsubscribe links (RFC 8058) that only turn mail off."""
from __future__ import annotations

import re
from base64 import urlsafe_b64encode

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.notifications.models import NotificationPreference, OptionalMail
from elearn.notifications.services import PreferenceInput, save_preferences, unsubscribe_token
from elearn.topics import Topic, seed_topics
from tests.helpers import post_form, text

PAGE = "/account/notifications/"


def preference(person) -> NotificationPreference | None:
    db.session.expire_all()
    return db.session.get(NotificationPreference, person.id)


def unsubscribe_path(person, mail: OptionalMail) -> str:
    return f"/account/notifications/unsubscribe/{unsubscribe_token(person.id, mail)}"


def test_the_page_needs_a_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_page_shows_the_defaults_and_saves_choices(app, people, learner_client):
    seed_topics()
    page = text(learner_client.get(PAGE))
    assert "Mail notifications" in page
    assert '<input checked id="reminders"' in page and '<input checked id="digest"' in page
    assert re.search(r'id="languages-en" name="languages" value="en" checked', page)  # the preferred language
    assert "Committee work" in page
    assert preference(people["learner"]) is None  # showing the page wrote nothing

    budget, committees = (db.session.scalar(select(Topic.id).where(Topic.slug == slug))
                          for slug in ("budget", "committee-work"))
    response = post_form(learner_client, PAGE, {"digest": "y", "languages": ["en", "fr"],
                                                "topic_ids": [str(budget), str(committees)]},
                         token_from=PAGE, follow_redirects=True)

    assert "Your choices are saved." in text(response)
    saved = preference(people["learner"])
    assert (saved.reminders, saved.digest, saved.languages) == (False, True, ["en", "fr"])
    assert sorted(t.slug for t in saved.topics) == ["budget", "committee-work"]
    page = text(learner_client.get(PAGE))
    assert '<input id="reminders"' in page  # no longer checked
    assert re.search(rf'id="topic-{budget}" name="topic_ids" value="{budget}" checked', page)


def test_saving_without_a_csrf_token_is_refused(app, people, learner_client):
    response = learner_client.post(PAGE, data={"digest": ""})
    assert response.status_code == 400
    assert preference(people["learner"]) is None


def test_the_page_reads_in_french(app, people, learner_client):
    people["learner"].preferred_language = "fr"
    db.session.commit()
    page = text(learner_client.get(PAGE))
    assert "Notifications par courriel" in page
    assert "Enregistrer mes choix" in page


def test_one_click_unsubscribe_is_a_post_without_csrf_or_session(app, people, client):
    learner = people["learner"]
    response = client.post(unsubscribe_path(learner, OptionalMail.REMINDERS),
                           data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "you will no longer receive reminders before your activities" in text(response)
    saved = preference(learner)
    assert (saved.reminders, saved.digest) == (False, True)  # only what the link names
    # Clicking again is harmless.
    assert client.post(unsubscribe_path(learner, OptionalMail.REMINDERS)).status_code == 200


def test_the_link_opened_in_a_browser_asks_first_and_changes_nothing(app, people, client):
    learner = people["learner"]
    path = unsubscribe_path(learner, OptionalMail.DIGEST)

    page = text(client.get(path))
    assert "Stop receiving the weekly digest of new activities?" in page
    assert f'<form method="post" action="{path}">' in page
    assert preference(learner) is None  # GET changed nothing (link checkers open links)
    client.head(path)
    assert preference(learner) is None

    response = client.post(path, data={"List-Unsubscribe": "One-Click"})  # the page's button
    assert "Done: you will no longer receive the weekly digest of new activities." in text(response)
    assert (preference(learner).reminders, preference(learner).digest) == (True, False)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_made_up_token_is_not_found(app, people, client, method):
    good = unsubscribe_token(people["learner"].id, OptionalMail.REMINDERS)
    payload, signature = good.split(".")
    someone_else = urlsafe_b64encode(f'[{people["admin"].id},"reminders"]'.encode()).rstrip(b"=").decode()
    for token in (f"{payload}.{signature[:-2]}{'AA' if not signature.endswith('AA') else 'BB'}", "not-a-token",
                  f"{someone_else}.{signature}"):
        response = getattr(client, method)(f"/account/notifications/unsubscribe/{token}")
        assert response.status_code == 404, token
    assert preference(people["learner"]) is None


def test_a_token_signed_for_something_else_is_refused(app, people, client):
    from itsdangerous import URLSafeSerializer

    other_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt="something-else").dumps(
        [people["learner"].id, "reminders"])
    assert client.post(f"/account/notifications/unsubscribe/{other_salt}").status_code == 404
    wrong_mail = URLSafeSerializer(app.config["SECRET_KEY"], salt="notifications.unsubscribe").dumps(
        [people["learner"].id, "registrations"])
    assert client.post(f"/account/notifications/unsubscribe/{wrong_mail}").status_code == 404
    assert preference(people["learner"]) is None


def test_the_unsubscribe_page_keeps_the_layout_and_language(app, people, client):
    page = text(client.get(unsubscribe_path(people["learner"], OptionalMail.DIGEST),
                           headers={"Accept-Language": "fr"}))
    assert '<html lang="fr"' in page
    assert "Se désabonner" in page


def test_saved_topics_and_languages_replace_the_earlier_ones(app, people):
    seed_topics()
    budget = db.session.scalar(select(Topic).where(Topic.slug == "budget"))
    learner = people["learner"]
    save_preferences(learner, PreferenceInput(reminders=True, digest=True, languages=("fr",), topic_ids=(budget.id,)))
    save_preferences(learner, PreferenceInput(reminders=True, digest=False))
    saved = preference(learner)
    assert (saved.digest, saved.languages, saved.topics) == (False, [], [])
