"""Reading courses offline (`learning_offline`): the service worker, its fallback page, a course's manifest and
the lessons marked done offline."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from elearn.access import Role, has_role, login_required, public
from elearn.learning import lookups, offline
from elearn.learning.models import Course, Enrolment
from elearn.security import keeps_cache_control

bp = Blueprint("learning_offline", __name__)


def _enrolled(slug: str) -> tuple[Course, Enrolment]:
    """The course and the signed-in person's enrolment: an offline copy is for enrolled learners only."""
    course = lookups.course_by_slug(slug)
    if course is None or not (course.published or has_role(current_user, Role.TRAINER)):
        abort(404)
    enrolment = lookups.enrolment_for(current_user, course)
    if enrolment is None:
        abort(403)
    return course, enrolment


@bp.get("/courses/sw.js")
@keeps_cache_control
@public
def service_worker():
    # Served under /courses/ (not /static/) so that its scope is the course pages; no-cache, so that a new
    # version reaches browsers at once (they ask again with the ETag and get a 304 while it is unchanged).
    response = make_response(render_template("learning/offline/sw.js"))
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/courses/offline.html")
@public
def fallback():
    """What the service worker shows for a page of /courses/ that was not saved, when the network fails."""
    return render_template("learning/offline/fallback.html")


@bp.get("/courses/<slug>/offline.json")
@login_required
def manifest(slug: str):
    course, enrolment = _enrolled(slug)
    return jsonify(offline.manifest(course, enrolment, str(get_locale())))


@bp.post("/courses/<slug>/offline-progress")
@login_required
def record_progress(slug: str):
    """Lessons marked done offline, sent as JSON with the X-CSRFToken header (CSRFProtect checks it)."""
    course, enrolment = _enrolled(slug)
    try:
        queued = offline.parse_queue(request.get_json(silent=True))
    except offline.BadQueue as error:
        return jsonify(error=str(error)), 400
    recorded = offline.record_queue(enrolment, queued)
    return jsonify(
        results=[{"id": r.id, "lesson": r.lesson, "outcome": r.outcome, "reason": r.reason} for r in recorded.results],
        completed=recorded.completed,
        certificate_url=url_for("learning.certificate", slug=course.slug) if recorded.completed else None)
