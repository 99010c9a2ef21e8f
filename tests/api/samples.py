"""A few objects of each kind the API serves, for the generic API tests (access matrix, fuzzing).

`seed_api_samples(people)` builds them on a fresh database and returns the value for each path
parameter the API's operations take: {"parliament_id": 3, "activity_id": 7, ...}. The access matrix fails
for an operation whose path parameter has no sample here, so a new resource cannot escape it: when you add
one with a new path parameter, add a seeder below (or a key to an existing one).

The objects belong to the `people` fixture's roles (the learner's registrations and enrolment, the focal
point's parliament, ...) so that each role has something of its own to read.
"""
from __future__ import annotations

from collections.abc import Callable

from elearn.access import Role
from elearn.scheduling import registrations
from elearn.scheduling.models import ActivityStatus
from tests import factories
from tests.scheduling.factories import make_activity, make_programme, one_session

Samples = dict[str, int]
Seeder = Callable[[dict, Samples], Samples]


def parliaments(people: dict, samples: Samples) -> Samples:
    factories.make_parliament(name_en="Parliament of Sample", country_code="QS")
    return {"parliament_id": people["learner"].parliament_id}


def scheduling(people: dict, samples: Samples) -> Samples:
    programme = make_programme(title="Sample programme")
    upcoming = make_activity(programme=programme, title="Sample seminar", capacity=5)
    started = make_activity(programme=programme, title="Sample workshop under way",
                            sessions=one_session(days_ahead=0, length_days=3, all_day=True))
    make_activity(title="Sample draft", status=ActivityStatus.DRAFT)
    registrations.register(upcoming.id, people["learner"])
    own = registrations.register(started.id, people["learner"]).registration
    colleague = factories.make_person(Role.LEARNER, email="colleague@example.org",
                                      parliament=people["focal_point"].parliament)
    registrations.nominate(upcoming.id, colleague, people["focal_point"])
    return {
        "programme_id": programme.id,
        "activity_id": started.id,
        "session_id": started.sessions[0].id,
        "registration_id": own.id,
        "person_id": colleague.id,
    }


def learning(people: dict, samples: Samples) -> Samples:
    from tests.learning.factories import complete_course, make_course

    course = make_course("sample-course", lessons=2)
    enrolment, _attempt = complete_course(people["learner"], course)
    values = {"course_id": course.id, "lesson_id": course.lessons[0].id, "enrolment_id": enrolment.id}
    if enrolment.certificate is not None:  # the sample course's quiz, passed, gives one
        values["certificate_id"] = enrolment.certificate.id
    return values


def cooperation(people: dict, samples: Samples) -> Samples:
    from elearn.extensions import db
    from elearn.scheduling.models import Activity
    from tests.cooperation.factories import make_plan, make_request

    request = make_request(people["focal_point"])
    plan = make_plan(db.session.get(Activity, samples["activity_id"]), people["focal_point"].parliament)
    return {"request_id": request.id, "plan_id": plan.id}


# In order: a seeder sees the samples of those before it.
SEEDERS: list[Seeder] = [parliaments, scheduling, learning, cooperation]


def seed_api_samples(people: dict) -> Samples:
    samples: Samples = {}
    for seeder in SEEDERS:
        samples.update(seeder(people, samples))
    return samples
