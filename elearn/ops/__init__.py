"""Operations: health and readiness probes, Prometheus metrics, backups and moving to PostgreSQL.

This package sits at the top of the house beside admin, demo and main: it reads every
feature's tables (backlogs, table counts) and no feature imports it.
"""
from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    from elearn.ops import backup, copy, health, metrics

    app.register_blueprint(health.bp)
    metrics.install(app)
    app.cli.add_command(backup.backup_cli)
    copy.install(app)
