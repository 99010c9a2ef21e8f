"""Keep secrets out of every log line: access logs, the app's own logs and tracebacks' headlines.

A calendar address, a password-reset or invitation link and an unsubscribe link carry
their secret in the path, and access logs (werkzeug's, gunicorn's) write paths as they
come. Redacting where records are made covers every logger and handler at once, whoever
configured them.
"""
from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
# A parameter (in a query, a form body, a cookie) is secret when its name contains one of these, whatever
# else it holds: `your_password`, `current` (the current password), `api-key`, `otp_code`, `csrf_token`,
# `session`, `remember_token`. A rule, not a list of names: a new form field is covered the day it is added.
SECRET_NAME_PARTS = ("pass", "pwd", "token", "secret", "key", "code", "current", "session", "remember", "auth", "otp")
# Characters of a parameter's name: letters, digits, _ . - [ ] and percent-escapes (`user%5Bpassword%5D`).
_NAME = r"[\w.\-\[\]%]"
SECRET_PARAMETERS = re.compile(
    rf"(?i)(?<!{_NAME})({_NAME}*(?:{'|'.join(SECRET_NAME_PARTS)}){_NAME}*=)[^&;\s\"']+")


def secret_path_prefixes(url_map) -> list[str]:
    """The fixed part before `<token>` of every route that takes a secret in its path."""
    return sorted({rule.rule.split("<token>", 1)[0] for rule in url_map.iter_rules() if "token" in rule.arguments})


class SecretRedactor:
    def __init__(self) -> None:
        self.prefixes: set[str] = set()
        self._path_pattern: re.Pattern | None = None

    def learn_routes(self, url_map) -> None:
        self.prefixes.update(secret_path_prefixes(url_map))
        if self.prefixes:
            alternatives = "|".join(re.escape(prefix) for prefix in sorted(self.prefixes, key=len, reverse=True))
            # A signed token may hold dots; a calendar address keeps its ".ics" so the line stays readable.
            self._path_pattern = re.compile(rf"({alternatives})[^/?#\s\"']+?(\.ics)?(?=[/?#\s\"']|$)")

    def redact(self, message: str) -> str:
        if self._path_pattern is not None:
            message = self._path_pattern.sub(rf"\g<1>{REDACTED}\g<2>", message)
        return SECRET_PARAMETERS.sub(rf"\g<1>{REDACTED}", message)


redactor = SecretRedactor()
_factory_installed = False


def install(app) -> None:
    """Redact every log record this process makes, once the app's routes are known."""
    global _factory_installed
    redactor.learn_routes(app.url_map)
    if _factory_installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacting_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a badly formatted record is the logging module's to report
            return record
        redacted = redactor.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return record

    logging.setLogRecordFactory(redacting_record)
    _factory_installed = True


# Structured logs -----------------------------------------------------------------------------
# LOG_FORMAT=json writes one JSON object per line (time, level, logger, message, and for a
# request its method, path and client address) for log shippers. The message is the same
# redacted text as in plain logs: redaction happens when the record is made, before any formatter.
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class RequestFields(logging.Filter):
    """Add the request's method, path and client address to records made while one is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        from flask import has_request_context, request

        if has_request_context() and not hasattr(record, "path"):
            record.method = request.method
            record.path = redactor.redact(request.path)
            record.remote_addr = request.remote_addr
        return True


def json_formatter() -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                         timestamp=False)


def configure_format(app) -> None:
    """Switch the app's handler (Flask's own, on stderr), the root's and gunicorn's to JSON lines when asked."""
    log_format = app.config.get("LOG_FORMAT", "text")
    if log_format not in ("text", "json"):
        raise ValueError(f"LOG_FORMAT should be text or json, not {log_format!r}.")
    if log_format == "text":
        return
    from flask.logging import default_handler

    formatter = json_formatter()
    handlers = {default_handler}
    for name in (None, "gunicorn.error", "gunicorn.access"):
        handlers.update(logging.getLogger(name).handlers)
    for handler in handlers:
        handler.setFormatter(formatter)
        if not any(isinstance(existing, RequestFields) for existing in handler.filters):
            handler.addFilter(RequestFields())
