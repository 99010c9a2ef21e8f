"""Settings from the environment: every default's name, typed by its default, and refused when wrong."""
import json
from datetime import timedelta

import pytest

from elearn import ConfigurationError, create_app
from elearn.config import Defaults, from_environment

SETTINGS = sorted(name for name in vars(Defaults) if name.isupper())


def as_text(value):
    """How a person writes this default in an environment file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, tuple):
        return ",".join(str(part) for part in value)
    if isinstance(value, timedelta):
        return str(int(value.total_seconds()))
    return json.dumps(value)


@pytest.fixture
def production(monkeypatch, tmp_path):
    """Start the app as a deployment does: no overrides, settings from the environment only."""
    monkeypatch.setenv("HEMICYCLE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-of-decent-length")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    return monkeypatch


@pytest.mark.parametrize("name", SETTINGS)
def test_every_default_can_be_set_under_its_own_name(name):
    default = getattr(Defaults, name)
    # An empty list (TWO_FACTOR_REQUIRED_ROLES) is written as nothing, which keeps the default.
    assert from_environment({name: as_text(default)}) == ({} if default == () else {name: default})


def test_roles_requiring_two_step_sign_in_are_a_list_of_known_roles(production):
    production.setenv("TWO_FACTOR_REQUIRED_ROLES", "admin, trainer,focal_point")
    assert create_app().config["TWO_FACTOR_REQUIRED_ROLES"] == ("admin", "trainer", "focal_point")
    production.setenv("TWO_FACTOR_REQUIRED_ROLES", "admins")
    with pytest.raises(ConfigurationError, match="TWO_FACTOR_REQUIRED_ROLES"):
        create_app()


def test_values_are_typed_by_their_defaults(production):
    production.setenv("MAIL_SERVER", "smtp.x")
    production.setenv("MAIL_PORT", "587")
    production.setenv("MAIL_USE_TLS", "Yes")
    production.setenv("MAIL_USE_SSL", "off")
    production.setenv("REMINDER_OFFSETS_DAYS", "3, 1")
    production.setenv("LANGUAGES", "fr,en")
    production.setenv("SESSION_IDLE_TIMEOUT", "1800")
    production.setenv("PAGE_SIZE", "50")
    production.setenv("SQLALCHEMY_ENGINE_OPTIONS", '{"echo_pool": true}')
    app = create_app()
    assert app.config["MAIL_SERVER"] == "smtp.x"
    assert app.config["MAIL_PORT"] == 587
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["MAIL_USE_SSL"] is False
    assert app.config["REMINDER_OFFSETS_DAYS"] == (3, 1)
    assert app.config["LANGUAGES"] == ("fr", "en")
    assert app.config["SESSION_IDLE_TIMEOUT"] == timedelta(minutes=30)
    assert app.config["PAGE_SIZE"] == 50
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["echo_pool"] is True
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"timeout": 15.0}


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "yes", "On", " on "])
def test_booleans_accept_the_words_they_always_did(word):
    assert from_environment({"SESSION_COOKIE_SECURE": word}) == {"SESSION_COOKIE_SECURE": True}


@pytest.mark.parametrize("word", ["0", "false", "No", "off", ""])
def test_booleans_read_false(word):
    assert from_environment({"SESSION_COOKIE_SECURE": word}) == {"SESSION_COOKIE_SECURE": False}


def test_an_explicit_false_secure_cookie_is_kept_in_production(production):
    production.setenv("SESSION_COOKIE_SECURE", "false")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["REMEMBER_COOKIE_SECURE"] is False


def test_database_url_is_the_database(production, tmp_path):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'prod.db'}"


def test_empty_database_url_and_reminder_offsets_keep_their_defaults():
    assert from_environment({"DATABASE_URL": "", "REMINDER_OFFSETS_DAYS": ""}) == {}


def test_names_outside_the_defaults_are_not_settings():
    assert from_environment({"TESTING": "1", "DEBUG": "1", "PATH": "/usr/bin", "LANG": "C.UTF-8"}) == {}


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("MAIL_PORT", "abc", "MAIL_PORT should be a whole number, like 25"),
    ("MAIL_PORT", "", "MAIL_PORT should be a whole number"),
    ("MAIL_USE_TLS", "enabled", "MAIL_USE_TLS should be one of 1, true, yes, on"),
    ("REMINDER_OFFSETS_DAYS", "7,x", "REMINDER_OFFSETS_DAYS should be values separated by commas, like 7,1"),
    ("SESSION_IDLE_TIMEOUT", "1h", "SESSION_IDLE_TIMEOUT should be a number of seconds, like 3600"),
    ("SQLALCHEMY_ENGINE_OPTIONS", "[1]", "SQLALCHEMY_ENGINE_OPTIONS should be JSON"),
])
def test_a_bad_value_stops_start_up_naming_the_variable(production, name, text, expected):
    production.setenv(name, text)
    with pytest.raises(ConfigurationError, match=expected) as refused:
        create_app()
    assert refused.value.__cause__ is None  # no traceback of int() or json underneath


def test_a_bad_value_is_not_repeated_in_the_message(production):
    production.setenv("SQLALCHEMY_ENGINE_OPTIONS", '{"connect_args": {"password": "hunter2"')
    with pytest.raises(ConfigurationError) as refused:
        create_app()
    assert "hunter2" not in str(refused.value)
