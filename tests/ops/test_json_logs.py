"""LOG_FORMAT=json: one JSON object per line, with the request's method and path, secrets still redacted."""
import io
import json
import logging

import pytest
from flask import current_app
from flask.logging import default_handler

from elearn import ConfigurationError


@pytest.fixture
def captured_json_lines(make_app):
    root = logging.getLogger()
    handlers = [default_handler, *root.handlers]
    saved = [(handler, handler.formatter, list(handler.filters)) for handler in handlers]
    stream = io.StringIO()
    # Where a deployment's logging sends records (gunicorn's or the root logger's handler).
    shipping = logging.StreamHandler(stream)
    root.addHandler(shipping)
    app = make_app(LOG_FORMAT="json")

    @app.get("/log-something/<token>")
    def log_something(token):
        current_app.logger.warning("Looked at %s with password=%s", "the outbox", "hunter2-secret")
        return "logged"

    log_something.access_rule = "public"
    yield app, stream
    root.removeHandler(shipping)
    for handler, formatter, filters in saved:
        handler.setFormatter(formatter)
        handler.filters[:] = filters


def test_a_log_record_is_one_json_object_with_the_request(captured_json_lines):
    app, stream = captured_json_lines
    assert app.test_client().get("/log-something/abc?q=1").status_code == 200
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    record = next(line for line in lines if "outbox" in line["message"])
    assert record["level"] == "WARNING"
    assert record["logger"] == app.logger.name
    assert record["method"] == "GET" and record["path"] == "/log-something/abc"
    assert "time" in record
    assert "hunter2-secret" not in stream.getvalue()


def test_an_unknown_log_format_stops_the_start(make_app):
    with pytest.raises((ConfigurationError, ValueError), match="LOG_FORMAT"):
        make_app(LOG_FORMAT="yaml")


def test_plain_text_stays_the_default(make_app):
    make_app()
    assert not isinstance(default_handler.formatter, logging.Formatter) or \
        "pythonjsonlogger" not in type(default_handler.formatter).__module__
