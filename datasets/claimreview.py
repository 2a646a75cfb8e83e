"""schema.org ClaimReview in: other organisations' fact-checks as statements and reviews.

A ClaimReview (one object, a list, or a ``DataFeed`` of ``dataFeedElement`` items as Data
Commons publishes them) becomes:

- the claim: a statement (``claimReviewed``) by ``itemReviewed.author`` (a person or an
  organisation, matched by name), said on ``itemReviewed.datePublished`` (the review's date
  when the claim has none), with its ``appearance`` and ``firstAppearance`` URLs as sources;
- the verdict: a review of that statement by the fact-checking organisation
  (``author``), dated ``dateModified`` or else ``datePublished``, with ``reviewBody`` as
  rationale and its address (``url``) kept.

The rating maps to a verdict by ``alternateName`` through VERDICT_NAMES, and, when the name
is absent or not in the table, by the normalised rating (value - worst) / (best - worst):
below 0.2 false, below 0.6 misleading, from 0.6 verified. A fact-check is imported once per
``url``; a changed rating adds a review (reviews are never edited), and a verdict the
statement already stands at with the same rationale adds none, so our own ClaimReview
export imports as no change.
"""

import contextlib
import datetime
import re

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from claims.models import SourceKind, Statement
from claims.services import review_create
from datasets.importing import FileUnreadable, Plan, Problem, Row, RowError, read_json
from datasets.models import DatasetRecord
from events.models import Actor, ActorKind
from eventsapi.choices import VerificationStatus

SCHEME = "claimreview"
V = VerificationStatus
VERDICT_NAMES = {
    V.FALSE: (
        "false",
        "pants on fire",
        "fake",
        "incorrect",
        "mostly false",
        "wrong",
        "fabricated",
        "hoax",
        "not true",
        "untrue",
        "altered",
        "doctored",
        "scam",
        "baseless",
    ),
    V.MISLEADING: (
        "misleading",
        "half true",
        "mixture",
        "mixed",
        "partly false",
        "partially false",
        "partly true",
        "missing context",
        "out of context",
        "needs context",
        "lacks context",
        "exaggerated",
        "exaggeration",
        "distorted",
        "cherry picks",
        "spin",
        "satire",
        "manipulated",
        "miscaptioned",
        "flip flop",
    ),
    V.UNVERIFIABLE: (
        "unverifiable",
        "unproven",
        "unverified",
        "unsupported",
        "no evidence",
        "insufficient evidence",
        "unsubstantiated",
        "cannot be verified",
        "not proven",
        "research in progress",
        "unclear",
    ),
    V.VERIFIED: (
        "true",
        "correct",
        "accurate",
        "mostly true",
        "mostly correct",
        "verified",
        "confirmed",
        "legit",
    ),
}
VERDICT_BY_NAME = {name: verdict for verdict, names in VERDICT_NAMES.items() for name in names}


def _folded(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())


def verdict_of(rating) -> str:
    """Our verdict for a ClaimReview ``reviewRating``; ``RowError`` when neither its name nor its
    numbers say."""
    if not isinstance(rating, dict):
        raise RowError("reviewRating", "the review has no rating.")
    name = rating.get("alternateName")
    if isinstance(name, list):
        name = next((item for item in name if isinstance(item, str)), None)
    if isinstance(name, str) and _folded(name) in VERDICT_BY_NAME:
        return VERDICT_BY_NAME[_folded(name)]
    try:
        value, best, worst = (float(rating[key]) for key in ("ratingValue", "bestRating", "worstRating"))
    except (KeyError, TypeError, ValueError):
        raise RowError(
            "reviewRating",
            f"the rating {name!r} is not in the verdict table, and ratingValue, bestRating and worstRating "
            "are not all numbers.",
        ) from None
    if best == worst or not min(best, worst) <= value <= max(best, worst):
        raise RowError("reviewRating.ratingValue", f"{value:g} is not on the scale {worst:g} to {best:g}.")
    normalised = (value - worst) / (best - worst)
    if normalised < 0.2:
        return V.FALSE
    return V.MISLEADING if normalised < 0.6 else V.VERIFIED


