"""Configuration: defaults, then the environment, then an explicit mapping."""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from functools import partial
from pathlib import Path

from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Values that mean "nobody set a secret": the app refuses them in production.
PLACEHOLDER_SECRETS = {"", "dev", "change-me", "changeme", "secret"}


class Defaults:
    SECRET_KEY = ""
    SQLALCHEMY_DATABASE_URI = ""  # filled from the instance folder at start-up
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False
    # SQLite: how long a write waits for another writer's lock before giving up
    # ("database is locked", shown as a 503 page).
    SQLITE_BUSY_TIMEOUT_MS = 15000
    # PostgreSQL: connections each process keeps (pool) and may open beyond it under load (overflow).
    # Sized so that hosts × processes × (pool + overflow) stays below max_connections (docs/DEPLOYMENT.md).
    DATABASE_POOL_SIZE = 5
    DATABASE_MAX_OVERFLOW = 5
    # Behind PgBouncer in transaction mode: no server-side prepared statements (psycopg's
    # prepare_threshold=None), since the next transaction may run on another server connection.
    DATABASE_PGBOUNCER = False
    # What a 503 page (database unavailable) tells clients: seconds before trying again.
    RETRY_AFTER_SECONDS = 60

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_IDLE_TIMEOUT = timedelta(hours=1)
    # Changing roles or email addresses needs a password typed this recently.
    FRESH_LOGIN_WINDOW = timedelta(minutes=15)
    # Wrong passwords for one account in ten minutes (sign-in, re-confirmation, password change)
    # after which a signed-in person's password checks are refused: a stolen session cannot guess on.
    WRONG_PASSWORDS_PER_ACCOUNT = 10
    # Refused pages and forms audited per address in ten minutes; the rest are only logged.
    AUDIT_REFUSALS_PER_ADDRESS = 50
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    # Roles that must sign in with a one-time code too, e.g. "admin,trainer,focal_point"; empty: nobody.
    TWO_FACTOR_REQUIRED_ROLES: tuple = ()
    # How long a device the person chose to trust signs in without a code.
    TWO_FACTOR_TRUST_DURATION = timedelta(days=30)
    # The name authenticator apps show beside the account.
    TWO_FACTOR_ISSUER = "Hemicycle"

    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    CSV_IMPORT_MAX_BYTES = 1024 * 1024
    # Documents of activities, missions and programmes: where their files live (empty: the instance
    # folder's documents/; back it up with the database), the storage kind, and the largest file accepted
    # (their upload form alone may exceed MAX_CONTENT_LENGTH by this much).
    DOCUMENTS_FOLDER = ""
    DOCUMENTS_STORAGE = "folder"
    DOCUMENTS_MAX_BYTES = 20 * 1024 * 1024

    # Werkzeug's default (scrypt) in production; tests use a cheap method.
    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_MIN_LENGTH = 10
    # Different characters a new password must hold (aaaaaaaaaa and abababab are refused).
    PASSWORD_MIN_DISTINCT = 5

    RESET_TOKEN_LIFETIME = timedelta(hours=2)
    INVITATION_TOKEN_LIFETIME = timedelta(days=14)
    NEWLY_ELECTED_MONTHS = 12

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    # If Redis is briefly unreachable, throttle per process rather than fail sign-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_LIMIT_PER_IP = "30 per 10 minutes"
    LOGIN_LIMIT_PER_ACCOUNT = "10 per 10 minutes"
    # Forgot-password requests for one address (known or not), and reset mails to one account.
    RESET_LIMIT_PER_ACCOUNT = "3 per hour"
    CERTIFICATE_LOOKUP_LIMIT_PER_IP = "60 per 10 minutes"
    LETTER_LOOKUP_LIMIT_PER_IP = "60 per 10 minutes"
    # Feeds rendered (not served from the cache) per client address: a new filter
    # combination costs a render and a cache row.
    FEED_RENDER_LIMIT_PER_IP = "20 per minute"
    # Calls to /api/ per token (or per address without one), counted in RATELIMIT_STORAGE_URI by every worker.
    API_RATE_LIMIT = "300 per minute"

    # Public feeds hold sessions from this many days ago to this many days ahead (0: no end);
    # personal and single-activity feeds have no end.
    FEED_PAST_DAYS = 90
    FEED_FUTURE_DAYS = 365
    # The feed cache keeps at most this many renderings and bytes, least recently used dropped first.
    FEED_CACHE_MAX_ROWS = 1000
    FEED_CACHE_MAX_BYTES = 100_000_000
    # How long a process may answer a feed's conditional requests from its last check without
    # asking the database (0: every request asks; a change may show this much later per process).
    FEED_FRESHNESS_SECONDS = 0.0

    MAIL_SERVER = ""  # empty: messages are printed to the console
    MAIL_PORT = 25
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_TIMEOUT = 10
    MAIL_DEFAULT_SENDER = "Hemicycle <no-reply@hemicycle.localhost>"
    MAIL_MAX_ATTEMPTS = 6
    MAIL_RETRY_BASE_SECONDS = 60
    MAIL_CLAIM_BATCH = 10  # messages a sender claims at a time
    # Webhooks: a failed delivery is tried again after base * 2**(attempts-1) seconds, at most this many times.
    WEBHOOK_MAX_ATTEMPTS = 8
    WEBHOOK_RETRY_BASE_SECONDS = 60
    # The whole POST (connect, send, status line) must fit in this; the receiver's answer body is never read.
    WEBHOOK_TIMEOUT_SECONDS = 10
    # A round of `flask mail send` / `flask webhooks send` claims no new webhooks after this many seconds.
    WEBHOOK_SEND_BUDGET_SECONDS = 30
    WEBHOOK_MAX_SUBSCRIPTIONS_PER_PERSON = 10
    # May a subscription post to a private or loopback address (an intranet, 127.0.0.1)? null: only in
    # development and tests, so that a subscriber cannot make the server call inside its own network.
    WEBHOOK_ALLOW_PRIVATE_URLS = None
    # ORGANIZER of calendar invitations; empty: the address of MAIL_DEFAULT_SENDER.
    MAIL_ORGANIZER = ""

    # Background jobs (`flask jobs run`, also run by `flask mail send`): a job that mails everyone
    # registered at an activity queues this many mails per transaction.
    JOBS_BATCH_SIZE = 500
    JOBS_MAX_ATTEMPTS = 5
    JOBS_RETRY_BASE_SECONDS = 60
    # A running job whose worker has not saved a batch for this long is taken over by another.
    JOBS_STALE_SECONDS = 600

    # `flask notify due`: days before an activity starts when confirmed participants are reminded.
    REMINDER_OFFSETS_DAYS = (7, 1)
    COOPERATION_REMINDER_OFFSETS_DAYS = (14, 1)
    # Evaluation questionnaires: open this many days after the last session; one reminder after this many.
    EVALUATION_OPEN_DAYS = 21
    EVALUATION_REMINDER_DAYS = 7
    # `flask notify digest`: activities published during this many days before the run.
    DIGEST_DAYS = 7

    SITE_URL = "http://127.0.0.1:5000"
    LANGUAGES = ("en", "fr", "es", "pt", "ar")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent / "translations")

    COURSES_PATH = str(PROJECT_ROOT / "courses")  # where `flask courses check|import` look by default
    # DejaVu Sans and Noto Sans Arabic, regular and bold (elearn/fonts names the files and licences).
    PDF_FONT_FOLDER = str(Path(__file__).resolve().parent / "fonts")
    # The host's letterhead on invitation letters for visa applications, printed as given in every
    # language. The address's lines are separated by ";"; LETTERHEAD_CITY is where letters are dated
    # from; an empty signatory name prints the title alone.
    LETTERHEAD_NAME = "Parliamentary Training and Cooperation Unit"
    LETTERHEAD_ADDRESS = ""
    LETTERHEAD_CITY = "Paris"
    LETTERHEAD_SIGNATORY_NAME = ""
    LETTERHEAD_SIGNATORY_TITLE = "Head of the Training and Cooperation Unit"
    PROXY_FIX_HOPS = 0  # number of trusted proxies in front of the app
    # Strict-Transport-Security: seconds browsers keep to https only. null (the default): a year in
    # production when SITE_URL is https, off in debug, tests or on http; 0: off.
    HSTS_SECONDS = None
    # Add includeSubDomains: only if every host under SITE_URL's domain serves https.
    HSTS_INCLUDE_SUBDOMAINS = False
    PAGE_SIZE = 25
    # Rows per page of an activity's roster, attendance and sign-in sheets (an activity may have thousands).
    ROSTER_PAGE_SIZE = 100
    # `flask delegations purge-sensitive` empties passport details and dietary and accessibility needs
    # this many days after the activity ends.
    LOGISTICS_PURGE_DAYS = 30
    # Days after an activity's last session during which its evaluation (questionnaire, post-test) stays open.
    EVALUATION_OPEN_DAYS = 21
    # Reports hide a political-side cell of fewer people than this.
    REPORT_MIN_CELL = 3
    # Reports count political sides by programme and calendar quarter, for quarters of this many members
    # of parliament or more that ended this many days ago, rounded (see elearn/reports/protection.py).
    REPORT_SIDE_MIN_PEOPLE = 10
    REPORT_SIDE_DELAY_DAYS = 30
    REPORT_SIDE_ROUNDING = 5
    REPORT_SIDE_NOISE = 1.0  # epsilon of the noise on each side count; smaller is noisier

    # Check-in at the door (elearn/onsite): a session is under way from this long before its start (doors
    # open) until its end; a scan dated further in the future than the skew (a scanner's clock ahead) or
    # older than the age (an offline queue sent a day late) is refused; a scanner sends at most this many
    # scans in one request.
    CHECK_IN_DOORS_OPEN = timedelta(minutes=30)
    CHECK_IN_CLOCK_SKEW = timedelta(minutes=5)
    CHECK_IN_MAX_AGE = timedelta(hours=24)
    CHECK_IN_BATCH_MAX = 200
    # Name badges come in files of at most this many (200 take about 3 s to draw): a large activity's
    # trainer downloads them part by part instead of one request running for a minute.
    BADGES_PER_FILE = 200

    # `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>`; empty: the page is off (404).
    METRICS_TOKEN = ""
    # "text" (one readable line per record) or "json" (one JSON object per line, for log shippers).
    LOG_FORMAT = "text"


