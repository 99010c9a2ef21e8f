"""A partner parliament's asker and focal point, an assisting parliament's experts, strangers, two topics."""
from __future__ import annotations

import io

import pytest

from elearn.access import Role
from elearn.assistance import services
from elearn.assistance.attachments import FileInput
from elearn.assistance.models import Urgency
from elearn.extensions import db
from elearn.missions.models import ExpertProfile
from elearn.topics import Topic
from tests import factories


@pytest.fixture
def app(make_app, tmp_path):
    application = make_app(DOCUMENTS_FOLDER=str(tmp_path / "documents"))
    with application.app_context():
        yield application


@pytest.fixture
def world(app, people):
    budget = Topic(slug="budget", name_en="Budget and financial management", name_fr="Budget")
    committees = Topic(slug="committee-work", name_en="Committee work", name_fr="Travail en commission")
    db.session.add_all([budget, committees])
    france = factories.make_parliament(name_en="French National Assembly", name_fr="Assemblée nationale",
                                       country_code="FR", gives_assistance=True, receives_assistance=False)
    elsewhere = factories.make_parliament(name_en="Parliament of Malawi", country_code="MW")
    expert = factories.make_person(full_name="Claire Budget-Expert", parliament=france, email="claire@example.org")
    roster_other = factories.make_person(full_name="Bernard Roster", parliament=france)
    plain = factories.make_person(full_name="Albert Plain", parliament=france)
    db.session.add_all([ExpertProfile(person_id=expert.id, summary="Budget", topics=[budget]),
                        ExpertProfile(person_id=roster_other.id, summary="Committees", topics=[committees])])
    db.session.commit()
    return {
        "budget": budget, "committees": committees, "france": france, "elsewhere": elsewhere,
        "expert": expert, "roster_other": roster_other, "plain": plain,
        "other_expert": factories.make_person(full_name="Other Expert", parliament=france),
        "colleague": factories.make_person(full_name="Home Colleague", parliament=people["learner"].parliament),
        "foreign_focal": factories.make_person(Role.FOCAL_POINT, full_name="Ines Farview", parliament=elsewhere),
        "foreign_staff": factories.make_person(full_name="Zanele Farview", parliament=elsewhere),
    }


def ask(person, topic, *, title="Quorum rules in committee", body="How do you count the quorum?",
        urgency=Urgency.NORMAL, files=()):
    return services.ask(person, services.QuestionInput(
        title=title, body=body, topic_id=topic.id, urgency=urgency,
        files=[FileInput(name, io.BytesIO(data)) for name, data in files]))
