"""The trainer's roster: removals told apart from refused requests, and one numbering of the waiting list."""
from sqlalchemy import select

from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.scheduling import services
from elearn.scheduling.models import Registration, RegistrationState
from tests.factories import make_person
from tests.helpers import post_form, text
from tests.scheduling.factories import make_activity

States = RegistrationState


def test_a_removal_is_not_a_refused_request(app):
    activity = make_activity(capacity=1, approval_required=True)
    refused, removed, waiting = (make_person(full_name=name) for name in ("Refused", "Removed", "Waiting"))
    request = services.register(activity.id, refused).registration
    seated = services.register(activity.id, removed).registration
    queued = services.register(activity.id, waiting).registration
    services.decide(request, approve=False, message="Clerks only.")
    services.decide(seated, approve=True)
    services.decide(queued, approve=True)
    assert queued.state == States.WAITLISTED
    services.remove(seated, message="Duplicate booking.")

    db.session.expire_all()
    assert [db.session.get(Registration, r.id).state for r in (request, seated, queued)] == [
        States.DECLINED, States.REMOVED, States.CONFIRMED]  # the removed seat went to the next in line
    assert services.state_label(States.REMOVED) != services.state_label(States.DECLINED)
    assert States.REMOVED not in services.ACTIVE_STATES and services.seats_left(activity) == 0
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == removed.email)
                              .order_by(OutboxMessage.id.desc())).first()
    assert mail.kind == "registration_removed" and mail.subject.startswith("You are no longer registered")
    assert "A trainer has removed you from this activity." in mail.body_text
    assert "Duplicate booking." in mail.body_text


def test_a_pending_request_is_declined_not_removed(app):
    activity = make_activity(approval_required=True)
    request = services.register(activity.id, make_person()).registration
    try:
        services.remove(request)
    except services.SchedulingError as error:
        assert "declined, not removed" in str(error)
    else:
        raise AssertionError("a pending request was removed")
    assert db.session.get(Registration, request.id).state == States.REQUESTED


def test_the_roster_the_exports_and_the_learner_show_the_removal(people, login_as):
    activity = make_activity(title="Study visit", approval_required=True)
    refused = services.register(activity.id, make_person(full_name="Refused Person")).registration
    services.decide(refused, approve=False)
    seated = services.register(activity.id, people["learner"]).registration
    services.decide(seated, approve=True)
    trainer = login_as("trainer")
    post_form(trainer, f"/manage/registrations/{seated.id}/remove", {"message": "Seats are for clerks."},
              token_from=f"/manage/registrations/{seated.id}/remove")

    roster = text(trainer.get(f"/manage/activities/{activity.id}"))
    assert "<td>removed by a trainer</td>" in roster and "<td>declined</td>" in roster
    assert '<option value="removed" >removed by a trainer</option>' in roster  # the status filter offers it
    only_removed = text(trainer.get(f"/manage/activities/{activity.id}?state=removed"))
    assert people["learner"].full_name in only_removed and "Refused Person" not in only_removed
    csv_text = trainer.get(f"/manage/activities/{activity.id}/participants.csv").get_data().decode("utf-8-sig")
    assert "Refused Person" in csv_text and ",declined," in csv_text
    assert f"{people['learner'].full_name}," in csv_text and ",removed by a trainer," in csv_text

    page = text(login_as("learner").get(f"/activities/{activity.id}"))
    assert "A trainer removed you from this activity: Seats are for clerks." in page


def test_the_roster_and_the_learner_read_the_same_place_in_line(people, login_as):
    activity = make_activity(capacity=1)
    first, ahead, promoted = (make_person(full_name=name) for name in ("First", "Ahead", "Promoted"))
    behind = make_person(full_name="Behind")
    seat = services.register(activity.id, first).registration
    left = services.register(activity.id, ahead).registration        # stored position 1
    services.register(activity.id, promoted)                          # stored position 2
    services.register(activity.id, people["learner"])                 # stored position 3
    services.register(activity.id, behind)                            # stored position 4
    services.withdraw(left)   # a waitlister leaves...
    services.withdraw(seat)   # ...and a seat frees: "Promoted" moves up

    learner_page = text(login_as("learner").get(f"/activities/{activity.id}"))
    assert "You are on the waiting list, position 1." in learner_page
    roster = text(login_as("trainer").get(f"/manage/activities/{activity.id}"))
    assert "on the waiting list (position 1)" in roster and "on the waiting list (position 2)" in roster
    assert "#3" not in roster and "#4" not in roster
    learner_row = roster[roster.index(people["learner"].full_name):]
    assert learner_row.index("(position 1)") < learner_row.index("Behind")
    ranks = services.waitlist_ranks(activity.id)
    waiting = db.session.scalars(select(Registration).where(Registration.state == States.WAITLISTED)
                                 .order_by(Registration.waitlist_position)).all()
    assert [ranks[r.id] for r in waiting] == [services.waitlist_rank(r) for r in waiting] == [1, 2]
