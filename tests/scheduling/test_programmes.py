"""Saving programmes: partners and consortium, tidy funders, one programme per short name."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.scheduling.models import Programme, ProgrammeKind, ProgrammeStatus
from elearn.scheduling.programmes import ProgrammeError, ProgrammeInput, save_programme
from tests import factories
from tests.helpers import post_form, text
from tests.scheduling.factories import make_programme


def programme_input(**overrides) -> ProgrammeInput:
    values = dict(title=" Support to the Gambia ", slug="gambia-2027", kind=ProgrammeKind.BILATERAL,
                  status=ProgrammeStatus.PLANNED)
    values.update(overrides)
    return ProgrammeInput(**values)


def test_a_programme_is_saved_with_its_parliaments_and_tidy_funders(app):
    gambia = factories.make_parliament(name_en="National Assembly of The Gambia", country_code="GM")
    france = factories.make_parliament(name_en="French Senate", country_code="FR", chamber_name="Senate")

    programme = save_programme(programme_input(
        funders=(" European Union", " UNDP ", ""), starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31),
        women_target_percent=40, partner_ids=(gambia.id,), consortium_ids=(france.id,)))

    db.session.expire_all()
    stored = db.session.get(Programme, programme.id)
    assert (stored.title, stored.slug, stored.funders, stored.women_target_percent) == (
        "Support to the Gambia", "gambia-2027", ["European Union", "UNDP"], 40)
    assert ([p.name_en for p in stored.partners], [p.name_en for p in stored.consortium]) == (
        ["National Assembly of The Gambia"], ["French Senate"])


def test_a_short_name_in_use_is_refused_and_nothing_is_added(app):
    make_programme(slug="gambia-2027")

    with app.test_request_context(), pytest.raises(ProgrammeError) as refusal:
        save_programme(programme_input())

    assert (str(refusal.value), refusal.value.field) == ("Another programme uses this short name.", "slug")
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 1


def test_a_programme_keeps_its_own_short_name_when_changed(app):
    programme = make_programme(slug="gambia-2027")

    save_programme(programme_input(title="Renamed"), programme)

    assert (programme.title, programme.slug) == ("Renamed", "gambia-2027")


def test_the_page_shows_the_refusal_next_to_the_short_name(login_as):
    make_programme(slug="gambia-2027")
    trainer = login_as("trainer")

    response = post_form(trainer, "/manage/programmes/new",
                         {"title": "Another", "slug": "gambia-2027", "kind": "bilateral", "status": "planned"},
                         token_from="/manage/programmes/new")

    assert "Another programme uses this short name." in text(response)
    assert db.session.scalar(select(func.count()).select_from(Programme)) == 1
