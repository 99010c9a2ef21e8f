"""Reference list of parliaments loaded by `flask parliaments seed`."""
from __future__ import annotations

from sqlalchemy import select

from elearn.extensions import db
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
