"""The participant's page: answer an activity's questionnaire (no JavaScript needed)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import login_required
from elearn.database import utcnow
from elearn.evaluation import attaching, responding
from elearn.evaluation.models import ActivityQuestionnaire, QuestionKind
from elearn.evaluation.responding import AnswerInput, field_name
from elearn.evaluation.sending import attended
from elearn.extensions import db
from elearn.forms import SimpleActionForm
from elearn.scheduling.models import Activity

bp = Blueprint("evaluation_answer", __name__, url_prefix="/evaluations")


@bp.app_template_global()
def evaluation_to_answer(activity_id: int) -> bool:
    """For the activity page: whether the signed-in participant has a questionnaire open to answer there
    (else the invitation mail would be the only way to reach it)."""
    attached = attaching.attachment(activity_id)
    if attached is None or not current_user.is_authenticated or not attended(activity_id, current_user.id):
        return False
    try:
        responding.check_window(attached, utcnow())
    except responding.ResponseError:
        return False
    return not responding.has_answered(attached, current_user.id)


def _attached(activity_id: int) -> ActivityQuestionnaire:
    """The activity's questionnaire, if the signed-in person attended it (anyone else: 404)."""
    activity = db.get_or_404(Activity, activity_id)
    attached = attaching.attachment(activity.id)
    if attached is None or not attended(activity.id, current_user.id):
        abort(404)
    return attached


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return -1  # not a point of any scale: the service refuses it with its message


def _read(attached: ActivityQuestionnaire, form) -> list[AnswerInput]:
    """Each question's field(s); a per-session rating has one field per session of the activity."""
    answers = []
    for question in attached.questionnaire.questions:
        if question.kind == QuestionKind.SESSION_RATING:
            for session in attached.activity.sessions:
                answers.append(AnswerInput(question.id, session.id,
                                           rating=_int(form.get(field_name(question.id, session.id)))))
        elif question.kind == QuestionKind.RATING:
            answers.append(AnswerInput(question.id, rating=_int(form.get(field_name(question.id)))))
        elif question.kind == QuestionKind.TEXT:
            answers.append(AnswerInput(question.id, text=form.get(field_name(question.id), "")))
        else:
            answers.append(AnswerInput(question.id, choices=tuple(form.getlist(field_name(question.id)))))
    return answers


@bp.route("/activities/<int:activity_id>", methods=["GET", "POST"])
@login_required
def answer(activity_id: int):
    attached = _attached(activity_id)
    locale = str(get_locale())
    form, error, now = SimpleActionForm(), None, utcnow()
    done = responding.has_answered(attached, current_user.id)
    if not done and form.validate_on_submit():
        try:
            responding.submit(attached, current_user._get_current_object(), _read(attached, request.form), now)
        except responding.ResponseError as refusal:
            error = refusal
        else:
            flash(_("Thank you: your answers are saved."), "success")
            return redirect(url_for("evaluation_answer.answer", activity_id=activity_id))
    closed = None
    try:
        responding.check_window(attached, now)
    except responding.ResponseError as refusal:
        closed = str(refusal)
    return render_template("evaluation/answer.html", attached=attached, activity=attached.activity,
                           questionnaire=attached.questionnaire, locale=locale, form=form, error=error,
                           values=request.form if error else {}, done=done, closed=closed,
                           field_name=field_name), 422 if error else 200
