"""The check-in page (a typed or handheld-scanned code, no JavaScript needed), the scanners' JSON endpoint, and
the page where an activity's trainers name its check-in helpers."""
from __future__ import annotations

import json
import re
from datetime import datetime
from http import HTTPStatus

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import select

from elearn.access import public
from elearn.database import utcnow
from elearn.extensions import db
from elearn.forms import SimpleActionForm, show_error
from elearn.onsite import checkin, client, queries, wording
from elearn.onsite.forms import CheckInForm, HelperForm
from elearn.onsite.helpers import (
    HelperError,
    add_helper,
    checks_in,
    helpers_of,
    manages_helpers,
    remove_helper,
    teaches,
)
from elearn.onsite.models import CheckInHelper, CheckInScan
from elearn.security import camera_and_wasm, keeps_cache_control, sessionless

bp = Blueprint("check_in", __name__, url_prefix="/check-in")
LAST_RESULT = "check_in_scan"  # the session key that carries the posted scan's id to the page (post/redirect/get)
SCAN_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
PROBLEM_TYPE = "application/problem+json"


@bp.get("/<int:activity_id>")
@camera_and_wasm
@checks_in
def page(activity):
    shown = session.pop(LAST_RESULT, None)
    last = None
    if isinstance(shown, str):
        scan = db.session.scalar(select(CheckInScan).where(CheckInScan.scan_id == shown,
                                                           CheckInScan.activity_id == activity.id))
        last = checkin.result_of(activity, scan, current_user) if scan is not None else None
    state = queries.page_state(activity, utcnow(), current_app.config["CHECK_IN_DOORS_OPEN"])
    zone = get_timezone()
    return render_template("onsite/check_in.html", activity=activity, state=state, last=last, form=CheckInForm(),
                           manages=teaches(current_user, activity.id), heading=wording.heading, short=wording.short,
                           count_line=wording.count_line,
                           clock=lambda at: wording.clock(at, zone))


@bp.post("/<int:activity_id>")
@checks_in
def scan(activity):
    form = CheckInForm()
    if not form.validate_on_submit():
        flash(_("Type or scan a ticket code."), "error")
        return redirect(url_for("check_in.page", activity_id=activity.id))
    result = checkin.check_in(activity, form.code.data, scanned_by=current_user._get_current_object(),
                              scan_id=checkin.new_scan_id(), scanned_at=utcnow())
    session[LAST_RESULT] = result.scan_id
    return redirect(url_for("check_in.page", activity_id=activity.id))


@bp.get("/sw.js")
@public
@sessionless
@keeps_cache_control
def service_worker():
    """The check-in service worker (static/js/check-in-sw.js): served here, its scope is /check-in/."""
    return client.service_worker()


