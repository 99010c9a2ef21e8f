"""Needs requests and action plans, as the trainers' cooperation pages show them.

read:reports belongs to trainers and administrators, who see every parliament's requests and plans on the web;
the lists still go through cooperation.services.scoped, so that they would narrow with the web's rule if that
scope ever reached a focal point. Someone else's parliament's request or plan is a 404, as on the web.
"""
from __future__ import annotations

from flask import abort
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.api.auth import ApiView, current_caller, requires
from elearn.api.pagination import PageArgs, keyset_page, link_header, page_schema
from elearn.api.schemas import Instant, Names, names_of
from elearn.api.scopes import Scope
from elearn.cooperation import services
from elearn.cooperation.models import OPEN_COMMITMENT_STATES, ActionPlan, NeedsRequest, RequestStatus
from elearn.database import utcnow
from elearn.extensions import db

blp = Blueprint("api_cooperation", __name__, url_prefix="/api/v1",
                description="Partner parliaments' needs requests and the action plans agreed after activities")

MAX_ID = 2 ** 31 - 1


class CooperationParliamentSchema(Schema):
    id = fields.Integer(required=True)
    names = fields.Nested(Names, required=True)


def parliament_ref(parliament) -> dict:
    return {"id": parliament.id, "names": names_of(parliament)}


# Requests ------------------------------------------------------------------------------------

class RequestArgs(PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in RequestStatus]))
    parliament_id = fields.Integer(validate=validate.Range(1, MAX_ID))


class NeedsRequestSummarySchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    parliament = fields.Nested(CooperationParliamentSchema, required=True)
    kind = fields.String(required=True)
    outside_funding = fields.Boolean(required=True, metadata={"description": "Equipment: not what the unit funds"})
    status = fields.String(required=True)
    created_at = Instant(required=True)
    status_changed_at = Instant(required=True)


class RequestActivitySchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    starts_at = Instant(allow_none=True, required=True)


class NeedsRequestSchema(NeedsRequestSummarySchema):
    need = fields.String(required=True)
    audience = fields.String(required=True)
    services = fields.String(required=True)
    topics = fields.List(fields.String(), required=True, metadata={"description": "Topics' slugs"})
    preferred_modality = fields.String(allow_none=True, required=True)
    preferred_from = fields.Date(allow_none=True, required=True)
    preferred_to = fields.Date(allow_none=True, required=True)
    language = fields.String(required=True)
    answer = fields.String(required=True)
    submitted_by = fields.String(allow_none=True, required=True, metadata={"description": "The submitter's name"})
    programme_id = fields.Integer(allow_none=True, required=True)
    activities = fields.List(fields.Nested(RequestActivitySchema), required=True)


NeedsRequestPage = page_schema(NeedsRequestSummarySchema, "NeedsRequestPage")


def request_summary(item: NeedsRequest) -> dict:
    return {"id": item.id, "title": item.title, "parliament": parliament_ref(item.parliament),
            "kind": item.kind.value, "outside_funding": item.outside_funding, "status": item.status.value,
            "created_at": item.created_at, "status_changed_at": item.status_changed_at}


def request_data(item: NeedsRequest) -> dict:
    return {**request_summary(item), "need": item.need, "audience": item.audience.value, "services": item.services,
            "topics": [topic.slug for topic in item.topics],
            "preferred_modality": item.preferred_modality.value if item.preferred_modality else None,
            "preferred_from": item.preferred_from, "preferred_to": item.preferred_to, "language": item.language,
            "answer": item.answer, "submitted_by": item.submitted_by.full_name if item.submitted_by else None,
            "programme_id": item.programme_id,
            "activities": [{"id": a.id, "title": a.title, "status": a.status.value, "starts_at": a.starts_at}
                           for a in item.activities]}


def _visible_or_404(parliament_id: int) -> None:
    if not services.may_see_parliament(current_caller().person, parliament_id):
        abort(404)


@blp.route("/requests/")
class NeedsRequests(ApiView):
    @requires(Scope.READ_REPORTS)
    @blp.etag
    @blp.arguments(RequestArgs, location="query")
    @blp.response(200, NeedsRequestPage)
    def get(self, args):
        """Needs requests, by id, optionally of one status or parliament"""
        person = current_caller().person
        statement = services.scoped(select(NeedsRequest), NeedsRequest.parliament_id, person).options(
            selectinload(NeedsRequest.parliament))
        if "status" in args:
            statement = statement.where(NeedsRequest.status == RequestStatus(args["status"]))
        if "parliament_id" in args:
            statement = statement.where(NeedsRequest.parliament_id == args["parliament_id"])
        page = keyset_page(statement, [NeedsRequest.id], args)
        page.items = [request_summary(item) for item in page.items]
        return page.as_dict(), 200, link_header(page)


