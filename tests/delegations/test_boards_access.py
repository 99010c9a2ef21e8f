"""Who may read the logistics boards, what a trainer sees of other activities, and bad filters."""
from __future__ import annotations

import pytest

from tests.delegations.boards_fixture import build_world
from tests.factories import PASSWORD
from tests.helpers import sign_in, text

WINDOW = {"from": "2030-03-25", "to": "2030-04-05"}
PATHS = [f"/manage/logistics/{board}{suffix}" for board in ("rooming", "arrivals", "transport", "per-diem")
         for suffix in ("", ".csv", ".xlsx")]


@pytest.fixture
def world(app, people):
    return build_world()


def client_of(app, person):
    client = app.test_client()
    assert sign_in(client, person.email, PASSWORD).status_code == 302
    return client


@pytest.mark.parametrize("role", ["learner", "focal_point"])
def test_other_roles_are_refused(login_as, world, role):
    client = login_as(role)
    for path in PATHS:
        assert client.get(path, query_string=WINDOW).status_code == 403, path


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(PATHS[0])
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_trainer_of_another_activity_gets_404(app, world):
    client = client_of(app, world.tokyo_trainer)
    for path in PATHS:
        response = client.get(path, query_string={**WINDOW, "activity": world.paris.id})
        assert response.status_code == 404, path
        assert "Aya Kone" not in text(response)


def test_trainer_sees_only_the_activities_they_train(app, world):
    client = client_of(app, world.tokyo_trainer)
    page = text(client.get("/manage/logistics/rooming", query_string=WINDOW))
    assert "Hiro Sato" in page and "Aya Kone" not in page
    assert "Paris working visit" not in page  # nor among the activities to choose
    csv_text = client.get("/manage/logistics/per-diem.csv", query_string=WINDOW).get_data(as_text=True)
    assert "Hiro Sato" in csv_text and "Aya Kone" not in csv_text and "EUR" not in csv_text
    own = client.get("/manage/logistics/rooming", query_string={**WINDOW, "activity": world.tokyo.id})
    assert own.status_code == 200 and "Hiro Sato" in text(own)


def test_general_trainer_role_is_not_enough(login_as, world):
    client = login_as("trainer")  # a trainer who trains neither activity
    assert client.get("/manage/logistics/arrivals", query_string={**WINDOW, "activity": world.tokyo.id}).status_code == 404
    page = text(client.get("/manage/logistics/arrivals", query_string=WINDOW))
    assert "No arrival or departure on these dates." in page


def test_admin_sees_every_activity(admin_client, world):
    page = text(admin_client.get("/manage/logistics/rooming", query_string=WINDOW))
    assert "Hiro Sato" in page and "Aya Kone" in page
    page = text(admin_client.get("/manage/logistics/rooming", query_string={**WINDOW, "activity": world.paris.id}))
    assert "Aya Kone" in page and "Hiro Sato" not in page


@pytest.mark.parametrize("args, message", [
    ({"from": "2030-04-05", "to": "2030-03-25"}, "The end date is before the start date."),
    ({"from": "2030-01-01", "to": "2031-06-01"}, "Choose a period of at most 366 days."),
    ({"from": "not-a-date"}, "Not a valid date value."),
    ({"from": "9999-12-31"}, "Give a date between 1970 and 2199."),
    ({"activity": "999999"}, "There is no activity number 999999."),
    ({"activity": "99999999999999999999"}, "is not one"),
    ({"activity": "-3"}, "is not one"),
    ({"activity": "abc"}, "is not one"),
])
@pytest.mark.parametrize("suffix", ["", ".csv"])
def test_bad_filters_are_a_clear_message(admin_client, world, args, message, suffix):
    response = admin_client.get(f"/manage/logistics/arrivals{suffix}", query_string=args)
    assert response.status_code == 400
    assert message in text(response)
    assert "Please correct the following" in text(response)


def test_a_cancelled_activity_is_said_so(admin_client, world):
    from sqlalchemy import select

    from elearn.extensions import db
    from elearn.scheduling.models import Activity

    cancelled = db.session.scalar(select(Activity).where(Activity.title == "Cancelled visit"))
    response = admin_client.get("/manage/logistics/rooming", query_string={"activity": cancelled.id})
    assert response.status_code == 400
    assert "This activity was cancelled" in text(response)


def test_default_dates(admin_client, world):
    from datetime import timedelta

    from elearn.database import utcnow

    page = text(admin_client.get("/manage/logistics/rooming"))
    today = utcnow().date()
    assert f'value="{today.isoformat()}"' in page or f'value="{(today - timedelta(days=1)).isoformat()}"' in page
    # With an activity: its days and a week either side.
    page = text(admin_client.get("/manage/logistics/rooming", query_string={"activity": world.paris.id}))
    assert 'value="2030-03-22"' in page and 'value="2030-04-08"' in page and "Aya Kone" in page


HOSTILE = ["2147483648", "99999999999999999999", "-1", "0", "\u0663", "'; DROP TABLE logistics; --", "\r\nX: 1",
           "2030-02-30", "0001-01-01", "9999-12-31", "%00", "1" * 400]


def test_hostile_filter_values_never_500(admin_client, world):
    for value in HOSTILE:
        for board in ("rooming", "arrivals", "transport", "per-diem"):
            for suffix in ("", ".csv"):
                for name in ("activity", "from", "to", "page"):
                    response = admin_client.get(f"/manage/logistics/{board}{suffix}", query_string={name: value})
                    assert response.status_code in (200, 400), (board, name, value)
                    response.get_data()
