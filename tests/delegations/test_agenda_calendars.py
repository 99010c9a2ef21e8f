"""Agenda items in the personal feeds and in mailed invitations: same UID, SEQUENCE and place; caches refresh."""
from __future__ import annotations

from base64 import b64decode
from datetime import datetime, time, timezone

from icalendar import Calendar
from sqlalchemy import func, select

from elearn.delegations import agenda, institutions
from elearn.delegations.agenda_models import AgendaItem, InstitutionKind
from elearn.extensions import db
from elearn.feeds import services as feed_services
from elearn.jobs.services import run_due
from elearn.mail.models import OutboxMessage
from tests.delegations.agenda_helpers import item_input, make_visit, members_only
from tests.feeds.helpers import by_uid, icaljs, values, vobject_validate
from tests.notifications.conftest import outbox

HOST = "hemicycle.test"


def feed_url(person) -> str:
    return f"/feeds/{feed_services.issue_token(person)}.ics"


def item_uid(item) -> str:
    return f"agenda-item-{item.id}@{HOST}"


def test_each_participant_s_feed_carries_the_items_that_concern_them(client):
    visit = make_visit()
    everyone = agenda.create_item(visit.activity, item_input(visit))
    members = agenda.create_item(visit.activity, members_only(visit, title="Members' lunch", start_time=time(12, 30),
                                                              end_time=time(14)))
    member_body = client.get(feed_url(visit.members[0])).data
    staff_body = client.get(feed_url(visit.staff)).data
    trainer_body = client.get(feed_url(visit.trainer)).data
    session_uid = f"session-{visit.activity.sessions[0].id}@{HOST}"
    assert {item_uid(everyone), item_uid(members), session_uid} <= set(by_uid(member_body))
    assert item_uid(everyone) in by_uid(staff_body) and item_uid(members) not in by_uid(staff_body)
    assert {item_uid(everyone), item_uid(members)} <= set(by_uid(trainer_body))
    assert item_uid(everyone) not in by_uid(client.get(feed_url(visit.waiting)).data)

    event = by_uid(member_body)[item_uid(everyone)]
    assert str(event["SUMMARY"]) == "Working visit: Meeting with the Finance Committee"
    assert str(event["LOCATION"]) == "Senate, 15 rue de Vaugirard, Paris, Salle Médicis"
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert "Europe/Paris" in values(member_body, "TZID")
    vobject_validate(member_body)
    [parsed] = icaljs(member_body)
    read = {e["uid"]: e for e in parsed["events"]}[item_uid(everyone)]
    assert read["start_utc"] == everyone.starts_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert read["location"] == "Senate, 15 rue de Vaugirard, Paris, Salle Médicis"


def conditional(client, url: str, response):
    return client.get(url, headers={"If-None-Match": response.headers["ETag"]})


def test_a_cached_feed_is_not_served_as_unchanged_after_an_agenda_change(client):
    visit = make_visit()
    item = agenda.create_item(visit.activity, item_input(visit))
    url = feed_url(visit.members[0])
    first = client.get(url)
    assert conditional(client, url, first).status_code == 304

    agenda.update_item(item, item_input(visit, start_time=time(10, 30)))
    second = conditional(client, url, first)
    assert second.status_code == 200
    assert by_uid(second.data)[item_uid(item)]["SEQUENCE"] == 1
    assert conditional(client, url, second).status_code == 304

    # The institution's address moves: the item's LOCATION changes in every feed that carries it.
    institutions.save_institution(institutions.InstitutionInput(
        name="Senate", kind=InstitutionKind.UPPER_HOUSE, address="36 rue de Vaugirard", city="Paris", country="FR"),
        visit.senate)
    third = conditional(client, url, second)
    assert third.status_code == 200
    assert "36 rue de Vaugirard" in str(by_uid(third.data)[item_uid(item)]["LOCATION"])

    # The member is no longer among the participants concerned: the item leaves their feed.
    staff_only = visit.registrations[visit.staff.id].id
    agenda.update_item(item, item_input(visit, start_time=time(10, 30), for_everyone=False,
                                        registration_ids=(staff_only,)))
    fourth = conditional(client, url, third)
    assert fourth.status_code == 200 and item_uid(item) not in by_uid(fourth.data)

    agenda.update_item(item, item_input(visit, start_time=time(10, 30)))
    fifth = conditional(client, url, fourth)
    assert fifth.status_code == 200 and item_uid(item) in by_uid(fifth.data)
    agenda.delete_item(item)
    sixth = conditional(client, url, fifth)
    assert sixth.status_code == 200 and item_uid(item) not in by_uid(sixth.data)


def test_a_contact_change_at_an_institution_does_not_touch_the_feeds(client):
    visit = make_visit()
    agenda.create_item(visit.activity, item_input(visit))
    url = feed_url(visit.members[0])
    first = client.get(url)
    institutions.save_institution(institutions.InstitutionInput(
        name="Senate", kind=InstitutionKind.UPPER_HOUSE, address="15 rue de Vaugirard", city="Paris", country="FR",
        contact_name="Mr Durand"), visit.senate)
    assert conditional(client, url, first).status_code == 304


def calendar_of(message) -> tuple[dict, Calendar]:
    [attachment] = [a for a in message.attachments if a["content_type"].startswith("text/calendar")]
    return attachment, Calendar.from_ical(b64decode(attachment["content"]))


