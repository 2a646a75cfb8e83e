"""Names in a sentence: runs of capitalised words, with the title before a person's name,
a possessive, an acronym in brackets after it, and whether it reads as a person, an
organisation or a place."""

import dataclasses
import functools
import re
from dataclasses import dataclass

from drafts.extraction.lexicon import (
    CUE_VERBS,
    FIRST_NAME_MONTHS,
    HONORIFICS,
    NAME_CONNECTORS,
    NOT_NAMES,
    ORGANIZATION_WORDS,
    PERSON_ROLES,
)
from drafts.extraction.text import ABBREVIATIONS

# Words (a period inside one, "U.S", but not after it: "said."), handles, numbers, punctuation.
_TOKEN = re.compile(r"@\w+|[^\W\d_](?:[\w’'\-]|\.(?=\w))*|\d(?:[\w]|[.,](?=\d))*|\S")
# Before a place more often than before anyone who speaks ("in Kabul", "near Belgora").
_LOCATIVE = frozenset({"in", "near", "outside", "across", "into", "towards", "toward"})
_VERBS_AFTER_NAME = CUE_VERBS | frozenset(
    [
        "has",
        "have",
        "had",
        "is",
        "was",
        "were",
        "will",
        "would",
        "also",
        "did",
        "does",
        "could",
        "can",
        "may",
        "might",
        "must",
        "should",
        "is",
        "are",
    ]
)
_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass
class Mention:
    name: str
    start: int
    end: int
    kind: str  # person, organization, place or unknown
    title: list[str]
    outer_start: int = -1  # where the title begins ("Mayor Ilse Marek"); the name's start without one
    possessive: bool = False
    acronym: str = ""
    definite: bool = False  # "the Taliban"


def tokens(text: str, start: int, end: int) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def _capitalised(token: Token) -> bool:
    word = token.text.strip(".’'")
    if re.match(r"(?:al|el|ad|as|at|an|ar|az|ash)-[A-Z]", word):
        return True  # "al-Harthi", "el-Sayed"
    if re.search(r"-[a-z]", word):
        return False  # an adjective: "Taliban-launched"
    return bool(word) and (word[0].isupper() or word.startswith("@")) and any(c.isalpha() for c in word)


def mentions(text: str, start: int, end: int) -> list[Mention]:
    """The names between ``start`` and ``end`` (fresh objects: callers may change them)."""
    return [dataclasses.replace(mention) for mention in _mentions(text, start, end)]


# An article's ranges are read again by later steps (speakers, events, places); the cache keeps
# about two articles' worth, each entry holding a reference to its text, not a copy.
@functools.lru_cache(maxsize=512)
def _mentions(text: str, start: int, end: int) -> tuple["Mention", ...]:
    found = []
    words = tokens(text, start, end)
    i = 0
    while i < len(words):
        if not _capitalised(words[i]):
            i += 1
            continue
        j = i + 1
        while j < len(words):
            if (
                words[j].text == "."
                and (len(words[j - 1].text) == 1 or words[j - 1].lower in ABBREVIATIONS)
                and j + 1 < len(words)
                and _capitalised(words[j + 1])
            ):
                j += 1  # "Dr. Felix Amadi", "John F. Kennedy"
            elif _capitalised(words[j]) and (
                not _POSSESSIVE.search(words[j - 1].text) or re.search(r"s[’']$", words[j - 1].text)
            ):
                j += 1
            elif (
                words[j].lower in NAME_CONNECTORS
                and j + 1 < len(words)
                and _capitalised(words[j + 1])
                and words[j - 1].lower not in NAME_CONNECTORS
            ) or (words[j].text in "-" and j + 1 < len(words) and _capitalised(words[j + 1])):
                j += 2
            elif (
                words[j].lower == "and"
                and j + 1 < len(words)
                and _capitalised(words[j + 1])
                and _joins(words, i, j)
            ):
                j += 2  # "Department of Health and Social Care", not "Kestonia and Marlovia"
            else:
                break
        mention = _mention(words, i, j, text)
        if mention is not None:
            found.append(mention)
        i = j
    return tuple(found)


