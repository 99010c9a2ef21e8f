"""Cost lines and the cost report, without HTTP: checks, totals, the period, the funder rule, the query count."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.delegations import cost_report, costs
from elearn.delegations.cost_report import CostFilters
from elearn.delegations.costs import CostError, CostInput
from elearn.delegations.costs_models import CostCategory, CostLine
from elearn.delegations.logistics_models import Logistics, Payer
from elearn.delegations.managers import may_manage
from elearn.extensions import db
from elearn.scheduling.models import Registration, RegistrationState
from tests import factories
from tests.delegations.costs_fixtures import line, on, two_programmes
from tests.helpers import count_queries
from tests.scheduling.factories import make_activity, make_programme

D = Decimal


def good(**changes) -> CostInput:
    values = dict(category="travel", payer="ministry", planned_amount="1200.50", currency="eur",
                  actual_amount="", description="  Flights Abidjan–Paris  ")
    values.update(changes)
    return CostInput(**values)


def test_a_line_is_checked_and_saved(app, people):
    activity = make_activity()
    saved = costs.add_line(activity, good(actual_amount="1 100,25"), people["trainer"])
    assert (saved.category, saved.payer, saved.currency) == (CostCategory.TRAVEL, Payer.MINISTRY, "EUR")
    assert (saved.planned_amount, saved.actual_amount) == (D("1200.50"), D("1100.25"))
    assert saved.description == "Flights Abidjan–Paris"
    assert saved.created_by_id == saved.updated_by_id == people["trainer"].id
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == saved.id)) \
        == AuditAction.COST_LINE_ADDED


@pytest.mark.parametrize("changes, field", [
    ({"currency": "EUROS"}, "currency"),
    ({"currency": "ABC"}, "currency"),
    ({"currency": "XXX"}, "currency"),
    ({"currency": ""}, "currency"),
    ({"planned_amount": "-1"}, "planned_amount"),
    ({"actual_amount": "-0.01"}, "actual_amount"),
    ({"planned_amount": "twelve"}, "planned_amount"),
    ({"planned_amount": "NaN"}, "planned_amount"),
    ({"planned_amount": "1e3x"}, "planned_amount"),
    ({"planned_amount": ""}, "planned_amount"),
    ({"planned_amount": "10.005"}, "planned_amount"),
    ({"planned_amount": "10000000000"}, "planned_amount"),
    ({"actual_amount": "abc"}, "actual_amount"),
    ({"category": "catering"}, "category"),
    ({"payer": "nobody"}, "payer"),
    ({"description": "x" * 2001}, "description"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(app, people, changes, field):
    activity = make_activity()
    with pytest.raises(CostError) as refused:
        costs.add_line(activity, good(**changes), people["trainer"])
    assert refused.value.field == field
    assert str(refused.value)
    assert db.session.scalar(select(func.count(CostLine.id))) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_a_refused_change_leaves_the_line_as_it_was(app, people):
    saved = costs.add_line(make_activity(), good(), people["trainer"])
    with pytest.raises(CostError):
        costs.update_line(saved, good(planned_amount="5", currency="ZZZ"), people["admin"])
    db.session.rollback()
    again = db.session.get(CostLine, saved.id)
    assert (again.planned_amount, again.currency, again.updated_by_id) == (D("1200.50"), "EUR", people["trainer"].id)


def test_change_and_delete_are_saved_and_audited(app, people):
    saved = costs.add_line(make_activity(), good(), people["trainer"])
    costs.update_line(saved, good(actual_amount="1199", currency="XOF"), people["admin"])
    assert (saved.actual_amount, saved.currency, saved.updated_by_id) == (D("1199.00"), "XOF", people["admin"].id)
    line_id = saved.id
    costs.delete_line(saved, people["admin"])
    assert db.session.get(CostLine, line_id) is None
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == line_id)
                                 .order_by(AuditEvent.id)).all()
    assert actions == [AuditAction.COST_LINE_ADDED, AuditAction.COST_LINE_CHANGED, AuditAction.COST_LINE_DELETED]


def test_the_database_refuses_a_negative_amount(app):
    activity = make_activity()
    db.session.add(CostLine(activity_id=activity.id, category=CostCategory.VENUE, payer=Payer.SELF,
                            planned_amount=D("-1"), currency="EUR"))
    with pytest.raises(Exception):  # noqa: B017 - the CHECK constraint, whatever the driver calls it
        db.session.flush()
    db.session.rollback()


def test_who_may_manage_an_activitys_costs(app, people):
    other_trainer = factories.make_person(Role.TRAINER, email="other-trainer@example.org")
    activity = make_activity(trainer_ids=(people["trainer"].id,))
    assert may_manage(people["trainer"], activity)
    assert may_manage(people["admin"], activity)
    assert not may_manage(other_trainer, activity)
    assert not may_manage(people["learner"], activity)
    assert not may_manage(people["focal_point"], activity)


def test_activity_totals_by_category_payer_and_currency(app):
    _a, _b, first, _second = two_programmes()
    by_category = {(t.key, t.currency): (t.planned, t.actual, t.without_actual)
                   for t in costs.activity_totals(first.id, CostLine.category)}
    assert by_category == {("travel", "EUR"): (D("1500.50"), D("900.00"), 1),
                           ("stay", "EUR"): (D("2000.00"), D("2100.25"), 0),
                           ("per_diem", "XOF"): (D("150000.00"), D("150000.00"), 0)}
    by_payer = {(t.key, t.currency): (t.planned, t.actual) for t in costs.activity_totals(first.id, CostLine.payer)}
    assert by_payer[("programme", "EUR")] == (D("1500.50"), D("900.00"))
    assert by_payer[("ministry", "EUR")] == (D("2000.00"), D("2100.25"))
    totals = {t.currency: (t.planned, t.actual, t.without_actual) for t in costs.currency_totals(first.id)}
    assert totals == {"EUR": (D("3500.50"), D("3000.25"), 1), "XOF": (D("150000.00"), D("150000.00"), 0)}


def test_planned_per_diem_from_the_participants_details_in_one_statement(app):
    activity = make_activity(capacity=10)
    rows = [("confirmed", "80.50", 3, "EUR"), ("confirmed", "100", 2, "EUR"), ("requested", "20000", 4, "XOF"),
            ("withdrawn", "999", 9, "EUR"), ("confirmed", None, 3, "EUR")]
    for number, (state, amount, days, currency) in enumerate(rows):
        person = factories.make_person(email=f"p{number}@example.org")
        registration = Registration(activity=activity, person=person, state=RegistrationState(state))
        db.session.add(registration)
        db.session.flush()
        db.session.add(Logistics(registration_id=registration.id, per_diem_amount=D(amount) if amount else None,
                                 per_diem_days=days, per_diem_currency=currency))
    db.session.commit()
    activity_id = activity.id
    with count_queries() as counter:
        planned = costs.planned_per_diem(activity_id)
    assert counter.count == 1
    assert planned == [("EUR", D("441.50"), 2), ("XOF", D("80000.00"), 1)]


def test_report_per_programme_on_the_fixture(app):
    two_programmes()
    report = cost_report.build(CostFilters())
    rows = {(r.group, r.category.value, r.payer.value, r.currency): (r.planned, r.actual, r.without_actual)
            for r in report.rows}
    assert rows == {
        ("Alpha programme", "travel", "programme", "EUR"): (D("1500.50"), D("900.00"), 1),
        ("Alpha programme", "stay", "ministry", "EUR"): (D("2000.00"), D("2100.25"), 0),
        ("Alpha programme", "per_diem", "host_parliament", "XOF"): (D("150000.00"), D("150000.00"), 0),
        ("Beta programme", "travel", "programme", "EUR"): (D("300.00"), D("250.00"), 0),
        ("Beta programme", "venue", "host_parliament", "XOF"): (D("50000.00"), D("0.00"), 1),
    }
    assert [r.group for r in report.rows][:3] == ["Alpha programme"] * 3  # ordered by programme, then category
    totals = {t.currency: (t.planned, t.actual, t.without_actual) for t in report.totals}
    assert totals == {"EUR": (D("3800.50"), D("3250.25"), 1), "XOF": (D("200000.00"), D("150000.00"), 1)}


def test_report_per_funder_counts_a_programme_under_each_funder_and_totals_once(app):
    two_programmes()
    report = cost_report.build(CostFilters(view="funder"))
    rows = {(r.group, r.category.value, r.currency): r.planned for r in report.rows if r.payer == Payer.PROGRAMME}
    assert rows == {("EU", "travel", "EUR"): D("1800.50"), ("Ministry", "travel", "EUR"): D("1500.50")}
    totals = {t.currency: t.planned for t in report.totals}
    assert totals == {"EUR": D("3800.50"), "XOF": D("200000.00")}  # every line once, not per funder
    only_ministry = cost_report.build(CostFilters(view="funder", funder="Ministry"))
    assert {r.group for r in only_ministry.rows} == {"Ministry"}
    assert {t.currency: t.planned for t in only_ministry.totals} == {"EUR": D("3500.50"), "XOF": D("150000.00")}


def test_report_filters_by_programme_and_funder(app):
    alpha, beta, _first, _second = two_programmes()
    assert {r.group for r in cost_report.build(CostFilters(programme_id=beta.id)).rows} == {"Beta programme"}
    assert {r.group for r in cost_report.build(CostFilters(funder="Ministry")).rows} == {"Alpha programme"}
    assert cost_report.build(CostFilters(funder="Nobody")).rows == []


def test_the_period_is_the_first_sessions_local_day(app):
    _a, _b, first, second = two_programmes()
    # 09:00 on 1 April in Kiritimati (UTC+14) is 19:00 UTC on 31 March: it counts in April, its local day.
    late = on(date(2030, 4, 1), timezone="Pacific/Kiritimati")
    line(late, "other", "self", "7", "USD")
    march = cost_report.build(CostFilters(date_from=date(2030, 3, 1), date_to=date(2030, 3, 31)))
    assert {t.currency for t in march.totals} == {"EUR", "XOF"}
    april = cost_report.build(CostFilters(date_from=date(2030, 4, 1), date_to=date(2030, 4, 30)))
    assert [(t.currency, t.planned) for t in april.totals] == [("USD", D("7.00"))]
    from_the_20th = cost_report.build(CostFilters(date_from=date(2030, 3, 20)))
    assert {r.group for r in from_the_20th.rows} == {"Beta programme", "No programme"}
    until_the_10th = cost_report.build(CostFilters(date_to=date(2030, 3, 10)))
    assert {r.group for r in until_the_10th.rows} == {"Alpha programme"}


def test_a_period_that_ends_before_it_starts_is_refused(app):
    with pytest.raises(CostError) as refused:
        cost_report.build(CostFilters(date_from=date(2030, 3, 2), date_to=date(2030, 3, 1)))
    assert refused.value.field == "date_to"


def _activities_with_lines(count: int) -> None:
    programmes = [make_programme(funders=["EU", "Ministry"]), make_programme(funders=[])]
    for number in range(count):
        activity = on(date(2030, 5, 1 + number % 28), programme=programmes[number % 2])
        for category in ("travel", "stay"):
            db.session.add(CostLine(activity_id=activity.id, category=CostCategory(category), payer=Payer.MINISTRY,
                                    planned_amount=D("10"), currency="EUR" if number % 3 else "XOF"))
    db.session.commit()


@pytest.mark.parametrize("view", ["programme", "funder"])
def test_the_report_runs_as_many_statements_for_5_as_for_50_activities(app, view):
    filters = CostFilters(date_from=date(2030, 5, 1), date_to=date(2030, 5, 31), view=view)
    _activities_with_lines(5)
    with count_queries() as small:
        few = cost_report.build(filters)
    _activities_with_lines(45)
    with count_queries() as large:
        many = cost_report.build(filters)
    assert small.count == large.count <= 3
    assert sum(t.planned for t in few.totals) == D("100.00")
    assert sum(t.planned for t in many.totals) == D("1000.00")
