"""The learner portal: catalogue, course pages, lessons, quizzes, certificates."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.access import Role, has_role, login_required, public
from elearn.extensions import db, limiter
from elearn.learning import certificates, enrolling, errors, listings, lookups, offline, progress, quizzes
from elearn.learning.forms import ActionForm, QuizForm
from elearn.learning.models import Audience, Course, CourseAsset, Lesson, QuizAttempt
from elearn.learning.quiz_rules import describe_wait
from elearn.learning.topics import COURSE_LANGUAGES, TOPICS
from elearn.security import keeps_cache_control

bp = Blueprint("learning", __name__)

ASSET_MAX_AGE = 365 * 24 * 3600  # asset URLs carry a hash of the file, so they never go stale


def _locale() -> str:
    return str(get_locale())


def _course_or_404(slug: str, *, withdrawn_too: bool = False) -> Course:
    """The course, if this person may see it: an unpublished course is the trainers' to preview.

    `withdrawn_too` keeps what a learner earned (a certificate) reachable after the course is withdrawn.
    """
    course = lookups.course_by_slug(slug)
    if course is None or not (course.published or withdrawn_too or has_role(current_user, Role.TRAINER)):
        abort(404)
    return course


def _enrolment_or_redirect(course: Course):
    enrolment = lookups.enrolment_for(current_user, course)
    if enrolment is None:
        flash(_("Enrol in this course first."), "error")
    return enrolment


@bp.get("/courses")
@public
def catalogue():
    filters = listings.CatalogueFilters(
        query=request.args.get("q", "").strip()[:200], topic=request.args.get("topic", ""),
        audience=request.args.get("audience", ""), language=request.args.get("language", ""))
    cards = listings.catalogue(filters, current_user)
    return render_template("learning/catalogue.html", cards=cards, filters=filters, topics=TOPICS,
                           languages=COURSE_LANGUAGES, audiences=Audience)


@bp.get("/courses/<slug>")
@public
def course(slug: str):
    course = _course_or_404(slug)
    lessons = lookups.active_lessons(course)
    enrolment = lookups.enrolment_for(current_user, course)
    done = lookups.done_lesson_ids(enrolment)
    return render_template(
        "learning/course.html", course=course, lessons=lessons, enrolment=enrolment, done=done,
        resume=lookups.lesson_to_resume(lessons, done) if enrolment else None,
        has_quiz=lookups.has_quiz(course), topics=TOPICS, languages=COURSE_LANGUAGES,
        progress=lookups.percent(len(done & {lesson.id for lesson in lessons}), len(lessons)),
        action_form=ActionForm(), offline_owner=offline.owner_key(current_user.id) if enrolment else "")


@bp.post("/courses/<slug>/enrol")
@login_required
def enrol(slug: str):
    course = _course_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        enrolling.enrol_self(current_user._get_current_object(), course)
    except errors.LearningError as error:
        flash(str(error), "error")
        return redirect(url_for("learning.course", slug=slug))
    flash(_("You are enrolled. Start with the first lesson when you are ready."), "success")
    return redirect(url_for("learning.resume", slug=slug))


@bp.get("/courses/<slug>/resume")
@login_required
def resume(slug: str):
    course = _course_or_404(slug)
    enrolment = _enrolment_or_redirect(course)
    lessons = lookups.active_lessons(course)
    if enrolment is None or not lessons:
        return redirect(url_for("learning.course", slug=slug))
    lesson = lookups.lesson_to_resume(lessons, lookups.done_lesson_ids(enrolment))
    return redirect(url_for("learning.lesson", slug=slug, lesson_slug=lesson.slug))


def _lesson_or_404(course: Course, lesson_slug: str) -> Lesson:
    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id, Lesson.slug == lesson_slug,
                                                    Lesson.retired_at.is_(None)))
    if lesson is None:
        abort(404)
    return lesson


@bp.get("/courses/<slug>/lessons/<lesson_slug>")
@login_required
def lesson(slug: str, lesson_slug: str):
    course = _course_or_404(slug)
    enrolment = lookups.enrolment_for(current_user, course)
    preview = enrolment is None and has_role(current_user, Role.TRAINER)
    if enrolment is None and not preview:
        flash(_("Enrol in this course to read its lessons."), "error")
        return redirect(url_for("learning.course", slug=slug))
    lesson = _lesson_or_404(course, lesson_slug)
    lessons = lookups.active_lessons(course)
    index = next(i for i, item in enumerate(lessons) if item.id == lesson.id)
    locale = _locale()
    language = locale if locale in lesson.body_html else course.language_for(locale)
    if language not in lesson.body_html:
        language = next(iter(lesson.body_html))
    done = lookups.done_lesson_ids(enrolment)
    return render_template(
        "learning/lesson.html", course=course, lesson=lesson, lessons=lessons, done=done,
        previous=lessons[index - 1] if index > 0 else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
        number=index + 1, done_count=len(done & {item.id for item in lessons}),
        language=language, fallback=language != locale,
        language_name=COURSE_LANGUAGES.get(language, language), body=lesson.body_html[language],
        enrolment=enrolment, preview=preview, has_quiz=lookups.has_quiz(course), action_form=ActionForm(),
        offline_owner=offline.owner_key(current_user.id) if enrolment else "")


@bp.post("/courses/<slug>/lessons/<lesson_slug>/done")
@login_required
def mark_done(slug: str, lesson_slug: str):
    course = _course_or_404(slug)
    lesson = _lesson_or_404(course, lesson_slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    enrolment = _enrolment_or_redirect(course)
    if enrolment is None:
        return redirect(url_for("learning.course", slug=slug))
    completed = progress.mark_lesson_done(enrolment, lesson)
    if completed:
        flash(_("You have completed the course. Your certificate is ready."), "success")
        return redirect(url_for("learning.certificate", slug=slug))
    lessons = lookups.active_lessons(course)
    done = lookups.done_lesson_ids(enrolment)
    to_read = [item for item in lessons if item.id not in done]
    if to_read:
        later = [item for item in to_read if item.position > lesson.position]
        flash(_("Lesson marked as done."), "success")
        return redirect(url_for("learning.lesson", slug=slug, lesson_slug=(later or to_read)[0].slug))
    if lookups.has_quiz(course):
        flash(_("All lessons are done: take the quiz to complete the course."), "success")
        return redirect(url_for("learning.quiz", slug=slug))
    return redirect(url_for("learning.course", slug=slug))


@bp.route("/courses/<slug>/quiz", methods=["GET", "POST"])
@login_required
def quiz(slug: str):
    course = _course_or_404(slug)
    enrolment = _enrolment_or_redirect(course)
    if enrolment is None:
        return redirect(url_for("learning.course", slug=slug))
    questions = lookups.active_questions(course)
    if not questions:
        abort(404)
    form = QuizForm()
    missing: list[int] = []
    chosen: dict[int, set[str]] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            attempt = quizzes.submit_quiz(enrolment, request.form)
        except errors.TamperedSubmission:
            abort(400)
        except errors.AttemptRefused:
            return redirect(url_for("learning.quiz", slug=slug))  # the page says why, and until when
        except errors.IncompleteSubmission as error:
            form.form_errors.append(str(error))
            missing = error.missing
            chosen = {q.id: set(request.form.getlist(f"question-{q.id}")) for q in questions}
        else:
            if enrolment.completed_at is not None and attempt.passed:
                flash(_("You passed the quiz and completed the course. Your certificate is ready."), "success")
            return redirect(url_for("learning.attempt", slug=slug, attempt_id=attempt.id))
    allowed, settings = quizzes.allowance(enrolment), quizzes.quiz_settings(course)
    return render_template("learning/quiz.html", course=course, questions=questions, form=form,
                           missing=missing, chosen=chosen, language=course.language_for(_locale()),
                           settings=settings, allowed=allowed, refusal=quizzes.refusal(allowed),
                           wait=describe_wait(settings.minutes_between_attempts) if settings.minutes_between_attempts else "")


@bp.get("/courses/<slug>/quiz/attempts/<int:attempt_id>")
@login_required
def attempt(slug: str, attempt_id: int):
    course = _course_or_404(slug)
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.enrolment.person_id != current_user.id or attempt.enrolment.course_id != course.id:
        abort(404)
    questions = lookups.active_questions(course)
    answers = {answer.question_id: answer for answer in attempt.answers}
    allowed = quizzes.allowance(attempt.enrolment)
    return render_template("learning/attempt.html", course=course, attempt=attempt, enrolment=attempt.enrolment,
                           questions=[q for q in questions if q.id in answers], answers=answers,
                           language=course.language_for(_locale()), review=quizzes.review_for(attempt),
                           allowed=allowed, refusal=quizzes.refusal(allowed))


@bp.get("/my-learning")
@login_required
def my_learning():
    return render_template("learning/my_learning.html", cards=listings.my_learning(current_user))


def _own_certificate(slug: str):
    course = _course_or_404(slug, withdrawn_too=True)
    enrolment = lookups.enrolment_for(current_user, course)
    if enrolment is None or enrolment.certificate is None:
        abort(404)
    return course, enrolment.certificate


@bp.get("/courses/<slug>/certificate")
@login_required
def certificate(slug: str):
    course, certificate = _own_certificate(slug)
    return render_template("learning/certificate.html", course=course, certificate=certificate,
                           verify_url=url_for("learning.verify_certificate", code=certificate.code, _external=True))


@bp.get("/courses/<slug>/certificate.pdf")
@login_required
def certificate_pdf(slug: str):
    course, certificate = _own_certificate(slug)
    response = make_response(certificates.certificate_pdf(certificate, _locale()))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="certificate-{course.slug}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Codes are 60 random bits, so guessing is hopeless; the limit keeps a script from trying anyway.
_certificate_lookups = limiter.shared_limit(lambda: current_app.config["CERTIFICATE_LOOKUP_LIMIT_PER_IP"],
                                            scope="certificate-lookup")


@bp.get("/certificates")
@public
@_certificate_lookups
def find_certificate():
    typed = request.args.get("code", "").strip()[:100]
    if not typed:
        return render_template("learning/find_certificate.html", typed="")
    certificate = certificates.certificate_by_code(typed)
    if certificate is None:
        return render_template("learning/find_certificate.html", typed=typed), 404
    return redirect(url_for("learning.verify_certificate", code=certificate.code))


@bp.get("/certificates/<code>")
@public
@_certificate_lookups
def verify_certificate(code: str):
    certificate = certificates.certificate_by_code(code[:100])
    if certificate is None:
        return render_template("learning/find_certificate.html", typed=code[:100]), 404
    return render_template("learning/verify.html", certificate=certificate)


@bp.get("/courses/<slug>/assets/<path:path>")
@keeps_cache_control
@public
def asset(slug: str, path: str):
    row = db.session.execute(select(CourseAsset, Course.published).join(Course)
                             .where(Course.slug == slug, CourseAsset.path == path)).first()
    if row is None or not (row.published or has_role(current_user, Role.TRAINER)):
        abort(404)
    found = row.CourseAsset
    response = Response(found.data, mimetype=found.content_type)
    response.set_etag(found.sha256)
    # A withdrawn course's files are previewed by trainers only: no shared cache may keep them.
    # Lessons link to `?v=<the file's hash>`: that address is kept a year; any other is revalidated (its ETag).
    lifetime = f"max-age={ASSET_MAX_AGE}, immutable" if request.args.get("v") == found.sha256[:12] else \
        "max-age=0, must-revalidate"
    response.headers["Cache-Control"] = f"{'public' if row.published else 'private'}, {lifetime}"
    # An SVG opened on its own must not run anything.
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response.make_conditional(request)
