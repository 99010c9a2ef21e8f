"""Action plans after an activity: commitments, reviews, the dashboard, and the parliament's own view."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from elearn.cooperation import services
from elearn.cooperation.models import (
    ActionPlan,
    Commitment,
    CommitmentOwner,
    CommitmentStatus,
    RequestStatus,
    Review,
)
from elearn.database import utcnow
from elearn.extensions import db
from elearn.people.models import Gender
from elearn.scheduling.models import ActivityStatus, AttendanceStatus
from tests import factories
from tests.cooperation.factories import make_plan, make_request
from tests.helpers import post_form, text
from tests.people import submit
from tests.reports.factories import attend, make_held_activity
from tests.scheduling.factories import make_activity, make_programme


@pytest.fixture
def held(people):
    """A workshop last month at which the Gambian learner was present."""
    start = datetime.combine(utcnow().date() - timedelta(days=30), datetime.min.time()).replace(hour=9)
    activity = make_held_activity([(start, start.replace(hour=16))], title="Workshop on oversight",
                                  timezone="UTC")
    attend(activity, people["learner"], AttendanceStatus.PRESENT)
    return activity


@pytest.fixture
def other_plan(held):
    other = factories.make_parliament(name_en="Other Assembly")
    return make_plan(held, other, agreed_on=utcnow().date() - timedelta(days=100))


def test_a_trainer_records_an_action_plan_with_commitments_and_reviews(people, login_as, held):
    trainer = login_as("trainer")
    overview = text(trainer.get(f"/manage/activities/{held.id}"))
    assert f"/manage/cooperation/activities/{held.id}/action-plans" in overview
    path = f"/manage/cooperation/activities/{held.id}/action-plans"
    page = text(trainer.get(path))
    assert "National Assembly of The Gambia" in page
    response = submit(trainer, path, {
        "agreed_on": "2026-03-15", "summary": "Agreed at the closing session.",
        "commitments-0-description": "Adopt rules for hearings", "commitments-0-owner": "partner",
        "commitments-0-responsible": "Clerk", "commitments-0-due_on": "2026-06-30",
        "commitments-1-description": "Send model rules", "commitments-1-owner": "assisting",
        "commitments-1-due_on": "2026-04-15", "review_months": ["3", "12"]}, follow_redirects=True)
    assert "The action plan is saved" in text(response)
    plan = db.session.scalar(select(ActionPlan))
    assert (plan.parliament_id, plan.agreed_on, plan.created_by_id) == (
        people["learner"].parliament_id, date(2026, 3, 15), people["trainer"].id)
    assert [(c.description, c.owner, c.responsible, c.due_on, c.status) for c in plan.commitments] == [
        ("Send model rules", CommitmentOwner.ASSISTING, "", date(2026, 4, 15), CommitmentStatus.PLANNED),
        ("Adopt rules for hearings", CommitmentOwner.PARTNER, "Clerk", date(2026, 6, 30), CommitmentStatus.PLANNED)]
    assert [r.due_on for r in plan.reviews] == [date(2026, 6, 15), date(2027, 3, 15)]
    again = text(submit(trainer, path, {"commitments-0-description": "Twice"}))
    assert "This parliament already has an action plan for this activity." in again


def test_a_commitment_needs_a_due_date(people, login_as, held):
    trainer = login_as("trainer")
    page = text(submit(trainer, f"/manage/cooperation/activities/{held.id}/action-plans",
                       {"commitments-0-description": "Undated promise"}))
    assert "Give each commitment a due date." in page
    assert db.session.scalar(select(func.count(ActionPlan.id))) == 0


def test_the_focal_point_reports_progress_on_their_parliaments_commitments(people, login_as, held):
    plan = make_plan(held, people["learner"].parliament)
    commitment = plan.commitments[0]
    focal = login_as("focal_point")
    path = f"/cooperation/action-plans/{plan.id}"
    assert "Send the model rules of procedure" in text(focal.get(path))
    response = submit(focal, path, {f"c{commitment.id}-status": "in_progress",
                                    f"c{commitment.id}-progress_note": "Draft received and translated."},
                      action=f"/cooperation/commitments/{commitment.id}", follow_redirects=True)
    assert "The progress is saved." in text(response)
    assert (commitment.status, commitment.progress_note, commitment.updated_by_id) == (
        CommitmentStatus.IN_PROGRESS, "Draft received and translated.", people["focal_point"].id)
    trainer_view = text(login_as("trainer").get(path))
    assert "Draft received and translated." in trainer_view and "Fatou" not in trainer_view
    assert "Add a commitment" in trainer_view and "Add a commitment" not in text(response)


def test_a_focal_point_sees_nothing_of_another_parliaments_follow_up(people, login_as, other_plan):
    focal = login_as("focal_point")
    commitment = other_plan.commitments[0]
    assert focal.get(f"/cooperation/action-plans/{other_plan.id}").status_code == 404
    response = post_form(focal, f"/cooperation/commitments/{commitment.id}",
                         {f"c{commitment.id}-status": "dropped", f"c{commitment.id}-progress_note": "tampered"})
    assert response.status_code == 404
    assert (commitment.status, commitment.progress_note) == (CommitmentStatus.PLANNED, "")
    assert focal.get(f"/cooperation/parliaments/{other_plan.parliament_id}").status_code == 404
    follow_up = text(focal.get("/cooperation/follow-up"))
    assert "Other Assembly" not in follow_up and "No action plan yet." in follow_up
    assert "Other Assembly" not in text(focal.get("/dashboard"))
    assert focal.post(f"/manage/cooperation/action-plans/{other_plan.id}/commitments").status_code in (400, 403)


def test_overdue_commitments_and_due_reviews_are_on_the_trainers_dashboard(people, login_as, held, other_plan):
    ours = make_plan(held, people["learner"].parliament, agreed_on=utcnow().date() - timedelta(days=85),
                     review_months=(3,))
    services.update_commitment(ours.commitments[1], CommitmentStatus.DONE, "Done early.", people["trainer"])
    board = text(login_as("trainer").get("/dashboard"))
    assert "Cooperation follow-up" in board
    assert board.count("overdue</span>") >= 2  # the other plan's commitments are past due
    assert "Other Assembly" in board and "Reviews due within two weeks or overdue" in board
    focal_board = text(login_as("focal_point").get("/dashboard"))
    assert "Other Assembly" not in focal_board and "National Assembly of The Gambia" in focal_board
    assert "Cooperation follow-up" not in text(login_as("learner").get("/dashboard"))


def test_a_trainer_writes_a_review_and_schedules_another(people, login_as, held):
    plan = make_plan(held, people["learner"].parliament, agreed_on=utcnow().date() - timedelta(days=100))
    review = plan.reviews[0]
    trainer = login_as("trainer")
    path = f"/manage/cooperation/reviews/{review.id}"
    assert "Where the commitments stand" in text(trainer.get(path))
    tomorrow = (utcnow().date() + timedelta(days=1)).isoformat()
    assert "A review cannot be held in the future." in text(
        submit(trainer, path, {"held_on": tomorrow, "notes": "Too early"}))
    assert "This field is required." in text(submit(trainer, path, {"notes": ""}))
    response = submit(trainer, path, {"notes": "Rules drafted; website not started."}, follow_redirects=True)
    assert "The review is saved." in text(response) and "Rules drafted; website not started." in text(response)
    assert db.session.get(Review, review.id).held_on == utcnow().date()
    next_review = (utcnow().date() + timedelta(days=40)).isoformat()
    submit(trainer, f"/cooperation/action-plans/{plan.id}", {"review_due_on": next_review},
           action=f"/manage/cooperation/action-plans/{plan.id}/reviews")
    submit(trainer, f"/cooperation/action-plans/{plan.id}", {
        "description": "Train two more clerks", "owner": "assisting", "due_on": next_review},
        action=f"/manage/cooperation/action-plans/{plan.id}/commitments")
    assert [r.due_on.isoformat() for r in plan.reviews][-1] == next_review
    assert db.session.scalar(select(Commitment).where(Commitment.description == "Train two more clerks"))


def test_the_parliament_page_gathers_requests_programmes_activities_participants_and_commitments(
        people, login_as, held):
    gambia = people["learner"].parliament
    programme = make_programme(title="Gambia bilateral", funders=["Foreign ministry"])
    programme.partners = [gambia]
    db.session.commit()
    make_request(people["focal_point"], title="Help with committee reports")
    make_plan(held, gambia)
    colleague = factories.make_person(full_name="Colleague", parliament=gambia, gender=Gender.WOMAN)
    attend(held, colleague, AttendanceStatus.PRESENT)
    for role in ("focal_point", "trainer"):
        page = text(login_as(role).get(f"/cooperation/parliaments/{gambia.id}"))
        assert "Help with committee reports" in page and "Gambia bilateral" in page
        assert "Workshop on oversight" in page and "Send the model rules of procedure" in page
        year = str(held.starts_at.year)
        assert f'<th scope="row">{year}</th>' in page and "<svg" in page
        row = page.split(f'<th scope="row">{year}</th>')[1].split("</tr>")[0]
        assert [cell.strip() for cell in row.replace("<td>", "").split("</td>")[:5]] == ["1", "2", "2", "1", "14"]
    partners = text(login_as("trainer").get("/manage/cooperation/parliaments"))
    assert "National Assembly of The Gambia" in partners


def test_a_focal_point_sees_no_draft_on_the_parliament_page_and_cancelled_ones_are_labelled(people, login_as):
    gambia = people["focal_point"].parliament
    for title, status in (("Seminar being prepared", ActivityStatus.DRAFT),
                          ("Visit called off", ActivityStatus.CANCELLED),
                          ("Workshop going ahead", ActivityStatus.PUBLISHED)):
        make_activity(title=title, status=status, invited_parliament_ids=(gambia.id,))

    def row(page: str, title: str) -> str:
        return page.split(title)[1].split("</tr>")[0]

    focal = text(login_as("focal_point").get(f"/cooperation/parliaments/{gambia.id}"))
    assert "Seminar being prepared" not in focal
    assert "Cancelled" in row(focal, "Visit called off")
    assert "Cancelled" not in row(focal, "Workshop going ahead") and "Draft" not in focal
    trainer = text(login_as("trainer").get(f"/cooperation/parliaments/{gambia.id}"))
    assert "Draft" in row(trainer, "Seminar being prepared")
    assert "Cancelled" in row(trainer, "Visit called off")


def test_a_focal_point_sees_no_draft_among_the_activities_answering_a_request(people, login_as):
    needs_request = make_request(people["focal_point"], title="Hearings")
    services.change_status(needs_request, RequestStatus.UNDER_ASSESSMENT, actor=people["trainer"])
    draft = make_activity(title="Mission being prepared", status=ActivityStatus.DRAFT)
    cancelled = make_activity(title="Workshop called off", status=ActivityStatus.CANCELLED)
    services.link_request(needs_request, programme_id=None, activity_ids=(draft.id, cancelled.id))
    path = f"/cooperation/requests/{needs_request.id}"

    focal = text(login_as("focal_point").get(path))
    assert "Mission being prepared" not in focal
    assert "Cancelled" in focal.split("Workshop called off")[1].split("</li>")[0]
    trainer = text(login_as("trainer").get(path))
    assert "Draft" in trainer.split("Mission being prepared")[1].split("</li>")[0]
