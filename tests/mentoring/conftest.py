"""A small world for the mentoring tests: an assisting and a partner parliament, a mentor, a mentee (the
`people` fixture's learner), their focal point, the pair's trainer, another trainer and a focal point of
another partner parliament; and helpers that bring a pair to each state through the services."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from elearn.access import Role
from elearn.mentoring import pairs
from elearn.mentoring.models import MeetingFrequency
from tests import factories


@pytest.fixture
def world(app, people):
    assisting = factories.make_parliament(name_en="Assemblée nationale", country_code="FR", gives_assistance=True,
                                          receives_assistance=False)
    other_partner = factories.make_parliament(name_en="Parliament of Bhutan", country_code="BT")
    mentor = factories.make_person(full_name="Marie Mentor", email="mentor@example.org", parliament=assisting)
    other_trainer = factories.make_person(Role.TRAINER, full_name="Otto Trainer", email="other-trainer@example.org")
    other_focal = factories.make_person(Role.FOCAL_POINT, email="other-focal@example.org", parliament=other_partner)
    stranger = factories.make_person(email="stranger@example.org", parliament=other_partner)
    return SimpleNamespace(mentor=mentor, mentee=people["learner"], trainer=people["trainer"], admin=people["admin"],
                           focal=people["focal_point"], other_trainer=other_trainer, other_focal=other_focal,
                           stranger=stranger, assisting=assisting, partner=people["learner"].parliament)


def agreement(**overrides) -> pairs.AgreementInput:
    values = dict(purpose="Learn how committees scrutinise the budget.",
                  objectives=("Read a committee report", "Draft a question"), frequency=MeetingFrequency.MONTHLY,
                  language="en")
    values.update(overrides)
    return pairs.AgreementInput(**values)


def proposed(world, **overrides):
    return pairs.propose(mentor=world.mentor, mentee=world.mentee, trainer=world.trainer, agreement=agreement(**overrides),
                         actor=world.trainer)


def active(world, **overrides):
    pair = proposed(world, **overrides)
    pairs.accept(pair, world.mentor)
    return pairs.accept(pair, world.mentee)


def ended(world, **overrides):
    return pairs.end(active(world, **overrides), world.trainer)
