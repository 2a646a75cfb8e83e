"""Quoted passages and embedded social posts.

A quoted passage is found by its marks: curly double quotes, straight double quotes (an
opening mark follows a space or a bracket, a closing one follows a word), guillemets, and
curly single quotes when a text uses no double marks at all. A quotation that runs over
paragraphs opens every paragraph and closes only the last one. An embedded post is a
paragraph that ends ``— Name (@handle) Month D, YYYY``, the way news sites paste tweets.
"""

import re
from dataclasses import dataclass, field

from drafts.extraction.text import Segment

# Each opening mark and the marks that may close it (typed text mixes curly and straight).
OPENING = {"“": '”"', "«": "»", "„": "“”", '"': '"”', "‘": "’"}
STRAIGHT = '"'
_WORD = re.compile(r"\w")
_POST = re.compile(
    r"(?P<body>.+?)\s*[—–]+\s*(?P<name>[^()\n—–]{2,100}?)\s*\(\s*@(?P<handle>\w{1,50})\s*\)\s*"
    r"(?P<date>[A-Z][a-z]{2,9}\.? \d{1,2},? \d{4})\.?$",
    re.S,
)


@dataclass
class Quote:
    parts: list[Segment]  # the content of each paragraph's part, marks excluded
    opening: int  # offset of the opening mark
    closing: int  # offset just after the closing mark (the paragraph's end when unclosed)
    paragraph: int
    text: str = ""

    @property
    def start(self) -> int:
        return self.parts[0].start

    @property
    def end(self) -> int:
        return self.parts[-1].end

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Post:
    paragraph: int
    body: Segment
    name: str
    handle: str
    date: str
    quotes_inside: list[Quote] = field(default_factory=list)


def embedded_post(text: str, paragraph: Segment, index: int) -> Post | None:
    match = _POST.fullmatch(paragraph.of(text))
    if not match or len(match.group("body").split()) < 2:
        return None
    start = paragraph.start + match.start("body")
    body = Segment(start, paragraph.start + match.end("body"))
    return Post(
        index, body, " ".join(match.group("name").split()), match.group("handle"), match.group("date")
    )


def _uses_single_marks(text: str) -> bool:
    """British style: single curly quotes carry quotations when no double mark appears."""
    return not any(mark in text for mark in (*OPENING, STRAIGHT, "”", "»"))


def find_quotes(text: str, paragraphs: list[Segment], skip: set[int]) -> list[Quote]:
    """Every quoted passage outside the paragraphs in ``skip`` (embedded posts)."""
    singles = _uses_single_marks(text)
    quotes: list[Quote] = []
    carried: Quote | None = None  # a quotation still open at the end of the last paragraph
    for index, paragraph in enumerate(paragraphs):
        if index in skip:
            carried = None
            continue
        opened: tuple[int, str] | None = None
        if carried is not None:
            first = text[paragraph.start]
            if first in OPENING and (first != "‘" or singles):
                opened = (paragraph.start, OPENING[first])
            else:
                _close(carried, text, carried.parts[-1].end)
                carried = None
        position = paragraph.start if opened is None else paragraph.start + 1
        while position < paragraph.end:
            char = text[position]
            if opened is None:
                if _opens(text, position, paragraph, singles):
                    opened = (position, OPENING[char])
            elif char in opened[1] and _closes(text, position, paragraph, char):
                content = Segment(opened[0] + 1, position)
                if carried is not None:
                    carried.parts.append(content)
                    _close(carried, text, position + 1)
                    quotes.append(carried)
                    carried = None
                elif content.end > content.start:
                    quote = Quote([content], opened[0], position + 1, index)
                    _close(quote, text, position + 1)
                    quotes.append(quote)
                opened = None
            position += 1
        if opened is not None:
            content = Segment(opened[0] + 1, paragraph.end)
            if carried is None:
                carried = Quote([content], opened[0], paragraph.end, index)
            else:
                carried.parts.append(content)
    if carried is not None:
        _close(carried, text, carried.parts[-1].end)
        quotes.append(carried)
    return [quote for quote in quotes if quote.text]


def _opens(text: str, position: int, paragraph: Segment, singles: bool) -> bool:
    char = text[position]
    before = text[position - 1] if position > paragraph.start else " "
    after = text[position + 1] if position + 1 < paragraph.end else " "
    if char == STRAIGHT:
        return not _WORD.match(before) and not after.isspace()
    if char == "‘":
        return singles and not _WORD.match(before)
    return char in OPENING


def _closes(text: str, position: int, paragraph: Segment, char: str) -> bool:
    after = text[position + 1] if position + 1 < paragraph.end else " "
    if char == "’":
        return not _WORD.match(after)  # an apostrophe is followed by its word
    return True


def _close(quote: Quote, text: str, closing: int) -> None:
    quote.closing = closing
    pieces = [" ".join(part.of(text).split()) for part in quote.parts]
    joined = " ".join(piece for piece in pieces if piece)
    quote.text = joined[:-1].rstrip() if joined.endswith(",") else joined