def read_reviews(path: str) -> list[dict]:
    data = read_json(path)
    reviews = list(_claim_reviews(data))
    if not reviews:
        raise FileUnreadable(f"{path}: no ClaimReview in it (one object, a list, or a DataFeed).")
    return reviews


def _types(node: dict) -> set:
    kind = node.get("@type")
    return set(kind) if isinstance(kind, list) else {kind}


def _claim_reviews(node):
    if isinstance(node, list):
        for item in node:
            yield from _claim_reviews(item)
    elif isinstance(node, dict):
        if "ClaimReview" in _types(node):
            yield node
        elif "DataFeed" in _types(node):
            yield from _claim_reviews(node.get("dataFeedElement") or [])
        elif "DataFeedItem" in _types(node) or "item" in node:
            yield from _claim_reviews(node.get("item") or [])
        elif "@graph" in node:
            yield from _claim_reviews(node["@graph"])


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _date(value, column: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        moment = None
        with contextlib.suppress(ValueError):
            moment = parse_datetime(value)
        if moment is not None:
            return moment.date()
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise RowError(column, f"{value!r} is not a date (2021-09-07).")


def _party(value, column: str, *, default_kind: str) -> dict:
    """``{"name", "kind", "url"}`` of an ``author`` (an object, a list of them, or a name)."""
    value = next(iter(_as_list(value)), None)
    if isinstance(value, str):
        return {"name": _text(value), "kind": default_kind, "url": ""}
    if not isinstance(value, dict) or not _text(value.get("name")):
        raise RowError(column, "no name.")
    kind = ActorKind.PERSON if "Person" in _types(value) else ActorKind.ORGANIZATION
    if not value.get("@type"):
        kind = default_kind
    return {"name": _text(value["name"])[:200], "kind": kind, "url": _text(value.get("url"))}


def _appearances(claim: dict) -> list[dict]:
    found = {}
    for item in _as_list(claim.get("firstAppearance")) + _as_list(claim.get("appearance")):
        url = item if isinstance(item, str) else item.get("url") if isinstance(item, dict) else None
        url = _text(url)
        if url.startswith(("http://", "https://")) and url not in found:
            work = item if isinstance(item, dict) else {}
            found[url] = {"url": url, "headline": _text(work.get("headline") or work.get("name"))[:500]}
    return list(found.values())


def parse_review(index: int, review: dict) -> Row:
    url = _text(review.get("url"))
    if not url.startswith(("http://", "https://")):
        raise RowError("url", "the ClaimReview has no http(s) url, which identifies it.")
    text = _text(review.get("claimReviewed"))
    if not text:
        raise RowError("claimReviewed", "the ClaimReview names no claim.")
    claim = next(iter(_as_list(review.get("itemReviewed"))), None) or {}
    if not isinstance(claim, dict):
        raise RowError("itemReviewed", "itemReviewed is not an object.")
    reviewed_on = _date(review.get("dateModified"), "dateModified") or _date(
        review.get("datePublished"), "datePublished"
    )
    stated_on = _date(claim.get("datePublished"), "itemReviewed.datePublished") or reviewed_on
    if stated_on is None:
        raise RowError("itemReviewed.datePublished", "neither the claim nor the review has a date.")
    if "author" not in claim:
        raise RowError("itemReviewed.author", "the claim has no author, so no speaker.")
    values = {
        "url": url,
        "text": text,
        "speaker": _party(claim.get("author"), "itemReviewed.author", default_kind=ActorKind.PERSON),
        "stated_on": stated_on.isoformat(),
        "appearances": _appearances(claim),
        "checker": _party(review.get("author"), "author", default_kind=ActorKind.ORGANIZATION),
        "reviewed_on": (reviewed_on or stated_on).isoformat(),
        "verdict": verdict_of(review.get("reviewRating")),
        "rating_name": _text(
            next(iter(_as_list((review.get("reviewRating") or {}).get("alternateName"))), "")
        ),
        "body": _text(review.get("reviewBody") or review.get("description")),
        "language": _text(review.get("inLanguage")) if isinstance(review.get("inLanguage"), str) else "",
    }
    return Row(line=index, record_id=url, values=values, unit="record")


def read_rows(path: str) -> list[Row | Problem]:
    rows: list[Row | Problem] = []
    for index, review in enumerate(read_reviews(path), start=1):
        try:
            rows.append(parse_review(index, review))
        except RowError as error:
            rows.append(Problem(index, error.column, error.message, _text(review.get("url")), "record"))
    return rows


def _rationale(values: dict) -> str:
    if values["body"]:
        return values["body"]
    rating = f" “{values['rating_name']}”" if values["rating_name"] else f" {values['verdict']}"
    return f"{values['checker']['name']} rated the claim{rating}."


class ClaimReviewDataset:
    scheme = SCHEME

    def alive(self, record: DatasetRecord) -> bool:
        return record.statement is not None and record.statement.deleted_at is None

    def plan(self, row: Row, known: dict) -> Plan:
        values = row.values
        plan = Plan()
        speaker = values["speaker"]
        plan.add(
            {
                "op": "create",
                "resource": "actors",
                "lid": "speaker",
                "match": {"name": speaker["name"], "kind": speaker["kind"]},
                "data": {"name": speaker["name"], "kind": speaker["kind"]},
            },
            columns={"*": "itemReviewed.author"},
        )
        sources = []
        for index, appearance in enumerate(values["appearances"]):
            lid = f"appearance{index}"
            data = {"kind": SourceKind.OTHER}
            if appearance["headline"]:
                data["title"] = appearance["headline"]
            plan.add(
                {
                    "op": "create",
                    "resource": "sources",
                    "lid": lid,
                    "match": {"url": appearance["url"]},
                    "data": data,
                },
                columns={"*": "itemReviewed.appearance"},
            )
            sources.append({"lid": lid})
        plan.statement_lid = "claim"
        data = {"text": values["text"], "speaker": {"lid": "speaker"}, "stated_on": values["stated_on"]}
        if sources:
            data["sources"] = sources
        if values["language"]:
            data["language"] = values["language"]
        plan.add(
            {
                "op": "upsert",
                "resource": "statements",
                "lid": "claim",
                "match": {
                    "speaker": {"lid": "speaker"},
                    "stated_on": values["stated_on"],
                    "text": values["text"],
                },
                "data": data,
            },
            columns={
                "text": "claimReviewed",
                "stated_on": "itemReviewed.datePublished",
                "*": "claimReviewed",
            },
        )
        return plan

    def finish(self, row: Row, results: list[dict], plan: Plan, run) -> dict:
        """The fact-checker's review of the statement (and the fact-checker, made when new),
        unless the statement already stands at that verdict for the same reasons."""
        values = row.values
        ids = {result["lid"]: result["id"] for result in results}
        statement = Statement.objects.get(pk=ids["claim"])
        rationale = _rationale(values)
        latest = statement.reviews.order_by("-created_at", "-id").first()
        if (
            latest is not None
            and statement.verification_status == values["verdict"] == latest.verdict
            and latest.rationale == rationale
        ):
            return {"review": latest}
        checker = values["checker"]
        (organization,) = run(
            [
                {
                    "op": "create",
                    "resource": "actors",
                    "match": {"name": checker["name"], "kind": ActorKind.ORGANIZATION},
                    "data": {
                        "name": checker["name"],
                        "kind": ActorKind.ORGANIZATION,
                        **({"external_ids": {"website": checker["url"]}} if checker["url"] else {}),
                    },
                }
            ]
        )
        reviewed_at = datetime.datetime.combine(
            datetime.date.fromisoformat(values["reviewed_on"]), datetime.time(12), tzinfo=datetime.UTC
        )
        if latest is not None and latest.created_at >= reviewed_at:
            # A re-rating dated no later than the review it follows (fact-checkers often keep
            # the first date): it is given when imported, so the history stays in order.
            reviewed_at = timezone.now()
        review = review_create(
            subject=statement,
            verdict=values["verdict"],
            rationale=rationale,
            evidence=[],
            reviewer=None,
            reviewer_organization=Actor.objects.get(pk=organization["id"]),
            external_url=values["url"],
            created_at=reviewed_at,
        )
        created = all(result["status"] == "created" for result in results if result["lid"] == "claim")
        return {"review": review, "status": "created" if created else "updated"}
