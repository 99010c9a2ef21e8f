"""A real HTTP receiver on loopback that records what it is posted and answers as told."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    def signed_with(self, secret: str) -> bool:
        """The check a subscriber's system makes (Standard Webhooks)."""
        key = base64.b64decode(secret.removeprefix("whsec_"))
        signed = f"{self.headers['webhook-id']}.{self.headers['webhook-timestamp']}.".encode() + self.body
        expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        return any(hmac.compare_digest(expected, given) for given in self.headers["webhook-signature"].split())


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    status: int = 204
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0  # seconds before answering
    answer_body: bytes = b""
    # (chunk, pause): after the status line, header bytes (or, with "body", body bytes) sent a chunk at a time.
    drip: tuple[str, float] | None = None

    def ids(self) -> list[str]:
        return [message.headers["webhook-id"] for message in self.received]


def start_receiver(host: str = "127.0.0.1", port: int = 0):
    """A receiver and a function that stops it."""
    state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            hook = state["receiver"]
            with hook.lock:
                hook.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
            time.sleep(hook.delay)
            try:
                if hook.drip and hook.drip[0] == "headers":  # a header a byte at a time, for ever
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                    for _ in range(int(30 / hook.drip[1])):
                        self.wfile.write(b"a")
                        self.wfile.flush()
                        time.sleep(hook.drip[1])
                    return
                if hook.drip and hook.drip[0] == "body":  # a huge body, slowly
                    self.send_response(hook.status)
                    self.send_header("Content-Length", str(10 ** 9))
                    self.end_headers()
                    for _ in range(int(30 / hook.drip[1])):
                        self.wfile.write(b"x" * 1000)
                        self.wfile.flush()
                        time.sleep(hook.drip[1])
                    return
                self.send_response(hook.status)
                self.send_header("Content-Length", str(len(hook.answer_body)))
                self.end_headers()
                self.wfile.write(hook.answer_body)
            except OSError:
                pass  # the sender hung up, as it should

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    state["receiver"] = Receiver(url=f"http://{host}:{server.server_address[1]}/hook")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return state["receiver"], stop


@pytest.fixture
def receiver():
    hook, stop = start_receiver()
    yield hook
    stop()
