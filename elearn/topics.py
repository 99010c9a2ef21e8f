"""Topics of parliamentary work: reference data shared by activities and courses."""
from __future__ import annotations

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db

# slug, English, French
REFERENCE_TOPICS = [
    ("plenary-sitting", "Organisation of the plenary sitting", "Organisation de la séance plénière"),
    ("committee-work", "Committee work", "Travail en commission"),
    ("legislative-procedure", "Legislative procedure", "Procédure législative"),
    ("oversight", "Oversight of government", "Contrôle de l'action du gouvernement"),
    ("official-record", "Official record and minutes", "Compte rendu des débats"),
    ("budget", "Budget and financial management", "Budget et gestion financière"),
    ("human-resources", "Human resources", "Ressources humaines"),
    ("library", "Library and documentation", "Bibliothèque et documentation"),
    ("archives", "Archives", "Archives"),
    ("protocol", "Protocol", "Protocole"),
    ("security", "Security", "Sécurité"),
    ("ict", "Information technology and communication", "Informatique et communication"),
    ("new-members", "Welcoming new members", "Accueil des nouveaux parlementaires"),
    ("gender-equality", "Gender equality in parliament", "Égalité femmes-hommes au parlement"),
    ("majority-opposition", "Majority and opposition", "Majorité et opposition"),
]


class TopicName:
    """A topic's name that reads in the current locale when rendered."""

    def __init__(self, english: str, french: str):
        self.english, self.french = english, french

    def __str__(self) -> str:
        from flask_babel import get_locale

        return self.french if str(get_locale()).startswith("fr") else self.english


TOPIC_NAMES = {slug: TopicName(name_en, name_fr) for slug, name_en, name_fr in REFERENCE_TOPICS}


class Topic(db.Model):
    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_fr: Mapped[str] = mapped_column(String(120))

    def name(self, locale: str = "en") -> str:
        return self.name_fr if locale == "fr" else self.name_en


def seed_topics() -> int:
    existing = set(db.session.scalars(select(Topic.slug)))
    added = 0
    for slug, name_en, name_fr in REFERENCE_TOPICS:
        if slug not in existing:
            db.session.add(Topic(slug=slug, name_en=name_en, name_fr=name_fr))
            added += 1
    db.session.commit()
    return added