def _joins(words: list[Token], start: int, at: int) -> bool:
    """Whether "and" at ``at`` is inside one organisation's name: an organisation word before or
    after it ("Ministry of Science and Higher Education", "Southbank and Lewisham ... Trust"), not
    two names ("Kestonia and Marlovia")."""
    before = {word.lower.strip(".’'") for word in words[start:at]}
    after = []
    for word in words[at + 1 : at + 7]:
        if not (_capitalised(word) or word.lower in NAME_CONNECTORS):
            break
        after.append(word.lower.strip(".’'"))
    return bool(set(after) & ORGANIZATION_WORDS) or bool(before & ORGANIZATION_WORDS)


def _mention(words: list[Token], i: int, j: int, text: str) -> Mention | None:
    run = words[i:j]
    while run and (run[0].lower.strip(".") in NOT_NAMES - HONORIFICS or run[0].lower in NAME_CONNECTORS):
        if run[0].lower in FIRST_NAME_MONTHS and len(run) > 1 and not run[1].text[0].isdigit():
            break  # "June Albright", "April Ryan": a first name
        run = run[1:]
    while run and run[-1].lower in NAME_CONNECTORS:
        run = run[:-1]
    if not run:
        return None
    first, last = run[0], run[-1]
    possessive = bool(_POSSESSIVE.search(last.text)) and len(last.text) > 2
    title: list[str] = []
    role_at = max((k for k, word in enumerate(run) if word.lower.strip(".") in PERSON_ROLES), default=-1)
    rest = {word.lower.strip(".") for word in run[role_at + 1 :]}
    if 0 <= role_at < len(run) - 1 and not rest & ORGANIZATION_WORDS:
        title = [word.text for word in run[: role_at + 1]]
        run = run[role_at + 1 :]
    elif role_at == len(run) - 1 and len(run) > 1 and run[-1].lower.strip(".") not in ORGANIZATION_WORDS:
        # "Taliban spokesman": the organisation, the role after it is read by the caller.
        run = run[:role_at]
    if not run:
        return None
    name = text[run[0].start : run[-1].end]
    name = _POSSESSIVE.sub("", name) if possessive else name
    name = name.rstrip(".") if not re.search(r"\b[A-Z]\.$", name) else name
    start, end = run[0].start, run[-1].end
    outer_start = first.start
    before = words[i - 1].lower if i > 0 else ""
    definite = before == "the" or (words[i].lower == "the" and words[i] is not run[0])
    acronym = ""
    after = text[end : end + 12]
    bracket = re.match(r"\s*\(([A-Z][A-Za-z0-9]{1,9})\)", after)
    if bracket and bracket.group(1).isupper():
        acronym = bracket.group(1)
    kind = _kind(name, title, definite, before)
    if (
        kind == "organization"
        and definite
        and len(run) == 1
        and not (set(name.lower().split()) & ORGANIZATION_WORDS)
    ):
        following = words[j].lower if j < len(words) else ""
        if following.isalpha() and following not in _VERBS_AFTER_NAME:
            kind = "unknown"  # an adjective: "the Afghan people"
    return Mention(
        name=name,
        start=start,
        end=end,
        kind=kind,
        title=title,
        outer_start=outer_start,
        possessive=possessive,
        acronym=acronym,
        definite=definite,
    )


def _kind(name: str, title: list[str], definite: bool, before: str) -> str:
    parts = [part.strip(".’'") for part in re.split(r"[\s\-]+", name) if part]
    lowered = {part.lower() for part in parts}
    if lowered & ORGANIZATION_WORDS or re.fullmatch(r"[A-Z]{2,7}", name) or name.startswith("@"):
        return "organization"
    if title:
        return "person"
    if before in _LOCATIVE:
        return "place"
    if definite:
        return "organization"
    if 2 <= len(parts) <= 5:
        return "person"
    return "unknown"


def poster_kind(name: str) -> str:
    """A post's author (the name before its handle): an organisation by its words, else a person."""
    return "organization" if _kind(name, [], False, "") == "organization" else "person"
