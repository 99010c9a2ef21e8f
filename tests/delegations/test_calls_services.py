"""Calls for applications without HTTP: applying, proposing, deciding, the seat limit, mails and audit rows."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.access import Role
from elearn.audit.models import AuditAction, AuditEvent
from elearn.database import utcnow
from elearn.delegations import calls, selection
from elearn.delegations.calls_models import Application, ApplicationStatus, Call, CallQuestion
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.people.models import PersonKind
from elearn.scheduling.models import Audience, Registration, RegistrationState
from tests import factories
from tests.delegations.calls_factories import answers, applied, candidate, count, open_call
from tests.helpers import frozen_clock


@pytest.fixture
def trainer(app):
    return factories.make_person(Role.TRAINER, email="calls-trainer@example.org")


def test_a_candidate_applies_with_the_answers_of_the_call(trainer):
    call = open_call(trainer=trainer)
    person = candidate()
    application = calls.apply(call, person, answers(call, "Because."))
    assert application.status == ApplicationStatus.SUBMITTED
    assert set(application.answers) == {"motivation", "languages", call.questions[0].key}
    assert application.proposed_by is None


def test_after_the_deadline_nothing_is_saved_and_the_message_says_so(trainer):
    call = open_call(trainer=trainer)
    with frozen_clock(call.deadline + timedelta(minutes=1)):
        with pytest.raises(calls.CallError, match="deadline"):
            calls.apply(call, candidate(), answers(call))
    assert count(Application) == 0


def test_a_second_application_by_the_same_person_is_refused(trainer):
    call = open_call(trainer=trainer)
    person = candidate()
    applied(call, person)
    with pytest.raises(calls.CallError, match="already applied"):
        applied(call, person)
    assert count(Application) == 1


def test_an_unanswered_question_names_its_field(trainer):
    call = open_call(trainer=trainer)
    given = answers(call)
    given["motivation"] = "  "
    with pytest.raises(calls.CallError) as refused:
        calls.apply(call, candidate(), given)
    assert refused.value.field == "motivation"
    assert count(Application) == 0


def test_a_question_of_another_call_is_refused(trainer):
    call, other = open_call(trainer=trainer), open_call(trainer=trainer, custom=("Another?",))
    given = answers(call)
    given[other.questions[0].key] = "Smuggled"
    with pytest.raises(calls.CallError) as refused:
        calls.apply(call, candidate(), given)
    assert refused.value.field == other.questions[0].key
    assert count(Application) == 0


def test_audience_and_invited_parliaments_decide_who_may_apply(trainer):
    invited = factories.make_parliament()
    call = open_call(trainer=trainer, audience=Audience.MPS, invited_parliament_ids=(invited.id,))
    assert "members of parliament" in calls.application_problem(call, candidate(invited))
    assert "not invited" in calls.application_problem(call, candidate(kind=PersonKind.MP))
    assert calls.application_problem(call, candidate(invited, kind=PersonKind.MP)) is None


def test_a_focal_point_proposes_only_people_of_their_parliament(trainer):
    call = open_call(trainer=trainer)
    focal = factories.make_person(Role.FOCAL_POINT)
    colleague, stranger = candidate(focal.parliament), candidate()
    application = calls.apply(call, colleague, answers(call), proposed_by=focal)
    assert application.proposed_by_id == focal.id
    with pytest.raises(calls.CallError, match="own parliament"):
        calls.apply(call, stranger, answers(call), proposed_by=focal)
    learner = candidate(focal.parliament)
    with pytest.raises(calls.CallError, match="focal point"):
        calls.apply(call, candidate(focal.parliament), answers(call), proposed_by=learner)


def test_a_call_keeps_the_answers_key_of_an_unchanged_question(trainer):
    call = open_call(trainer=trainer, custom=("Kept?", "Dropped?"))
    kept_id = call.questions[0].id
    data = calls.CallInput(opens_at=call.opens_at, deadline=call.deadline, custom_questions=("Kept?", "New?"))
    calls.save_call(call.activity, data, calls.TargetInput(), actor=trainer)
    assert [(q.text, q.id == kept_id) for q in call.questions] == [("Kept?", True), ("New?", False)]
    assert count(CallQuestion) == 2


def test_a_deadline_before_the_opening_or_after_the_start_is_refused(trainer):
    call = open_call(trainer=trainer)
    for opens, deadline in ((call.deadline, call.opens_at), (call.opens_at, call.activity.starts_at + timedelta(1))):
        with pytest.raises(calls.CallError) as refused:
            calls.save_call(call.activity, calls.CallInput(opens_at=opens, deadline=deadline), calls.TargetInput(),
                            actor=trainer)
        assert refused.value.field == "deadline"
    assert db.session.get(Call, call.id).deadline > call.opens_at


def test_selecting_confirms_a_registration_audits_and_mails_in_the_candidates_language(trainer):
    call = open_call(trainer=trainer)
    focal = factories.make_person(Role.FOCAL_POINT)
    person = candidate(focal.parliament, language="fr")
    application = applied(call, person, proposed_by=focal)
    selection.decide(application, ApplicationStatus.SELECTED, actor=trainer)
    application = db.session.get(Application, application.id)
    registration = application.registration
    assert registration.state == RegistrationState.CONFIRMED and registration.person_id == person.id
    assert registration.nominated_by_id == focal.id
    assert application.decided_by_id == trainer.id and application.decided_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.APPLICATION_SELECTED))
    assert event.object_id == application.id and event.actor_id == trainer.id
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == person.email))
    assert mail.kind == "application_selected"
    assert "Vous êtes retenu" in mail.subject
    assert mail.attachments  # the calendar invitation of the activity


def test_selecting_someone_already_registered_confirms_their_registration(trainer):
    call = open_call(trainer=trainer)
    person = candidate()
    waiting = Registration(activity=call.activity, person=person, state=RegistrationState.REQUESTED)
    db.session.add(waiting)
    db.session.commit()
    selection.decide(applied(call, person), ApplicationStatus.SELECTED, actor=trainer)
    assert count(Registration) == 1
    assert db.session.get(Registration, waiting.id).state == RegistrationState.CONFIRMED


def test_selecting_more_people_than_seats_is_refused_and_nothing_saved(trainer):
    call = open_call(trainer=trainer, capacity=1)
    first, second = applied(call, candidate()), applied(call, candidate())
    selection.decide(first, ApplicationStatus.SELECTED, actor=trainer)
    with pytest.raises(calls.CallError, match="seats are taken") as refused:
        selection.decide(second, ApplicationStatus.SELECTED, actor=trainer)
    assert refused.value.field == "decision"
    assert db.session.get(Application, second.id).status == ApplicationStatus.SUBMITTED
    assert count(Registration) == 1
    assert count(OutboxMessage) == 1


def test_declining_needs_a_reason_which_the_candidate_reads(trainer):
    call = open_call(trainer=trainer)
    application = applied(call, candidate(language="en"))
    with pytest.raises(calls.CallError) as refused:
        selection.decide(application, ApplicationStatus.DECLINED, "  ", actor=trainer)
    assert refused.value.field == "reason"
    assert count(OutboxMessage) == 0 and count(AuditEvent) == 1  # only the call's own
    selection.decide(application, ApplicationStatus.DECLINED, "Profile does not match.", actor=trainer)
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.kind == "application_declined" and "Profile does not match." in mail.body_text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.APPLICATION_DECLINED))


def test_waitlisting_a_selected_candidate_frees_the_seat(trainer):
    call = open_call(trainer=trainer, capacity=1)
    first, second = applied(call, candidate()), applied(call, candidate())
    selection.decide(first, ApplicationStatus.SELECTED, actor=trainer)
    selection.decide(db.session.get(Application, first.id), ApplicationStatus.WAITLISTED, actor=trainer)
    assert db.session.get(Application, first.id).registration.state == RegistrationState.REMOVED
    selection.decide(second, ApplicationStatus.SELECTED, actor=trainer)
    assert db.session.get(Application, second.id).status == ApplicationStatus.SELECTED
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.APPLICATION_WAITLISTED))


def test_the_same_decision_twice_and_a_withdrawn_application_are_refused(trainer):
    call = open_call(trainer=trainer)
    application = applied(call, candidate())
    selection.decide(application, ApplicationStatus.WAITLISTED, actor=trainer)
    with pytest.raises(calls.CallError, match="already"):
        selection.decide(db.session.get(Application, application.id), ApplicationStatus.WAITLISTED, actor=trainer)
    calls.withdraw(db.session.get(Application, application.id))
    with pytest.raises(calls.CallError, match="withdrawn"):
        selection.decide(db.session.get(Application, application.id), ApplicationStatus.SELECTED, actor=trainer)
    assert count(Registration) == 0


def test_a_call_not_yet_open_refuses_applications(trainer):
    call = open_call(trainer=trainer)
    call.opens_at = utcnow() + timedelta(days=1)
    db.session.commit()
    with pytest.raises(calls.CallError, match="open on"):
        applied(call, candidate())


def test_no_decision_once_the_activity_is_over(trainer):
    from elearn.scheduling import services as scheduling
    from elearn.scheduling.models import ActivityStatus

    call = open_call(trainer=trainer)
    application = applied(call, candidate())
    scheduling.set_status(call.activity, ActivityStatus.COMPLETED)
    with pytest.raises(calls.CallError, match="over"):
        selection.decide(application, ApplicationStatus.SELECTED, actor=trainer)
    assert count(Registration) == 0
