"""Gunicorn hooks for metrics in multiprocess mode; deploy/gunicorn.conf.py uses them.

Each worker writes its metrics to files in PROMETHEUS_MULTIPROC_DIR and a scrape, served
by any worker, sums them. The directory must be empty when the master starts (old files
would add a previous run's counts) and set before any worker imports prometheus_client.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def prepare_metrics_directory(default: str) -> str:
    directory = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", default))
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    return str(directory)


def child_exit(server, worker) -> None:
    """A worker that ends leaves its counters to the sum, but its live gauges go with it."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
