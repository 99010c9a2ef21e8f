"""A participant reaches the questionnaire from the activity page while it is open to them, not only by mail."""
from __future__ import annotations

from datetime import timedelta

from tests import factories
from tests.evaluation.questionnaire_fixtures import activity_with_attendees, every_kind
from tests.evaluation.test_questionnaires_views import _answer_form, _client
from tests.helpers import frozen_clock, post_form, text


def test_the_activity_page_links_to_the_open_questionnaire_until_answered(app, people):
    questionnaire = every_kind()
    learner, other = people["learner"], factories.make_person(email="other-reach@example.org")
    activity = activity_with_attendees(questionnaire, (learner,))
    page, answer = f"/activities/{activity.id}", f"/evaluations/activities/{activity.id}"
    with frozen_clock(activity.ends_at - timedelta(hours=1)):
        assert f'href="{answer}"' not in text(_client(app, learner).get(page))  # not open yet
    with frozen_clock(activity.ends_at + timedelta(days=1)):
        client = _client(app, learner)
        assert f'href="{answer}"' in text(client.get(page))
        assert f'href="{answer}"' not in text(_client(app, other).get(page))  # did not attend
        assert post_form(client, answer, _answer_form(questionnaire, activity), token_from=answer).status_code == 302
        assert f'href="{answer}"' not in text(client.get(page))
