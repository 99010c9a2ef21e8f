"""The administrators' view of the outbox: what failed, and a button to try again."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.access import Role, roles_required
from elearn.extensions import db
from elearn.forms import SimpleActionForm
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.mail.services import retry_failed

bp = Blueprint("mail_admin", __name__, url_prefix="/admin/outbox")


@bp.get("/")
@roles_required(Role.ADMIN)
def outbox():
    status = request.args.get("status", OutboxStatus.FAILED.value)
    if status not in {s.value for s in OutboxStatus}:
        status = OutboxStatus.FAILED.value
    statement = (select(OutboxMessage).where(OutboxMessage.status == OutboxStatus(status))
                 .order_by(OutboxMessage.id.desc()))
    page = db.paginate(statement, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("mail_admin/outbox.html", page=page, status=status, statuses=list(OutboxStatus),
                           action_form=SimpleActionForm())


@bp.post("/<int:message_id>/retry")
@roles_required(Role.ADMIN)
def retry(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    if message.status != OutboxStatus.FAILED:
        flash(_("Only failed messages can be retried."), "error")
    else:
        retry_failed(message)
        flash(_("The message is queued again."), "success")
    return redirect(url_for("mail_admin.outbox"))
