"""An article's text and metadata from its HTML page (trafilatura)."""

from dataclasses import dataclass

import trafilatura

MINIMUM_WORDS = 10  # fewer is a page's furniture (a menu, a cookie notice), not an article


@dataclass(frozen=True)
class Article:
    text: str
    title: str
    author: str
    date: str
    site: str


def article_from_html(html: str, *, url: str = "") -> Article | None:
    """The main text (paragraphs separated by blank lines), or None when there is no article."""
    document = trafilatura.bare_extraction(
        html,
        url=url or None,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
    )
    if document is None:
        return None
    text = (document.text or "").strip()
    if not text:
        return None
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if paragraphs and document.title and paragraphs[0] == document.title.strip():
        paragraphs = paragraphs[1:]  # the headline, repeated as the text's first line
    if sum(len(paragraph.split()) for paragraph in paragraphs) < MINIMUM_WORDS:
        return None
    return Article(
        text="\n\n".join(paragraphs),
        title=document.title or "",
        author=document.author or "",
        date=document.date or "",
        site=document.sitename or "",
    )
