"""The alumni demo: four listed alumni showing different parts of their card, and one kept out."""
from sqlalchemy import func, select

from elearn.alumni import directory
from elearn.alumni.models import AlumniEntry
from elearn.extensions import db


def test_the_demo_lists_four_alumni_with_different_choices_and_runs_twice(app, runner):
    for _ in range(2):
        result = runner.invoke(args=["demo", "seed", "--no-courses"])
        assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(AlumniEntry)) == 5
    cards = directory.search(directory.Filters()).items
    assert len(cards) == 4
    shown = {tuple(bool(getattr(c, part)) for part in ("parliament", "topics", "activities", "bio", "email"))
             for c in cards}
    assert len(shown) == 4  # each chose differently
    assert any(all(parts) for parts in shown)
