"""Parliaments: adding, changing and deleting them, and the reference list `flask parliaments seed` loads."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from elearn import references
from elearn.errors import UserError
from elearn.extensions import db
from elearn.i18n import by_name
from elearn.people.models import Parliament

# (country code, English name, French name, chamber, gives, receives, working languages)
REFERENCE_PARLIAMENTS = [
    ("FR", "French National Assembly", "Assemblée nationale (France)", "National Assembly", True, False, ["fr"]),
    ("FR", "French Senate", "Sénat (France)", "Senate", True, False, ["fr"]),
    ("BE", "Belgian Chamber of Representatives", "Chambre des représentants de Belgique", "Chamber of Representatives", True, False, ["fr", "nl", "de"]),
    ("DE", "German Bundestag", "Bundestag allemand", "Bundestag", True, False, ["de"]),
    ("PT", "Assembly of the Republic of Portugal", "Assemblée de la République (Portugal)", "Assembly of the Republic", True, False, ["pt"]),
    ("ES", "Congress of Deputies of Spain", "Congrès des députés (Espagne)", "Congress of Deputies", True, False, ["es"]),
    ("BT", "Parliament of Bhutan", "Parlement du Bhoutan", "National Assembly", False, True, ["dz", "en"]),
    ("GM", "National Assembly of The Gambia", "Assemblée nationale de Gambie", "National Assembly", False, True, ["en"]),
    ("MW", "Parliament of Malawi", "Parlement du Malawi", "National Assembly", False, True, ["en"]),
    ("MV", "People's Majlis of Maldives", "Majlis du peuple des Maldives", "People's Majlis", False, True, ["dv", "en"]),
    ("MY", "Parliament of Malaysia", "Parlement de Malaisie", "Dewan Rakyat", False, True, ["ms", "en"]),
    ("MR", "National Assembly of Mauritania", "Assemblée nationale de Mauritanie", "National Assembly", False, True, ["ar", "fr"]),
    ("PA", "National Assembly of Panama", "Assemblée nationale du Panama", "National Assembly", False, True, ["es"]),
    ("TT", "Parliament of Trinidad and Tobago", "Parlement de Trinité-et-Tobago", "House of Representatives", False, True, ["en"]),
    ("ME", "Parliament of Montenegro", "Parlement du Monténégro", "Parliament", False, True, ["sr", "en"]),
    ("PE", "Congress of the Republic of Peru", "Congrès de la République du Pérou", "Congress", False, True, ["es"]),
    ("BO", "Plurinational Legislative Assembly of Bolivia", "Assemblée législative plurinationale de Bolivie", "Chamber of Deputies", False, True, ["es"]),
    ("CL", "Chamber of Deputies of Chile", "Chambre des députés du Chili", "Chamber of Deputies", False, True, ["es"]),
    ("CI", "National Assembly of Côte d'Ivoire", "Assemblée nationale de Côte d'Ivoire", "National Assembly", False, True, ["fr"]),
    ("GW", "National People's Assembly of Guinea-Bissau", "Assemblée nationale populaire de Guinée-Bissau", "National People's Assembly", False, True, ["pt"]),
    ("NE", "National Assembly of Niger", "Assemblée nationale du Niger", "National Assembly", False, True, ["fr"]),
    ("LY", "House of Representatives of Libya", "Chambre des représentants de Libye", "House of Representatives", False, True, ["ar"]),
    ("MG", "National Assembly of Madagascar", "Assemblée nationale de Madagascar", "National Assembly", False, True, ["fr", "mg"]),
    ("MD", "Parliament of the Republic of Moldova", "Parlement de la République de Moldavie", "Parliament", False, True, ["ro"]),
    ("LB", "Parliament of Lebanon", "Parlement du Liban", "Chamber of Deputies", False, True, ["ar", "fr"]),
    ("HT", "Chamber of Deputies of Haiti", "Chambre des députés d'Haïti", "Chamber of Deputies", False, True, ["fr", "ht"]),
]


def partners(locale: str | None = None) -> list[Parliament]:
    """The parliaments that receive assistance, in the order of the names the reader sees."""
    return by_name(db.session.scalars(select(Parliament).where(Parliament.receives_assistance.is_(True))).all(),
                   locale)


def seed_parliaments() -> int:
    """Add the reference parliaments that are missing; return how many were added."""
    existing = {(p.country_code, p.chamber_name) for p in db.session.scalars(select(Parliament))}
    added = 0
    for code, name_en, name_fr, chamber, gives, receives, languages in REFERENCE_PARLIAMENTS:
        if (code, chamber) in existing:
            continue
        db.session.add(Parliament(country_code=code, name_en=name_en, name_fr=name_fr, chamber_name=chamber,
                                  gives_assistance=gives, receives_assistance=receives,
                                  working_languages=languages))
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
