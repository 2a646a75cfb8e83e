"""Scores from 0 to 1: how surely a name names a known actor, and a text repeats a statement.

Pure functions over strings, so the evaluation (``manage.py eval_matching``) measures exactly
what the endpoints answer. The rules, strongest first:

Names (against an actor's name and each alias):
- an exact handle or ``scheme:value`` external id: 1.0;
- the same words once folded (case, accents, punctuation, honorifics and roles): 1.0, in
  another order 0.99, joined differently ("Al-Shabaab", "Alshabaab") 0.98;
- the acronym of a multi-word name ("NRF"): 0.96; a person's initials ("MBS"): 0.7;
- the same word skeletons with one word spelled differently (Mujahid, Mujahed): 0.95;
  with more words spelled differently 0.88;
- otherwise a fuzzy score (rapidfuzz) that stays below the "same" range: 0.9 times the
  better of the folded and the skeleton similarity, raised to 0.8 for an initial and a shared
  surname ("Z. Mujahid"), for words that are all part of the name ("Mojaheed", "Suu Kyi"), or
  for the same consonants as a name written in another script, romanised without its short
  vowels (ذبيح الله مجاهد, "Zabihullah Mujahid").
- the same skeletons and one word with a single change (Mujahid, Mujahed; Massoud, Masoud;
  ee/i): 0.95; more changes 0.88.

Statements (folded: case, quotation marks, punctuation, whitespace):
- the same words: 1.0; every part between ellipses found, in order, in the other text, or
  one text (six words or more) inside the other: 0.97;
- otherwise 0.9 times a fuzzy similarity, capped at 0.5 when the two disagree on negation
  or on the numbers they give (the hard negatives: "have taken" and "have not taken").
"""

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from matching.text import (
    acronym,
    consonants,
    initials,
    name_skeleton,
    name_words,
    quote_folded,
    word_skeleton,
)

HANDLE_SCHEMES = (
    "twitter",
    "x",
    "telegram",
    "instagram",
    "facebook",
    "tiktok",
    "youtube",
    "mastodon",
    "bluesky",
)


@dataclass(frozen=True)
class NameForm:
    """One name of an actor (its name or an alias), folded for comparison."""

    label: str  # "name" or "alias"
    text: str
    words: tuple[str, ...]
    skeleton: str
    acronym: str
    romanised: bool = False  # written in a script other than Latin
    initials: tuple[str, ...] = ()  # a person's

    @classmethod
    def of(cls, label: str, text: str, *, kind: str = "", words: tuple[str, ...] | None = None) -> "NameForm":
        words = tuple(name_words(text)) if words is None else words
        # An organisation goes by its initials (NRF); a person's are a nickname (MBS), likely them.
        organization = acronym(list(words)) if kind == "organization" else ""
        person = initials(list(words)) if kind == "person" else ()
        return cls(label, text, words, name_skeleton(list(words)), organization, romanised(text), person)


def romanised(text: str) -> bool:
    """Whether ``text`` has letters of a script other than Latin (folding romanised them)."""
    return not text.isascii() and any(
        letter.isalpha() and not unicodedata.name(letter, "LATIN").startswith("LATIN") for letter in text
    )


def name_forms(name: str, aliases: list[str], *, kind: str = "") -> list[NameForm]:
    """The actor's name and aliases; each also with the titles inside it kept as its words
    ("Hassan Sheikh Mohamud": ``mohamud`` and ``hassan sheikh mohamud``), when that differs."""
    forms = []
    for label, text in (("name", name), *(("alias", alias) for alias in aliases if alias.strip())):
        forms.append(NameForm.of(label, text, kind=kind))
        whole = tuple(name_words(text, titles_inside=True))
        if whole != forms[-1].words:
            forms.append(NameForm.of(label, text, kind=kind, words=whole))
    return forms


@dataclass(frozen=True)
class NameScore:
    score: float
    matched_on: str


NO_MATCH = NameScore(0.0, "")


def _handle(query: str) -> tuple[str | None, str] | None:
    """``@nrfafg`` (any handle scheme) or ``twitter:nrfafg``; None for a plain name."""
    query = query.strip()
    if query.startswith("@") and len(query) > 1 and " " not in query:
        return None, query[1:].lower()
    match = re.fullmatch(r"([A-Za-z0-9_.-]+):(\S+)", query)
    return (match[1].lower(), match[2].lower().lstrip("@")) if match else None


