"""Topics of parliamentary work: reference data shared by activities and courses."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db
from elearn.localised_names import LocalisedNames, fill_missing_names, name_language


def _names(en: str, fr: str, es: str, pt: str, ar: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "es": es, "pt": pt, "ar": ar}


# slug, then the name in each interface language (Portuguese: the European norm)
REFERENCE_TOPICS: list[tuple[str, dict[str, str]]] = [
    ("plenary-sitting", _names("Organisation of the plenary sitting", "Organisation de la séance plénière",
                               "Organización de la sesión plenaria", "Organização da sessão plenária",
                               "تنظيم الجلسة العامة")),
    ("committee-work", _names("Committee work", "Travail en commission", "Trabajo en comisión",
                              "Trabalho em comissão", "عمل اللجان")),
    ("legislative-procedure", _names("Legislative procedure", "Procédure législative", "Procedimiento legislativo",
                                     "Processo legislativo", "الإجراءات التشريعية")),
    ("oversight", _names("Oversight of government", "Contrôle de l'action du gouvernement",
                         "Control de la acción del Gobierno", "Fiscalização da ação do Governo",
                         "الرقابة على عمل الحكومة")),
    ("official-record", _names("Official record and minutes", "Compte rendu des débats",
                               "Diario de sesiones y actas", "Diário das sessões e atas",
                               "المحاضر الرسمية للجلسات")),
    ("budget", _names("Budget and financial management", "Budget et gestion financière",
                      "Presupuesto y gestión financiera", "Orçamento e gestão financeira",
                      "الميزانية والإدارة المالية")),
    ("human-resources", _names("Human resources", "Ressources humaines", "Recursos humanos", "Recursos humanos",
                               "الموارد البشرية")),
    ("library", _names("Library and documentation", "Bibliothèque et documentation", "Biblioteca y documentación",
                       "Biblioteca e documentação", "المكتبة والتوثيق")),
    ("archives", _names("Archives", "Archives", "Archivo", "Arquivo", "الأرشيف")),
    ("protocol", _names("Protocol", "Protocole", "Protocolo", "Protocolo", "المراسم")),
    ("security", _names("Security", "Sécurité", "Seguridad", "Segurança", "الأمن")),
    ("ict", _names("Information technology and communication", "Informatique et communication",
                   "Informática y comunicación", "Informática e comunicação", "تقنية المعلومات والاتصال")),
    ("new-members", _names("Welcoming new members", "Accueil des nouveaux parlementaires",
                           "Acogida de los nuevos parlamentarios", "Acolhimento dos novos deputados",
                           "استقبال البرلمانيين الجدد")),
    ("gender-equality", _names("Gender equality in parliament", "Égalité femmes-hommes au parlement",
                               "Igualdad de género en el parlamento", "Igualdade de género no parlamento",
                               "المساواة بين الجنسين في البرلمان")),
    ("majority-opposition", _names("Majority and opposition", "Majorité et opposition", "Mayoría y oposición",
                                   "Maioria e oposição", "الأغلبية والمعارضة")),
]


class TopicName:
    """A topic's name that reads in the current locale when rendered."""

    def __init__(self, names: dict[str, str]):
        self.names = names

    def __str__(self) -> str:
        from flask_babel import get_locale

        return self.names.get(name_language(str(get_locale()))) or self.names["en"]


TOPIC_NAMES = {slug: TopicName(names) for slug, names in REFERENCE_TOPICS}


class Topic(LocalisedNames, db.Model):
    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_fr: Mapped[str] = mapped_column(String(120))
    name_es: Mapped[Optional[str]] = mapped_column(String(120))
    name_pt: Mapped[Optional[str]] = mapped_column(String(120))
    name_ar: Mapped[Optional[str]] = mapped_column(String(120))


def seed_topics() -> int:
    """Add the reference topics that are missing and give existing ones the names they lack (an
    administrator's wording is kept); return how many topics were added."""
    existing = {topic.slug: topic for topic in db.session.scalars(select(Topic))}
    added = 0
    for slug, names in REFERENCE_TOPICS:
        if slug in existing:
            fill_missing_names(existing[slug], names)
            continue
        db.session.add(Topic(slug=slug, **{f"name_{language}": name for language, name in names.items()}))
        added += 1
    db.session.commit()
    return added
