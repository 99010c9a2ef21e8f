"""The signed-in person's placements on their dashboard (the "dashboard" panel place)."""
from __future__ import annotations

from flask import render_template

from elearn import panels
from elearn.database import utcnow
from elearn.extensions import db
from elearn.placements import queries, rules, services


def render_dashboard(person):
    """Their placements as placed person or tutor, with the report still to write; nothing if none."""
    placements = list(db.session.scalars(queries.current_for(person, utcnow().date())).unique())
    if not placements:
        return None
    rows = []
    for placement in placements:
        side = rules.side_of(person, placement)
        report = services.report_of(placement, side) if side else None
        rows.append((placement, rules.can_write_report(person, placement) and (report is None or not report.submitted)))
    return render_template("placements/_dashboard.html", rows=rows)


def install(app) -> None:
    panels.register("dashboard", "placements", render_dashboard)
