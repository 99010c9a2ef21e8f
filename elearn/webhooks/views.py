"""The "Webhooks" page of a person's account: subscribe (secret shown once), delete, read a delivery log."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import login_required
from elearn.extensions import db
from elearn.forms import SimpleActionForm
from elearn.security import uncompressed
from elearn.webhooks.forms import EVENT_LABELS, SubscriptionForm
from elearn.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from elearn.webhooks.subscriptions import (
    SubscriptionError,
    create_subscription,
    delete_subscription,
    delivery_log,
    events_of,
    readable_by,
    resend,
    subscriptions_of,
)

bp = Blueprint("webhooks", __name__, url_prefix="/account/webhooks")


def _page(form: SubscriptionForm, new_subscription: WebhookSubscription | None = None, status: int = 200):
    return render_template("webhooks/index.html", form=form, new_subscription=new_subscription,
                           subscriptions=subscriptions_of(current_user._get_current_object()),
                           action_form=SimpleActionForm(), events_of=events_of, labels=EVENT_LABELS), status


def _subscription_or_404(subscription_id: int) -> WebhookSubscription:
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if not readable_by(subscription, current_user):
        abort(404)
    return subscription


@bp.get("/")
@login_required
def index():
    return _page(SubscriptionForm())


@bp.post("/")
@uncompressed  # the new subscription's signing secret
@login_required
def create():
    form = SubscriptionForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    try:
        made = create_subscription(current_user._get_current_object(), form.name.data, form.url.data,
                                   [WebhookEvent(value) for value in form.events.data])
    except SubscriptionError as error:
        form.form_errors.append(str(error))
        return _page(form, status=422)
    # The secret shows here once; it stays in the database (it signs every delivery) but no page shows it again.
    return _page(SubscriptionForm(formdata=None), new_subscription=made, status=201)


@bp.post("/<int:subscription_id>/delete")
@login_required
def delete(subscription_id: int):
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if subscription is None or subscription.owner_id != current_user.id:
        abort(404)
    name = subscription.name
    delete_subscription(subscription, actor=current_user._get_current_object())
    flash(_("The subscription “%(name)s” is deleted: nothing more will be sent to it.", name=name), "success")
    return redirect(url_for("webhooks.index"))


@bp.get("/<int:subscription_id>")
@login_required
def log(subscription_id: int):
    subscription = _subscription_or_404(subscription_id)
    page = db.paginate(delivery_log(subscription), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("webhooks/log.html", subscription=subscription, page=page,
                           action_form=SimpleActionForm(), events_of=events_of)


@bp.post("/deliveries/<int:delivery_id>/send-again")
@login_required
def send_again(delivery_id: int):
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or not readable_by(delivery.subscription, current_user):
        abort(404)
    try:
        resend(delivery)
    except SubscriptionError as error:
        flash(str(error), "error")
    else:
        flash(_("The delivery will be sent again in a moment."), "success")
    return redirect(url_for("webhooks.log", subscription_id=delivery.subscription_id))
