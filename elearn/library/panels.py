"""The library's panels: an activity's management page and a programme's page list the resources that came
from them (those the trainer may read), with a link to add one."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from elearn import panels
from elearn.extensions import db
from elearn.library.models import LibraryResource
from elearn.library.search import visible_to

SHOWN = 10


def _panel(column, obj, add_argument: str):
    me = current_user._get_current_object() if current_user.is_authenticated else None
    statement = (select(LibraryResource).where(column == obj.id, visible_to(me))
                 .order_by(LibraryResource.created_at.desc(), LibraryResource.id.desc()))
    resources = db.session.scalars(statement.limit(SHOWN + 1)).all()
    return render_template("library/_panel.html", resources=resources[:SHOWN], more=len(resources) > SHOWN,
                           list_arguments={add_argument: obj.id}, place=add_argument)


def install(app) -> None:
    panels.register("activity_manage", "library",
                    lambda activity: _panel(LibraryResource.activity_id, activity, "activity"))
    panels.register("programme", "library",
                    lambda programme: _panel(LibraryResource.programme_id, programme, "programme"))
