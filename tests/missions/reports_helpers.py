"""Helpers of the mission report tests: a mission that has begun, its team, a report ready to act upon."""
from __future__ import annotations

from flask import url_for

from elearn.access import Role
from elearn.extensions import db
from elearn.missions import reports
from elearn.missions.models import MissionTeamMember, TeamRole
from elearn.missions.report_models import Priority
from elearn.scheduling.models import Modality
from tests import factories
from tests.helpers import csrf_token
from tests.scheduling.factories import make_activity, one_session


def make_mission(host, trainer=None, *, days_ahead: int = -1, title: str = "Assessment of the Gambian committees",
                 modality: Modality = Modality.NEEDS_ASSESSMENT_MISSION):
    """A mission whose first session began yesterday (by default), hosted by `host`."""
    return make_activity(title=title, modality=modality, host_parliament_id=host.id,
                         trainer_ids=(trainer.id,) if trainer else (), sessions=one_session(days_ahead=days_ahead))


def add_member(activity, person, role: TeamRole = TeamRole.HEAD) -> MissionTeamMember:
    member = MissionTeamMember(activity_id=activity.id, person_id=person.id, role=role)
    db.session.add(member)
    db.session.commit()
    return member


def make_head(activity, email: str, **overrides):
    head = factories.make_person(Role.LEARNER, email=email, **overrides)
    add_member(activity, head)
    return head


def validated_report(activity, head, manager, texts=("Create a budget office", "Train committee clerks")):
    reports.save_findings(activity, head, "The committees meet **weekly**.")
    for text in texts:
        reports.add_recommendation(activity, head, text, Priority.HIGH)
    reports.submit(activity, head)
    return reports.validate(activity, manager)


def post(client, endpoint: str, data: dict | None = None, **arguments):
    with client.application.test_request_context():
        url = url_for(endpoint, **arguments)
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, "/account/forgot")})


def page(client, activity):
    return client.get(f"/missions/{activity.id}/report")
