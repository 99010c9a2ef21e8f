"""Mentoring in the participation report and the results framework: the mentee's held meetings, counted by
local day in each meeting's zone, with their hours; scheduled and cancelled meetings do not count."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from elearn.evaluation.indicator_models import Measure
from elearn.evaluation.indicator_sources import Period, Sources
from elearn.extensions import db
from elearn.mentoring.models import MeetingStatus, MentoringMeeting
from elearn.reports.facts import ReportFilters
from elearn.reports.report import build_report
from elearn.scheduling.models import Modality
from elearn.topics import Topic, seed_topics
from tests.mentoring.conftest import active
from tests.scheduling.factories import make_programme

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.fixture
def met(world):
    """Held: 3 March in Tokyo twice (23:30 UTC the day before, 1 h; then 1.5 h), 10 April in Paris (1 h).
    Not counted: one scheduled and one cancelled meeting. So 2 local days and 3.5 hours, the mentee's."""
    seed_topics()
    topics = {t.slug: t for t in db.session.scalars(select(Topic))}
    programme = make_programme(title="Alpha")
    pair = active(world, topic_id=topics["budget"].id, programme_id=programme.id)
    for start, end, zone, status in (
            (utc(2026, 3, 2, 23, 30), utc(2026, 3, 3, 0, 30), "Asia/Tokyo", MeetingStatus.HELD),
            (utc(2026, 3, 3, 10), utc(2026, 3, 3, 11, 30), "Asia/Tokyo", MeetingStatus.HELD),
            (utc(2026, 4, 10, 9), utc(2026, 4, 10, 10), "Europe/Paris", MeetingStatus.HELD),
            (utc(2026, 4, 20, 9), utc(2026, 4, 20, 10), "Europe/Paris", MeetingStatus.SCHEDULED),
            (utc(2026, 4, 21, 9), utc(2026, 4, 21, 10), "Europe/Paris", MeetingStatus.CANCELLED)):
        db.session.add(MentoringMeeting(pair_id=pair.id, starts_at=start, ends_at=end, timezone=zone, status=status))
    db.session.commit()
    return {"pair": pair, "programme": programme, "topics": topics}


def total(**filters):
    return build_report(ReportFilters(**filters), now=NOW).total


def test_the_mentees_held_meetings_are_one_participation_with_local_days_and_hours(met, world):
    figures = total()
    assert (figures.participations, figures.people, figures.days, figures.hours) == (1, 1, 2, 3.5)
    by_parliament = build_report(ReportFilters(parliament_id=world.mentee.parliament_id), now=NOW).total
    assert by_parliament.people == 1
    assert build_report(ReportFilters(parliament_id=world.assisting.id), now=NOW).total.people == 0  # not the mentor


def test_the_period_counts_only_its_meetings(met):
    march = total(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert (march.participations, march.days, march.hours) == (1, 1, 2.5)
    # 2 March in UTC, 3 March in Tokyo: the local day decides.
    assert total(date_from=date(2026, 3, 2), date_to=date(2026, 3, 2)).participations == 0
    assert total(date_from=date(2026, 5, 1)).participations == 0


def test_modality_topic_and_programme_filters(met):
    assert total(modality=Modality.INTERNATIONAL_MENTORING).days == 2
    assert total(modality=Modality.SEMINAR).participations == 0
    assert total(topic_id=met["topics"]["budget"].id).participations == 1
    assert total(topic_id=met["topics"]["committee-work"].id).participations == 0
    assert total(programme_id=met["programme"].id).participations == 1
    assert total(programme_id=met["programme"].id + 1).participations == 0


def test_a_results_framework_indicator_counts_the_mentoring(met):
    sources = Sources(programme_id=met["programme"].id, period=Period(date(2026, 1, 1), date(2026, 12, 31)), now=NOW)
    assert sources.read(Measure.PARTICIPANT_DAYS).value == 2
    assert sources.read(Measure.PARTICIPANTS).value == 1
