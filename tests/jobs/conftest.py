"""Fixtures for job tests: the real SMTP server on loopback that workers deliver to."""
from tests.mail.conftest import smtp_server  # noqa: F401
