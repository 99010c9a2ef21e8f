"""The directory of institutions a delegation meets: add, change, delete (refused while an agenda item uses one)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.database import utcnow
from elearn.delegations.agenda_models import Institution, InstitutionKind
from elearn.errors import UserError
from elearn.extensions import db
from elearn.references import StillReferenced, delete_unreferenced
from elearn.validation import normalised_email


class InstitutionError(UserError):
    """An institution the directory refuses; `field` names the form field at fault."""


@dataclass(frozen=True)
class InstitutionInput:
    name: str
    kind: InstitutionKind
    address: str = ""
    city: str = ""
    country: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


def _clean(data: InstitutionInput) -> dict:
    values = {name: (getattr(data, name) or "").strip() for name in
              ("name", "address", "city", "contact_name", "contact_phone")}
    if not values["name"]:
        raise InstitutionError(_("Give the institution's name."), "name")
    country = (data.country or "").strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise InstitutionError(_("Use a two-letter country code, such as FR."), "country")
    email = (data.contact_email or "").strip()
    if email:
        try:
            email = normalised_email(email)
        except ValueError:
            raise InstitutionError(_("This is not a valid email address."), "contact_email") from None
    return {**values, "kind": data.kind, "country": country, "contact_email": email}


def _check_unique(values: dict, institution: Institution | None) -> None:
    statement = select(func.count()).select_from(Institution).where(
        func.lower(Institution.name) == values["name"].lower(), func.lower(Institution.city) == values["city"].lower())
    if institution is not None:
        statement = statement.where(Institution.id != institution.id)
    if db.session.scalar(statement):
        raise InstitutionError(_("An institution of this name is already listed in this city."), "name")


def save_institution(data: InstitutionInput, institution: Institution | None = None) -> Institution:
    """Add an institution (None) or change one; commits."""
    values = _clean(data)
    _check_unique(values, institution)
    if institution is None:
        institution = Institution()
        db.session.add(institution)
    for name, value in values.items():
        setattr(institution, name, value)
    institution.updated_at = utcnow()
    db.session.commit()
    return institution


def delete_institution(institution: Institution) -> None:
    """Delete it, or raise InstitutionError naming the agenda items that still use it."""
    try:
        delete_unreferenced(institution)
    except StillReferenced as refusal:
        raise InstitutionError(_("This institution is still used by %(what)s: change those first.",
                                 what=str(refusal))) from None


def institution_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Institution.id, Institution.name, Institution.city)
                              .order_by(Institution.name, Institution.city)).all()
    return [(row.id, f"{row.name} ({row.city})" if row.city else row.name) for row in rows]