def score_external_ids(query: str, external_ids: dict[str, str]) -> NameScore | None:
    """The score of a handle or external id query (None when the query is a plain name)."""
    handle = _handle(query)
    if handle is None:
        return None
    scheme, value = handle
    for known_scheme, known_value in external_ids.items():
        if str(known_value).lower().lstrip("@") != value:
            continue
        if (scheme is None and known_scheme.lower() in HANDLE_SCHEMES) or scheme == known_scheme.lower():
            return NameScore(1.0, f"external id: {known_scheme}:{known_value}")
    return NO_MATCH


# No fuzzy or part-of-a-name score passes this: above it only the exact keys (folded words,
# skeletons, acronyms) score, so a caller that has enough candidates above it can stop looking.
FUZZY_CEILING = 0.9
# The same consonants, one side romanised from a script without short vowels (ذبيح الله مجاهد,
# Zabihullah Mujahid): likely the same, for a person to confirm.
CROSS_SCRIPT = 0.8
# A person's initials (MBS): who the query means, likely, for a person to confirm.
PERSON_INITIALS = 0.7

VOWEL_DIGRAPHS = (("ee", "i"), ("ii", "i"), ("ie", "i"), ("oo", "u"), ("ou", "u"), ("aa", "a"), ("ey", "ei"))


def _one_change(mine: str, theirs: str) -> bool:
    """Whether two spellings of a word differ by one transliteration habit: one letter added,
    dropped or changed (Massoud/Masoud, Mujahid/Mujahed, kh/h), or a vowel digraph (ee/i)."""
    if Levenshtein.distance(mine, theirs) <= 1:
        return True
    for pair, single in VOWEL_DIGRAPHS:
        if Levenshtein.distance(mine.replace(pair, single), theirs.replace(pair, single)) == 0:
            return True
    return False


