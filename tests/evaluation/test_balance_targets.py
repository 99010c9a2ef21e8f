"""The opposition target set in one place (programme and activity forms), and read by the selection balance."""
from __future__ import annotations

from sqlalchemy import inspect

from elearn.access import Role
from elearn.delegations import balance as balances
from elearn.delegations import calls
from elearn.delegations.calls_models import SelectionTarget
from elearn.demo.balance import OPPOSITION_TARGET, WEST_AFRICA, seed_balance
from elearn.extensions import db
from elearn.scheduling.models import Activity, Programme
from tests import factories
from tests.delegations.calls_factories import open_call
from tests.helpers import post_form, text
from tests.scheduling.factories import make_activity, make_programme

PROGRAMME_FORM = {"title": "West Africa", "slug": "west", "kind": "bilateral", "status": "planned"}
ACTIVITY_FORM = {"title": "Seminar", "modality": "seminar", "languages": ["en"], "audience": "both",
                 "timezone": "Europe/Paris", "capacity": "5", "programme_id": "", "host_parliament_id": "",
                 "sessions-0-start_date": "2027-03-02", "sessions-0-start_time": "09:00",
                 "sessions-0-end_time": "12:00"}


def test_the_programme_form_sets_the_target_and_refuses_a_share_over_100(people, login_as):
    client = login_as("trainer")
    url = "/manage/programmes/new"
    refused = post_form(client, url, {**PROGRAMME_FORM, "opposition_target_percent": "140"}, token_from=url)
    assert refused.status_code == 200 and db.session.query(Programme).count() == 0
    assert post_form(client, url, {**PROGRAMME_FORM, "opposition_target_percent": "30"},
                     token_from=url).status_code == 302
    programme = db.session.query(Programme).one()
    assert programme.opposition_target_percent == 30
    assert 'value="30"' in text(client.get(f"/manage/programmes/{programme.id}"))


def test_the_activity_form_sets_its_own_target(people, login_as):
    activity = make_activity()
    client = login_as("trainer")
    url = f"/manage/activities/{activity.id}/edit"
    assert 'name="opposition_target_percent"' in text(client.get(url))
    assert post_form(client, url, {**ACTIVITY_FORM, "opposition_target_percent": "101"}).status_code == 200
    assert post_form(client, url, {**ACTIVITY_FORM, "opposition_target_percent": "25"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).opposition_target_percent == 25


def test_the_selection_reads_the_programmes_target_unless_the_activity_sets_one(app):
    trainer = factories.make_person(Role.TRAINER)
    programme = make_programme(opposition_target_percent=30)
    call = open_call(trainer=trainer, programme=programme)
    assert balances.target_for(call.activity).opposition_min_percent == 30
    call.activity.opposition_target_percent = 45
    db.session.commit()
    assert balances.target_for(call.activity).opposition_min_percent == 45


def test_the_call_form_writes_the_activitys_own_target_and_no_selection_row(app):
    call = open_call(target=calls.TargetInput(opposition_min_percent=40))
    assert call.activity.opposition_target_percent == 40
    assert db.session.query(SelectionTarget).count() == 0  # nothing else set: no row
    assert "opposition_min_percent" not in {c["name"] for c in inspect(db.engine).get_columns("selection_target")}
    programme = make_programme()
    calls.save_programme_target(programme, calls.TargetInput(women_min_percent=40, opposition_min_percent=20))
    assert programme.opposition_target_percent == 20
    assert db.session.query(SelectionTarget).one().women_min_percent == 40


def test_the_demo_sets_30_percent_on_the_west_african_programme_once(app):
    seed_balance()  # no programme yet: nothing to do
    programme = make_programme(slug=WEST_AFRICA)
    seed_balance()
    assert programme.opposition_target_percent == OPPOSITION_TARGET
    programme.opposition_target_percent = 35  # a trainer's change is kept
    db.session.commit()
    seed_balance()
    assert db.session.get(Programme, programme.id).opposition_target_percent == 35
