"""Reference rows named in every interface language (parliaments, topics): which name a reader sees."""
from __future__ import annotations

from sqlalchemy import func

# English is required and the fallback; the others may be missing (an administrator's own parliament).
NAME_LANGUAGES = ("en", "fr", "es", "pt", "ar")


def name_language(locale: str | None) -> str:
    language = (locale or "en").replace("-", "_").split("_")[0].lower()
    return language if language in NAME_LANGUAGES else "en"


class LocalisedNames:
    """For a model with name_en and a name_<language> column per other language of NAME_LANGUAGES."""

    def name(self, locale: str | None = "en") -> str:
        """The name in the reader's language when it is set, else the English one."""
        return getattr(self, f"name_{name_language(locale)}") or self.name_en

    @classmethod
    def name_column(cls, locale: str | None):
        """The same choice in SQL, for selects that read names without loading the rows."""
        language = name_language(locale)
        if language == "en":
            return cls.name_en
        return func.coalesce(func.nullif(getattr(cls, f"name_{language}"), ""), cls.name_en)


def fill_missing_names(row, names: dict[str, str]) -> int:
    """Give `row` the names it lacks from `names` (reference data), keeping every name it has; count them."""
    filled = 0
    for language in NAME_LANGUAGES:
        if names.get(language) and not getattr(row, f"name_{language}"):
            setattr(row, f"name_{language}", names[language])
            filled += 1
    return filled
