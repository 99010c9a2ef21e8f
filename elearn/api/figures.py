"""Participation figures and a programme's results framework, as the trainers' report pages show them.

The figures come from reports.report.build_report, the web report's own service, and leave as its tables do:
a cell the page hides (a protected political-side cell, a withheld side table) is null here with the reason,
never the exact figure behind it; a read that shows sides is audited like the page's.
"""
from __future__ import annotations

from datetime import date

from flask import abort
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as FieldError

from elearn.api.auth import ApiView, current_caller, requires
from elearn.api.scopes import Scope
from elearn.database import utcnow
from elearn.evaluation import indicators as framework_service
from elearn.extensions import db
from elearn.people.models import Parliament
from elearn.reports.audit import audit_side_read
from elearn.reports.facts import ReportFilters
from elearn.reports.figures import Breakdown, tidy
from elearn.reports.protection import HIDDEN
from elearn.reports.queries import funders, programmes_by_id
from elearn.reports.report import ParticipationReport, build_report
from elearn.scheduling.models import Modality, Programme
from elearn.topics import Topic

blp = Blueprint("api_figures", __name__, url_prefix="/api/v1",
                description="Participation figures and results frameworks, for trainers and administrators")

MAX_ID = 2 ** 31 - 1
# Dates the report's SQL can widen by a day or two without leaving the calendar (date.min - 1 day is an error).
EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)


class ParticipationArgs(Schema):
    date_from = fields.Date(validate=validate.Range(EARLIEST, LATEST),
                            metadata={"description": "Activities from this local date"})
    date_to = fields.Date(validate=validate.Range(EARLIEST, LATEST),
                          metadata={"description": "Activities until this local date"})
    programme_id = fields.Integer(validate=validate.Range(1, MAX_ID))
    funder = fields.String(validate=validate.Length(1, 200))
    parliament_id = fields.Integer(validate=validate.Range(1, MAX_ID),
                                   metadata={"description": "A parliament that receives assistance"})
    modality = fields.String(validate=validate.OneOf([m.value for m in Modality]))
    topic_id = fields.Integer(validate=validate.Range(1, MAX_ID))

    @validates_schema
    def in_the_report_choices(self, data, **kwargs):
        """The web form's choices: a programme, funder, partner parliament or topic that exists."""
        errors = {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            errors["date_to"] = ["The period cannot end before it starts."]
        if "programme_id" in data and db.session.get(Programme, data["programme_id"]) is None:
            errors["programme_id"] = ["No programme has this id."]
        if "funder" in data and data["funder"] not in funders(programmes_by_id().values()):
            errors["funder"] = ["No programme has this funder."]
        if "parliament_id" in data:
            parliament = db.session.get(Parliament, data["parliament_id"])
            if parliament is None or not parliament.receives_assistance:
                errors["parliament_id"] = ["No partner parliament has this id."]
        if "topic_id" in data and db.session.get(Topic, data["topic_id"]) is None:
            errors["topic_id"] = ["No topic has this id."]
        if errors:
            raise FieldError(errors)


class FigureRowSchema(Schema):
    key = fields.String(required=True, metadata={"description": "The slice's value (a parliament's id, a kind, ...)"})
    label = fields.String(required=True)
    hidden = fields.String(allow_none=True, required=True,
                           metadata={"description": "small: too few people; secondary: hidden to protect another"})
    values = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True), required=True,
                         metadata={"description": "Each measure's figure; null where the report hides it"})


class FigureBreakdownSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    measures = fields.List(fields.String(), required=True)
    withheld = fields.String(allow_none=True, required=True,
                             metadata={"description": "Why a protected slice shows no figures at all"})
    notes = fields.List(fields.String(), required=True)
    rows = fields.List(fields.Nested(FigureRowSchema), required=True)


class ParticipationTotalsSchema(Schema):
    activities_held = fields.Integer(required=True)
    participations = fields.Integer(required=True)
    people = fields.Integer(required=True)
    days = fields.Integer(required=True)
    hours = fields.Float(required=True)


class WomenTargetSchema(Schema):
    label = fields.String(required=True)
    participations = fields.Integer(required=True)
    women = fields.Integer(required=True)
    not_stated = fields.Integer(required=True)
    share = fields.Float(allow_none=True, required=True)
    target = fields.Integer(allow_none=True, required=True)
    met = fields.Boolean(allow_none=True, required=True)


class OppositionTargetSchema(Schema):
    label = fields.String(required=True)
    members = fields.Integer(required=True)
    opposition = fields.Integer(required=True)
    share = fields.Float(required=True)
    target = fields.Integer(required=True)
    met = fields.Boolean(required=True)


class ParticipationSchema(Schema):
    filters = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    minimum_cell = fields.Integer(required=True, metadata={"description": "Fewer people than this are hidden"})
    totals = fields.Nested(ParticipationTotalsSchema, required=True)
    breakdowns = fields.List(fields.Nested(FigureBreakdownSchema), required=True)
    women_targets = fields.List(fields.Nested(WomenTargetSchema), required=True)
    opposition_targets = fields.List(fields.Nested(OppositionTargetSchema), required=True)
    completions = fields.List(fields.Nested(FigureBreakdownSchema), allow_none=True, required=True,
                              metadata={"description": "E-learning completions; null with no source installed"})


