"""The topics a course may declare in course.toml, and the languages a course may be written in."""
from elearn.topics import TOPIC_NAMES

# Slug in course.toml -> its name in the current locale (the reference list in elearn/topics.py).
TOPICS = TOPIC_NAMES

# Languages a course may be written in (its own name for each).
COURSE_LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "ar": "العربية",
}