# Every setting of Defaults is read from the environment under its own name (MAIL_SERVER, not
# HEMICYCLE_MAIL_SERVER): those are the names deployments and the README already use, and one
# name per setting needs no rule for which of two spellings wins. Only names of Defaults are read,
# so a new setting is configurable as soon as it has a default, and an unrelated variable (PATH,
# LANG, or Flask's TESTING) never becomes a setting. The default's type says how to read the text.
# Flask's from_prefixed_env is not used: it parses JSON, which reads "yes" as a string and "7,1"
# as an error, and deployments set both.
_TRUE_WORDS = {"1", "true", "yes", "on"}
_FALSE_WORDS = {"0", "false", "no", "off", ""}


class EnvironmentValueError(ValueError):
    """An environment variable whose text does not fit its setting; the message names it."""


def _as_bool(text: str) -> bool:
    word = text.strip().lower()
    if word not in _TRUE_WORDS | _FALSE_WORDS:
        raise ValueError(word)
    return word in _TRUE_WORDS


def _as_tuple(text: str, default: tuple) -> tuple:
    # "7,1": a reminder a week before and another the day before.
    item = type(default[0]) if default else str
    return tuple(item(part.strip()) for part in text.split(",") if part.strip())


def _as_seconds(text: str) -> timedelta:
    return timedelta(seconds=int(text))


