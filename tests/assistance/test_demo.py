"""The demo's remote assistance: one question overdue, one answered and published, one open; seeded once."""
from sqlalchemy import func, select

from elearn.assistance import queries
from elearn.assistance.models import AssistanceQuestion, QuestionStatus
from elearn.demo.assistance import OPEN, OVERDUE, PUBLISHED
from elearn.extensions import db
from elearn.library.models import LibraryResource, ResourceKind
from tests.helpers import sign_in


def test_the_demo_has_an_overdue_a_published_and_an_open_question(app, runner):
    for _ in range(2):
        result = runner.invoke(args=["demo", "seed", "--no-courses"])
        assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(AssistanceQuestion.id))) == 3
    by_title = {q.title: q for q in db.session.scalars(select(AssistanceQuestion))}
    overdue = by_title[OVERDUE]
    assert queries.is_overdue(overdue) and overdue.expert is not None and overdue.expert.parliament.gives_assistance
    published = by_title[PUBLISHED]
    assert published.status == QuestionStatus.ANSWERED and published.messages
    resource = db.session.get(LibraryResource, published.resource_id)
    assert resource.kind == ResourceKind.ANSWER and "staff@example.org" not in resource.body
    assert "Sonam" not in resource.body
    assert by_title[OPEN].status == QuestionStatus.OPEN and by_title[OPEN].expert_id is None
    client = app.test_client()
    sign_in(client, "trainer@example.org", "demo-lectern-2026")
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert OVERDUE in dashboard and "badge-overdue" in dashboard  # whatever the demo trainer's language
    focal = app.test_client()
    sign_in(focal, "focal@example.org", "demo-bridge-2026")
    mine = focal.get("/assistance").get_data(as_text=True)
    assert OVERDUE in mine and OPEN in mine and PUBLISHED not in mine  # Sonam Clerk is of another parliament
