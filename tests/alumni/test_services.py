"""Who may be listed, choices saved whole or not at all, and a directory that finds people only on what they show."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.alumni import directory, services
from elearn.alumni.models import AlumniEntry
from elearn.errors import UserError
from elearn.extensions import db
from elearn.people.erasure import erase
from elearn.scheduling import services as scheduling
from elearn.scheduling.models import ActivityStatus, AttendanceStatus
from elearn.topics import Topic
from tests.alumni.factories import attend, make_alumnus, past_activity
from tests.factories import make_parliament, make_person
from tests.helpers import count_queries


def _names(filters: directory.Filters | None = None) -> list[str]:
    filters = filters or directory.Filters()
    return [card.person.full_name for card in directory.search(filters, per_page=50).items]


def _topics(n=2) -> list[Topic]:
    topics = [Topic(slug=f"topic-{i}", name_en=f"Topic {i}", name_fr=f"Thème {i}") for i in range(n)]
    db.session.add_all(topics)
    db.session.commit()
    return topics


def test_only_someone_present_at_an_activity_that_took_place_may_join(app):
    never, absent, cancelled, present = (make_person(full_name=n) for n in ("Never", "Absent", "Cancelled", "Present"))
    attend(absent, past_activity(), AttendanceStatus.ABSENT)
    called_off = past_activity()
    attend(cancelled, called_off)
    scheduling.set_status(called_off, ActivityStatus.CANCELLED)
    attend(present, past_activity())
    assert [services.is_alumnus(p) for p in (never, absent, cancelled, present)] == [False, False, False, True]
    with pytest.raises(UserError, match="took part in an activity"):
        services.save_entry(never, services.EntryInput(listed=True))
    assert db.session.scalar(select(func.count()).select_from(AlumniEntry)) == 0


def test_choices_are_refused_whole_when_one_is_wrong(app):
    person = make_person()
    attend(person, past_activity())
    topics = _topics(1)
    for data, message in [
        (services.EntryInput(listed=True, show_bio=True, bio="x" * 1001), "too long"),
        (services.EntryInput(listed=True, show_bio=True, bio="   "), "Write a short biography"),
        (services.EntryInput(listed=True, show_topics=True), "Choose your topics"),
        (services.EntryInput(listed=True, topic_ids=(topics[0].id, 999_999)), "does not exist"),
    ]:
        with pytest.raises(UserError, match=message):
            services.save_entry(person, data)
        db.session.rollback()
    assert services.entry_of(person) is None
    entry = services.save_entry(person, services.EntryInput(listed=True, show_topics=True, topic_ids=(topics[0].id,),
                                                           bio="  Clerk at the table office.  "))
    assert (entry.listed, entry.show_topics, entry.show_bio, entry.bio) == (True, True, False,
                                                                           "Clerk at the table office.")
    assert [t.slug for t in entry.topics] == ["topic-0"]
    # Leaving the directory keeps the choices for a later return, and hides the person at once.
    services.save_entry(person, services.EntryInput(listed=False, show_topics=True, topic_ids=(topics[0].id,)))
    assert _names() == []


def test_the_directory_lists_only_listed_active_alumni_not_erased(app):
    admin = make_person(full_name="Admin")
    for name in ("Listed Lucy", "Unlisted Uma", "Inactive Ivan", "Erased Eve"):
        make_alumnus(make_person(full_name=name), listed=name != "Unlisted Uma")
    inactive = db.session.scalar(select(AlumniEntry).join(AlumniEntry.person).where(
        AlumniEntry.person.has(full_name="Inactive Ivan")))
    inactive.person.is_active = False
    db.session.commit()
    erased = db.session.scalar(select(AlumniEntry).where(AlumniEntry.person.has(full_name="Erased Eve")))
    erased_person = erased.person
    assert _names() == ["Erased Eve", "Listed Lucy"]
    erase(erased_person, actor=admin)
    assert _names() == ["Listed Lucy"]
    assert db.session.scalar(select(func.count()).select_from(AlumniEntry)
                             .where(AlumniEntry.person_id == erased_person.id)) == 0


def test_a_card_holds_only_what_its_person_chose(app):
    topic = _topics(1)[0]
    make_alumnus(make_person(full_name="Hidden Hana", position="Clerk", parliament=make_parliament()),
                 topics=[topic], bio="Secret bio")
    shown = make_alumnus(make_person(full_name="Shown Sam", position="Clerk", parliament=make_parliament()),
                         topics=[topic], bio="My bio", show_parliament=True, show_position=True, show_topics=True,
                         show_activities=True, show_bio=True, show_email=True)
    cards = {c.person.full_name: c for c in directory.search(directory.Filters()).items}
    bare = cards["Hidden Hana"]
    assert (bare.parliament, bare.position, bare.email, bare.bio, bare.topics, bare.activities) == (
        None, "", "", "", [], [])
    full = cards["Shown Sam"]
    assert full.parliament == shown.person.parliament and full.position == "Clerk"
    assert full.email == shown.person.email and full.bio == "My bio" and full.topics == [topic]
    assert len(full.activities) == 1


def test_filters_never_reach_a_hidden_part(app):
    parliament = make_parliament()
    budget, gender = _topics(2)
    workshop = past_activity(title="Budget workshop", topic_ids=(budget.id,))
    make_alumnus(make_person(full_name="Ana Shows", parliament=parliament), activity=workshop, topics=[gender],
                 show_parliament=True, show_topics=True, show_activities=True)
    make_alumnus(make_person(full_name="Ben Hides", parliament=parliament), activity=workshop, topics=[gender])
    assert _names(directory.Filters(parliament_id=parliament.id)) == ["Ana Shows"]
    assert _names(directory.Filters(topic_id=gender.id)) == ["Ana Shows"]  # an interest shown
    assert _names(directory.Filters(topic_id=budget.id)) == ["Ana Shows"]  # an activity on the topic, shown
    assert _names(directory.Filters(activity_id=workshop.id)) == ["Ana Shows"]
    assert _names(directory.Filters(words="BEN")) == ["Ben Hides"]  # the name is always shown
    assert _names(directory.Filters(words="ben shows")) == []
    assert _names(directory.Filters(words="100%_")) == []
    choices = directory.filter_choices()
    assert choices["parliaments"] == [parliament] and choices["activities"] == [workshop]


def test_a_page_costs_the_same_whatever_its_size(app):
    topic = _topics(1)[0]

    def page_queries() -> int:
        filters = directory.Filters(topic_id=topic.id)
        with count_queries() as counter:
            page = directory.search(filters, per_page=50)
            [c.parliament for c in page.items]
        return counter.count

    make_alumnus(topics=[topic], show_topics=True, show_activities=True, show_parliament=True)
    few = page_queries()
    for _ in range(6):
        make_alumnus(topics=[topic], show_topics=True, show_activities=True, show_parliament=True)
    assert page_queries() == few <= 4
