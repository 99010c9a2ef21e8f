"""Learning-gain pages: the trainer sets the test and reads the gain; the participant takes the test and sees their scores."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import Role, login_required, roles_required
from elearn.delegations.boards import paginate
from elearn.evaluation import gain
from elearn.evaluation.gain_forms import LearningTestForm, TakeTestForm
from elearn.evaluation.gain_models import LearningTest, TestPhase, TestScore  # noqa: F401  (tables join the metadata)
from elearn.exports import to_csv, to_xlsx
from elearn.extensions import db
from elearn.forms import options, show_error
from elearn.learning.errors import IncompleteSubmission, TamperedSubmission
from elearn.learning.models import localised
from elearn.scheduling.models import Activity

bp = Blueprint("gain", __name__)
trainers_only = roles_required(Role.TRAINER)


@bp.app_template_global()
def open_test_phases(activity_ids) -> dict:
    """For the participant's pages (activity, schedule): the test phase open to them per activity."""
    return gain.open_phases(current_user, list(activity_ids))


@bp.app_template_global()
def has_learning_test(activity_id: int) -> bool:
    """For the activity page: whether a participant has a test page (their scores) to go to."""
    return gain.test_of(activity_id) is not None


def _managed(activity_id: int) -> Activity:
    """The activity, if the signed-in trainer is one of its trainers (or an administrator)."""
    activity = db.get_or_404(Activity, activity_id)
    if not gain.may_manage(current_user, activity):
        abort(403)
    return activity


def _phase(value: str) -> TestPhase:
    try:
        return TestPhase(value)
    except ValueError:
        abort(404)


@bp.route("/manage/activities/<int:activity_id>/learning-test", methods=["GET", "POST"])
@trainers_only
def set_test(activity_id: int):
    activity = _managed(activity_id)
    test = gain.test_of(activity.id)
    form = LearningTestForm()
    locale = str(get_locale())
    form.quiz_id.choices = options([(str(quiz.id), quiz.course.title_in(locale))
                                    for quiz in gain.quiz_choices(activity)])
    if request.method == "GET":
        chosen = test.quiz if test else gain.default_quiz(activity)
        form.quiz_id.data = str(chosen.id) if chosen else None
    if form.validate_on_submit():
        quiz_id = int(form.quiz_id.data) if str(form.quiz_id.data or "").isdigit() else None
        try:
            gain.set_test(activity, quiz_id, current_user._get_current_object())
        except gain.GainError as error:
            show_error(form, error)
        else:
            flash(_("The learning test is saved."), "success")
            return redirect(url_for("gain.report", activity_id=activity.id))
    return render_template("evaluation/gain/set_test.html", activity=activity, form=form, test=test,
                           default=gain.default_quiz(activity), pre=gain.window(activity, TestPhase.PRE),
                           post=gain.window(activity, TestPhase.POST))


@bp.get("/manage/activities/<int:activity_id>/gain")
@trainers_only
def report(activity_id: int):
    activity = _managed(activity_id)
    page = paginate(db.session, gain.participants_statement(activity.id), current_app.config["ROSTER_PAGE_SIZE"])
    return render_template("evaluation/gain/report.html", activity=activity, test=gain.test_of(activity.id),
                           page=page, summary=gain.average_gain([activity.id]))


def _export_name(activity: Activity, extension: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="learning-gain-{activity.id}.{extension}"'}


@bp.get("/manage/activities/<int:activity_id>/gain.csv")
@trainers_only
def report_csv(activity_id: int):
    activity = _managed(activity_id)
    return Response(to_csv(*gain.export_rows(activity.id)), mimetype="text/csv",
                    headers=_export_name(activity, "csv"))


@bp.get("/manage/activities/<int:activity_id>/gain.xlsx")
@trainers_only
def report_xlsx(activity_id: int):
    activity = _managed(activity_id)
    header, rows = gain.export_rows(activity.id)
    return Response(to_xlsx(header, rows, title=_("Learning gain")),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers=_export_name(activity, "xlsx"))


@bp.route("/activities/<int:activity_id>/learning-test/<phase>", methods=["GET", "POST"])
@login_required
def take(activity_id: int, phase: str):
    activity = db.get_or_404(Activity, activity_id)
    test_phase = _phase(phase)
    if gain.test_of(activity.id) is None:
        abort(404)
    person = current_user._get_current_object()
    form = TakeTestForm()
    missing: list[int] = []
    chosen: dict[int, set[str]] = {}
    try:
        test = gain.check_may_take(activity, person, test_phase)
    except gain.NotParticipant:
        abort(403)
    except gain.PhaseRefused as error:
        return render_template("evaluation/gain/refused.html", activity=activity, phase=test_phase,
                               reason=str(error)), (409 if request.method == "POST" else 200)
    questions = gain.questions_of(test)
    if not questions:
        abort(404)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            gain.record_score(activity, person, test_phase, request.form)
        except TamperedSubmission:
            abort(400)
        except gain.PhaseRefused as error:
            flash(str(error), "error")
            return redirect(url_for("gain.mine", activity_id=activity.id))
        except IncompleteSubmission as error:
            form.form_errors.append(str(error))
            missing = error.missing
            chosen = {q.id: set(request.form.getlist(f"question-{q.id}")) for q in questions}
        else:
            flash(_("Your answers are saved."), "success")
            return redirect(url_for("gain.mine", activity_id=activity.id))
    course = test.quiz.course
    return render_template("evaluation/gain/take.html", activity=activity, phase=test_phase, questions=questions,
                           form=form, missing=missing, chosen=chosen, languages=course.languages,
                           language=course.language_for(str(get_locale())), text_in=localised,
                           closes_at=gain.window(activity, test_phase).closes_at)


@bp.get("/activities/<int:activity_id>/learning-test")
@login_required
def mine(activity_id: int):
    """The person's own scores: nobody else's are reachable here."""
    activity = db.get_or_404(Activity, activity_id)
    test = gain.test_of(activity.id)
    if test is None:
        abort(404)
    scores = gain.my_scores(test, current_user.id)
    if not scores and not gain.is_confirmed(current_user, activity):
        abort(404)
    return render_template("evaluation/gain/mine.html", activity=activity, scores=scores, phases=TestPhase,
                           open_phase=gain.open_phases(current_user, [activity.id]).get(activity.id))
