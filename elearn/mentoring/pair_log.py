"""What the pair itself writes: how far each objective has come, the private log, the end-of-pairing reviews."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.extensions import db
from elearn.mentoring import rules
from elearn.mentoring.models import (
    MentoringMeeting,
    MentoringNote,
    MentoringObjective,
    MentoringPair,
    MentoringReview,
    ObjectiveStatus,
)
from elearn.mentoring.pairs import PairError
from elearn.people.models import Person

MAX_NOTE = 20_000
MAX_REVIEW_TEXT = 5000


def set_objective(pair: MentoringPair, objective_id: int, status: ObjectiveStatus, person: Person) -> MentoringObjective:
    if not rules.can_mark_objectives(person, pair):
        raise PairError(_("Only the mentor and the mentee mark objectives, while the pairing runs."))
    objective = db.session.scalar(select(MentoringObjective).where(
        MentoringObjective.id == objective_id, MentoringObjective.pair_id == pair.id))
    if objective is None:
        raise PairError(_("This objective is not one of the pair's."))
    objective.status = status
    db.session.commit()
    return objective


def add_note(pair: MentoringPair, person: Person, body: str, meeting_id: int | None = None) -> MentoringNote:
    """A line in the pair's private log, by the mentor, the mentee or the pair's trainer."""
    if not rules.can_write_log(person, pair):
        raise PairError(_("Only the pair and its trainer write in its log, once the pairing has started."))
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise PairError(_("Write the note first."), field="body")
    if len(body) > MAX_NOTE:
        raise PairError(_("Keep this under %(limit)d characters.", limit=MAX_NOTE), field="body")
    if meeting_id is not None and db.session.scalar(select(MentoringMeeting.id).where(
            MentoringMeeting.id == meeting_id, MentoringMeeting.pair_id == pair.id)) is None:
        raise PairError(_("Choose one of the pair's meetings."), field="meeting_id")
    note = MentoringNote(pair_id=pair.id, author_id=person.id, body=body, meeting_id=meeting_id)
    db.session.add(note)
    db.session.commit()
    return note


def notes_query(pair: MentoringPair):
    return (select(MentoringNote).where(MentoringNote.pair_id == pair.id)
            .order_by(MentoringNote.created_at.desc(), MentoringNote.id.desc()))


def reviews_of(pair: MentoringPair) -> dict[str, MentoringReview]:
    """{side value: review} for the pair's reviews."""
    return {review.side.value: review for review in db.session.scalars(
        select(MentoringReview).where(MentoringReview.pair_id == pair.id))}


def submit_review(pair: MentoringPair, person: Person, *, rating: int | None, what_worked: str,
                  what_to_change: str) -> MentoringReview:
    """Each side reviews once, after the pair ended; a review is final."""
    if not rules.can_review(person, pair):
        raise PairError(_("Only the mentor and the mentee review the pairing, once it has ended."))
    if rating is None or not 1 <= rating <= 5:
        raise PairError(_("Choose a rating from 1 to 5."), field="rating")
    texts = {"what_worked": (what_worked or "").strip(), "what_to_change": (what_to_change or "").strip()}
    for name, value in texts.items():
        if len(value) > MAX_REVIEW_TEXT:
            raise PairError(_("Keep this under %(limit)d characters.", limit=MAX_REVIEW_TEXT), field=name)
    side = rules.side_of(person, pair)
    review = MentoringReview(pair_id=pair.id, side=side, author_id=person.id, rating=rating, **texts)
    db.session.add(review)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise PairError(_("Your review of this pairing is already recorded.")) from None
    return review
