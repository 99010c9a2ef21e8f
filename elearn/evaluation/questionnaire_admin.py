"""Trainer pages: questionnaire templates and their questions, and the questionnaire of an activity."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.access import Role, roles_required
from elearn.delegations.managers import may_manage
from elearn.evaluation import attaching
from elearn.evaluation import questionnaires as service
from elearn.evaluation.models import Question, Questionnaire
from elearn.evaluation.questionnaire_forms import AttachForm, question_form, questionnaire_form
from elearn.extensions import db
from elearn.forms import SimpleActionForm, show_error
from elearn.scheduling.models import Activity, Modality

bp = Blueprint("questionnaire_admin", __name__, url_prefix="/manage")
trainers_only = roles_required(Role.TRAINER)
bp.add_app_template_global(service.text_in, "text_in")
bp.add_app_template_global(service.labels_in, "labels_in")
bp.add_app_template_global(service.option_labels, "option_labels")


@bp.app_template_global()
def modality_labels(values) -> str:
    labels = Modality.labels()
    return ", ".join(str(labels[Modality(value)]) for value in values or [] if value in Modality._value2member_map_)


def _questionnaire(questionnaire_id: int) -> Questionnaire:
    return db.get_or_404(Questionnaire, questionnaire_id)


def _question(questionnaire: Questionnaire, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.questionnaire_id != questionnaire.id:
        abort(404)  # another questionnaire's question is not reachable through this one
    return question


@bp.get("/questionnaires")
@trainers_only
def index():
    page = db.paginate(service.list_statement(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("evaluation/questionnaires.html", page=page)


@bp.route("/questionnaires/new", methods=["GET", "POST"])
@trainers_only
def create():
    form = questionnaire_form()
    if form.validate_on_submit():
        try:
            questionnaire = service.create_questionnaire(form.to_input())
        except service.QuestionnaireError as error:
            show_error(form, error)
        else:
            flash(_("The questionnaire is saved. Add its questions."), "success")
            return redirect(url_for("questionnaire_admin.show", questionnaire_id=questionnaire.id))
    return render_template("evaluation/questionnaire_form.html", form=form, questionnaire=None)


@bp.get("/questionnaires/<int:questionnaire_id>")
@trainers_only
def show(questionnaire_id: int):
    questionnaire = _questionnaire(questionnaire_id)
    return render_template("evaluation/questionnaire.html", questionnaire=questionnaire,
                           answered=service.is_answered(questionnaire), action_form=SimpleActionForm())


@bp.route("/questionnaires/<int:questionnaire_id>/edit", methods=["GET", "POST"])
@trainers_only
def edit(questionnaire_id: int):
    questionnaire = _questionnaire(questionnaire_id)
    form = questionnaire_form()
    if not form.is_submitted():
        form.fill(questionnaire)
    if form.validate_on_submit():
        try:
            service.update_questionnaire(questionnaire, form.to_input())
        except service.QuestionnaireError as error:
            show_error(form, error)
        else:
            flash(_("The questionnaire is saved."), "success")
            return redirect(url_for("questionnaire_admin.show", questionnaire_id=questionnaire.id))
    return render_template("evaluation/questionnaire_form.html", form=form, questionnaire=questionnaire)


@bp.post("/questionnaires/<int:questionnaire_id>/retire")
@trainers_only
def retire(questionnaire_id: int):
    questionnaire = _questionnaire(questionnaire_id)
    if SimpleActionForm().validate_on_submit():
        service.retire(questionnaire)
        flash(_("The questionnaire is retired: it is no longer offered."), "success")
    return redirect(url_for("questionnaire_admin.show", questionnaire_id=questionnaire.id))


@bp.post("/questionnaires/<int:questionnaire_id>/copy")
@trainers_only
def copy(questionnaire_id: int):
    questionnaire = _questionnaire(questionnaire_id)
    if not SimpleActionForm().validate_on_submit():
        return redirect(url_for("questionnaire_admin.show", questionnaire_id=questionnaire.id))
    copied = service.copy_questionnaire(questionnaire)
    flash(_("This is a copy: change it freely."), "success")
    return redirect(url_for("questionnaire_admin.show", questionnaire_id=copied.id))


def _question_page(questionnaire: Questionnaire, question: Question | None):
    form = question_form()
    if question is not None and not form.is_submitted():
        form.fill(question)
    if form.validate_on_submit():
        try:
            if question is None:
                service.add_question(questionnaire, form.to_input())
            else:
                service.update_question(question, form.to_input())
        except service.QuestionnaireError as error:
            show_error(form, error)
        else:
            flash(_("The question is saved."), "success")
            return redirect(url_for("questionnaire_admin.show", questionnaire_id=questionnaire.id))
    return render_template("evaluation/question_form.html", form=form, questionnaire=questionnaire,
                           question=question)


@bp.route("/questionnaires/<int:questionnaire_id>/questions/new", methods=["GET", "POST"])
@trainers_only
def add_question(questionnaire_id: int):
    return _question_page(_questionnaire(questionnaire_id), None)


@bp.route("/questionnaires/<int:questionnaire_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@trainers_only
def edit_question(questionnaire_id: int, question_id: int):
    questionnaire = _questionnaire(questionnaire_id)
    return _question_page(questionnaire, _question(questionnaire, question_id))


@bp.post("/questionnaires/<int:questionnaire_id>/questions/<int:question_id>/delete")
@trainers_only
def delete_question(questionnaire_id: int, question_id: int):
    questionnaire = _questionnaire(questionnaire_id)
    question = _question(questionnaire, question_id)
    if SimpleActionForm().validate_on_submit():
        try:
            service.remove_question(question)
        except service.QuestionnaireError as error:
            flash(str(error), "error")
        else:
            flash(_("The question is removed."), "success")
    return redirect(url_for("questionnaire_admin.show", questionnaire_id=questionnaire.id))


@bp.route("/activities/<int:activity_id>/questionnaire", methods=["GET", "POST"])
@trainers_only
def activity(activity_id: int):
    """Its own trainers and administrators choose the questionnaire, or keep the modality's default."""
    activity = db.get_or_404(Activity, activity_id)
    if not may_manage(current_user, activity):
        abort(403)
    attached = attaching.attachment(activity.id)
    form = AttachForm()
    in_use = db.session.scalars(select(Questionnaire).where(Questionnaire.retired_at.is_(None))
                                .order_by(Questionnaire.id)).all()
    form.questionnaire.choices = [("", _("The default for the modality"))] + [
        (str(q.id), q.title_in(current_user.preferred_language)) for q in in_use]
    if not form.is_submitted() and attached is not None:
        form.questionnaire.data = str(attached.questionnaire_id)
    if form.validate_on_submit():
        try:
            attaching.attach(activity, int(form.questionnaire.data) if form.questionnaire.data else None)
        except attaching.AttachError as error:
            show_error(form, error)
        else:
            flash(_("The questionnaire of the activity is saved."), "success")
            return redirect(url_for("questionnaire_admin.activity", activity_id=activity.id))
    return render_template("evaluation/activity_questionnaire.html", activity=activity, attached=attached,
                           form=form, default=attaching.default_for(activity.modality),
                           answered=attached is not None and attaching.has_responses(attached))