def _shown(value):
    return None if value == HIDDEN else value


def breakdown_data(breakdown: Breakdown) -> dict:
    rows = []
    for row in breakdown.rows:
        if row.shown is not None:  # a protected slice: only what its rules publish
            values = [_shown(value) for value in row.shown]
        elif row.hidden:
            values = [None] * len(breakdown.measures)
        else:
            values = [row.figures.value(measure) for measure in breakdown.measures]
        rows.append({"key": row.key, "label": str(row.label), "hidden": row.hidden,
                     "values": dict(zip(breakdown.measures, values, strict=True))})
    return {"key": breakdown.key, "title": str(breakdown.title), "measures": list(breakdown.measures),
            "withheld": breakdown.withheld, "notes": [str(note) for note in breakdown.notes], "rows": rows}


def participation_data(report: ParticipationReport) -> dict:
    total = report.total
    return {
        "filters": report.filters.as_args(), "minimum_cell": report.minimum,
        "totals": {"activities_held": report.activities_held, "participations": total.participations,
                   "people": total.people, "days": total.days, "hours": tidy(total.hours)},
        "breakdowns": [breakdown_data(b) for b in report.breakdowns],
        "women_targets": [{"label": str(row.label), "participations": row.participations, "women": row.women,
                           "not_stated": row.not_stated, "share": row.share, "target": row.target, "met": row.met}
                          for row in report.targets],
        "opposition_targets": [{"label": row.label, "members": row.members, "opposition": row.opposition,
                                "share": row.share, "target": row.target, "met": row.met}
                               for row in report.opposition],
        "completions": None if report.completions is None else [breakdown_data(b) for b in report.completions],
    }


def report_filters(args: dict) -> ReportFilters:
    return ReportFilters(date_from=args.get("date_from"), date_to=args.get("date_to"),
                         programme_id=args.get("programme_id"), funder=args.get("funder", ""),
                         parliament_id=args.get("parliament_id"),
                         modality=Modality(args["modality"]) if args.get("modality") else None,
                         topic_id=args.get("topic_id"))


@blp.route("/reports/participation")
class Participation(ApiView):
    @requires(Scope.READ_REPORTS)
    @blp.etag
    @blp.arguments(ParticipationArgs, location="query")
    @blp.response(200, ParticipationSchema)
    def get(self, args):
        """Participation figures under the report's filters, sliced and protected as the report page shows them"""
        filters = report_filters(args)
        report = build_report(filters)
        if report.shows_sides:
            audit_side_read(filters, "api", actor=current_caller().person)
        return participation_data(report)


class FrameworkCellSchema(Schema):
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    value = fields.Float(allow_none=True, required=True)
    reason = fields.String(required=True, metadata={"description": "Why there is no value"})
    note = fields.String(required=True)
    entered = fields.Boolean(required=True, metadata={"description": "Entered by hand rather than computed"})
    on_track = fields.Boolean(allow_none=True, required=True)


class FrameworkIndicatorSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    measure = fields.String(required=True)
    computed = fields.Boolean(required=True)
    unit = fields.String(required=True)
    direction = fields.String(required=True, metadata={"description": "higher or lower (is better)"})
    baseline_value = fields.Float(allow_none=True, required=True)
    baseline_on = fields.Date(allow_none=True, required=True)
    target_value = fields.Float(required=True)
    cells = fields.List(fields.Nested(FrameworkCellSchema), required=True)


class FrameworkPeriodSchema(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)


class FrameworkSchema(Schema):
    programme_id = fields.Integer(required=True)
    periods = fields.List(fields.Nested(FrameworkPeriodSchema), required=True)
    indicators = fields.List(fields.Nested(FrameworkIndicatorSchema), required=True)


def framework_data(programme: Programme, periods, rows) -> dict:
    def cell(found) -> dict:
        return {"period_start": found.period.start, "period_end": found.period.end, "value": found.actual.value,
                "reason": str(found.actual.reason), "note": found.actual.note, "entered": found.actual.entered,
                "on_track": found.on_track}

    return {"programme_id": programme.id, "periods": [{"start": p.start, "end": p.end} for p in periods],
            "indicators": [{"id": i.id, "title": i.title, "description": i.description, "measure": i.measure.value,
                            "computed": i.computed, "unit": i.unit, "direction": i.direction.value,
                            "baseline_value": i.baseline_value, "baseline_on": i.baseline_on,
                            "target_value": i.target_value, "cells": [cell(c) for c in row.cells]}
                           for row in rows for i in (row.indicator,)]}


@blp.route("/programmes/<int:programme_id>/indicators")
class ProgrammeIndicators(ApiView):
    @requires(Scope.READ_REPORTS)
    @blp.etag
    @blp.response(200, FrameworkSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, programme_id):
        """A programme's results framework: each indicator's actual and progress for each year, as its page shows"""
        programme = db.session.get(Programme, programme_id)
        if programme is None:
            abort(404)
        periods = framework_service.programme_periods(programme, utcnow().date())
        return framework_data(programme, periods, framework_service.framework(programme, periods))

