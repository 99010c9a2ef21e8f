"""The administrators' audit log: browse and filter who read or changed sensitive data."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from elearn.access import Role, roles_required
from elearn.audit.models import AuditAction, AuditEvent
from elearn.extensions import db
from elearn.forms import options
from elearn.params import MAX_ID
from elearn.people.models import Person

bp = Blueprint("audit_admin", __name__, url_prefix="/admin/audit")


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    action = SelectField(_l("What"), validators=[Optional()],
                         choices=lambda: options([("", _l("Any"))] + AuditAction.choices()))
    actor = StringField(_l("Who (name or email)"), validators=[Optional()])
    object_type = SelectField(_l("About"), validators=[Optional()],
                              choices=lambda: options([("", _l("Anything")), ("person", _l("A person")),
                                                                ("page", _l("A page"))]))
    object_id = IntegerField(_l("Number of the person or object"), validators=[Optional(), NumberRange(0, MAX_ID)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])


def _statement(form: AuditFilterForm):
    statement = select(AuditEvent).options(joinedload(AuditEvent.actor))
    if form.action.data:
        statement = statement.where(AuditEvent.action == AuditAction(form.action.data))
    if form.actor.data:
        like = f"%{form.actor.data.strip().lower()}%"
        statement = statement.where(AuditEvent.actor_id.in_(select(Person.id).where(
            or_(func.lower(Person.full_name).like(like), Person.email.like(like)))))
    if form.object_type.data:
        statement = statement.where(AuditEvent.object_type == form.object_type.data)
    if form.object_id.data is not None:
        statement = statement.where(AuditEvent.object_id == form.object_id.data)
    if form.date_from.data:
        statement = statement.where(
            AuditEvent.occurred_at >= datetime.combine(form.date_from.data, time(0), timezone.utc))
    if form.date_to.data:
        statement = statement.where(
            AuditEvent.occurred_at < datetime.combine(form.date_to.data + timedelta(days=1), time(0), timezone.utc))
    return statement.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


@bp.get("/")
@roles_required(Role.ADMIN)
def events():
    form = AuditFilterForm(request.args)
    form.validate()  # a bad value is shown as an error and left out of the search
    for field in (form.action, form.object_type, form.object_id, form.date_from, form.date_to):
        if field.errors:
            field.data = None
    page = db.paginate(_statement(form), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    person_ids = {e.object_id for e in page.items if e.object_type == "person" and e.object_id}
    names = dict(db.session.execute(select(Person.id, Person.full_name).where(Person.id.in_(person_ids))).all()) \
        if person_ids else {}
    return render_template("audit_admin/events.html", page=page, form=form, names=names,
                           role_labels=Role.labels(),
                           args={k: v for k, v in request.args.items() if k != "page" and v})
