"""Paragraphs and sentences of an article, with their character offsets in its text."""

import re
from dataclasses import dataclass

# Abbreviations after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "lt",
        "maj",
        "capt",
        "sgt",
        "rep",
        "sen",
        "gov",
        "st",
        "mt",
        "jr",
        "sr",
        "no",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.n",
        "u.k",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "fig",
        "adm",
        "cmdr",
        "brig",
        "supt",
        "insp",
    ]
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\r\n\s*\r\n")
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s)\]\"”’]*(?:\s|$))[\"”’)\]]*")


@dataclass(frozen=True)
class Segment:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def paragraphs(text: str) -> list[Segment]:
    """Blank-line separated blocks; a text with single newlines only is split on those."""
    breaks = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\n")
    found, position = [], 0
    for match in [*breaks.finditer(text), None]:
        end = match.start() if match else len(text)
        block = text[position:end]
        stripped = block.strip()
        if stripped:
            start = position + block.index(stripped[0])
            found.append(Segment(start, start + len(stripped)))
        if match:
            position = match.end()
    return found


def sentences(masked: str, paragraph: Segment) -> list[Segment]:
    """Sentences of one paragraph of ``masked`` (the text with quoted passages blanked out,
    so a period inside a quotation does not end the sentence that holds it)."""
    found, start = [], paragraph.start
    for match in _SENTENCE_END.finditer(masked, paragraph.start, paragraph.end):
        word = re.search(r"([\w.]+)\.$", masked[max(paragraph.start, match.start() - 12) : match.start() + 1])
        if match.group().startswith(".") and word and _is_abbreviation(word.group(1), masked, match.end()):
            continue
        end = match.end()
        if masked[start:end].strip():
            found.append(_trimmed(masked, start, end))
        start = end
    if masked[start : paragraph.end].strip():
        found.append(_trimmed(masked, start, paragraph.end))
    return found


def _is_abbreviation(word: str, masked: str, after: int) -> bool:
    lowered = word.lower().rstrip(".")
    if lowered in ABBREVIATIONS:
        return True
    if len(lowered) == 1 and lowered.isalpha():
        return True  # an initial: "John F. Kennedy"
    following = masked[after : after + 2].strip()
    return bool(following) and following[0].islower()


def _trimmed(text: str, start: int, end: int) -> Segment:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Segment(start, end)


def collapse_whitespace(text: str) -> str:
    return " ".join(text.split())
