"""The language of a passage (lingua, whose models ship in its wheel: nothing is downloaded).

Lingua's low-accuracy mode: its trigram models only, about 30 MB for the languages below and
a fraction of a millisecond a passage, where the full models take 270 MB and 2.7 s to load. A
passage the models cannot tell apart (a close call, under ``MINIMUM_RELATIVE_DISTANCE``) is
given the article's language rather than a guess.
"""

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
MINIMUM_RELATIVE_DISTANCE = 0.05


@functools.cache
def _detector():
    return (
        LanguageDetectorBuilder.from_languages(*LANGUAGES)
        .with_low_accuracy_mode()
        .with_minimum_relative_distance(MINIMUM_RELATIVE_DISTANCE)
        .with_preloaded_language_models()
        .build()
    )


def warm() -> None:
    """Load the models now (each gunicorn worker, at start), not during a request."""
    _detector()


def language_of(text: str, default: str = "") -> str:
    """An ISO 639-1 code, or ``default`` when the passage is too short to tell."""
    if len(text.split()) < MINIMUM_WORDS:
        return default
    found = _detector().detect_language_of(text)
    if found is None:
        return default
    return found.iso_code_639_1.name.lower()
