"""The alumni directory on the signed-in person's dashboard (the "dashboard" panel place)."""
from __future__ import annotations

from flask import render_template

from elearn import panels
from elearn.alumni import services


def render_dashboard(person):
    """Everyone signed in may browse the directory; an alumnus is also offered their own choices."""
    if not getattr(person, "is_authenticated", False):
        return None
    may_join = services.is_alumnus(person)
    return render_template("alumni/_dashboard.html", may_join=may_join,
                           entry=services.entry_of(person) if may_join else None)


def install(app) -> None:
    panels.register("dashboard", "alumni", render_dashboard)
