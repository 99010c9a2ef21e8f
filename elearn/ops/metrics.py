"""Prometheus metrics at `/metrics`: request latency and failures by endpoint, mail and job backlogs.

Under gunicorn each worker is its own process, so request metrics use prometheus-client's
multiprocess mode when PROMETHEUS_MULTIPROC_DIR is set (deploy/gunicorn.conf.py sets it and
clears dead workers' files); a scrape then sums every worker. Backlogs are read from the
database at scrape time, so any host's scrape shows the whole installation's queue.

The page is off (404) until METRICS_TOKEN is set, and then needs `Authorization: Bearer <token>`:
it is not personal data, but endpoint names and queue sizes are nobody else's business.
"""
from __future__ import annotations

import hmac
import os
import time

from flask import Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select

from elearn.access import public
from elearn.extensions import db
from elearn.security import sessionless

REQUEST_SECONDS = Histogram(
    "hemicycle_request_seconds", "Time to answer a request, by endpoint and method.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))
REQUEST_FAILURES = Counter(
    "hemicycle_request_failures_total", "Requests answered with a server error (5xx), by endpoint.",
    ["endpoint", "status"])


def install(app: Flask) -> None:
    app.before_request(_start_clock)
    app.after_request(_observe)
    app.add_url_rule("/metrics", "ops.metrics", metrics_page)


def _endpoint_label() -> str:
    # The endpoint, not the path: ids in paths would make a new series per object.
    return request.endpoint or "unmatched"


def _start_clock() -> None:
    g.hemicycle_request_started = time.perf_counter()


def _observe(response):
    started = g.get("hemicycle_request_started")
    if started is not None:
        endpoint = _endpoint_label()
        REQUEST_SECONDS.labels(endpoint, request.method).observe(time.perf_counter() - started)
        if response.status_code >= 500:
            REQUEST_FAILURES.labels(endpoint, str(response.status_code)).inc()
    return response


class BacklogCollector:
    """Queue sizes read from the database when Prometheus scrapes."""

    def collect(self):
        from elearn.mail.models import OutboxMessage, OutboxStatus

        counts = dict(db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
        backlog = GaugeMetricFamily("hemicycle_outbox_messages", "Outbox messages by status.", labels=["status"])
        for status in OutboxStatus:
            backlog.add_metric([status.value], counts.get(status, 0))
        yield backlog
        oldest = db.session.scalar(select(func.min(OutboxMessage.created_at))
                                   .where(OutboxMessage.status == OutboxStatus.PENDING))
        age = GaugeMetricFamily("hemicycle_outbox_oldest_pending_seconds",
                                "Age of the oldest message waiting to be sent (0 when none waits).")
        age.add_metric([], _age_seconds(oldest))
        yield age
        yield from _job_backlog()


def _age_seconds(moment) -> float:
    if moment is None:
        return 0.0
    from elearn.database import utcnow

    return max((utcnow() - moment).total_seconds(), 0.0)


def _job_backlog():
    from elearn.jobs.models import Job, JobState

    counts = dict(db.session.execute(select(Job.state, func.count()).group_by(Job.state)).all())
    jobs = GaugeMetricFamily("hemicycle_jobs", "Background jobs (fan-out of mail) by state.", labels=["state"])
    for state in JobState:
        jobs.add_metric([state.value], counts.get(state, 0))
    yield jobs


class _GlobalRegistry:
    """This process's own metrics, for a scrape outside multiprocess mode."""

    def collect(self):
        return REGISTRY.collect()


def render_metrics() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_GlobalRegistry())
    registry.register(BacklogCollector())
    return generate_latest(registry)


@public
@sessionless
def metrics_page():
    token = current_app.config["METRICS_TOKEN"]
    offered = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        # As if there were no such page; never kept by a cache (the view is sessionless, so says it itself).
        return Response("Not Found\n", status=404, mimetype="text/plain", headers={"Cache-Control": "no-store"})
    return Response(render_metrics(), mimetype=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
