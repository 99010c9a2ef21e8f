"""The terms' status on a mission's hub page (the "mission" panel place)."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from elearn import panels
from elearn.delegations.managers import may_manage
from elearn.missions import terms as service


def render_status(activity):
    """Shown to those who may read the terms; nothing for other activities or other people."""
    me = current_user._get_current_object() if current_user else None
    if not service.is_mission(activity) or not service.may_read(me, activity):
        return None
    return render_template("missions/terms/_panel.html", activity=activity, terms=service.terms_for(activity),
                           may_edit=may_manage(me, activity))


def install(app) -> None:
    panels.register("mission", "terms-of-reference", render_status)
