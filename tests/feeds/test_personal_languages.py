"""A personal feed speaks its owner's language: calendar name, its description and the events' texts."""
from __future__ import annotations

import pytest
from flask import current_app
from flask_babel import force_locale, gettext

from elearn.scheduling import services
from elearn.scheduling.models import ActivityStatus, RegistrationState
from tests.factories import make_person
from tests.feeds.conftest import register
from tests.feeds.helpers import by_uid, values
from tests.scheduling.factories import make_activity

# Written out, so that the test cannot pass on English wording.
CALENDAR_NAME = {"es": "Hemicycle: mis actividades", "pt": "Hemicycle: as minhas atividades", "ar": "Hemicycle: أنشطتي"}


def uid(activity) -> str:
    return f"session-{activity.sessions[0].id}@hemicycle.test"


@pytest.mark.parametrize("language", ["es", "pt", "ar"])
def test_a_personal_feed_is_named_and_described_in_its_owner_s_language(client, personal_url, language):
    person = make_person(preferred_language=language)
    online = make_activity(title="PARL-1", venue_name="", venue_city="", online_url="https://meet.example.org/r-1")
    cancelled = make_activity(title="PARL-2")
    register(online, person, RegistrationState.CONFIRMED)
    register(cancelled, person, RegistrationState.CONFIRMED)
    services.set_status(cancelled, ActivityStatus.CANCELLED)

    body = client.get(personal_url(person)).data

    days = int(current_app.config["FEED_PAST_DAYS"])
    with force_locale(language):
        name = gettext("Hemicycle: my activities")
        about = gettext("The activities you take part in or teach: what is coming and the last %(days)d days.",
                        days=days)
        details, join, cancelled_prefix = gettext("Details and registration:"), gettext("Join online:"), \
            gettext("Cancelled:")
    assert name == CALENDAR_NAME[language]
    assert values(body, "X-WR-CALNAME") == [name]
    assert values(body, "NAME") == [name]
    assert values(body, "X-WR-CALDESC") == [about.replace(",", "\\,").replace(";", "\\;")]
    assert "what is coming" not in about
    events = by_uid(body)
    description = str(events[uid(online)]["DESCRIPTION"])
    assert details in description and join in description
    assert "Details and registration" not in description and "Join online" not in description
    assert str(events[uid(cancelled)]["SUMMARY"]) == f"{cancelled_prefix} PARL-2"
