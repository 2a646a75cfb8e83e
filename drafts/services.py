"""Drafts: create one from an article, correct it, discard it (commit is the bundle's)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from drafts.extraction.html import article_from_html
from drafts.extraction.language import language_of
from drafts.extraction.reader import read_article
from drafts.models import Draft, DraftStatus
from drafts.proposals import Proposer
from events.models import Actor
from matching.selectors import actor_exact_matches


def draft_create(
    *,
    user,
    url: str,
    text: str,
    published_at: datetime.datetime,
    title: str = "",
    author: str = "",
    publisher: Actor | str | None = None,
    language: str = "",
) -> Draft:
    """Read the article and store what it proposes; nothing outside the draft is written."""
    if isinstance(publisher, str):
        # A publisher given by name is the recorded actor of that name, when there is one.
        same = [m for m in actor_exact_matches(names=[publisher])[publisher] if m.decision == "same"]
        publisher = same[0].actor if same else publisher
    publisher_name = publisher.name if isinstance(publisher, Actor) else (publisher or "")
    language = language or language_of(text, "en")
    reading = read_article(text, published=published_at.date(), publisher=publisher_name)
    proposed = Proposer(
        reading,
        language=language,
        publisher=publisher if isinstance(publisher, Actor) else None,
        publisher_name=publisher_name,
    ).propose()
    source = {
        "url": url,
        "kind": "article",
        "title": title,
        "author": author,
        "publisher": _publisher(publisher),
        "published_at": published_at.isoformat(),
        "language": language,
    }
    return Draft.objects.create(
        url=url,
        created_by=user,
        text=text,
        source=source,
        statements=proposed["statements"],
        events=proposed["events"],
        actors=proposed["actors"],
        warnings=reading.warnings + proposed["warnings"],
    )


class PageUnusable(Exception):
    """An article's page gives no draft: ``field`` is the request's field to name."""

    def __init__(self, field: str, message: str, *, too_long: bool = False):
        super().__init__(message)
        self.field, self.message, self.too_long = field, message, too_long


def article_fields_from_html(
    *, html: str, url: str, title: str = "", author: str = "", published_at=None, publisher=None
) -> dict:
    """A page's HTML as ``draft_create``'s fields: its article's text, and its title, author,
    date and site where the caller gave none. Raises ``PageUnusable``."""
    article = article_from_html(html, url=url)
    if article is None:
        raise PageUnusable("html", "No article text was found in the HTML.")
    limit = settings.EVENTSAPI_DRAFT_MAX_CHARS
    if len(article.text) > limit:
        raise PageUnusable(
            "html", f"The article is longer than {limit} characters; send it in parts.", too_long=True
        )
    if published_at is None:
        try:
            day = datetime.date.fromisoformat((article.date or "")[:10])
        except ValueError:
            raise PageUnusable("published_at", "The page gives no date: give the publication date.") from None
        published_at = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
    return {
        "url": url,
        "text": article.text,
        "title": title or article.title,
        "author": author or article.author,
        "published_at": published_at,
        "publisher": publisher or article.site or None,
    }


def _publisher(publisher: Actor | str | None) -> dict | None:
    if isinstance(publisher, Actor):
        return {"actor": str(publisher.pk)}
    if publisher:
        return {"new_actor": {"name": publisher, "kind": "organization", "aliases": []}}
    return None


def draft_update(*, draft: Draft, changes: dict) -> Draft:
    """Merge the editor's corrections (validated by the caller) into an open draft."""
    _require_open(draft)
    for section in ("statements", "events", "actors"):
        for change in changes.get(section, []):
            item = next(entry for entry in getattr(draft, section) if entry["key"] == change["key"])
            for name, value in change.items():
                if isinstance(value, dict) and isinstance(item.get(name), dict) and name not in ("place",):
                    item[name] = {**item[name], **value}
                else:
                    item[name] = value
    if "source" in changes:
        draft.source = {**draft.source, **changes["source"]}
    draft.version += 1
    draft.save()
    return draft


def draft_discard(*, draft: Draft) -> Draft:
    _require_open(draft)
    draft.status = DraftStatus.DISCARDED
    draft.version += 1
    draft.save(update_fields=["status", "version", "updated_at"])
    return draft


def draft_mark_committed(*, draft: Draft, results: list[dict]) -> Draft:
    draft.status = DraftStatus.COMMITTED
    draft.results = results
    draft.committed_at = timezone.now()
    draft.version += 1
    draft.save(update_fields=["status", "results", "committed_at", "version", "updated_at"])
    return draft


def draft_locked(draft: Draft) -> Draft:
    """The draft's row, locked for the rest of the transaction (one commit at a time)."""
    assert transaction.get_connection().in_atomic_block
    return Draft.objects.select_for_update().get(pk=draft.pk)


def _require_open(draft: Draft) -> None:
    if draft.status != DraftStatus.OPEN:
        raise DraftClosed(draft)


class DraftClosed(Exception):
    def __init__(self, draft: Draft):
        super().__init__(f"The draft is {draft.status}; only an open draft can change.")
        self.draft = draft


def keep_source_text() -> bool:
    return bool(getattr(settings, "EVENTSAPI_KEEP_SOURCE_TEXT", False))
