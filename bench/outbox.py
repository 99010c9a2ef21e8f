"""Outbox throughput: N messages delivered to aiosmtpd on loopback by one sender, then by two at once.

    .venv/bin/python bench/outbox.py [--messages 2000] [--database-url postgresql+psycopg://postgres@127.0.0.1/test]
                                     [--smtp-delay-ms 20]

Without --database-url it uses a temporary SQLite file; with a PostgreSQL URL it
creates a database of its own on that server and drops it at the end. Each
sender is a separate process running send_due in a loop, as `flask mail send
--loop` does. Prints messages per second for each run, the ratio, and checks
that every message arrived exactly once. --smtp-delay-ms makes the server
answer each message that much later, as a remote server across a network does.
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench._common import scratch_database  # noqa: E402
from elearn import create_app  # noqa: E402
from elearn.extensions import db  # noqa: E402
from elearn.mail.services import queue_mail, send_due  # noqa: E402


class CountingHandler:
    def __init__(self, delay: float = 0.0):
        self.recipients: list[str] = []
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def queue(app, count: int, round_name: str) -> None:
    with app.app_context():
        for n in range(count):
            address = f"{round_name}-{n}@bench.example"
            queue_mail(to=address, template="password_reset", locale="en",
                       person=SimpleNamespace(full_name=f"Member {n}"), link=f"https://hemicycle.test/r/{n}", hours=2)
            if n % 500 == 499:
                db.session.commit()
        db.session.commit()


def sender(config: dict, name: str, start, results) -> None:
    """One `flask mail send --loop` until the outbox is empty."""
    app = create_app(config)
    with app.app_context():
        db.session.execute(text("SELECT 1"))  # connect before the clock starts
        db.session.rollback()
        start.wait(timeout=120)
        sent = 0
        while True:
            report = send_due(sender_id=name, limit=200)
            sent += report.sent
            if not (report.sent or report.retried or report.failed):
                break
        results.put((name, sent, time.time()))
        db.session.remove()
        db.engine.dispose()


def run(config: dict, senders: int, expected: int) -> tuple[float, list[int]]:
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(senders + 1), context.Queue()
    processes = [context.Process(target=sender, args=(config, f"sender-{n}", start, results)) for n in range(senders)]
    for process in processes:
        process.start()
    start.wait(timeout=120)
    began = time.time()
    finished = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    elapsed = max(end for _name, _sent, end in finished) - began
    counts = [sent for _name, sent, _end in finished]
    if sum(counts) != expected:
        raise SystemExit(f"expected {expected} messages sent, the senders report {counts}")
    return elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--smtp-delay-ms", type=float, default=0.0,
                        help="the server's delay before answering each message")
    options = parser.parse_args()

    with scratch_database(options.database_url) as url:
        handler = CountingHandler(options.smtp_delay_ms / 1000)
        smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
        smtp.start()
        config = {"TESTING": True, "SECRET_KEY": uuid.uuid4().hex * 2, "SQLALCHEMY_DATABASE_URI": url,
                  "MAIL_SERVER": smtp.hostname, "MAIL_PORT": smtp.port, "SITE_URL": "https://hemicycle.test"}
        os.environ.setdefault("HEMICYCLE_INSTANCE_PATH", tempfile.mkdtemp(prefix="hemicycle-bench-"))
        app = create_app(config)
        try:
            with app.app_context():
                db.create_all()
                engine_name = db.engine.dialect.name
                db.engine.dispose()
            print(f"{options.messages} messages, {engine_name}, aiosmtpd on {smtp.hostname}:{smtp.port} "
                  f"answering after {options.smtp_delay_ms:g} ms, {os.cpu_count()} CPUs, "
                  f"claim batch {app.config['MAIL_CLAIM_BATCH']}")
            rates = {}
            for senders in (1, 2):
                round_name = f"round{senders}"
                queue(app, options.messages, round_name)
                before = len(handler.recipients)
                elapsed, counts = run(config, senders, options.messages)
                delivered = Counter(address for address in handler.recipients[before:])
                duplicates = sum(n - 1 for n in delivered.values() if n > 1)
                if len(delivered) != options.messages or duplicates:
                    raise SystemExit(f"{senders} sender(s): {len(delivered)} distinct delivered, {duplicates} duplicates")
                rates[senders] = options.messages / elapsed
                print(f"{senders} sender(s): {elapsed:.2f} s, {rates[senders]:.0f} messages/s "
                      f"(each sent {counts}); {len(delivered)} delivered, no duplicates")
            print(f"ratio 2 senders / 1 sender: {rates[2] / rates[1]:.2f}")
        finally:
            smtp.stop()
            with app.app_context():
                db.engine.dispose()


if __name__ == "__main__":
    main()
