"""The cooperation unit's pages: the queue sorted by due time, assigning an expert, publishing an answer."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from elearn.access import Role, roles_required
from elearn.assistance import anonymise, queries, rules, services
from elearn.assistance.forms import AssignForm, PublishForm, QueueFilterForm
from elearn.assistance.models import QuestionStatus, Urgency
from elearn.assistance.views import bp, expert_options, me, render_question, topic_options, visible_question
from elearn.database import utcnow
from elearn.extensions import db
from elearn.forms import show_error
from elearn.params import int_from


def _filters(form: QueueFilterForm) -> queries.QueueFilters:
    status = form.status.data if form.status.data in {s.value for s in QuestionStatus} else None
    urgency = form.urgency.data if form.urgency.data in {u.value for u in Urgency} else None
    return queries.QueueFilters(status=QuestionStatus(status) if status else None,
                                urgency=Urgency(urgency) if urgency else None,
                                topic_id=int_from(request.args, "topic"), overdue_only=bool(form.overdue.data))


@bp.get("/manage/assistance")
@roles_required(Role.TRAINER)
def queue():
    form = QueueFilterForm(request.args)
    form.topic.choices = topic_options(str(get_locale()))
    now = utcnow()
    page = db.paginate(queries.queue(_filters(form), now), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    return render_template("assistance/queue.html", form=form, page=page, now=now, is_overdue=queries.is_overdue,
                           unassigned=queries.unassigned_count())


@bp.post("/manage/assistance/questions/<int:question_id>/assign")
@roles_required(Role.TRAINER)
def assign(question_id: int):
    question = visible_question(question_id)
    if not rules.may_assign(me(), question):
        flash(_("A closed question cannot be assigned."), "error")
        return redirect(url_for("assistance.question", question_id=question.id))
    form = AssignForm()
    form.expert_id.choices = expert_options(queries.expert_choices(question))
    if form.validate_on_submit():
        try:
            services.assign(question, form.expert_id.data, me())
        except services.AssistanceError as error:
            show_error(form, error)
        else:
            flash(_("The question is assigned to %(name)s, who is told by mail.", name=question.expert.full_name),
                  "success")
            return redirect(url_for("assistance.question", question_id=question.id))
    form.expert_id.errors = list(form.expert_id.errors) or [_("Choose a person of an assisting parliament.")]
    return render_question(question, assign_form=form, status=400)


@bp.route("/manage/assistance/questions/<int:question_id>/publish", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def publish(question_id: int):
    question = visible_question(question_id)
    if not rules.may_publish(me(), question):
        flash(_("Only an answered question that is not yet published can be published."), "error")
        return redirect(url_for("assistance.question", question_id=question.id))
    if request.method == "GET":
        title, body = anonymise.draft(question)
        form = PublishForm(data={"title": title[:200], "body": body, "language": anonymise.default_language(question),
                                 "access": anonymise.PUBLISH_ACCESS[0].value})
    else:
        form = PublishForm()
    if form.validate_on_submit():
        data = anonymise.PublishInput(title=form.title.data, summary=form.summary.data or "", body=form.body.data,
                                      language=form.language.data, access=form.access.data)
        try:
            anonymise.publish_answer(question, data, me())
        except services.AssistanceError as error:
            show_error(form, error)
        else:
            flash(_("The answer is published to the library, without saying who asked."), "success")
            return redirect(url_for("assistance.question", question_id=question.id))
    return render_template("assistance/publish.html", question=question, form=form), 400 if form.errors else 200
