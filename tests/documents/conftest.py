from __future__ import annotations

import pytest

from elearn.access import Role
from elearn.extensions import db
from elearn.scheduling.models import Registration, RegistrationState
from tests import factories
from tests.helpers import sign_in
from tests.scheduling.factories import make_activity, make_programme


@pytest.fixture
def app(make_app, tmp_path):
    application = make_app(DOCUMENTS_FOLDER=str(tmp_path / "documents"))
    with application.app_context():
        yield application


@pytest.fixture
def world(app, people):
    """An activity its trainer manages, its confirmed learner, its host's focal point, and strangers."""
    home = people["learner"].parliament
    invited = factories.make_parliament(name_en="Parliament of Malawi", country_code="MW")
    elsewhere = factories.make_parliament(name_en="Parliament of Bhutan", country_code="BT")
    activity = make_activity(programme=make_programme())
    activity.host_parliament_id = home.id
    activity.trainers.append(people["trainer"])
    activity.invited_parliaments.append(invited)
    other_activity = make_activity()
    db.session.add(Registration(activity=activity, person=people["learner"], state=RegistrationState.CONFIRMED))
    waiting = factories.make_person(email="waiting@example.org", parliament=home)
    db.session.add(Registration(activity=activity, person=waiting, state=RegistrationState.REQUESTED))
    db.session.commit()
    return {
        "activity": activity, "other_activity": other_activity, "programme": activity.programme,
        "stranger": factories.make_person(email="stranger@example.org", parliament=elsewhere),
        "waiting": waiting,
        "other_trainer": factories.make_person(Role.TRAINER, email="other.trainer@example.org"),
        "invited_focal": factories.make_person(Role.FOCAL_POINT, email="invited.focal@example.org", parliament=invited),
        "other_focal": factories.make_person(Role.FOCAL_POINT, email="other.focal@example.org", parliament=elsewhere),
    }


@pytest.fixture
def client_of(app, login_as, world):
    """`client_of("trainer")` for a role of `people`, `client_of("stranger")` for one of the world's people."""
    def factory(who: str):
        if who in world:
            client = app.test_client()
            sign_in(client, world[who].email, factories.PASSWORD)
            return client
        return login_as(who)
    return factory
