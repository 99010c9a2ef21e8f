"""Passwords under attack: one-time links that outlive a new password, and passwords a guesser tries first."""
import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.people import services as account_services
from elearn.people.models import OneTimeToken, Person, TokenPurpose
from tests import factories
from tests.helpers import post_form, sign_in, text
from tests.people import signed_in_as, submit


def links_for(person) -> dict[str, str]:
    links = {"reset": f"/account/reset/{account_services.issue_token(person, TokenPurpose.PASSWORD_RESET)}",
             "invitation": f"/account/invitation/{account_services.issue_token(person, TokenPurpose.INVITATION)}"}
    db.session.commit()
    return links


def try_link(app, link: str, password: str):
    """Follow a link as whoever holds the mail would: open it, choose a password, post it."""
    holder = app.test_client()
    opened = holder.get(link)
    posted = post_form(holder, link, {"password": password, "confirm": password}, token_from="/account/forgot")
    return opened, posted, holder


# Item 3: every outstanding link stops working once the password is set another way

def test_changing_the_password_on_the_password_page_retires_every_reset_and_invitation_link(app, login_as, people):
    learner = people["learner"]
    links = links_for(learner)
    signed_in = login_as("learner")
    changed = submit(signed_in, "/account/password", {"current": factories.PASSWORD,
                                                     "password": "a brand new passphrase",
                                                     "confirm": "a brand new passphrase"})
    assert changed.status_code == 302

    for link in links.values():
        opened, posted, holder = try_link(app, link, "the attacker's passphrase")
        assert opened.status_code == 404 and "This link no longer works" in text(opened)
        assert posted.status_code == 404
        assert signed_in_as(holder) is None
    assert sign_in(app.test_client(), learner.email, "the attacker's passphrase").status_code == 200
    assert sign_in(app.test_client(), learner.email, "a brand new passphrase").status_code == 302


def test_a_password_set_by_a_reset_link_retires_the_invitation_and_the_other_way_round(app, people):
    learner, trainer = people["learner"], people["trainer"]
    for person, used, other in ((learner, "reset", "invitation"), (trainer, "invitation", "reset")):
        links = links_for(person)
        _, posted, holder = try_link(app, links[used], "a chosen passphrase")
        assert posted.status_code == 302 and signed_in_as(holder) == person.full_name

        opened, posted, late = try_link(app, links[other], "a second chosen passphrase")
        assert opened.status_code == posted.status_code == 404
        assert signed_in_as(late) is None
    assert db.session.scalars(select(OneTimeToken).where(OneTimeToken.used_at.is_(None))).all() == []


def test_a_password_set_by_an_administrator_command_retires_the_links(app, runner, people):
    links = links_for(people["admin"])
    account_services.set_password(people["admin"], "a passphrase typed at the console")
    db.session.commit()

    for link in links.values():
        assert app.test_client().get(link).status_code == 404


def test_deactivation_retires_the_links_so_reactivation_does_not_bring_them_back(app, admin_client, people):
    learner = people["learner"]
    links = links_for(learner)
    post_form(admin_client, f"/admin/people/{learner.id}/active", {"active": "0"},
              token_from=f"/admin/people/{learner.id}")
    post_form(admin_client, f"/admin/people/{learner.id}/active", {"active": "1"},
              token_from=f"/admin/people/{learner.id}")
    assert db.session.get(Person, learner.id).is_active

    for link in links.values():
        assert app.test_client().get(link).status_code == 404


def test_a_new_email_address_retires_the_links_mailed_to_the_old_one(app, admin_client, people):
    learner = people["learner"]
    links = links_for(learner)
    assert submit(admin_client, f"/admin/people/{learner.id}", {"email": "moved@example.org"}).status_code == 302

    for link in links.values():
        assert app.test_client().get(link).status_code == 404


# Item 11: passwords a guesser tries first are refused, saying why

TOO_COMMON = "This password is too common; choose another."
OWN_WORDS = "This password contains your email address, your name or the name of the site"
TOO_UNIFORM = "This password has too little variety: use at least 5 different characters."
PATTERN = "This password is a repeated pattern or a simple sequence"

WEAK = [
    ("aaaaaaaaaa", TOO_UNIFORM),
    ("abababababab", TOO_UNIFORM),
    ("learner@example.org", OWN_WORDS),  # the account's own address
    ("learner-in-banjul", OWN_WORDS),  # the part before the @
    ("wangmo-tshering-77", OWN_WORDS),  # a word of the name, in any order or case
    ("my hemicycle account", OWN_WORDS),  # the site's name
    ("Password2024!", TOO_COMMON),  # a listed password with digits and a symbol added
    ("p@ssw0rd-1234", TOO_COMMON),  # look-alike digits
    ("parlement2026", TOO_COMMON),
    ("bcdefghijklm", PATTERN),
    ("abc123abc123", PATTERN),
    ("poiuytreza", PATTERN),  # along a French keyboard, backwards
]


@pytest.fixture
def named_learner(people):
    learner = people["learner"]
    learner.full_name = "Tshering Wangmo"
    db.session.commit()
    return learner


@pytest.mark.parametrize("password, message", WEAK)
def test_the_password_page_refuses_guessable_passwords_and_says_why(app, login_as, named_learner, password, message):
    signed_in = login_as("learner")
    response = submit(signed_in, "/account/password", {"current": factories.PASSWORD, "password": password,
                                                      "confirm": password})

    assert response.status_code == 200 and message in text(response)
    assert sign_in(app.test_client(), named_learner.email, factories.PASSWORD).status_code == 302


@pytest.mark.parametrize("purpose", ["reset", "invitation"])
def test_reset_and_invitation_links_refuse_the_same_passwords(app, named_learner, purpose):
    link = links_for(named_learner)[purpose]
    for password, message in WEAK:
        _, posted, holder = try_link(app, link, password)
        assert posted.status_code == 200 and message in text(posted), password
        assert signed_in_as(holder) is None
    _, posted, holder = try_link(app, link, "correct horse battery staple")
    assert posted.status_code == 302 and signed_in_as(holder) == "Tshering Wangmo"


def test_the_create_admin_command_refuses_a_password_made_of_the_address(runner, people):
    result = runner.invoke(args=["users", "create-admin", "clerk.general@example.org", "--name", "Mariama Jallow",
                                 "--password", "clerk.general2026"])

    assert result.exit_code == 1 and OWN_WORDS in result.output
    assert account_services.find_by_email("clerk.general@example.org") is None
    accepted = runner.invoke(args=["users", "create-admin", "clerk.general@example.org", "--name", "Mariama Jallow",
                                   "--password", "correct horse battery staple"])
    assert accepted.exit_code == 0, accepted.output


def test_long_passphrases_of_ordinary_words_are_accepted(app, people):
    learner = people["learner"]
    for password in ("correct horse battery staple", "le chat dort sur le canapé", "Ndiaye's 3 goats!"):
        account_services.set_password(learner, password)
