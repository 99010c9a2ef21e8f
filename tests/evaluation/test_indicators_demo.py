"""The demo's results framework: the West African programme's six indicators, once."""
from sqlalchemy import func, select

from elearn.demo import seed_people
from elearn.demo.cooperation import seed_cooperation
from elearn.demo.indicators import LAWS_TITLE, PROGRAMME_SLUG, seed_indicators
from elearn.demo.schedule import seed_schedule
from elearn.evaluation.indicator_models import Direction, Indicator, IndicatorValue, Measure
from elearn.extensions import db
from elearn.people.reference_data import seed_reference_data
from elearn.scheduling.models import Programme
from tests.helpers import sign_in, text


def test_seed_indicators_once(app):
    seed_reference_data()
    seed_people()
    seed_schedule(0)
    seed_cooperation()
    seed_indicators()
    seed_indicators()
    programme = db.session.scalar(select(Programme).where(Programme.slug == PROGRAMME_SLUG))
    indicators = {i.title: i for i in db.session.scalars(select(Indicator))}
    assert len(indicators) == 6 and {i.programme_id for i in indicators.values()} == {programme.id}
    assert indicators["Participants"].target_value == 200
    assert indicators["Women's share of participations"].measure == Measure.WOMEN_SHARE
    assert indicators["Median days from request to decision"].direction == Direction.LOWER
    laws = indicators[LAWS_TITLE]
    assert (laws.measure, laws.baseline_value, laws.target_value) == (Measure.MANUAL, 0, 5)
    assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 1
    client = app.test_client()
    sign_in(client, "trainer@example.org", "demo-lectern-2026")
    page = client.get(f"/manage/programmes/{programme.id}/indicators")
    assert page.status_code == 200 and LAWS_TITLE.replace("'", "&#39;") in text(page)
