"""Every message of the mission team's pages, service and audit trail reads in all four other languages."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGS = Path(__file__).resolve().parents[2] / "elearn" / "translations"
CONTEXT = "mission team"
MESSAGES = [
    (CONTEXT, "Person"), (CONTEXT, "Past"), (CONTEXT, "Team"), (CONTEXT, "Mission"), (CONTEXT, "Missions"),
    (CONTEXT, "Warnings"),
    (None, "An interpreter without an expert profile must belong to an assisting parliament."),
    (None, "Only people with an active expert profile can join a mission as head or expert."),
    (None, "%(name)s is also booked for “%(title)s” at the same time."),
    (None, "%(name)s has said they do not wish to travel."),
    (None, "%(name)s has stated no availability periods: check the dates with them."),
    (None, "%(name)s is not available on %(days)s."),
    (None, "This activity is not a mission."), (None, "This mission is cancelled."),
    (None, "Publish the mission first: its team is invited by mail with a calendar invitation."),
    (None, "This mission is over: its team stays on record as it was."),
    (None, "%(name)s is already on the team."), (None, "The mission already has a head: remove them first."),
    (None, "Choose a person and a role."), (None, "This person does not exist."),
    (None, "%(name)s is on the team as %(role)s and has been sent the invitation."),
    (None, "%(name)s is no longer on the team and has been told."),
    (None, "Mission team member added"), (None, "Mission team member removed"),
    (None, "Missions by date"), (None, "Upcoming and under way"), (None, "%(num)d mission"),
    (None, "No missions here."), (None, "Mission team and work"), (None, "Dates"), (None, "Manage the activity"),
    (None, "All missions"), (None, "Mission team"), (None, "No one is on the team yet."),
    (None, "Add a team member"), (None, "Name or email"),
    (None, "Experts of the roster; people of an assisting parliament may join as interpreters."),
    (None, "no expert profile"), (None, "Registration: %(state)s"), (None, "Add %(name)s"), (None, "No one matches “%(words)s”."),
]


@pytest.mark.parametrize("language", ["fr", "es", "pt", "ar"])
def test_every_message_is_translated(language):
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    missing = []
    for context, msgid in MESSAGES:
        message = catalog.get(msgid, context=context)
        strings = message.string if message is not None and isinstance(message.string, tuple) else (
            (message.string,) if message is not None else ("",))
        if not all(strings):
            missing.append(msgid)
    assert not missing, f"untranslated in {language}: {missing}"


def test_the_hub_reads_in_french(app, login_as, people):
    from tests.helpers import post_form
    from tests.missions.test_team_services import make_mission
    client = login_as("trainer")
    post_form(client, "/language", {"language": "fr", "next": "/"})
    mission = make_mission(trainer_ids=(people["trainer"].id,))
    page = client.get(f"/manage/missions/{mission.id}").get_data(as_text=True)
    assert "Ajouter un membre à l’équipe" in page and "L’équipe ne compte encore personne." in page
