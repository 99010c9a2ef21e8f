"""The topics a course may declare in course.toml, and the languages a course may be written in."""
from elearn.languages import CONTENT_LANGUAGES
from elearn.topics import TOPIC_NAMES

# Slug in course.toml -> its name in the current locale (the reference list in elearn/topics.py).
TOPICS = TOPIC_NAMES

# Languages a course may be written in: those of the language table meant for content.
COURSE_LANGUAGES = CONTENT_LANGUAGES