def test_participants_concerned_get_invitations_in_their_language_with_the_feed_s_uid(client):
    visit = make_visit()
    item = agenda.create_item(visit.activity, members_only(visit))
    mails = outbox(kind="agenda_item_request")
    assert sorted(m.to_address for m in mails) == sorted(p.email for p in visit.members)
    awa_mail = next(m for m in mails if m.to_address == visit.members[0].email)
    yao_mail = next(m for m in mails if m.to_address == visit.members[1].email)
    assert awa_mail.subject == "Ordre du jour : Meeting with the Finance Committee"
    assert yao_mail.subject == "Agenda: Meeting with the Finance Committee"
    assert "Salle Médicis" in awa_mail.body_text and "(votre heure, Africa/Abidjan)" in awa_mail.body_text

    attachment, calendar = calendar_of(awa_mail)
    assert attachment["content_type"] == "text/calendar; method=REQUEST; charset=utf-8"
    [event] = calendar.walk("VEVENT")
    feed_event = by_uid(client.get(feed_url(visit.members[0])).data)[item_uid(item)]
    assert str(event["UID"]) == str(feed_event["UID"]) == item_uid(item)
    assert event["SEQUENCE"] == feed_event["SEQUENCE"] == 0
    assert str(event["LOCATION"]) == str(feed_event["LOCATION"])
    assert str(event["ATTENDEE"]) == f"mailto:{visit.members[0].email}"
    body = b64decode(attachment["content"])
    vobject_validate(body)
    [parsed] = icaljs(body)
    assert [e["uid"] for e in parsed["events"]] == [item_uid(item)]


def test_a_move_sends_an_update_and_a_deletion_a_cancellation_with_a_higher_sequence(client):
    visit = make_visit()
    item = agenda.create_item(visit.activity, item_input(visit))
    item_id = item.id
    outbox()  # the first invitations go out
    agenda.update_item(item, members_only(visit, start_time=time(15), end_time=time(16)))
    moved = outbox(kind="agenda_item_request")[3:]
    dropped = outbox(kind="agenda_item_cancel")
    assert sorted(m.to_address for m in moved) == sorted(p.email for p in visit.members)
    assert [m.to_address for m in dropped] == [visit.staff.email]
    [event] = calendar_of(moved[0])[1].walk("VEVENT")
    assert event["SEQUENCE"] == 1 and event.decoded("DTSTART").hour == 15

    agenda.delete_item(item)
    cancels = outbox(kind="agenda_item_cancel")[1:]
    assert sorted(m.to_address for m in cancels) == sorted(p.email for p in visit.members)
    attachment, calendar = calendar_of(cancels[0])
    assert calendar["METHOD"] == "CANCEL" and attachment["filename"] == "cancel.ics"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"agenda-item-{item_id}@{HOST}" and event["SEQUENCE"] == 2
    assert str(event["STATUS"]) == "CANCELLED"
    vobject_validate(b64decode(attachment["content"]))


def test_a_title_change_alone_sends_nothing_and_the_waitlisted_are_never_mailed(client):
    visit = make_visit()
    item = agenda.create_item(visit.activity, item_input(visit))
    before = len(outbox())
    agenda.update_item(item, item_input(visit, title="Another title"))
    assert len(outbox()) == before
    assert not outbox(to=visit.waiting.email)


def test_invitations_go_out_in_batches(app):
    app.config["JOBS_BATCH_SIZE"] = 2
    visit = make_visit()
    agenda.create_item(visit.activity, item_input(visit))
    run_due(worker_id="w", now=datetime(2100, 1, 1, tzinfo=timezone.utc), max_batches=1)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    assert len(outbox(kind="agenda_item_request")) == 3


def test_cancelling_the_activity_cancels_its_items_in_calendars_and_publishing_it_again_reinstates_them(client):
    from elearn.scheduling import services
    from elearn.scheduling.models import ActivityStatus

    visit = make_visit()
    item = agenda.create_item(visit.activity, item_input(visit))
    outbox()
    url = feed_url(visit.members[0])
    first = client.get(url)
    services.set_status(visit.activity, ActivityStatus.CANCELLED)
    db.session.expire_all()
    assert item.sequence == 1
    cancels = outbox(kind="agenda_item_cancel")
    assert len(cancels) == 3
    [event] = calendar_of(cancels[0])[1].walk("VEVENT")
    assert event["SEQUENCE"] == 1 and str(event["STATUS"]) == "CANCELLED"
    response = conditional(client, url, first)
    assert response.status_code == 200
    feed_event = by_uid(response.data)[item_uid(item)]
    assert str(feed_event["STATUS"]) == "CANCELLED" and feed_event["SEQUENCE"] == 1

    services.set_status(visit.activity, ActivityStatus.PUBLISHED)
    db.session.expire_all()
    assert item.sequence == 2
    assert len(outbox(kind="agenda_item_request")) == 6


def test_a_session_removed_from_the_activity_takes_its_items_out_of_the_calendars(client):
    from elearn.scheduling import services

    visit = make_visit()
    last = visit.activity.sessions[2]
    item = agenda.create_item(visit.activity, item_input(visit, session_id=last.id, day=last.local_start.date()))
    item_id = item.id
    outbox()
    kept = tuple(services.SessionInput(start_date=s.local_start.date(), start_time=s.local_start.time(),
                                       end_time=s.local_end.time()) for s in visit.activity.sessions[:2])
    services.update_activity(visit.activity, services.activity_input(visit.activity, sessions=kept))
    assert db.session.get(AgendaItem, item_id) is None
    cancels = outbox(kind="agenda_item_cancel")
    assert len(cancels) == 3
    [event] = calendar_of(cancels[0])[1].walk("VEVENT")
    assert str(event["UID"]) == f"agenda-item-{item_id}@{HOST}" and event["SEQUENCE"] == 1
