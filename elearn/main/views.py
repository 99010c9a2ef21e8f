"""Home page, personal dashboard and the language switcher."""
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from elearn.access import login_required, public
from elearn.database import utcnow
from elearn.learning import induction
from elearn.main import focal_dashboard, learner_dashboard
from elearn.people import services
from elearn.urls import is_safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
@public
def home():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/home.html")


@bp.get("/dashboard")
@login_required
def dashboard():
    me, now = current_user._get_current_object(), utcnow()
    offered = induction.offered_to(me, now.date())
    return render_template("main/dashboard.html", induction_courses=offered,
                           learner_board=learner_dashboard.build(me, now, induction_offered=bool(offered)),
                           focal_board=focal_dashboard.build(me, now))


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
