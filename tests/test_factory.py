"""The application factory: configuration sources and the production guard."""
import pytest

from elearn import ConfigurationError, create_app


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("HEMICYCLE_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.parametrize("placeholder", ["", "dev", "change-me", "short"])
def test_production_refuses_placeholder_secrets(monkeypatch, tmp_path, placeholder):
    monkeypatch.setenv("HEMICYCLE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", placeholder)
    with pytest.raises(ConfigurationError):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_reads_environment_and_secures_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("HEMICYCLE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-of-decent-length")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.setenv("LOGIN_LIMIT_PER_IP", "500 per minute")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("prod.db")
    assert app.config["MAIL_SERVER"] == "smtp.example.org"
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["LOGIN_LIMIT_PER_IP"] == "500 per minute"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_secret_key_file_in_instance_folder_is_used(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("HEMICYCLE_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "secret_key").write_text("generated-by-make-0123456789abcdef\n")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "generated-by-make-0123456789abcdef"


def test_default_database_is_sqlite_in_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("HEMICYCLE_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'hemicycle.db'}"


def test_templates_and_static_are_the_top_level_folders(app):
    assert app.template_folder.endswith("/templates") and app.template_folder.startswith("/")
    assert app.static_folder.endswith("/static") and app.static_folder.startswith("/")


def test_proxy_fix_trusts_forwarded_headers_when_configured(make_app):
    app = make_app(PROXY_FIX_HOPS=1)

    @app.get("/_whoami")
    def whoami():
        from flask import request
        return f"{request.remote_addr} {request.scheme}"

    response = app.test_client().get("/_whoami", headers={"X-Forwarded-For": "203.0.113.7",
                                                           "X-Forwarded-Proto": "https"})
    assert response.get_data(as_text=True) == "203.0.113.7 https"


def test_a_route_without_an_access_rule_stops_the_app(app):
    from elearn.access import check_every_route_has_a_rule

    @app.get("/_forgotten")
    def forgotten():
        return "oops"

    with pytest.raises(RuntimeError, match="forgotten"):
        check_every_route_has_a_rule(app)
