"""A real SMTP server on loopback (aiosmtpd) that records what it receives."""
from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    # aiosmtpd's controller cannot start on port 0 (it connects to its own port
    # to check it is up), so ask the system for a free port first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Accept every message, unless a reply such as "451 try later" is queued for it
    or its recipient is refused."""

    def __init__(self):
        self.received: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.replies: list[str] = []
        self.refused: dict[str, str] = {}
        self.peers: list[tuple] = []  # the client's address and port for each message: one per connection

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.peers.append(session.peer)
        if self.replies:
            return self.replies.pop(0)
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class LoopbackSMTP:
    def __init__(self):
        self.host, self.port = "127.0.0.1", free_port()
        self.handler = RecordingHandler()
        self.controller: Controller | None = None

    @property
    def received(self) -> list[EmailMessage]:
        return self.handler.received

    def reply_next(self, *replies: str) -> None:
        """Answer the next DATA commands with these replies instead of accepting."""
        self.handler.replies.extend(replies)

    def refuse_recipient(self, address: str, reply: str) -> None:
        self.handler.refused[address] = reply

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(app):
    """A running SMTP server that the app sends to."""
    server = LoopbackSMTP()
    server.start()
    app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port)
    yield server
    server.stop()
