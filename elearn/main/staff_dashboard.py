"""The trainer's and the administrator's dashboard panels, composed from what each feature reports.

A trainer sees the activities they run; an administrator, who runs the platform rather than activities,
sees every activity, the outbox's failures and the latest noteworthy audit events. The cooperation
follow-up (overdue commitments, reviews due) stays in the cooperation section the dashboard already shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from elearn.access import Role, has_role
from elearn.audit.services import RecentEvent, recent_noteworthy
from elearn.cooperation.services import RequestToTriage, requests_to_triage
from elearn.mail.queries import OutboxFailures, outbox_failures
from elearn.people.models import Person
from elearn.scheduling.staff_queries import StaffSchedule, staff_schedule

# The few most urgent rows of each list; the full pages are a "see all" link away.
SHOWN = 5


@dataclass(frozen=True)
class StaffDashboard:
    is_admin: bool
    schedule: StaffSchedule
    requests: list[RequestToTriage]
    outbox: OutboxFailures | None = None
    audit: list[RecentEvent] = field(default_factory=list)


def staff_dashboard(person: Person, now: datetime) -> StaffDashboard | None:
    """What a trainer or an administrator should do next; None for everyone else."""
    if not has_role(person, Role.TRAINER):
        return None
    is_admin = has_role(person, Role.ADMIN)
    schedule = staff_schedule(None if is_admin else person, now, SHOWN)
    requests = requests_to_triage(person, SHOWN)
    if not is_admin:
        return StaffDashboard(is_admin=False, schedule=schedule, requests=requests)
    return StaffDashboard(is_admin=True, schedule=schedule, requests=requests, outbox=outbox_failures(SHOWN),
                          audit=recent_noteworthy(SHOWN))