def _as_json(text: str, default: object) -> object:
    value = json.loads(text)
    if default is not None and not isinstance(value, type(default)):
        raise ValueError(text)
    return value


def _reader(default: object) -> tuple[Callable[[str], object], str]:
    """How to read a setting with this default from text, and what the text should look like."""
    if isinstance(default, bool):
        return _as_bool, "one of 1, true, yes, on (or 0, false, no, off)"
    if isinstance(default, int):
        return int, f"a whole number, like {default}"
    if isinstance(default, str):
        return str, "text"
    if isinstance(default, tuple):
        example = ",".join(str(part) for part in default)
        return partial(_as_tuple, default=default), f"values separated by commas, like {example}"
    if isinstance(default, timedelta):
        return _as_seconds, f"a number of seconds, like {int(default.total_seconds())}"
    example = "a number or null" if default is None else json.dumps(default)
    return partial(_as_json, default=default), f"JSON, like {example}"


def read_setting(name: str, text: str, default: object) -> object:
    read, expected = _reader(default)
    try:
        return read(text)
    except ValueError:
        # The value itself is left out: JSON settings may hold a password, and this ends up in logs.
        raise EnvironmentValueError(f"The environment variable {name} should be {expected}.") from None


def from_environment(environ: Mapping[str, str]) -> dict:
    values: dict = {}
    for name, default in vars(Defaults).items():
        if not name.isupper() or name not in environ:
            continue
        # An empty list keeps the default, as an empty REMINDER_OFFSETS_DAYS always did.
        if isinstance(default, tuple) and not environ[name].strip():
            continue
        values[name] = read_setting(name, environ[name], default)
    if environ.get("DATABASE_URL"):
        values["SQLALCHEMY_DATABASE_URI"] = environ["DATABASE_URL"]
    return values


