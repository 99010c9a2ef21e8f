"""Hemicycle: training, scheduling and follow-up for inter-parliamentary cooperation."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from elearn import config as config_module
from elearn.config import PROJECT_ROOT


class ConfigurationError(RuntimeError):
    pass


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=os.environ.get("HEMICYCLE_INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
    )
    from elearn.params import BoundedIntegerConverter

    # Before any route is added: every `<int:...>` of the app stops at the ids' 32-bit range (larger is a 404).
    app.url_map.converters["int"] = BoundedIntegerConverter
    load_configuration(app, config)
    from elearn import assets, compression

    # First of the after_request functions, so that compression runs last, on the final headers.
    compression.install(app)
    assets.install(app)  # versioned static URLs, cached for a year, compressed once
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    from elearn import logs, ops, security

    ops.install(app)
    from elearn.access import check_every_route_has_a_rule

    security.register(app)
    check_every_route_has_a_rule(app)
    logs.install(app)
    logs.configure_format(app)
    return app


def load_configuration(app: Flask, overrides: dict | None) -> None:
    app.config.from_object(config_module.Defaults)
    try:
        app.config.update(config_module.from_environment(os.environ))
    except config_module.EnvironmentValueError as error:
        raise ConfigurationError(str(error)) from None
    if overrides:
        app.config.update(overrides)
    if not app.config["SECRET_KEY"]:
        secret_file = Path(app.instance_path) / "secret_key"
        if secret_file.exists():
            app.config["SECRET_KEY"] = secret_file.read_text().strip()
    check_required_roles(app.config["TWO_FACTOR_REQUIRED_ROLES"])
    production = not (app.debug or app.testing)
    if production and config_module.is_placeholder_secret(app.config["SECRET_KEY"]):
        raise ConfigurationError(
            "SECRET_KEY is missing or a placeholder: set SECRET_KEY (at least 16 random "
            "characters) or write one to instance/secret_key before starting in production.")
    if production and "SESSION_COOKIE_SECURE" not in os.environ:
        # Browsers treat http://127.0.0.1 as a secure context, so this also
        # works for `make serve`; behind a TLS proxy it is what we want.
        app.config["SESSION_COOKIE_SECURE"] = True
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    try:
        app.config["HSTS_HEADER"] = config_module.hsts_header(app.config, production)
    except ValueError as error:
        raise ConfigurationError(str(error)) from None
    if production and "gunicorn" in sys.modules and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        app.logger.warning("RATELIMIT_STORAGE_URI is memory://: with several workers each counts "
                           "sign-in attempts alone; point it at Redis")
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'hemicycle.db'}"
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config_module.engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        int(app.config["SQLITE_BUSY_TIMEOUT_MS"]), pool_size=int(app.config["DATABASE_POOL_SIZE"]),
        max_overflow=int(app.config["DATABASE_MAX_OVERFLOW"]), pgbouncer=bool(app.config["DATABASE_PGBOUNCER"]))
    hops = int(app.config["PROXY_FIX_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def check_required_roles(roles) -> None:
    """A misspelt role in TWO_FACTOR_REQUIRED_ROLES would silently require nothing: refuse to start."""
    from elearn.access import Role

    unknown = set(roles) - {role.value for role in Role}
    if unknown:
        raise ConfigurationError(f"TWO_FACTOR_REQUIRED_ROLES names unknown roles: {', '.join(sorted(unknown))} "
                                 f"(known: {', '.join(role.value for role in Role)})")


def register_extensions(app: Flask) -> None:
    from elearn import (
        database,  # noqa: F401  (installs the SQLite connection settings)
        panels,
    )
    from elearn.extensions import babel, csrf, db, limiter, login_manager, migrate
    from elearn.i18n import register_template_helpers, select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    from elearn.people.login import configure as configure_login

    configure_login(app)
    register_template_helpers(app)
    panels.install(app)


def register_blueprints(app: Flask) -> None:
    from elearn.admin.audit_log import bp as audit_admin_bp
    from elearn.cooperation.admin import bp as cooperation_admin_bp
    from elearn.cooperation.views import bp as cooperation_bp
    from elearn.delegations.agenda_views import bp as delegations_agenda_bp
    from elearn.delegations.boards_views import bp as delegation_boards_bp
    from elearn.delegations.calls_admin import bp as calls_admin_bp
    from elearn.delegations.calls_views import bp as calls_bp
    from elearn.delegations.costs_views import bp as costs_bp
    from elearn.delegations.letters_views import bp as delegation_letters_bp
    from elearn.delegations.logistics_views import bp as logistics_bp
    from elearn.documents.views import bp as documents_bp
    from elearn.evaluation.answer_views import bp as evaluation_answer_bp
    from elearn.evaluation.gain_views import bp as gain_bp
    from elearn.evaluation.indicator_views import bp as indicators_bp
    from elearn.evaluation.questionnaire_admin import bp as questionnaire_admin_bp
    from elearn.evaluation.results_views import bp as evaluation_results_bp
    from elearn.feeds.views import bp as feeds_bp
    from elearn.learning.admin import bp as learning_admin_bp
    from elearn.learning.offline_views import bp as learning_offline_bp
    from elearn.learning.views import bp as learning_bp
    from elearn.mail.views import bp as mail_bp
    from elearn.main.views import bp as main_bp
    from elearn.missions.report_views import bp as mission_reports_bp
    from elearn.missions.roster_views import bp as expert_roster_bp
    from elearn.missions.team_views import bp as mission_team_bp
    from elearn.missions.terms_views import bp as mission_terms_bp
    from elearn.notifications.views import bp as notifications_bp
    from elearn.people.admin import bp as people_admin_bp
    from elearn.people.personal_data_views import bp as personal_data_bp
    from elearn.people.two_factor_admin import bp as two_factor_admin_bp
    from elearn.people.two_factor_views import bp as two_factor_bp
    from elearn.people.views import bp as accounts_bp
    from elearn.reports.views import bp as reports_bp
    from elearn.scheduling.admin import bp as scheduling_admin_bp
    from elearn.scheduling.views import bp as scheduling_bp

    for blueprint in (main_bp, accounts_bp, people_admin_bp, mail_bp, scheduling_bp, scheduling_admin_bp,
                      feeds_bp, learning_bp, learning_admin_bp, cooperation_bp, cooperation_admin_bp,
                      reports_bp, audit_admin_bp, notifications_bp, two_factor_bp, two_factor_admin_bp,
                      personal_data_bp,
                      learning_offline_bp,
                      delegations_agenda_bp,
                      calls_bp,
                      calls_admin_bp,
                      delegation_boards_bp,
                      costs_bp,
                      delegation_letters_bp,
                      logistics_bp,
                      questionnaire_admin_bp,
                      evaluation_answer_bp,
                      evaluation_results_bp,
                      gain_bp,
                      indicators_bp,
                      mission_terms_bp,
                      expert_roster_bp,
                      documents_bp,
                      mission_reports_bp,
                      mission_team_bp,
                      ):
        app.register_blueprint(blueprint)
    # Lower features hear of higher ones through these hooks, never by importing them.
    from elearn.cooperation import reminders
    from elearn.delegations import (
        agenda_notices,
        logistics_models,  # noqa: F401  (its tables join the metadata)
    )
    from elearn.documents import hooks as document_hooks
    from elearn.documents import models as document_models  # noqa: F401  (its tables join the metadata)
    from elearn.evaluation import gain_models  # noqa: F401  (its tables join the metadata)
    from elearn.evaluation import models as evaluation_models  # noqa: F401  (its tables join the metadata)
    from elearn.evaluation import sending as evaluation_sending
    from elearn.missions import models as mission_models  # noqa: F401  (its tables join the metadata)
    from elearn.missions import report_models, terms_models  # noqa: F401  (their tables join the metadata)
    from elearn.missions import team_views as mission_team
    from elearn.missions.report_panels import install as install_report_panels
    from elearn.missions.terms_panel import install as install_terms_panel
    from elearn.people import resets
    from elearn.reports import completions
    from elearn.scheduling import fanout

    completions.install(app)
    reminders.install(app)
    resets.install(app)
    fanout.install(app)
    agenda_notices.install(app)
    evaluation_sending.install(app)
    install_terms_panel(app)
    document_hooks.install(app)
    install_report_panels(app)
    mission_team.install(app)
    # Peer exchange: each feature registers its own blueprints and hooks (elearn/<feature>/setup.py).
    from elearn.alumni import setup as alumni_setup
    from elearn.assistance import setup as assistance_setup
    from elearn.library import setup as library_setup
    from elearn.mentoring import setup as mentoring_setup
    from elearn.placements import setup as placements_setup
    for feature in (mentoring_setup, placements_setup, library_setup, assistance_setup, alumni_setup):
        feature.install(app)
    from elearn.api import setup as api_setup
    from elearn.onsite import setup as onsite_setup
    from elearn.webhooks import setup as webhooks_setup

    onsite_setup.install(app)  # tickets kept in step with registrations, check-in, badges
    webhooks_setup.install(app)  # its page, its signal receivers, its sender in `flask mail send`
    api_setup.install(app)


def register_errorhandlers(app: Flask) -> None:
    from elearn.main.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from elearn.delegations.cli import delegations_cli
    from elearn.demo import demo_cli
    from elearn.jobs.cli import jobs_cli
    from elearn.learning.cli import courses_cli
    from elearn.mail.cli import mail_cli
    from elearn.notifications.cli import notify_cli
    from elearn.people.cli import parliaments_cli, setup_command, users_cli

    for group in (setup_command, users_cli, parliaments_cli, mail_cli, jobs_cli, demo_cli, courses_cli,
                  notify_cli, delegations_cli):
        app.cli.add_command(group)
