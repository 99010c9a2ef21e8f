"""Home page, personal dashboard and the language switcher."""
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from elearn.access import login_required, public
from elearn.database import utcnow
from elearn.learning import induction
from elearn.main.staff_dashboard import staff_dashboard
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
    return render_template("main/dashboard.html",
                           induction_courses=induction.offered_to(current_user._get_current_object(), utcnow().date()),
                           staff=staff_dashboard(current_user._get_current_object(), utcnow()))


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