HSTS_DEFAULT_SECONDS = 31536000  # a year


def hsts_header(config: Mapping, production: bool) -> str:
    """The Strict-Transport-Security header the app sends, or "" for none; ValueError for a bad HSTS_SECONDS."""
    seconds = config.get("HSTS_SECONDS")
    if seconds is None:
        https = str(config.get("SITE_URL", "")).lower().startswith("https://")
        seconds = HSTS_DEFAULT_SECONDS if production and https else 0
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 0:
        raise ValueError("HSTS_SECONDS should be a whole number of seconds (0 for none) or null")
    if not seconds:
        return ""
    return f"max-age={seconds}" + ("; includeSubDomains" if config.get("HSTS_INCLUDE_SUBDOMAINS") else "")


def engine_options(url: str, options: dict, sqlite_busy_timeout_ms: int, *, pool_size: int = 5,
                   max_overflow: int = 5, pgbouncer: bool = False) -> dict:
    """The SQLAlchemy engine options for this database, on top of those configured.

    PostgreSQL: check each pooled connection before use (pool_pre_ping), so that
    connections a server restart killed are replaced instead of failing a request;
    the pool's size; behind PgBouncer (transaction mode) no prepared statements.
    SQLite: a write waits this long for another writer's lock (busy timeout).
    """
    options = dict(options or {})
    backend = make_url(url).get_backend_name()
    if backend == "postgresql":
        options.setdefault("pool_pre_ping", True)
        options.setdefault("pool_size", pool_size)
        options.setdefault("max_overflow", max_overflow)
        if pgbouncer:
            connect_args = dict(options.get("connect_args") or {})
            connect_args.setdefault("prepare_threshold", None)
            options["connect_args"] = connect_args
    elif backend == "sqlite":
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", sqlite_busy_timeout_ms / 1000)
        options["connect_args"] = connect_args
    return options


def is_placeholder_secret(secret: str | None) -> bool:
    return secret is None or secret.strip().lower() in PLACEHOLDER_SECRETS or len(secret) < 16
