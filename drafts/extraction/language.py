"""The language of a passage (lingua, whose models ship in its wheel: nothing is downloaded)."""

import functools

from lingua import Language, LanguageDetectorBuilder

# The languages of most newswire; a detector over fewer languages is faster and surer.
LANGUAGES = [
    Language.ENGLISH,
    Language.FRENCH,
    Language.GERMAN,
    Language.SPANISH,
    Language.PORTUGUESE,
    Language.ITALIAN,
    Language.DUTCH,
    Language.RUSSIAN,
    Language.UKRAINIAN,
    Language.POLISH,
    Language.TURKISH,
    Language.ARABIC,
    Language.PERSIAN,
    Language.URDU,
    Language.HINDI,
    Language.CHINESE,
    Language.JAPANESE,
    Language.KOREAN,
    Language.INDONESIAN,
    Language.SWAHILI,
]
MINIMUM_WORDS = 3


@functools.cache
def _detector():
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).build()


def language_of(text: str, default: str = "") -> str:
    """An ISO 639-1 code, or ``default`` when the passage is too short to tell."""
    if len(text.split()) < MINIMUM_WORDS:
        return default
    found = _detector().detect_language_of(text)
    if found is None:
        return default
    return found.iso_code_639_1.name.lower()
