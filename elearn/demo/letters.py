"""Demo invitation letters: for the working visit's participants whose logistics say they need a visa.

The logistics are filled in by another part of the demo, run before this one; without them
there is nothing to state (who pays travel and stay), so no letter is issued.
"""
from __future__ import annotations

from sqlalchemy import select

from elearn.delegations import letters
from elearn.delegations.logistics_models import Logistics
from elearn.demo.delegations import VISIT_TITLE
from elearn.extensions import db
from elearn.scheduling.models import Activity, Registration, RegistrationState


def seed_letters() -> int:
    """Issue the missing letters (each language the participant's letters are offered in); the number issued."""
    activity = db.session.scalar(select(Activity).where(Activity.title == VISIT_TITLE))
    if activity is None:
        return 0
    needing = db.session.scalars(
        select(Registration).join(Logistics, Logistics.registration_id == Registration.id)
        .where(Registration.activity_id == activity.id, Registration.state == RegistrationState.CONFIRMED,
               Logistics.visa_needed.is_(True))
        .order_by(Registration.id)).all()
    signer = activity.trainers[0] if activity.trainers else None
    issued = 0
    for registration in needing:
        for language in letters.letter_languages(registration.person):
            if letters.current_letter(registration, language) is not None:
                continue
            try:
                letters.issue(registration, language, signer)
            except letters.LetterError:
                break  # payers not stated yet: this participant's letters wait for them
            issued += 1
    return issued
