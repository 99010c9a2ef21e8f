"""Property tests: the sanitiser never lets script through; seats never overflow, whatever the sequence."""
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from elearn.content import render_markdown
from elearn.extensions import db
from elearn.people.models import Parliament
from elearn.scheduling import services
from elearn.scheduling.models import Registration, RegistrationState
from tests.factories import make_parliament, make_person
from tests.scheduling.factories import make_activity, one_session

HOSTILE_PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">y</a>", "<svg onload=alert(1)>", "<iframe src=//evil>",
    "<a href=\"JaVaScRiPt:alert(1)\">z</a>", "<p style=\"x\" onclick=\"y\">", "`code`", "**bold**",
    "| a | b |\n|---|---|\n| 1 | 2 |", "# Title", "\n\n", "<", ">", "\"", "'", "&", "javascript:", "on",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=20)), max_size=12))
def test_sanitised_markdown_never_carries_script(pieces):
    html = render_markdown("".join(pieces)).lower()
    assert "<script" not in html and "<iframe" not in html and "<svg" not in html
    assert not re.search(r"<[^>]*\son\w+\s*=", html), html  # no event-handler attribute
    assert not re.search(r"<[^>]*\s(href|src)\s*=\s*[\"']?\s*javascript:", html), html  # inside a real tag


ACTIONS = st.lists(st.tuples(st.sampled_from(["register", "withdraw", "decline", "capacity"]),
                             st.integers(min_value=0, max_value=7), st.integers(min_value=1, max_value=5)),
                   min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
@example(actions=[("register", 0, 1), ("register", 1, 1), ("register", 2, 1), ("withdraw", 0, 1)])
def test_seats_stay_within_capacity_and_quota_and_the_waitlist_stays_in_order(app, actions):
    db.session.query(Registration).delete()
    parliaments = db.session.scalars(select(Parliament).order_by(Parliament.id)).all() or \
        [make_parliament(), make_parliament()]
    people = [make_person(parliament=parliaments[n % 2]) for n in range(8)]
    activity = make_activity(capacity=2, quota_per_parliament=2)
    for action, who, number in actions:
        person = people[who]
        registration = db.session.scalar(select(Registration).where(
            Registration.activity_id == activity.id, Registration.person_id == person.id))
        try:
            if action == "register":
                services.register(activity.id, person)
            elif action == "withdraw" and registration is not None:
                services.withdraw(registration)
            elif action == "decline" and registration is not None:
                services.decide(registration, approve=False)
            elif action == "capacity":
                services.update_activity(activity, services.activity_input(
                    activity, capacity=max(number, services.confirmed_count(activity)), sessions=one_session()))
        except services.SchedulingError:
            pass
        db.session.expire_all()
        rows = db.session.scalars(select(Registration).where(Registration.activity_id == activity.id)).all()
        confirmed = [r for r in rows if r.state == RegistrationState.CONFIRMED]
        waiting = sorted(r.waitlist_position for r in rows if r.state == RegistrationState.WAITLISTED)
        assert len(confirmed) <= activity.capacity
        for parliament in parliaments:
            assert sum(1 for r in confirmed if r.person.parliament_id == parliament.id) <= 2
        assert len(waiting) == len(set(waiting))  # no two people share a place in line
        # Nobody waits while a seat is free that their parliament's quota allows.
        if len(confirmed) < activity.capacity:
            for r in rows:
                if r.state == RegistrationState.WAITLISTED:
                    held = sum(1 for c in confirmed if c.person.parliament_id == r.person.parliament_id)
                    assert held >= 2
