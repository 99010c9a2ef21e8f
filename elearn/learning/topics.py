"""The topics a course may declare in course.toml, and the languages a course may be written in."""
from flask_babel import lazy_gettext as _l

# Slug in course.toml -> label shown in the catalogue (the topics of DOMAIN.md).
TOPICS = {
    "plenary-sitting": _l("Organisation of the plenary sitting"),
    "committee-work": _l("Committee work"),
    "legislative-procedure": _l("Legislative procedure"),
    "oversight": _l("Oversight of government"),
    "official-record": _l("Official record and minutes"),
    "budget": _l("Budget and financial management"),
    "human-resources": _l("Human resources"),
    "library": _l("Library and documentation"),
    "archives": _l("Archives"),
    "protocol": _l("Protocol"),
    "security": _l("Security"),
    "ict": _l("Information technology and communication"),
    "new-members": _l("Welcoming new members"),
}

# Languages a course may be written in (its own name for each).
COURSE_LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "ar": "العربية",
}
