"""The cooperation unit's pages, on the `mentoring` blueprint: the list of pairs, proposing a pair, changing
its agreement (and giving a request its mentor), taking up a request, withdrawing and ending."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from elearn.access import Role, roles_required
from elearn.extensions import db
from elearn.forms import SimpleActionForm, show_error
from elearn.i18n import name_sort_key
from elearn.mentoring import pairs, queries, rules
from elearn.mentoring.forms import AgreementForm
from elearn.mentoring.models import MentoringPair, PairStatus
from elearn.mentoring.views import bp, pair_or_404, to_pair
from elearn.params import int_arg
from elearn.people.models import Parliament, Person
from elearn.scheduling.models import Programme

SCOPES = ("mine", "requests", "all")


def _me():
    return current_user._get_current_object()


def _person(form: AgreementForm, name: str) -> Person | None:
    chosen = form.chosen(name)
    return db.session.get(Person, chosen) if chosen else None


@bp.get("/manage/mentoring")
@roles_required(Role.TRAINER)
def pairs_list():
    me = _me()
    scope = request.args.get("scope", "mine")
    if scope not in SCOPES or (scope == "all" and me.role != Role.ADMIN):
        scope = "mine"
    status = request.args.get("status", "")
    filters = queries.StaffFilters(scope=scope, status=PairStatus(status) if status in {s.value for s in PairStatus} else None,
                                   programme_id=int_arg("programme_id"), parliament_id=int_arg("parliament_id"),
                                   name=request.args.get("name", "")[:100])
    page = db.paginate(queries.staff_list(me, filters), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    locale = str(get_locale())
    parliaments = sorted(db.session.scalars(db.select(Parliament).where(Parliament.receives_assistance.is_(True))),
                         key=lambda p: name_sort_key(p.name(locale)))
    programmes = db.session.scalars(db.select(Programme).order_by(Programme.title)).all()
    return render_template("mentoring/list.html", page=page, filters=filters, scopes=SCOPES,
                           statuses=list(PairStatus), parliaments=parliaments, programmes=programmes,
                           requests_waiting=queries.open_requests_count())


@bp.route("/manage/mentoring/new", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def propose():
    me = _me()
    form = AgreementForm()
    form.offer(mentors=queries.possible_mentors(), mentees=queries.possible_mentees(),
               trainers=queries.possible_trainers(), locale=str(get_locale()))
    if request.method == "GET":
        form.trainer_id.data = str(me.id)
    if form.validate_on_submit():
        try:
            pair = pairs.propose(mentor=_person(form, "mentor_id"), mentee=_person(form, "mentee_id"),
                                 trainer=_person(form, "trainer_id"), agreement=form.to_input(), actor=me)
        except pairs.PairError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("The pair is proposed. The mentor and the mentee are asked to accept it."), "success")
            return to_pair(pair)
    return render_template("mentoring/form.html", form=form, pair=None)


@bp.route("/manage/mentoring/<int:pair_id>/edit", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def edit(pair_id: int):
    pair = db.get_or_404(MentoringPair, pair_id)
    if not rules.can_manage(_me(), pair):
        abort(403)
    if pair.status not in pairs.OPEN_STATUSES:
        flash(_("This pair is closed: its agreement no longer changes."), "info")
        return to_pair(pair)
    form = AgreementForm()
    choose_mentor = pair.status in (PairStatus.REQUESTED, PairStatus.PROPOSED)
    form.offer(mentors=queries.possible_mentors() if choose_mentor else (), locale=str(get_locale()))
    if request.method == "GET":
        form.fill(pair)
    if form.validate_on_submit():
        try:
            result = pairs.save_agreement(pair, form.to_input(), _me(),
                                          mentor=_person(form, "mentor_id") if choose_mentor else None)
        except pairs.PairError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            if not result.changed:
                flash(_("Nothing changed."), "info")
            elif result.pair.status == PairStatus.PROPOSED:
                flash(_("The agreement is saved. The mentor and the mentee are asked to accept it."), "success")
            else:
                flash(_("The agreement is saved."), "success")
            if result.acceptances_cleared:
                flash(_("The agreement changed after an acceptance: both people are asked to accept it again."),
                      "warning")
            return to_pair(pair)
    return render_template("mentoring/form.html", form=form, pair=pair, choose_mentor=choose_mentor)


def _staff_action(pair_id: int, operation, done: str):
    pair = db.get_or_404(MentoringPair, pair_id)
    if not SimpleActionForm().validate_on_submit():
        flash(_("Nothing was changed: use the buttons on the pair's page."), "error")
        return redirect(url_for("mentoring.pairs_list"))
    try:
        operation(pair, _me())
    except pairs.PairError as error:
        db.session.rollback()
        flash(str(error), "error")
        if not rules.may_open(_me(), pair):
            return redirect(url_for("mentoring.pairs_list"))
    else:
        flash(done, "success")
    return to_pair(pair)


@bp.post("/manage/mentoring/<int:pair_id>/take")
@roles_required(Role.TRAINER)
def take_up(pair_id: int):
    pair_or_404(pair_id)
    return _staff_action(pair_id, pairs.take_up, _("You follow this request now: choose its mentor."))


@bp.post("/manage/mentoring/<int:pair_id>/withdraw")
@roles_required(Role.TRAINER)
def withdraw(pair_id: int):
    if not rules.can_manage(_me(), db.get_or_404(MentoringPair, pair_id)):
        abort(403)
    return _staff_action(pair_id, pairs.withdraw, _("The pair is withdrawn."))


@bp.post("/manage/mentoring/<int:pair_id>/end")
@roles_required(Role.TRAINER)
def end(pair_id: int):
    if not rules.can_manage(_me(), db.get_or_404(MentoringPair, pair_id)):
        abort(403)
    return _staff_action(pair_id, pairs.end, _("The pairing has ended. Both people are asked for their review."))
