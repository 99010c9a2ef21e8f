"""Home page, personal dashboard and the language switcher."""
from flask import Blueprint, current_app, make_response, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from elearn.access import login_required, public
from elearn.database import utcnow
from elearn.feeds.views import public_calendar_links
from elearn.learning import induction, listings
from elearn.main import focal_dashboard, learner_dashboard
from elearn.main.staff_dashboard import staff_dashboard
from elearn.missions.terms import awaiting_agreement
from elearn.people import parliaments, services
from elearn.scheduling import queries as activity_queries
from elearn.urls import is_safe_next

bp = Blueprint("main", __name__)

HOME_ACTIVITIES = 6
HOME_COURSES = 3
# A visitor's browser may show the page again for a minute (back button, a second look) without asking;
# it varies with the session (sign-in, the chosen language) and the browser's languages. Never a shared
# cache: the page carries the session's CSRF token.
HOME_CACHE_CONTROL = "private, max-age=60"


@bp.get("/")
@public
def home():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    locale = str(get_locale())
    activities, activity_total = activity_queries.upcoming_published(HOME_ACTIVITIES, now=utcnow())
    courses, course_total = listings.highlights(HOME_COURSES)
    response = make_response(render_template(
        "main/home.html", activities=activities, activity_total=activity_total, courses=courses,
        course_total=course_total, partners=parliaments.partners(locale), calendar_links=public_calendar_links(locale)))
    response.headers["Cache-Control"] = HOME_CACHE_CONTROL
    response.vary.update(("Cookie", "Accept-Language"))
    return response


@bp.get("/dashboard")
@login_required
def dashboard():
    me, now = current_user._get_current_object(), utcnow()
    offered = induction.offered_to(me, now.date())
    return render_template("main/dashboard.html", induction_courses=offered,
                           learner_board=learner_dashboard.build(me, now, induction_offered=bool(offered)),
                           focal_board=focal_dashboard.build(me, now), staff=staff_dashboard(me, now),
                           terms_to_agree=awaiting_agreement(me))


@bp.post("/language")
@public
def set_language():
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            services.set_preferred_language(current_user._get_current_object(), language)
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("main.home"))
