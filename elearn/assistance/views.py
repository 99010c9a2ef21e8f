"""Remote assistance pages for those who ask, follow and answer: my questions, ask, a question's thread
(reply, close), an attachment's download. The unit's pages are in staff_views.py, on the same blueprint."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.access import login_required
from elearn.assistance import queries, rules, services
from elearn.assistance.forms import AskForm, AssignForm, ReplyForm, files_of
from elearn.assistance.models import AssistanceAttachment, AssistanceQuestion, Urgency
from elearn.assistance.targets import target_days
from elearn.documents.sending import stored_file
from elearn.extensions import db
from elearn.forms import SimpleActionForm, options, show_error
from elearn.i18n import by_name
from elearn.topics import Topic

bp = Blueprint("assistance", __name__)


def me():
    return current_user._get_current_object()


def visible_question(question_id: int) -> AssistanceQuestion:
    """Someone else's question is a 404 like a missing one: its existence is not told."""
    question = db.session.get(AssistanceQuestion, question_id)
    if question is None or not rules.may_see(me(), question):
        abort(404)
    return question


def topic_options(locale: str):
    return options([("", _("(choose)"))] + [(topic.id, topic.name(locale)) for topic in
                                            by_name(db.session.scalars(select(Topic)).all(), locale)])


def urgency_options():
    return options([(urgency.value, _("%(urgency)s: an answer within %(num)d working days", urgency=urgency.label,
                                      num=target_days(urgency))) for urgency in Urgency])


@bp.get("/assistance")
@login_required
def questions():
    page = db.paginate(queries.visible_to(me()), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("assistance/questions.html", page=page, may_ask=rules.may_ask(me()),
                           is_staff=rules.is_staff(me()), is_overdue=queries.is_overdue)


@bp.route("/assistance/ask", methods=["GET", "POST"])
@login_required
def ask():
    if not rules.may_ask(me()):
        abort(403)
    form = AskForm()
    form.topic_id.choices = topic_options(str(get_locale()))
    form.urgency.choices = urgency_options()
    if form.validate_on_submit():
        data = services.QuestionInput(title=form.title.data, body=form.body.data, topic_id=form.topic_id.data,
                                      urgency=Urgency(form.urgency.data), files=files_of(form.files))
        try:
            question = services.ask(me(), data)
        except services.AssistanceError as error:
            show_error(form, error)
        else:
            flash(_("Your question is sent. The cooperation unit will assign it to an expert."), "success")
            return redirect(url_for("assistance.question", question_id=question.id))
    return render_template("assistance/ask.html", form=form), 400 if form.errors else 200


def render_question(question: AssistanceQuestion, reply_form: ReplyForm | None = None, assign_form=None,
                    status: int = 200):
    person = me()
    may_reply = rules.may_reply(person, question)
    if may_reply and reply_form is None:
        reply_form = ReplyForm()
    choices = None
    if rules.may_assign(person, question):
        choices = queries.expert_choices(question)
        if assign_form is None:
            assign_form = AssignForm(data={"expert_id": question.expert_id})
        assign_form.expert_id.choices = expert_options(choices)
    return render_template(
        "assistance/question.html", question=question, reply_form=reply_form if may_reply else None,
        assign_form=assign_form if choices is not None else None, action_form=SimpleActionForm(),
        may_close=rules.may_close(person, question), may_publish=rules.may_publish(person, question),
        is_staff=rules.is_staff(person), overdue=queries.is_overdue(question),
        resource_url=resource_url(question.resource_id)), status


def expert_options(choices: queries.ExpertChoices) -> dict:
    def label(person):
        parliament = person.parliament.name(str(get_locale())) if person.parliament else ""
        return f"{person.full_name} ({parliament})"

    groups = {None: [("", _("(choose)"))]}
    for title, people in ((_("Roster experts on this topic"), choices.on_topic),
                          (_("Other roster experts"), choices.roster),
                          (_("Other people of assisting parliaments"), choices.others)):
        if people:
            groups[title] = [(person.id, label(person)) for person in people]
    return groups


def resource_url(resource_id: int | None) -> str | None:
    """The library's page of a published answer, once the library has one."""
    if resource_id is None or "library.resource" not in current_app.view_functions:
        return None
    return url_for("library.resource", resource_id=resource_id)


@bp.get("/assistance/questions/<int:question_id>")
@login_required
def question(question_id: int):
    return render_question(visible_question(question_id))


@bp.post("/assistance/questions/<int:question_id>/reply")
@login_required
def reply(question_id: int):
    question = visible_question(question_id)
    if not rules.may_reply(me(), question):
        abort(403)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            services.reply(question, me(), form.body.data, files_of(form.files))
        except services.AssistanceError as error:
            show_error(form, error)
        else:
            flash(_("Your reply is added to the thread."), "success")
            return redirect(url_for("assistance.question", question_id=question.id, _anchor="thread"))
    return render_question(question, reply_form=form, status=400)


@bp.post("/assistance/questions/<int:question_id>/close")
@login_required
def close(question_id: int):
    question = visible_question(question_id)
    if not rules.may_close(me(), question):
        abort(403)
    if not SimpleActionForm().validate_on_submit():
        abort(400)
    services.close(question, me())
    flash(_("The question is closed."), "success")
    return redirect(url_for("assistance.question", question_id=question.id))


@bp.get("/assistance/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    item = db.session.get(AssistanceAttachment, attachment_id)
    if item is None or not rules.may_see(me(), item.question):
        abort(404)
    return stored_file(item.storage_key, item.original_name, item.content_type,
                       described_as=f"assistance attachment {item.id}")
