"""The library demo: resources of every kind and access, found by search, added once."""
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.library.models import LibraryResource, ResourceAccess, ResourceKind
from elearn.library.search import Filters, search


def test_the_demo_has_resources_of_every_kind_and_access_and_a_second_seed_adds_none(app, runner):
    assert runner.invoke(args=["demo", "seed", "--no-courses"]).exit_code == 0
    resources = db.session.scalars(select(LibraryResource)).all()
    assert len(resources) >= 13
    assert {r.kind for r in resources} == set(ResourceKind)
    assert {ResourceAccess.PUBLIC, ResourceAccess.NETWORK, ResourceAccess.PARLIAMENT} <= {r.access for r in resources}
    assert any(r.activity_id for r in resources) and any(r.programme_id for r in resources)
    assert [r.title for r in db.session.scalars(search(None, Filters(words="رقابة")))] == [
        "دليل الرقابة البرلمانية على عمل الحكومة"]
    assert runner.invoke(args=["demo", "seed", "--no-courses"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(LibraryResource)) == len(resources)