def _changed_words(query: tuple[str, ...], known: tuple[str, ...]) -> tuple[int, bool] | None:
    """Between two names with the same skeletons (words aligned by skeleton): how many words are
    spelled differently, and whether that is a single change; None when a pair is too far apart
    to be one word spelled two ways."""
    pairs = zip(sorted(query, key=word_skeleton), sorted(known, key=word_skeleton), strict=True)
    changed = [(mine, theirs) for mine, theirs in pairs if mine != theirs]
    if any(Levenshtein.distance(mine, theirs) > max(2, len(theirs) // 3) for mine, theirs in changed):
        return None
    return len(changed), len(changed) == 1 and _one_change(*changed[0])


def score_name_form(query: NameForm, form: NameForm) -> float:
    if not query.words or not form.words:
        return 0.0
    if query.words == form.words:
        return 1.0
    if sorted(query.words) == sorted(form.words):
        return 0.99
    if "".join(query.words) == "".join(form.words):
        return 0.98
    if len(query.words) == 1 and len(query.words[0]) >= 2 and query.words[0] == form.acronym:
        return 0.96
    if len(query.words) == 1 and query.words[0] in form.initials:
        return PERSON_INITIALS
    if query.skeleton == form.skeleton and len(query.words) == len(form.words):
        changed = _changed_words(query.words, form.words)
        if changed is not None:
            return 0.95 if changed[1] else 0.88
    folded = fuzz.token_sort_ratio(" ".join(query.words), " ".join(form.words)) / 100
    skeletal = fuzz.token_sort_ratio(query.skeleton, form.skeleton) / 100
    score = 0.9 * max(folded, skeletal)
    query_skeletons = [word_skeleton(word) for word in query.words]
    form_skeletons = [word_skeleton(word) for word in form.words]
    if len(query.words) < len(form.words) and all(skeleton in form_skeletons for skeleton in query_skeletons):
        if max(len(word) for word in query.words) >= 4 or len(query.words) >= 2:
            # Spelled as written in the name ranks above a spelling variant of it.
            score = max(
                score, 0.82 if set(query.words) <= set(form.words) else 0.8
            )  # part of the name: "Mojaheed", "Ahmad Massoud" of "Ahmad Shah Massoud"
    elif len(query.words) == len(form.words) >= 2 and query_skeletons[-1] == form_skeletons[-1]:
        initials = [word for word in query.words[:-1] if len(word) == 1]
        if initials and all(
            word[0] == known[0] for word, known in zip(query.words, form.words, strict=False)
        ):
            score = max(score, 0.8)  # "Z. Mujahid"
    if query.romanised or form.romanised:
        key = consonants(list(query.words))
        if len(key) >= 4 and key == consonants(list(form.words)):
            score = max(score, CROSS_SCRIPT)
    return min(score, FUZZY_CEILING)


def score_name(query: str, forms: list[NameForm], external_ids: dict[str, str]) -> NameScore:
    """How surely ``query`` names the actor with these names and ids."""
    by_id = score_external_ids(query, external_ids)
    if by_id is not None:
        return by_id
    asked = NameForm.of("query", query)
    best = NO_MATCH
    for form in forms:
        score = score_name_form(asked, form)
        if score > best.score:
            best = NameScore(round(score, 4), f"{form.label}: {form.text}")
    return best


# -- statements ---------------------------------------------------------------------------------

NEGATIONS = frozenset(
    {
        "not",
        "no",
        "never",
        "none",
        "nothing",
        "nobody",
        "neither",
        "nor",
        "without",
        "deny",
        "denied",
        "denies",
        "false",
        "untrue",
        "cannot",
        "cant",
        "dont",
        "didnt",
        "doesnt",
        "isnt",
        "wasnt",
        "werent",
        "arent",
        "hasnt",
        "havent",
        "hadnt",
        "wont",
        "wouldnt",
        "ne",
        "pas",
        "jamais",
        "nunca",
        "ni",
    }
)
NUMBER = re.compile(r"\d+")
MIN_CONTAINED_WORDS = 6


def _contains_in_order(parts: list[str], text: str) -> bool:
    position = 0
    padded = f" {text} "
    for part in parts:
        found = padded.find(f" {part} ", position)
        if found < 0:
            return False
        position = found + len(part) + 1
    return True


def _pieces(folded: str) -> list[str]:
    return [piece.strip() for piece in folded.split("...") if piece.strip()]


def _one_inside_the_other(query: str, known: str) -> bool:
    for inner, outer in ((query, known), (known, query)):
        pieces = _pieces(inner)
        words = sum(len(piece.split()) for piece in pieces)
        if pieces and words >= MIN_CONTAINED_WORDS and _contains_in_order(pieces, outer.replace("...", " ")):
            return True
    return False


# "no fewer than 40", "no more than", "no longer": quantities and time, not a denial.
NOT_A_DENIAL = re.compile(r"\bno (?:fewer|less|more|later|sooner|longer)\b")


def _negated(folded: str) -> bool:
    return bool(set(NOT_A_DENIAL.sub(" ", folded).split()) & NEGATIONS)


def _numbers_differ(mine: str, theirs: str) -> bool:
    """Both give figures, and not the same ones (a figure written out in words is not compared)."""
    numbers_mine, numbers_theirs = set(NUMBER.findall(mine)), set(NUMBER.findall(theirs))
    return bool(numbers_mine and numbers_theirs and numbers_mine != numbers_theirs)


def score_statement(query: str, known: str) -> float:
    """How surely ``query`` repeats the statement ``known`` (both as published)."""
    mine, theirs = quote_folded(query), quote_folded(known)
    if not mine or not theirs:
        return 0.0
    plain_mine, plain_theirs = mine.replace("...", " ").split(), theirs.replace("...", " ").split()
    if plain_mine == plain_theirs:
        return 1.0
    if _one_inside_the_other(mine, theirs):
        return 0.97
    mine_text, theirs_text = " ".join(plain_mine), " ".join(plain_theirs)
    similarity = (
        max(
            fuzz.token_set_ratio(mine_text, theirs_text) * 0.9,
            fuzz.ratio(mine_text, theirs_text),
            fuzz.partial_ratio(mine_text, theirs_text) * 0.85,
        )
        / 100
    )
    score = 0.9 * similarity
    if _negated(mine_text) != _negated(theirs_text) or _numbers_differ(mine_text, theirs_text):
        score = min(score, 0.45)
    return round(score, 4)
