"""The learner's dashboard: what to do next, composed from learning's and scheduling's short lists."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from elearn.access import Role
from elearn.learning import summary
from elearn.learning.models import Course
from elearn.learning.summary import CourseInProgress, EarnedCertificate
from elearn.scheduling import agenda
from elearn.scheduling.agenda import WaitingPlace
from elearn.scheduling.models import Activity, ActivitySession

# The few most urgent items of each list; "see all" leads to the full page.
SHOWN = 3
SESSIONS_SHOWN = 4


@dataclass(frozen=True)
class LearnerDashboard:
    sessions: list[ActivitySession] = field(default_factory=list)
    waiting: list[WaitingPlace] = field(default_factory=list)
    courses: list[CourseInProgress] = field(default_factory=list)
    certificates: list[EarnedCertificate] = field(default_factory=list)
    # Only for someone with nothing yet: what they could do.
    open_activities: list[Activity] = field(default_factory=list)
    courses_to_start: list[Course] = field(default_factory=list)
    suggest: bool = False  # the lists above were looked for

    @property
    def has_nothing_yet(self) -> bool:
        return not (self.sessions or self.waiting or self.courses or self.certificates)


def build(person, now: datetime, *, induction_offered: bool = False) -> LearnerDashboard:
    """A fixed number of queries, whatever the number of activities, courses or registrations.

    A newly elected member invited to the induction course gets that one course to start, not a list.
    """
    board = LearnerDashboard(
        sessions=agenda.next_sessions(person, now, SESSIONS_SHOWN),
        waiting=agenda.waiting_places(person, now, SHOWN),
        courses=summary.courses_in_progress(person, SHOWN),
        certificates=summary.certificates_earned(person, SHOWN))
    # Trainers and administrators have their own panels: suggestions are for participants.
    if board.has_nothing_yet and Role(person.role) in (Role.LEARNER, Role.FOCAL_POINT):
        board = LearnerDashboard(open_activities=agenda.open_to(person, now, SHOWN),
                                 courses_to_start=[] if induction_offered else summary.courses_to_start(person, SHOWN),
                                 suggest=True)
    return board