@blp.route("/requests/<int:request_id>")
class OneNeedsRequest(ApiView):
    @requires(Scope.READ_REPORTS)
    @blp.etag
    @blp.response(200, NeedsRequestSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, request_id):
        """One needs request, with the activities linked to it"""
        item = db.session.get(NeedsRequest, request_id)
        if item is None:
            abort(404)
        _visible_or_404(item.parliament_id)
        return request_data(item)


# Action plans --------------------------------------------------------------------------------

class PlanArgs(PageArgs):
    parliament_id = fields.Integer(validate=validate.Range(1, MAX_ID))


class PlanActivitySchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)


class ActionPlanSummarySchema(Schema):
    id = fields.Integer(required=True)
    activity = fields.Nested(PlanActivitySchema, required=True)
    parliament = fields.Nested(CooperationParliamentSchema, required=True)
    agreed_on = fields.Date(required=True)
    commitments_total = fields.Integer(required=True)
    commitments_open = fields.Integer(required=True, metadata={"description": "Planned or in progress"})
    commitments_overdue = fields.Integer(required=True)
    reviews_total = fields.Integer(required=True)
    reviews_held = fields.Integer(required=True)
    next_review_due_on = fields.Date(allow_none=True, required=True)


class CommitmentSchema(Schema):
    id = fields.Integer(required=True)
    description = fields.String(required=True)
    owner = fields.String(required=True, metadata={"description": "partner or assisting"})
    responsible = fields.String(required=True)
    due_on = fields.Date(required=True)
    status = fields.String(required=True)
    overdue = fields.Boolean(required=True)
    progress_note = fields.String(required=True)
    updated_at = Instant(required=True)


class PlanReviewSchema(Schema):
    id = fields.Integer(required=True)
    due_on = fields.Date(required=True)
    held_on = fields.Date(allow_none=True, required=True)
    notes = fields.String(required=True)


class ActionPlanSchema(ActionPlanSummarySchema):
    summary = fields.String(required=True)
    commitments = fields.List(fields.Nested(CommitmentSchema), required=True)
    reviews = fields.List(fields.Nested(PlanReviewSchema), required=True)


ActionPlanPage = page_schema(ActionPlanSummarySchema, "ActionPlanPage")


def plan_summary(plan: ActionPlan) -> dict:
    today = utcnow().date()
    pending = [review for review in plan.reviews if review.held_on is None]
    return {"id": plan.id, "activity": {"id": plan.activity.id, "title": plan.activity.title},
            "parliament": parliament_ref(plan.parliament), "agreed_on": plan.agreed_on,
            "commitments_total": len(plan.commitments),
            "commitments_open": sum(c.status in OPEN_COMMITMENT_STATES for c in plan.commitments),
            "commitments_overdue": sum(c.is_overdue(today) for c in plan.commitments),
            "reviews_total": len(plan.reviews), "reviews_held": len(plan.reviews) - len(pending),
            "next_review_due_on": pending[0].due_on if pending else None}


def plan_data(plan: ActionPlan) -> dict:
    today = utcnow().date()
    return {**plan_summary(plan), "summary": plan.summary,
            "commitments": [{"id": c.id, "description": c.description, "owner": c.owner.value,
                             "responsible": c.responsible, "due_on": c.due_on, "status": c.status.value,
                             "overdue": c.is_overdue(today), "progress_note": c.progress_note,
                             "updated_at": c.updated_at} for c in plan.commitments],
            "reviews": [{"id": r.id, "due_on": r.due_on, "held_on": r.held_on, "notes": r.notes}
                        for r in plan.reviews]}


def _plans_statement():
    return select(ActionPlan).options(selectinload(ActionPlan.parliament), selectinload(ActionPlan.activity),
                                      selectinload(ActionPlan.commitments), selectinload(ActionPlan.reviews))


@blp.route("/action-plans/")
class ActionPlans(ApiView):
    @requires(Scope.READ_REPORTS)
    @blp.etag
    @blp.arguments(PlanArgs, location="query")
    @blp.response(200, ActionPlanPage)
    def get(self, args):
        """Action plans, by id, optionally of one parliament, with where their commitments and reviews stand"""
        statement = services.scoped(_plans_statement(), ActionPlan.parliament_id, current_caller().person)
        if "parliament_id" in args:
            statement = statement.where(ActionPlan.parliament_id == args["parliament_id"])
        page = keyset_page(statement, [ActionPlan.id], args)
        page.items = [plan_summary(plan) for plan in page.items]
        return page.as_dict(), 200, link_header(page)


@blp.route("/action-plans/<int:plan_id>")
class OneActionPlan(ApiView):
    @requires(Scope.READ_REPORTS)
    @blp.etag
    @blp.response(200, ActionPlanSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, plan_id):
        """One action plan with its commitments and reviews"""
        plan = db.session.scalar(_plans_statement().where(ActionPlan.id == plan_id))
        if plan is None:
            abort(404)
        _visible_or_404(plan.parliament_id)
        return plan_data(plan)
