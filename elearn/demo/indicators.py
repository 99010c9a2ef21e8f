"""The demo's results framework: six indicators of the West African programme, one with a value entered."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from elearn.database import utcnow
from elearn.evaluation import indicators as service
from elearn.evaluation.indicator_models import Indicator
from elearn.extensions import db
from elearn.scheduling.models import Programme

PROGRAMME_SLUG = "west-africa-2027"
LAWS_TITLE = "Laws amended with the unit's support"
# title, measure, unit, baseline, target, direction, description
INDICATORS = [
    ("Participants", "participants", "people", None, 200, "higher",
     "People from the partner parliaments present at one session of an activity at least."),
    ("Women's share of participations", "women_share", "%", None, 40, "higher", ""),
    ("Average satisfaction", "satisfaction", "0–100", None, 80, "higher",
     "Rating questions of the questionnaires after each activity, on a scale from 0 to 100."),
    ("Commitments completed on time", "commitments_on_time", "%", None, 75, "higher",
     "Commitments of the action plans due in the period and done by their due date."),
    ("Median days from request to decision", "days_to_decision", "days", None, 30, "lower", ""),
    (LAWS_TITLE, "manual", "laws", 0, 5, "higher",
     "Laws or standing orders amended with the support of the unit, as reported by the partner parliaments."),
]


def seed_indicators() -> None:
    """The framework once: a programme that has indicators already is left alone."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == PROGRAMME_SLUG))
    if programme is None or db.session.scalar(select(Indicator.id).where(Indicator.programme_id == programme.id)):
        return
    baseline_on = programme.starts_on or utcnow().date()
    for title, measure, unit, baseline, target, direction, description in INDICATORS:
        indicator = service.save_indicator(programme, service.IndicatorInput(
            title=title, measure=measure, unit=unit, baseline_value=baseline, target_value=target,
            direction=direction, description=description, baseline_on=baseline_on if baseline is not None else None))
        if title == LAWS_TITLE:
            year = baseline_on.year
            service.record_value(indicator, service.ValueInput(
                date(year, 1, 1), date(year, 12, 31), 1,
                "Standing orders of the National Assembly of The Gambia revised after the committee seminar."))