def problem(status: int, detail: str, errors: dict | None = None):
    """An RFC 9457 problem document, as the JSON API answers (the scanner's script reads `detail`)."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail,
            "instance": request.path}
    if errors:
        body["errors"] = errors
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype=PROBLEM_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response


def _signed_out():
    return problem(401, _("You are signed out: sign in again, then the queued scans are sent."))


def _refused(status: int):
    if status == 404:
        return problem(404, _("This activity does not exist."))
    return problem(403, _("You may not check people in at this activity."))


def _scanned_at(text) -> datetime:
    if not isinstance(text, str) or len(text) > 40:
        raise ValueError
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError
    return moment


def parse_scans(body) -> tuple[list[checkin.Scan], dict]:
    """The scans of a request body, and the errors by position ({"scans[3].scanned_at": [...]})."""
    if not isinstance(body, dict) or not isinstance(body.get("scans"), list):
        return [], {"scans": [_('The body must be JSON: {"scans": [{"scan_id", "code", "scanned_at"}, …]}.')]}
    scans, errors = [], {}
    for index, item in enumerate(body["scans"]):
        where = f"scans[{index}]"
        if not isinstance(item, dict):
            errors[where] = [_("Each scan must be an object with scan_id, code and scanned_at.")]
            continue
        scan_id, code = item.get("scan_id"), item.get("code")
        if not isinstance(scan_id, str) or not SCAN_ID.fullmatch(scan_id):
            errors[f"{where}.scan_id"] = [_("A scan id is 1 to 64 letters, digits, dots, dashes, colons or "
                                            "underscores (a UUID).")]
        if not isinstance(code, str) or len(code) > 200:
            errors[f"{where}.code"] = [_("The code must be text of at most 200 characters.")]
        try:
            scanned_at = _scanned_at(item.get("scanned_at"))
        except ValueError:
            errors[f"{where}.scanned_at"] = [_("The time of the scan must be ISO 8601 with its offset, such as "
                                               "2025-03-04T08:15:00Z.")]
            continue
        if not errors:
            scans.append(checkin.Scan(scan_id, code, scanned_at))
    return scans, errors


@bp.post("/<int:activity_id>/scans")
@checks_in(refuse_anonymous=_signed_out, refuse=_refused)
def scans(activity):
    """The scanners' queue, sent in batches (JSON; the session cookie and the X-CSRFToken header)."""
    body = request.get_json(silent=True)
    limit = current_app.config["CHECK_IN_BATCH_MAX"]
    if isinstance(body, dict) and isinstance(body.get("scans"), list) and len(body["scans"]) > limit:
        return problem(413, _("At most %(limit)d scans per request: send the queue in smaller batches.",
                              limit=limit))
    parsed, errors = parse_scans(body)
    if errors:
        return problem(422, _("Some scans are malformed; none was recorded."), errors)
    results = checkin.check_in_many(activity, parsed, scanned_by=current_user._get_current_object())
    answer = {"results": [result.as_json() for result in results]}
    running = queries.count_now(activity, utcnow(), current_app.config["CHECK_IN_DOORS_OPEN"])
    if running is not None:
        answer["count"] = {"checked_in": running[0], "confirmed": running[1], "text": wording.count_line(*running)}
    return answer


def scans_problem(error, code: int):
    """The error responder hook (elearn.errors): the scans endpoint answers its errors as JSON too."""
    if request.endpoint != "check_in.scans":
        return None
    if isinstance(error, CSRFError):
        return problem(400, _("The page's security token is missing or out of date: reload the check-in page. "
                              "Queued scans are kept."))
    if code >= 500:
        return problem(code, _("The server could not record the scans now: they stay queued and are sent again."))
    return problem(code, getattr(error, "description", None) or HTTPStatus(code).phrase)


@bp.get("/<int:activity_id>/helpers")
@manages_helpers
def helpers(activity):
    return render_template("onsite/helpers.html", activity=activity, helpers=helpers_of(activity),
                           form=HelperForm(), remove_form=SimpleActionForm())


@bp.post("/<int:activity_id>/helpers")
@manages_helpers
def add(activity):
    form = HelperForm()
    if form.validate_on_submit():
        try:
            helper = add_helper(activity, form.email.data, actor=current_user._get_current_object())
        except HelperError as error:
            show_error(form, error)
        else:
            flash(_("%(name)s can now check people in at this activity.", name=helper.person.full_name), "success")
            return redirect(url_for("check_in.helpers", activity_id=activity.id))
    return render_template("onsite/helpers.html", activity=activity, helpers=helpers_of(activity), form=form,
                           remove_form=SimpleActionForm()), 422


@bp.post("/<int:activity_id>/helpers/<int:helper_id>/remove")
@manages_helpers
def remove(activity, helper_id: int):
    helper = db.session.get(CheckInHelper, helper_id)
    if helper is None or helper.activity_id != activity.id:
        abort(404)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    name = helper.person.full_name
    remove_helper(helper, actor=current_user._get_current_object())
    flash(_("%(name)s can no longer check people in here.", name=name), "success")
    return redirect(url_for("check_in.helpers", activity_id=activity.id))
