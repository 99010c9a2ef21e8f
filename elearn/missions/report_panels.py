"""What the mission reports add to other pages: where a needs request, a commitment or a programme came
from, and on the mission's own page the report's status and the programmes it led to."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from elearn import panels
from elearn.delegations.managers import may_manage
from elearn.missions import reports


def _linkable(activity) -> bool:
    return reports.may_view(current_user, activity, reports.report_for(activity))


def _sources(kind: str, object_id: int, recommendations, heading: str):
    # The lower page already decided that the viewer may see its object; the mission's title is shown to
    # them, the link only to those who may read the report.
    if not recommendations:
        return None
    return render_template("missions/reports/panel.html", kind=kind, object_id=object_id, heading=heading,
                           recommendations=recommendations, linkable=_linkable)


def _request_panel(needs_request):
    return _sources("needs_request", needs_request.id, reports.from_request(needs_request.id),
                    _("This request came from a mission"))


def _plan_panel(plan):
    return _sources("action_plan", plan.id, reports.from_plan(plan.id), _("Commitments that came from missions"))


def _programme_panel(programme):
    return _sources("programme", programme.id, reports.from_programme(programme.id),
                    _("The mission(s) this programme came from"))


def _mission_panel(activity):
    if not reports.is_mission(activity):
        return None
    report = reports.report_for(activity)
    if not reports.may_view(current_user, activity, report):
        return None
    outcomes = reports.led_to(report)
    programmes = [rec for rec in outcomes if rec.programme_id]
    return render_template("missions/reports/mission_panel.html", activity=activity, report=report,
                           programmes=programmes, others=len(outcomes) - len(programmes),
                           manager=may_manage(current_user, activity))


def install(app) -> None:
    panels.register("needs_request", "mission-report-sources", _request_panel)
    panels.register("action_plan", "mission-report-sources", _plan_panel)
    panels.register("programme", "mission-report-sources", _programme_panel)
    panels.register("mission", "mission-report", _mission_panel)
