"""Demo mentoring pairs: Lamin Member mentored by Claire Vasseur (active, with objectives under way and a log),
Aïcha Députée proposed to Rui Carvalho (the mentor accepted, she has not answered yet), Sonam Clerk's
pairing with Jean-Baptiste Lemaire (ended, both reviews written), and a request from Fatou Focal waiting for a
trainer. Dates follow the day the seed runs; the meetings are the meetings' demo (demo/mentoring_meetings.py).
Written as rows, not through the services, so that seeding sends no mail."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from elearn.database import utcnow
from elearn.demo.experts import email_of
from elearn.extensions import db
from elearn.mentoring.models import (
    MeetingFrequency,
    MentoringNote,
    MentoringObjective,
    MentoringPair,
    MentoringReview,
    ObjectiveStatus,
    PairStatus,
    ReviewSide,
)
from elearn.people.models import Person
from elearn.scheduling.models import Programme
from elearn.topics import Topic

NS, PR, AC = ObjectiveStatus.NOT_STARTED, ObjectiveStatus.PROGRESSING, ObjectiveStatus.ACHIEVED
# mentor, mentee, status, topic, days from today to start and end, purpose, objectives
PAIRS = [
    ("Claire Vasseur", "mp@example.org", PairStatus.ACTIVE, "committee-work", -60, 120,
     "Lamin chairs a new sub-committee on public accounts and wants to run hearings that lead to recommendations "
     "the government answers.",
     [("Prepare a hearing plan for the sub-committee", AC), ("Draft the sub-committee's first report", PR),
      ("Set up a follow-up table of the government's answers", NS)]),
    ("Rui Carvalho", "depute@example.org", PairStatus.PROPOSED, "budget", 14, 194,
     "Aïcha Députée rapporteure du budget souhaite lire les documents budgétaires et préparer des amendements.",
     [("Lire le projet de loi de finances avec une méthode", NS), ("Préparer deux amendements chiffrés", NS)]),
    ("Jean-Baptiste Lemaire", "staff@example.org", PairStatus.ENDED, "official-record", -240, -30,
     "Sonam edits the National Assembly's record and wants to shorten the time from sitting to published record.",
     [("Map the steps from sitting to published record", AC), ("Write an editing style guide", AC),
      ("Train two new editors", PR)]),
]
NOTES = ["First call: we agreed on the sub-committee's calendar and the two ministries it will hear first.",
         "Reviewed the draft hearing plan together; Claire will send the Assemblée's template for witness letters."]
REVIEWS = [(ReviewSide.MENTOR, 5, "Sonam prepared every meeting and tried each method with the team.",
            "More time on the software the editors use."),
           (ReviewSide.MENTEE, 4, "Practical examples from the Senate's record, and answers between meetings.",
            "Meet in person at least once.")]


def _people(emails: list[str]) -> dict[str, Person]:
    return {p.email: p for p in db.session.scalars(select(Person).where(Person.email.in_(emails)))}


def seed_mentoring() -> int:
    """Add the demo pairs that are missing; returns how many were added."""
    people = _people([email_of(m) for m, *_ in PAIRS] + [e for _m, e, *_ in PAIRS]
                     + ["trainer@example.org", "focal@example.org"])
    trainer = people.get("trainer@example.org")
    topics = {t.slug: t for t in db.session.scalars(select(Topic))}
    programme = db.session.scalar(select(Programme).where(Programme.slug == "gambia-committees-budget"))
    now = utcnow()
    today = now.date()
    added = 0
    for mentor_name, mentee_email, status, topic, start, end, purpose, objectives in PAIRS:
        mentor, mentee = people.get(email_of(mentor_name)), people.get(mentee_email)
        if mentor is None or mentee is None or db.session.scalar(select(MentoringPair.id).where(
                MentoringPair.mentor_id == mentor.id, MentoringPair.mentee_id == mentee.id)):
            continue
        accepted = now + timedelta(days=min(start, 0) - 7)
        pair = MentoringPair(
            mentor_id=mentor.id, mentee_id=mentee.id, trainer_id=trainer.id if trainer else None,
            requested_by_id=trainer.id if trainer else None, status=status, purpose=purpose,
            topic_id=topics[topic].id if topic in topics else None,
            programme_id=programme.id if programme and mentee_email == "mp@example.org" else None,
            starts_on=today + timedelta(days=start), ends_on=today + timedelta(days=end),
            frequency=MeetingFrequency.MONTHLY, language="fr" if mentee_email == "depute@example.org" else "en",
            mentor_accepted_at=accepted, mentee_accepted_at=accepted if status != PairStatus.PROPOSED else None,
            ended_at=now + timedelta(days=end) if status == PairStatus.ENDED else None,
            objectives=[MentoringObjective(position=n, text=text, status=state)
                        for n, (text, state) in enumerate(objectives)])
        db.session.add(pair)
        db.session.flush()
        if status == PairStatus.ACTIVE:
            for days_ago, (author, body) in zip((45, 15), ((mentor, NOTES[0]), (mentee, NOTES[1])), strict=True):
                db.session.add(MentoringNote(pair_id=pair.id, author_id=author.id, body=body,
                                             created_at=now - timedelta(days=days_ago)))
        if status == PairStatus.ENDED:
            for side, rating, worked, change in REVIEWS:
                author = mentor if side == ReviewSide.MENTOR else mentee
                db.session.add(MentoringReview(pair_id=pair.id, side=side, author_id=author.id, rating=rating,
                                               what_worked=worked, what_to_change=change,
                                               submitted_at=now + timedelta(days=end + 3)))
        added += 1
    added += _seed_request(people)
    db.session.commit()
    return added


def _seed_request(people: dict[str, Person]) -> int:
    """Fatou Focal asks a mentor for one of her parliament's officials; no trainer has taken it up yet."""
    focal = people.get("focal@example.org")
    if focal is None or db.session.scalar(select(MentoringPair.id).where(
            MentoringPair.requested_by_id == focal.id)):
        return 0
    mentee = db.session.scalar(select(Person).where(
        Person.parliament_id == focal.parliament_id, Person.id != focal.id, Person.is_active.is_(True),
        Person.email != "mp@example.org").order_by(Person.id).limit(1))
    if mentee is None:
        return 0
    db.session.add(MentoringPair(
        mentee_id=mentee.id, requested_by_id=focal.id, status=PairStatus.REQUESTED, language="en",
        frequency=MeetingFrequency.FORTNIGHTLY,
        purpose="Our Hansard editors would like a mentor from an official report service, to plan a faster "
                "turnaround of the verbatim record.",
        objectives=[MentoringObjective(position=0, text="Publish the provisional record within 48 hours")]))
    return 1
