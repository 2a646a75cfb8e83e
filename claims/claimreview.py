"""schema.org ClaimReview JSON-LD for a reviewed statement, for fact-checking tools.

The rating scale follows common fact-checking practice: 1 (false) to 5 (verified), with
the verdict's label as ``alternateName`` for readers.
"""

from django.conf import settings

from claims.models import FINAL_VERDICTS, Review, Statement
from events.models import ActorKind
from eventsapi.choices import VerificationStatus

RATING_VALUES = {
    VerificationStatus.FALSE: 1,
    VerificationStatus.MISLEADING: 2,
    VerificationStatus.UNVERIFIABLE: 3,
    VerificationStatus.VERIFIED: 5,
}


def latest_final_review(statement: Statement) -> Review | None:
    if statement.verification_status not in FINAL_VERDICTS:
        return None
    return (
        statement.reviews.filter(verdict=statement.verification_status)
        .select_related("reviewer", "reviewer_organization")
        .first()
    )


def _appearance(source) -> dict:
    work = {"@type": "CreativeWork", "url": source.url}
    if source.title:
        work["headline"] = source.title
    if source.published_at:
        work["datePublished"] = source.published_at.isoformat()
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher.name}
    return work


def _review_author(review: Review) -> dict:
    """Who gave the verdict: the fact-checker of an imported review, else this service's owner."""
    organization = review.reviewer_organization
    if organization is not None:
        author = {"@type": "Organization", "name": organization.name}
        url = organization.external_ids.get("website")
        return {**author, "url": url} if url else author
    return {
        "@type": "Organization",
        "name": settings.EVENTSAPI_PUBLISHER_NAME,
        "url": settings.EVENTSAPI_PUBLISHER_URL,
    }


def claim_review_document(statement: Statement, review: Review, url: str) -> dict:
    speaker = statement.speaker
    sources = sorted(
        statement.sources.select_related("publisher"),
        key=lambda source: (source.published_at is None, source.published_at, source.url),
    )
    claim = {
        "@type": "Claim",
        "author": {
            "@type": "Person" if speaker.kind == ActorKind.PERSON else "Organization",
            "name": speaker.name,
        },
        "datePublished": statement.stated_on.isoformat(),
    }
    if speaker.aliases:
        claim["author"]["alternateName"] = speaker.aliases
    if sources:
        claim["appearance"] = [_appearance(source) for source in sources]
        claim["firstAppearance"] = _appearance(sources[0])
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": statement.text,
        "itemReviewed": claim,
        "author": _review_author(review),
        "datePublished": review.created_at.date().isoformat(),
        "reviewBody": review.rationale,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUES[review.verdict],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": VerificationStatus(review.verdict).label,
        },
    }
