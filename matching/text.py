"""Folding names and quotes into comparable forms.

Names: any script to ASCII (anyascii), lower case, punctuation out (apostrophes join,
hyphens and dots separate), honorifics and roles out ("Gen.", "spokesman", "Dr."), and a
"skeleton" per word that transliteration habits agree on: vowels (after the first letter),
doubled letters and most h's dropped, and the usual letter pairs made one (kh/h, q/k, ph/f,
ou/u, j/dj, w/v, c/k, z/s), so Mujahid, Mojaheed and Mujahed share ``mjd``.

Quotes: the same folding, quotation marks and punctuation out, ellipses marked as gaps.
"""

import functools
import re

from anyascii import anyascii

ROLE_WORDS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "sir",
        "lord",
        "lady",
        "dame",
        "gen",
        "general",
        "lt",
        "lieutenant",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "cmdr",
        "commander",
        "brig",
        "brigadier",
        "adm",
        "admiral",
        "sgt",
        "sergeant",
        "marshal",
        "field",
        "president",
        "vice",
        "prime",
        "minister",
        "ministers",
        "secretary",
        "deputy",
        "chief",
        "head",
        "leader",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "spokespeople",
        "representative",
        "envoy",
        "ambassador",
        "governor",
        "mayor",
        "senator",
        "chairman",
        "chairwoman",
        "chair",
        "director",
        "commissioner",
        "king",
        "queen",
        "prince",
        "princess",
        "emir",
        "sheikh",
        "shaikh",
        "sheik",
        "mullah",
        "mulla",
        "mawlawi",
        "maulvi",
        "mawlana",
        "maulana",
        "mufti",
        "imam",
        "ayatollah",
        "haji",
        "hajji",
        "hadji",
        "rev",
        "reverend",
        "father",
        "bishop",
        "pope",
        "pastor",
        "foreign",
        "defence",
        "defense",
        "interior",
        "justice",
        "finance",
        "information",
        "official",
        "officials",
        "former",
        "acting",
        "late",
        "self",
        "styled",
        "so",
        "called",
        "cleric",
        "sayyed",
        "sayyid",
        "seyyed",
        "sayed",
        "syed",
        "hojatoleslam",
        "marja",
    ]
)
# Titles that many names carry inside them (Hassan Sheikh Mohamud, Abdullahi Haji Hassan): between
# two words of a name, a part of it; before one, a title.
NAME_TITLES = frozenset(
    {"sheikh", "shaikh", "sheik", "haji", "hajji", "hadji", "mullah", "mulla", "sayyid", "sayyed"}
    | {"seyyed", "sayed", "syed", "mawlawi", "maulvi", "mawlana", "maulana", "mufti"}
)
# Words that join a role to the organisation it serves ("spokesman of the Taliban").
ROLE_LINKS = frozenset({"of", "for", "the", "to"})
ELLIPSIS = re.compile(r"\.\s*\.\s*\.|…|\[\s*\.\.\.\s*\]|\[…\]")
# Straight, curly, low and angle quotation marks, and the accents used as apostrophes.
QUOTE_MARKS = re.compile(
    "[\"'`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a]"
)
NON_WORD = re.compile(r"[^a-z0-9\s]")
SPACES = re.compile(r"\s+")
SKELETON_PAIRS = (
    ("dj", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("sh", "s"),
    ("ch", "s"),
    ("zh", "j"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("z", "s"),
    ("y", "i"),
)
VOWELS = frozenset("aeiou")


def ascii_folded(text: str) -> str:
    """Any script as lower-case ASCII, with apostrophes joining and other punctuation spaced."""
    text = anyascii(text).lower()
    text = re.sub("['`\u00b4]", "", text)
    return SPACES.sub(" ", NON_WORD.sub(" ", text)).strip()


def _inside_a_name(words: list[str], index: int) -> bool:
    """Whether the title ``words[index]`` stands between two words of a name."""
    return (
        words[index] in NAME_TITLES
        and 0 < index < len(words) - 1
        and words[index - 1] not in ROLE_WORDS
        and words[index - 1] not in ROLE_LINKS
        and words[index + 1] not in ROLE_WORDS
    )


def name_words(name: str, *, titles_inside: bool = False) -> list[str]:
    """The words of a name, folded, with honorifics and roles (and what they hang on) out.

    "Taliban spokesman Zabihullah Mujahid" and "Zabihullah Mujahid, spokesman of the Taliban"
    both give ``["zabihullah", "mujahid"]``; "Massoud, Ahmad" gives ``["ahmad", "massoud"]``.
    With ``titles_inside``, a title between two words of the name stays a part of it:
    "Hassan Sheikh Mohamud" gives ``["hassan", "sheikh", "mohamud"]`` (without, ``["mohamud"]``,
    as "Hezbollah's Sheikh Hassan Nasrallah" gives ``["hassan", "nasrallah"]``).
    """
    parts = [part for part in re.split("[,;(]|\\s[-\u2013\u2014]\\s", anyascii(name)) if part.strip()]
    kept = []
    for part in parts:
        words = ascii_folded(part).split()
        roles = [
            index
            for index, word in enumerate(words)
            if word in ROLE_WORDS and not (titles_inside and _inside_a_name(words, index))
        ]
        opens_with_role = roles and all(w in ROLE_WORDS or w in ROLE_LINKS for w in words[: roles[0]])
        if opens_with_role and kept and len(words) - roles[-1] <= 4:
            continue  # a later part that opens with a role names an office ("spokesman of the Taliban")
        if roles:
            # Everything up to the last role word is its office: "Taliban spokesman", "Gen.".
            words = words[roles[-1] + 1 :] or [word for word in words if word not in ROLE_WORDS]
        kept.append(words)
    if len(kept) == 2 and len(kept[0]) >= 1 and len(kept[1]) >= 1 and "," in name:
        kept = [kept[1], kept[0]]  # "Massoud, Ahmad"
    return [word for words in kept for word in words]


@functools.lru_cache(maxsize=65536)  # names repeat their words; scoring asks for each often
def word_skeleton(word: str) -> str:
    if word.isdigit():
        return word
    for pair, single in SKELETON_PAIRS:
        word = word.replace(pair, single)
    first, rest = word[:1], word[1:]
    rest = "".join(letter for letter in rest if letter not in VOWELS and letter != "h")
    if first in VOWELS:
        first = "a"
    skeleton = first + rest
    return re.sub(r"(.)\1+", r"\1", skeleton)


# Arabic and Persian script romanised letter by letter (anyascii) writes no short vowels and
# keeps the article joined ("mjhd", "lsdr"), and ذ as "dh" where Persian and Pashto names say z.
# Burmese romanised letter by letter writes no final g of "ng" (Hlaing, "hlin").
CONSONANT_PAIRS = (("dh", "z"), ("ng", "n"), *SKELETON_PAIRS)


def consonants(words: list[str]) -> str:
    """A name's consonants, its words joined: what a romanisation of a script without short
    vowels shares with a Latin spelling ("Zabihullah Mujahid" and ذبيح الله مجاهد: ``sblmjd``)."""
    joined = "".join(word for word in words if not word.isdigit())
    for pair, single in CONSONANT_PAIRS:
        joined = joined.replace(pair, single)
    kept = "".join(letter for letter in joined if letter not in VOWELS and letter not in "hi")
    return re.sub(r"(.)\1+", r"\1", kept)


def name_skeleton(words: list[str]) -> str:
    """The skeletons of a name's words, sorted: word order and spelling habits do not count."""
    return " ".join(sorted(word_skeleton(word) for word in words))


def acronym(words: list[str]) -> str:
    significant = [word for word in words if word not in {"of", "the", "for", "and", "al", "el", "de"}]
    return "".join(word[0] for word in significant) if len(significant) >= 2 else ""


def initials(words: list[str]) -> tuple[str, ...]:
    """What a person's initials can be: of the whole name and of its first three words, when
    three letters or more ("MBS", "MBZ" of Mohamed bin Zayed Al Nahyan, "AMLO")."""
    whole = acronym(words)
    keys = [whole, whole[:3]] if len(whole) > 3 else [whole]
    return tuple(key for key in dict.fromkeys(keys) if len(key) >= 3)


def quote_folded(text: str) -> str:
    """A statement's words: any script as ASCII, lower case, no punctuation or quotation marks;
    an ellipsis becomes `` ... `` (a gap)."""
    text = ELLIPSIS.sub(" \x00 ", text)
    text = QUOTE_MARKS.sub(" ", anyascii(text).lower())
    text = re.sub(r"[^a-z0-9\x00\s]", " ", text)
    return SPACES.sub(" ", text).replace("\x00", "...").strip()
