"""Trainers' course pages: enrolments and progress, bulk enrolment, quiz results."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.access import Role, roles_required
from elearn.extensions import db
from elearn.forms import options
from elearn.i18n import by_name
from elearn.learning import enrolling, errors, lookups, quizzes, trainer
from elearn.learning.forms import EnrolPeopleForm
from elearn.learning.models import Course
from elearn.learning.quiz_rules import describe_wait
from elearn.people.models import Parliament

bp = Blueprint("learning_admin", __name__, url_prefix="/admin/courses")

trainers = roles_required(Role.TRAINER)


def _course_or_404(slug: str) -> Course:
    course = lookups.course_by_slug(slug)
    if course is None:
        abort(404)
    return course


@bp.get("")
@trainers
def courses():
    return render_template("learning_admin/courses.html", rows=trainer.course_overview())


@bp.get("/<slug>/enrolments")
@trainers
def enrolments(slug: str):
    course = _course_or_404(slug)
    sort = request.args.get("sort", "name")
    if sort not in trainer.SORTS:
        sort = "name"
    descending = request.args.get("dir") == "desc"
    page = db.paginate(trainer.enrolments_statement(course, sort, descending, str(get_locale())),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    lessons = len(lookups.active_lessons(course))
    return render_template("learning_admin/enrolments.html", course=course, page=page, sort=sort,
                           descending=descending, lessons=lessons,
                           done=lookups.done_counts([e.id for e in page.items]),
                           attempts=trainer.attempt_counts([e.id for e in page.items]),
                           max_attempts=quizzes.quiz_settings(course).max_attempts, has_quiz=lookups.has_quiz(course))


@bp.get("/<slug>/enrolments.csv")
@trainers
def enrolments_csv(slug: str):
    course = _course_or_404(slug)
    body = trainer.enrolments_csv(course, str(get_locale()))
    return Response("\ufeff" + body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="enrolments-{course.slug}.csv"'})


@bp.route("/<slug>/enrol", methods=["GET", "POST"])
@trainers
def enrol(slug: str):
    course = _course_or_404(slug)
    form = EnrolPeopleForm()
    locale = str(get_locale())
    parliaments = by_name(db.session.scalars(select(Parliament)), locale)
    form.parliament_id.choices = options([("", _("None"))] + [(str(p.id), p.name(locale)) for p in parliaments])
    if form.validate_on_submit():
        try:
            result = enrolling.enrol_listed(
                course, emails=form.emails.data or "", kind=form.kind.data or "",
                parliament_id=int(form.parliament_id.data) if form.parliament_id.data else None,
                by=current_user._get_current_object())
        except errors.UnknownAddresses as error:
            form.emails.errors.append(str(error))
        except errors.LearningError as error:
            form.form_errors.append(str(error))
        else:
            flash(ngettext("%(num)d person enrolled and notified.", "%(num)d people enrolled and notified.",
                           len(result.added)), "success")
            if result.already:
                flash(ngettext("%(num)d was already enrolled.", "%(num)d were already enrolled.",
                               len(result.already)), "info")
            return redirect(url_for("learning_admin.enrolments", slug=slug))
    return render_template("learning_admin/enrol.html", course=course, form=form)


@bp.get("/<slug>/quiz-results")
@trainers
def quiz_results(slug: str):
    course = _course_or_404(slug)
    settings = quizzes.quiz_settings(course)
    return render_template("learning_admin/quiz_results.html", course=course,
                           results=trainer.question_results(course), summary=trainer.attempt_summary(course),
                           language=course.language_for(str(get_locale())), settings=settings,
                           wait=describe_wait(settings.minutes_between_attempts) if settings.minutes_between_attempts else "")
