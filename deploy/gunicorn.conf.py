"""Gunicorn settings for one Hemicycle app host: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be changed per host from the environment (GUNICORN_*), so
that all hosts share this file. docs/DEPLOYMENT.md explains the numbers.
"""
import os

from elearn.ops.gunicorn import child_exit, prepare_metrics_directory  # noqa: F401 (child_exit is a gunicorn hook)

# Prometheus metrics of every worker are summed at a scrape (docs/OPERATIONS.md): each worker writes
# its own files here; emptied when the master starts, set before any worker imports the app. One
# folder per instance (by its port), so two instances on one machine never mix or wipe each other's.
_port = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").rsplit(":", 1)[-1]
prepare_metrics_directory(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or f"/run/hemicycle/metrics-{_port}")

# HAProxy (or nginx) on the same network reaches this address; never expose it directly.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: one request at a time each, so a worker needs one database connection
# (DATABASE_POOL_SIZE=1 or 2 is enough; see the pool sizing in docs/DEPLOYMENT.md).
# 2 × cores + 1 is gunicorn's rule for a mix of CPU and database waits.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
worker_class = "sync"

# A request still running after this many seconds is killed and its worker replaced.
# 60 s: the slowest page (an unfiltered participation export, streamed) finishes well
# inside it, while a stuck request does not hold a worker for long. HAProxy's
# `timeout server` is set just above it, so the proxy never gives up first.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On reload (SIGHUP) or stop (SIGTERM) workers finish the requests they hold for up to this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# HAProxy keeps connections to the backends open between requests; stay above its idle timeout.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 65))

# A worker is replaced after this many requests (jitter: not all at once), bounding slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 200))

# Not preloaded: a graceful reload (`kill -HUP <master pid>`, or `systemctl reload`) starts
# new workers on the new code while the old ones finish their requests.
preload_app = False

# The proxy's address: only from there are X-Forwarded-* headers believed (with PROXY_FIX_HOPS=1).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
# The pid file lets the reload and the service manager find the master process.
pidfile = os.environ.get("GUNICORN_PID_FILE") or None
proc_name = os.environ.get("GUNICORN_PROC_NAME", "hemicycle")
# gunicornc's control socket: one per instance (two instances on one machine must not share
# the default path); empty GUNICORN_CONTROL_SOCKET: none.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "/run/hemicycle/gunicorn.ctl")
control_socket_disable = not control_socket

# LOG_FORMAT=json: gunicorn's access and error lines become JSON objects too (the app switches its
# handlers when it starts in each worker, elearn/logs.py).
