"""Whom a focal point may nominate for an activity, and their parliament's delegation: in SQL, a page at a time.

A parliament may have thousands of accounts and an activity thousands of registrations: the nomination page
searches the focal point's own colleagues and shows one page of them, whatever those numbers.
"""
from __future__ import annotations

from sqlalchemy import Select, and_, exists, false, or_, select
from sqlalchemy.orm import contains_eager

from elearn.database import escape_like
from elearn.extensions import db
from elearn.people.models import Person, PersonKind
from elearn.scheduling.models import Activity, Audience, Registration
from elearn.scheduling.seats import ACTIVE_STATES

# The kind of person an audience takes (None: anyone), the SQL twin of registrations.fits_audience.
AUDIENCE_KIND = {Audience.MPS: PersonKind.MP, Audience.STAFF: PersonKind.STAFF}


def nominable(activity: Activity, focal_point: Person, search: str = "") -> Select:
    """Active colleagues of the focal point's parliament whom the activity is for and who hold no active place.

    `search` matches a part of the name or of the email, whatever the case.
    """
    already = exists().where(and_(Registration.activity_id == activity.id, Registration.person_id == Person.id,
                                  Registration.state.in_(ACTIVE_STATES)))
    # A focal point without a parliament has nobody to nominate (and must not match everyone without one).
    own = Person.parliament_id == focal_point.parliament_id if focal_point.parliament_id is not None else false()
    statement = select(Person).where(own, Person.is_active.is_(True), ~already)
    if activity.audience in AUDIENCE_KIND:
        statement = statement.where(Person.kind == AUDIENCE_KIND[activity.audience])
    search = search.strip()
    if search:
        like = f"%{escape_like(search)}%"
        statement = statement.where(or_(Person.full_name.ilike(like, escape="\\"),
                                        Person.email.like(like.lower(), escape="\\")))
    return statement.order_by(Person.full_name, Person.id)


def nominable_person(activity: Activity, focal_point: Person, person_id: int | None) -> Person | None:
    """The person posted, if the focal point may nominate them here; None for anyone else (another
    parliament's member, a deactivated account, someone already registered)."""
    if person_id is None or focal_point.parliament_id is None:
        return None
    return db.session.scalar(nominable(activity, focal_point).where(Person.id == person_id))


def delegation(activity: Activity, parliament_id: int | None) -> list[Registration]:
    """The active registrations of the parliament's people, with their person, in one query."""
    if parliament_id is None:
        return []
    return db.session.scalars(
        select(Registration).join(Person, Person.id == Registration.person_id)
        .where(Registration.activity_id == activity.id, Registration.state.in_(ACTIVE_STATES),
               Person.parliament_id == parliament_id)
        .options(contains_eager(Registration.person)).order_by(Person.full_name, Person.id)).all()

