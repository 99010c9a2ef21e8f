"""Log redaction goes by a rule on parameter names, not a list: any name containing pass, pwd, token, secret,
key, code, current, session, remember, auth or otp has its value replaced, in every log record."""
from __future__ import annotations

import logging
import urllib.request

from hypothesis import given, settings
from hypothesis import strategies as st

from elearn.logs import REDACTED, SECRET_NAME_PARTS, redactor

NAME_CHARACTERS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.[]", max_size=8)
VALUES = st.text(alphabet=st.characters(blacklist_characters="&; \t\r\n\"'", blacklist_categories=("Cs", "Cc", "Z")),
                 min_size=6, max_size=30)


def test_names_the_old_list_missed_are_redacted():
    line = ('127.0.0.1 - - "GET /account/password?current=hunter2-current&your_password=hunter2-yours'
            '&newPassword=hunter2-new&api-key=k3y-value&otp_code=123456&user%5Bpassword%5D=hunter2-bracket'
            '&next=/dashboard&page=2 HTTP/1.1" 200')
    redacted = redactor.redact(line)
    for secret in ("hunter2-current", "hunter2-yours", "hunter2-new", "k3y-value", "123456", "hunter2-bracket"):
        assert secret not in redacted
    assert f"current={REDACTED}" in redacted and f"your_password={REDACTED}" in redacted
    # Other parameters stay readable.
    assert "next=/dashboard&page=2" in redacted


def test_cookies_and_form_bodies_are_redacted_too():
    assert redactor.redact("Cookie: session=abc.def; remember_token=1|xyz; lang=fr") == \
        f"Cookie: session={REDACTED}; remember_token={REDACTED}; lang=fr"
    assert redactor.redact("csrf_token=t0k&email=a@b.org&password=pw123") == \
        f"csrf_token={REDACTED}&email=a@b.org&password={REDACTED}"


@settings(max_examples=300, deadline=None)
@given(prefix=NAME_CHARACTERS, part=st.sampled_from(SECRET_NAME_PARTS), suffix=NAME_CHARACTERS,
       upper=st.booleans(), value=VALUES, before=st.sampled_from(["?", "&", " ", ";", "; ", "\"", ""]))
def test_any_name_containing_a_secret_word_has_its_value_redacted(prefix, part, suffix, upper, value, before):
    name = prefix + (part.upper() if upper else part) + suffix
    line = f"GET /x{before}{name}={value}&after=1"
    redacted = redactor.redact(line)
    assert value not in redacted.replace(name, ""), (line, redacted)
    assert REDACTED in redacted


def test_a_log_record_with_such_names_is_redacted_wherever_it_is_made(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("some.library").info("retrying %s", "https://x.example/cb?your_password=s3cret&current=0ld")
    assert "s3cret" not in caplog.text and "0ld" not in caplog.text
    assert f"your_password={REDACTED}" in caplog.text


def test_the_access_log_of_a_real_server_has_no_value_of_such_names(live_server, caplog):
    caplog.set_level(logging.INFO)
    query = "current=typed-current-pw&your_password=typed-your-pw&resetCode=typed-code&next=/dashboard"
    with urllib.request.urlopen(f"{live_server}/account/login?{query}", timeout=20) as response:
        assert response.status == 200
    log = "\n".join(record.getMessage() for record in caplog.records)
    assert "/account/login?current=" in log
    for secret in ("typed-current-pw", "typed-your-pw", "typed-code"):
        assert secret not in log
