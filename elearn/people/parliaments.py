"""Parliaments: adding, changing and deleting them, and the reference list `flask parliaments seed` loads."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from elearn import references
from elearn.errors import UserError
from elearn.extensions import db
from elearn.i18n import by_name
from elearn.localised_names import fill_missing_names
from elearn.people.models import Parliament
from elearn.people.parliament_data import REFERENCE_PARLIAMENTS


def partners(locale: str | None = None) -> list[Parliament]:
    """The parliaments that receive assistance, in the order of the names the reader sees."""
    return by_name(db.session.scalars(select(Parliament).where(Parliament.receives_assistance.is_(True))).all(),
                   locale)


def seed_parliaments() -> int:
    """Add the reference parliaments that are missing (by country and chamber) and give existing ones the
    names they lack, keeping those an administrator set; return how many parliaments were added."""
    existing = {(p.country_code, p.chamber_name): p for p in db.session.scalars(select(Parliament))}
    added = 0
    for reference in REFERENCE_PARLIAMENTS:
        parliament = existing.get((reference.country_code, reference.chamber))
        if parliament is not None:
            fill_missing_names(parliament, reference.names)
            continue
        db.session.add(Parliament(country_code=reference.country_code, chamber_name=reference.chamber,
                                  gives_assistance=reference.gives, receives_assistance=reference.receives,
                                  working_languages=list(reference.languages),
                                  **{f"name_{language}": name for language, name in reference.names.items()}))
        added += 1
    db.session.commit()
    return added


class ParliamentError(UserError):
    """A change to a parliament that cannot be made."""


@dataclass(frozen=True)
class ParliamentInput:
    name_en: str
    name_fr: str
    country_code: str
    chamber_name: str
    gives_assistance: bool
    receives_assistance: bool
    working_languages: tuple[str, ...]
    # Optional: a reader of a language whose name is missing sees the English one.
    name_es: str | None = None
    name_pt: str | None = None
    name_ar: str | None = None


def save_parliament(data: ParliamentInput, parliament: Parliament | None = None) -> Parliament:
    """Add a parliament (or change `parliament`); a country has each chamber once."""
    parliament = parliament or Parliament()
    country_code, chamber_name = data.country_code.upper(), data.chamber_name.strip()
    duplicate = db.session.scalar(select(Parliament.id).where(
        Parliament.country_code == country_code, Parliament.chamber_name == chamber_name,
        Parliament.id != (parliament.id or 0)))
    if duplicate is not None:
        raise ParliamentError(_("This chamber of this country already exists."), field="chamber_name")
    parliament.name_en, parliament.name_fr = data.name_en, data.name_fr
    parliament.name_es, parliament.name_pt, parliament.name_ar = (
        (name or "").strip() or None for name in (data.name_es, data.name_pt, data.name_ar))
    parliament.country_code, parliament.chamber_name = country_code, chamber_name
    parliament.gives_assistance, parliament.receives_assistance = data.gives_assistance, data.receives_assistance
    parliament.working_languages = list(data.working_languages)
    db.session.add(parliament)
    db.session.commit()
    return parliament


def delete_parliament(parliament: Parliament) -> None:
    """Delete a parliament nothing refers to any more; otherwise refuse, naming what still does."""
    try:
        references.delete_unreferenced(parliament)
    except references.StillReferenced as refusal:
        raise ParliamentError(_refusal(refusal.references)) from None


def _refusal(found: list[references.Reference]) -> str:
    if not found:  # the referring rows went away again between the failed delete and the recount
        return _("This parliament could not be deleted; please try again.")
    uses = references.describe(found)
    if any(reference.table == "person" for reference in found):
        return _("This parliament has people attached; it cannot be deleted. Still used by %(uses)s.", uses=uses)
    return _("This parliament cannot be deleted: it is still used by %(uses)s.", uses=uses)
