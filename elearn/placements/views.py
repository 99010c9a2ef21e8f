"""Placement pages: the unit's list and form, a placement's page with its daily programme, the reports."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.access import Role, login_required, roles_required
from elearn.extensions import db
from elearn.forms import SimpleActionForm, show_error
from elearn.i18n import by_name
from elearn.params import int_arg
from elearn.people.models import Parliament
from elearn.placements import agenda_copy, queries, rules, services
from elearn.placements.forms import EntryForm, PlacementForm, ReportForm
from elearn.placements.models import Placement, PlacementEntry, PlacementStatus, ReportSide

bp = Blueprint("placements", __name__)


def _me():
    return current_user._get_current_object()


def _visible(placement_id: int) -> Placement:
    """The placement if the reader may see it; a 404 otherwise (its existence is not confirmed)."""
    placement = db.get_or_404(Placement, placement_id)
    if not rules.can_see(_me(), placement):
        abort(404)
    return placement


def _page(statement):
    return db.paginate(statement, per_page=current_app.config["PAGE_SIZE"], error_out=False)


@bp.get("/placements")
@login_required
def mine():
    return render_template("placements/mine.html", page=_page(queries.visible_to(_me())))


@bp.get("/manage/placements")
@roles_required(Role.TRAINER)
def manage():
    status = request.args.get("status", "")
    status = PlacementStatus(status) if status in PlacementStatus.labels() else None
    host, parliament = int_arg("host"), int_arg("parliament")
    page = _page(queries.staff_list(status=status, host_parliament_id=host, parliament_id=parliament))
    parliaments = by_name(db.session.scalars(select(Parliament)).all())
    args = {k: v for k, v in {"status": status.value if status else "", "host": host, "parliament": parliament}.items()
            if v}
    return render_template("placements/manage.html", page=page, status=status, host=host, parliament=parliament,
                           parliaments=parliaments, args=args, statuses=PlacementStatus)


def _save(form: PlacementForm, placement: Placement | None):
    try:
        saved = services.save_placement(form.to_input(), _me(), placement)
    except services.PlacementError as error:
        db.session.rollback()
        show_error(form, error)
        return None
    flash(_("The placement is saved."), "success")
    return redirect(url_for("placements.placement", placement_id=saved.id))


@bp.route("/manage/placements/new", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def create():
    form = PlacementForm()
    form.fill_choices()
    if request.method == "GET":
        form.status.data = PlacementStatus.PLANNED.value
    if form.validate_on_submit() and (done := _save(form, None)):
        return done
    return render_template("placements/edit.html", form=form, placement=None)


@bp.route("/manage/placements/<int:placement_id>/edit", methods=["GET", "POST"])
@roles_required(Role.TRAINER)
def edit(placement_id: int):
    placement = db.get_or_404(Placement, placement_id)
    form = PlacementForm()
    form.fill_choices()
    if request.method == "GET":
        form.fill(placement)
    if form.validate_on_submit() and (done := _save(form, placement)):
        return done
    return render_template("placements/edit.html", form=form, placement=placement)


def _render(placement: Placement, entry_form: EntryForm, status: int = 200):
    me = _me()
    reports = [(side, services.report_of(placement, side)) for side in ReportSide]
    page = render_template(
        "placements/placement.html", placement=placement,
        entries=sorted(placement.entries, key=lambda e: (e.day, e.part.rank)),
        editable=rules.can_edit_programme(me, placement), entry_form=entry_form, action_form=SimpleActionForm(),
        visit_items=agenda_copy.visit_items(placement), reports=reports,
        readable=lambda report: report is not None and rules.can_read_report(me, report),
        may_write=rules.can_write_report(me, placement), may_manage=rules.is_staff(me), locale=str(get_locale()))
    return page, status


@bp.get("/placements/<int:placement_id>")
@login_required
def placement(placement_id: int):
    placement = _visible(placement_id)
    entry_form = EntryForm()
    entry_form.day.data = placement.starts_on
    return _render(placement, entry_form)


def _editable(placement_id: int) -> Placement:
    placement = _visible(placement_id)
    if not rules.can_edit_programme(_me(), placement):
        abort(403)
    return placement


@bp.post("/placements/<int:placement_id>/programme")
@login_required
def add_entry(placement_id: int):
    placement = _editable(placement_id)
    form = EntryForm()
    if form.validate_on_submit():
        try:
            services.add_entry(placement, form.to_input())
        except services.PlacementError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("The entry is added to the daily programme."), "success")
            return redirect(url_for("placements.placement", placement_id=placement.id) + "#programme")
    return _render(placement, form, 400)


@bp.post("/placements/<int:placement_id>/programme/<int:entry_id>/delete")
@login_required
def delete_entry(placement_id: int, entry_id: int):
    placement = _editable(placement_id)
    entry = db.session.get(PlacementEntry, entry_id)
    if entry is None or entry.placement_id != placement.id:
        abort(404)
    if SimpleActionForm().validate_on_submit():
        services.delete_entry(entry)
        flash(_("The entry is removed from the daily programme."), "success")
    return redirect(url_for("placements.placement", placement_id=placement.id) + "#programme")


@bp.post("/placements/<int:placement_id>/programme/copy-visit-agenda")
@login_required
def copy_agenda(placement_id: int):
    placement = _editable(placement_id)
    if SimpleActionForm().validate_on_submit():
        added = agenda_copy.copy_visit_agenda(placement)
        if added:
            flash(ngettext("%(num)d entry copied from the visit's agenda.", "%(num)d entries copied from the visit's agenda.",
                           added), "success")
        else:
            flash(_("Nothing to copy: the visit's agenda has no item for a free day or half-day."), "info")
    return redirect(url_for("placements.placement", placement_id=placement.id) + "#programme")


@bp.route("/placements/<int:placement_id>/report", methods=["GET", "POST"])
@login_required
def report(placement_id: int):
    placement = _visible(placement_id)
    me = _me()
    side = rules.side_of(me, placement)
    if side is None:
        abort(403)
    existing = services.report_of(placement, side)
    form = ReportForm(obj=existing)
    if not rules.can_write_report(me, placement) or (existing is not None and existing.submitted):
        return render_template("placements/report.html", placement=placement, form=None, report=existing, side=side)
    if form.validate_on_submit():
        try:
            services.save_report(placement, me, what_was_done=form.what_was_done.data or "",
                                 follow_up=form.follow_up.data or "", submit=form.submit.data)
        except services.PlacementError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("Your report is submitted.") if form.submit.data else _("Your draft is saved."), "success")
            return redirect(url_for("placements.placement", placement_id=placement.id) + "#reports")
    return render_template("placements/report.html", placement=placement, form=form, report=existing, side=side)
