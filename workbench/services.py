"""The workbench's own write: a statement the editor proposes from a passage of the article."""

from drafts.models import Draft, DraftStatus
from drafts.proposals import SPAN_CONTEXT
from drafts.services import DraftClosed


class PassageInvalid(ValueError):
    """The offsets name no passage of the draft's text."""


def draft_statement_propose(*, draft: Draft, start: int, end: int, is_direct_quote: bool = False) -> Draft:
    """Append a statement (not yet accepted, no speaker) whose words are ``text[start:end]``."""
    if draft.status != DraftStatus.OPEN:
        raise DraftClosed(draft)
    text = draft.text
    if not (0 <= start < end <= len(text)):
        raise PassageInvalid(f"Select a passage of the article (characters 0 to {len(text)}).")
    # Whitespace at either end of a selection is not part of the words.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise PassageInvalid("The selection holds no words.")
    published = (draft.source.get("published_at") or "")[:10] or None
    draft.statements.append(
        {
            "key": _next_key(draft),
            "text": text[start:end],
            "is_direct_quote": is_direct_quote,
            "language": "",
            "span": {
                "start": start,
                "end": end,
                "exact": text[start:end],
                "prefix": text[max(0, start - SPAN_CONTEXT) : start],
                "suffix": text[end : end + SPAN_CONTEXT],
            },
            "speaker": {
                "actor": None,
                "key": None,
                "name": "",
                "new_actor": None,
                "confidence": 0,
                "candidates": [],
                "cue": "editor",
            },
            "stated_on": published,
            "stated_on_precision": "day",
            "channel": "",
            "duplicate_of": None,
            "about": [],
            "accepted": False,
        }
    )
    draft.version += 1
    draft.save()
    return draft


def _next_key(draft: Draft) -> str:
    numbers = [int(s["key"][1:]) for s in draft.statements if s["key"][:1] == "s" and s["key"][1:].isdigit()]
    return f"s{max(numbers, default=0) + 1}"
