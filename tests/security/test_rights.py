"""Reactivating an account and moving someone to another parliament are treated like role changes:
a recently typed password, an audit row, and the person's open sessions signed out."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import Person
from tests import factories
from tests.helpers import csrf_token, frozen_clock, sign_in, text
from tests.people import signed_in_as, submit

STALE = timedelta(minutes=20)


def audit_rows(action: AuditAction) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def set_active(client, person: Person, active: bool, **extra):
    form = {"csrf_token": csrf_token(client, f"/admin/people/{person.id}"), "active": "1" if active else "0", **extra}
    return client.post(f"/admin/people/{person.id}/active", data=form, follow_redirects=True)


@pytest.fixture
def stale_admin(app, people):
    """An administrator's session whose password was typed 20 minutes ago; use inside `frozen_clock(later)`."""
    start = utcnow()
    client = app.test_client()
    with frozen_clock(start):
        assert sign_in(client, people["admin"].email, factories.PASSWORD).status_code == 302
    return client, start + STALE


def test_a_stale_session_cannot_reactivate_an_account_above_learner(stale_admin, people):
    admin, later = stale_admin
    trainer = people["trainer"]
    trainer.is_active = False
    db.session.commit()
    with frozen_clock(later):
        assert "Reactivating an account above learner gives its rights back" in text(admin.get(
            f"/admin/people/{trainer.id}"))

        refused = set_active(admin, trainer, True)
        assert "To reactivate an account above learner, type your own password" in text(refused)
        wrong = set_active(admin, trainer, True, your_password="not mine at all")
        assert "To reactivate an account above learner" in text(wrong)
        assert db.session.get(Person, trainer.id).is_active is False
        assert audit_rows(AuditAction.ACCOUNT_ACTIVATED) == []
        assert [row.object_id for row in audit_rows(AuditAction.LOGIN_FAILED)] == [people["admin"].id]

        accepted = set_active(admin, trainer, True, your_password=factories.PASSWORD)
        assert f"{trainer.full_name} is reactivated." in text(accepted)
    assert db.session.get(Person, trainer.id).is_active is True
    [row] = audit_rows(AuditAction.ACCOUNT_ACTIVATED)
    assert (row.actor_id, row.object_id, row.details) == (people["admin"].id, trainer.id, {"role": "trainer"})


def test_a_stale_session_may_still_deactivate_anyone_and_reactivate_a_learner(stale_admin, people):
    admin, later = stale_admin
    with frozen_clock(later):
        set_active(admin, people["trainer"], False)
        set_active(admin, people["learner"], False)
        set_active(admin, people["learner"], True)
    assert db.session.get(Person, people["trainer"].id).is_active is False
    assert db.session.get(Person, people["learner"].id).is_active is True
    assert [row.object_id for row in audit_rows(AuditAction.ACCOUNT_DEACTIVATED)] == [
        people["trainer"].id, people["learner"].id]
    assert [row.object_id for row in audit_rows(AuditAction.ACCOUNT_ACTIVATED)] == [people["learner"].id]


def test_a_session_from_before_deactivation_stays_dead_after_reactivation(app, admin_client, login_as, people):
    trainer_client = login_as("trainer")
    set_active(admin_client, people["trainer"], False)
    set_active(admin_client, people["trainer"], True)

    assert signed_in_as(trainer_client) is None


def test_a_stale_session_cannot_move_a_focal_point_to_another_parliament(stale_admin, people):
    admin, later = stale_admin
    focal = people["focal_point"]
    home = focal.parliament
    other = factories.make_parliament(name_en="Parliament of Malawi")
    with frozen_clock(later):
        refused = submit(admin, f"/admin/people/{focal.id}", {"parliament_id": str(other.id)})
        assert refused.status_code == 200
        assert "the parliament of someone above learner, type your own password" in text(refused)
        assert db.session.get(Person, focal.id).parliament_id == home.id
        assert audit_rows(AuditAction.PARLIAMENT_CHANGED) == []

        saved = submit(admin, f"/admin/people/{focal.id}", {"parliament_id": str(other.id),
                                                            "your_password": factories.PASSWORD})
        assert saved.status_code == 302
    assert db.session.get(Person, focal.id).parliament_id == other.id
    [row] = audit_rows(AuditAction.PARLIAMENT_CHANGED)
    assert (row.actor_id, row.object_id) == (people["admin"].id, focal.id)
    assert row.details == {"from": home.id, "to": other.id, "from_name": home.name_en, "to_name": "Parliament of Malawi"}


def test_a_moved_focal_points_open_session_does_not_gain_the_new_parliament(app, admin_client, login_as, people):
    focal = people["focal_point"]
    other = factories.make_parliament(name_en="Parliament of Malawi")
    focal_client = login_as("focal_point")
    assert focal_client.get(f"/cooperation/parliaments/{other.id}").status_code == 404

    assert submit(admin_client, f"/admin/people/{focal.id}", {"parliament_id": str(other.id)}).status_code == 302

    assert signed_in_as(focal_client) is None
    assert focal_client.get(f"/cooperation/parliaments/{other.id}").status_code == 302  # to the sign-in page
    page = text(admin_client.get("/admin/audit/?action=parliament_changed"))
    assert "Parliament changed" in page and "from National Assembly of The Gambia to Parliament of Malawi" in page


def test_moving_a_learner_needs_no_password_but_is_audited(stale_admin, people):
    admin, later = stale_admin
    learner = people["learner"]
    other = factories.make_parliament(name_en="Parliament of Malawi")
    learner_client = admin.application.test_client()
    with frozen_clock(later):
        sign_in(learner_client, learner.email, factories.PASSWORD)
        assert submit(admin, f"/admin/people/{learner.id}", {"parliament_id": str(other.id)}).status_code == 302
        assert signed_in_as(learner_client) == learner.full_name  # a learner's rights do not depend on it
    assert db.session.get(Person, learner.id).parliament_id == other.id
    [row] = audit_rows(AuditAction.PARLIAMENT_CHANGED)
    assert row.details["to"] == other.id


def test_making_a_learner_a_focal_point_of_another_parliament_needs_the_password(stale_admin, people):
    admin, later = stale_admin
    learner = people["learner"]
    other = factories.make_parliament(name_en="Parliament of Malawi")
    with frozen_clock(later):
        refused = submit(admin, f"/admin/people/{learner.id}", {"role": "focal_point", "parliament_id": str(other.id)})
    assert "type your own password" in text(refused)
    assert db.session.get(Person, learner.id).role == Role.LEARNER
