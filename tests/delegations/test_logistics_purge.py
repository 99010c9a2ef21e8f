"""The purge of passport details and needs: after LOGISTICS_PURGE_DAYS, in batches, audited once, idempotent."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.delegations.logistics_models import SENSITIVE_FIELDS, Logistics, Payer
from elearn.delegations.purge import purge_sensitive
from elearn.extensions import db
from elearn.scheduling.models import Activity, Registration, RegistrationState
from tests import factories
from tests.scheduling.factories import make_activity


def _ended(days_ago: int) -> Activity:
    """An activity whose one session ended `days_ago` days ago (time travel: its dates set in the past)."""
    activity = make_activity()
    shift = (activity.ends_at - utcnow()) + timedelta(days=days_ago)
    for session in activity.sessions:
        session.starts_at, session.ends_at = session.starts_at - shift, session.ends_at - shift
    activity.starts_at, activity.ends_at = activity.starts_at - shift, activity.ends_at - shift
    db.session.commit()
    return activity


def _logistics(activity: Activity, n: int = 1) -> list[Logistics]:
    rows = []
    people = [factories.make_person() for _ in range(n)]
    for person in people:
        registration = Registration(activity=activity, person=person, state=RegistrationState.CONFIRMED)
        rows.append(Logistics(registration=registration, travel_paid_by=Payer.PROGRAMME, hotel_name="Hôtel du Palais",
                              dietary_needs="Halal", accessibility_needs="Wheelchair", passport_number="CI123",
                              passport_country="CI", passport_expires_on=date(2031, 1, 1),
                              birth_date=date(1980, 5, 5)))
        db.session.add(rows[-1])
    db.session.commit()
    return rows


def _purged_audits() -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.SENSITIVE_LOGISTICS_PURGED)).all()


def test_only_activities_ended_long_enough_ago_are_purged(app):
    old = _logistics(_ended(31), 2)
    recent = _logistics(_ended(29))
    coming = _logistics(make_activity())

    report = purge_sensitive()

    assert report.purged == 2
    for row in old:
        db.session.refresh(row)
        assert all(getattr(row, name) in ("", None) for name in SENSITIVE_FIELDS)
        assert row.sensitive_purged_at is not None
        assert (row.hotel_name, row.travel_paid_by) == ("Hôtel du Palais", Payer.PROGRAMME)  # the rest stays
    for row in recent + coming:
        db.session.refresh(row)
        assert row.passport_number == "CI123" and row.sensitive_purged_at is None
    [event] = _purged_audits()
    assert event.details["purged"] == 2 and event.actor_id is None


def test_a_second_run_purges_nothing_and_writes_no_row(app):
    _logistics(_ended(40))
    assert purge_sensitive().purged == 1

    assert purge_sensitive().purged == 0
    assert len(_purged_audits()) == 1


def test_the_purge_works_in_batches(app):
    _logistics(_ended(60), 5)
    statements = []

    def listener(conn, cursor, statement, *rest):
        if statement.lstrip().upper().startswith("UPDATE LOGISTICS"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        report = purge_sensitive(batch=2)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)

    assert report.purged == 5 and len(statements) == 3  # 2 + 2 + 1
    assert db.session.scalar(select(func.count(Logistics.id)).where(Logistics.sensitive_purged_at.is_(None))) == 0
    assert len(_purged_audits()) == 1


def test_the_number_of_days_comes_from_the_settings(make_app):
    app = make_app(LOGISTICS_PURGE_DAYS=5)
    with app.app_context():
        _logistics(_ended(6))
        assert purge_sensitive().purged == 1


def test_the_default_is_thirty_days(app):
    assert app.config["LOGISTICS_PURGE_DAYS"] == 30


@pytest.mark.parametrize("days, expected", [(None, 1), ("50", 0)])
def test_the_command_prints_what_it_did_and_is_idempotent(app, days, expected):
    _logistics(_ended(45))
    runner = app.test_cli_runner()
    arguments = ["delegations", "purge-sensitive"] + (["--days", days] if days else [])

    first = runner.invoke(args=arguments)
    second = runner.invoke(args=arguments)

    assert first.exit_code == 0, first.output
    assert f"sensitive logistics purged: {expected}" in first.output
    assert "sensitive logistics purged: 0" in second.output
