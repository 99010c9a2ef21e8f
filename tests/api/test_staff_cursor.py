"""A forged cursor whose values do not fit the list's sort keys is refused, not a server error."""
import base64
import json

import pytest

from elearn.api.scopes import Scope
from tests.api.helpers import api_as
from tests.scheduling.factories import make_activity


@pytest.mark.parametrize("raw", [["abc"], [2 ** 70], [{"t": "2026-01-01T00:00:00+00:00"}]])
def test_a_cursor_of_the_wrong_kind_is_refused(app, people, raw):
    activity = make_activity()
    cursor = base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")
    api = api_as(app, people["trainer"], Scope.READ_REPORTS)
    response = api.get(f"/api/v1/activities/{activity.id}/roster", query_string={"cursor": cursor})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
