"""Terms of reference services: versions, sanitising, dates, the agreement's rules, mails."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.missions import terms as service
from elearn.missions.terms_models import TermsOfReference, TermsVersion
from elearn.scheduling.models import Modality
from tests import factories
from tests.scheduling.factories import make_activity


@pytest.fixture
def mission(people):
    return make_activity(modality=Modality.NEEDS_ASSESSMENT_MISSION, title="Assessment of the library",
                         host_parliament_id=people["focal_point"].parliament_id, trainer_ids=(people["trainer"].id,))


def first_input(**overrides):
    values = dict(objectives="Assess the library", expected_outputs="A report", counterpart_institution="Library",
                  counterpart_contacts="Ms Jallow", body_md="## Scope\n\nThe **library**.")
    values.update(overrides)
    return service.TermsInput(**values)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_each_change_is_a_version_with_who_what_and_when(mission, people):
    first = service.save_terms(mission, first_input(), people["trainer"])
    assert first.terms.version == 1 and first.changed == ["objectives", "expected_outputs",
                                                          "counterpart_institution", "counterpart_contacts", "body_md"]
    second = service.save_terms(mission, first_input(objectives="Assess the library\nand the archives"),
                                people["admin"], base_version=1)
    assert second.terms.version == 2 and second.changed == ["objectives"]
    versions = db.session.scalars(select(TermsVersion).order_by(TermsVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].changed_by_id == people["admin"].id and versions[1].changed_at is not None
    assert versions[1].snapshot["objectives"] == "Assess the library\nand the archives"
    assert versions[0].snapshot["objectives"] == "Assess the library"
    assert second.terms.updated_by_id == people["admin"].id


def test_a_save_that_changes_nothing_writes_nothing(mission, people):
    service.save_terms(mission, first_input(), people["trainer"])
    before = (count(TermsVersion), count(OutboxMessage))
    # The same text as a browser sends it back: Windows line breaks, spaces around.
    result = service.save_terms(mission, first_input(body_md="  ## Scope\r\n\r\nThe **library**.  ",
                                                     counterpart_institution=" Library "), people["admin"])
    assert result.changed == [] and result.terms.version == 1
    assert (count(TermsVersion), count(OutboxMessage)) == before
    assert db.session.get(TermsOfReference, result.terms.id).updated_by_id == people["trainer"].id
    # Nothing at all on a first save of empty terms.
    other = make_activity(modality=Modality.INFORMATION_MISSION)
    assert service.save_terms(other, service.TermsInput(), people["admin"]).terms is None
    assert count(TermsOfReference) == 1


def test_the_body_is_sanitised(mission, people):
    result = service.save_terms(mission, first_input(
        body_md="Hi <script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>"),
        people["trainer"])
    html = result.terms.body_html
    assert "<script" not in html and "href=\"javascript" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text, never run
    assert result.terms.body_md.startswith("Hi <script>")  # the source is kept as written


def test_dates_end_after_start_and_a_warning_outside_the_mission(mission, people):
    with pytest.raises(service.TermsError) as refused:
        service.save_terms(mission, first_input(starts_on=date(2030, 5, 2), ends_on=date(2030, 5, 1)),
                           people["trainer"])
    assert refused.value.field == "ends_on" and count(TermsOfReference) == 0
    first, last = service.mission_dates(mission)
    inside = service.save_terms(mission, first_input(starts_on=first, ends_on=last), people["trainer"])
    assert inside.warnings == []
    around = service.save_terms(mission, first_input(starts_on=first - timedelta(days=10), ends_on=last),
                                people["trainer"])
    assert around.terms.version == 2 and len(around.warnings) == 1


def test_a_stale_edit_and_a_non_mission_are_refused(mission, people):
    service.save_terms(mission, first_input(), people["trainer"])
    service.save_terms(mission, first_input(objectives="Newer"), people["admin"], base_version=1)
    with pytest.raises(service.TermsError):
        service.save_terms(mission, first_input(objectives="Over it"), people["trainer"], base_version=1)
    with pytest.raises(service.TermsError):
        service.save_terms(make_activity(), first_input(), people["trainer"])
    with pytest.raises(service.TermsError):
        service.save_terms(mission, first_input(counterpart_institution="x" * 201), people["trainer"])


def test_the_partners_focal_point_agrees_to_the_current_version_and_it_is_audited(mission, people):
    service.save_terms(mission, first_input(), people["trainer"])
    terms = service.agree(mission, people["focal_point"], 1)
    assert (terms.agreed_version, terms.agreed_by_id) == (1, people["focal_point"].id) and terms.agreed_is_current
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.TERMS_AGREED))
    assert event.actor_id == people["focal_point"].id and event.details == {"activity_id": mission.id, "version": 1}
    with pytest.raises(service.TermsError):
        service.agree(mission, people["focal_point"], 1)  # already agreed: no second row
    assert count(AuditEvent) == 1
    # A later edit leaves the agreement on the old version.
    service.save_terms(mission, first_input(objectives="Changed"), people["trainer"])
    terms = db.session.get(TermsOfReference, terms.id)
    assert (terms.version, terms.agreed_version, terms.agreed_is_current) == (2, 1, False)


def test_only_the_host_parliaments_focal_point_may_agree_and_only_to_what_they_saw(mission, people):
    service.save_terms(mission, first_input(), people["trainer"])
    service.save_terms(mission, first_input(objectives="Second"), people["trainer"])
    foreign = factories.make_person(Role.FOCAL_POINT, parliament=factories.make_parliament(country_code="DP"))
    for person in (foreign, people["learner"], people["trainer"], people["admin"]):
        with pytest.raises(service.TermsError):
            service.agree(mission, person, 2)
    with pytest.raises(service.TermsError) as stale:
        service.agree(mission, people["focal_point"], 1)
    assert "version 2" in str(stale.value)
    assert service.terms_for(mission).agreed_version is None and count(AuditEvent) == 0


def test_the_focal_point_is_told_of_each_version_and_the_managers_of_the_agreement(mission, people):
    factories.make_person(Role.FOCAL_POINT, parliament=factories.make_parliament(country_code="DP"),
                          email="other-focal@example.org")
    service.save_terms(mission, first_input(), people["trainer"])
    service.save_terms(mission, first_input(objectives="Second"), people["trainer"])
    ready = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "terms_ready")).all()
    assert [m.to_address for m in ready] == [people["focal_point"].email] * 2
    assert "Assessment of the library" in ready[0].subject and "Objectives" in ready[1].body_text
    service.agree(mission, people["focal_point"], 2)
    agreed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "terms_agreed")).all()
    assert [m.to_address for m in agreed] == [people["trainer"].email]
    assert people["focal_point"].full_name in agreed[0].body_text


def test_mails_go_in_the_recipients_language(mission, people):
    people["focal_point"].preferred_language = "fr"
    db.session.commit()
    service.save_terms(mission, first_input(), people["trainer"])
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "terms_ready"))
    assert message.subject.startswith("Termes de référence")


def test_a_focal_point_sees_what_awaits_their_agreement(mission, people):
    assert service.awaiting_agreement(people["focal_point"]) == []
    service.save_terms(mission, first_input(), people["trainer"])
    assert [a.id for a, _t in service.awaiting_agreement(people["focal_point"])] == [mission.id]
    assert service.awaiting_agreement(people["learner"]) == []
    service.agree(mission, people["focal_point"], 1)
    assert service.awaiting_agreement(people["focal_point"]) == []
