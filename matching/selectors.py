"""Finding and ranking candidates: "who is this?" and "has this been said before?".

Candidates come from indexes (trigram indexes over the folded names on PostgreSQL, the
full-text index over statements), then every candidate is scored by matching/scoring.py and
kept when its score reaches the "similar" threshold. SQLite, without pg_trgm, reads its
candidates with LIKE over the same folded columns: slower, the same answers.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import Count, Q, QuerySet

from claims.models import Statement
from events.models import Actor
from eventsapi.search import search, search_any
from matching.models import ActorName
from matching.scoring import NameForm, name_forms, score_external_ids, score_name
from matching.scoring import score_statement as statement_score
from matching.text import quote_folded, word_skeleton

logger = logging.getLogger(__name__)

ACTOR_CANDIDATES = 200
STATEMENT_CANDIDATES = 200
# Words too common to find a statement by.
STOPWORD_TEXT = """
the a an and or of to in on at for from by with is are was were be been has have had will would
this that these those it its we our they their he his she her you your i not no as but than said
says which who whom also all any more most into over after before about there here
"""
STOPWORDS = frozenset(STOPWORD_TEXT.split())


def _within_budget(using: str, run, default):
    """``run()``, given at most EVENTSAPI_MATCH_QUERY_MS on PostgreSQL; ``default`` when the
    database cancels it, so one costly query cannot hold a worker (the answer may then miss
    candidates, never invent one)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return run()
    try:
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [int(settings.EVENTSAPI_MATCH_QUERY_MS)])
            return run()
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != "57014":  # query_canceled
            raise
        logger.warning("A matching query ran past EVENTSAPI_MATCH_QUERY_MS and was cancelled.")
        return default


def thresholds(kind: str) -> tuple[float, float]:
    return settings.EVENTSAPI_MATCH_SAME[kind], settings.EVENTSAPI_MATCH_SIMILAR[kind]


def decision(kind: str, score: float) -> str:
    same, _ = thresholds(kind)
    return "same" if score >= same else "similar"


# -- actors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorMatch:
    actor: Actor
    score: float
    matched_on: str
    decision: str


def _candidate_actor_ids(
    query: str, using: str, *, exact_only: bool = False, fuzzy_only: bool = False
) -> list[uuid.UUID]:
    asked = NameForm.of("query", query)
    if not asked.words:
        return []
    folded = " ".join(asked.words)
    names = ActorName.objects.using(using)
    if connections[using].vendor == "postgresql":
        matches = Q(skeleton__trigram_word_similar=asked.skeleton) | Q(folded__trigram_word_similar=folded)
        if len(asked.words) == 1:
            matches |= Q(folded__startswith=folded)  # an acronym or a single name
    else:
        matches = Q(folded=folded)
        for word in asked.words:
            if len(word) >= 2:
                matches |= Q(folded__contains=word) | Q(skeleton__contains=word_skeleton(word))
    exact = (
        []
        if fuzzy_only
        else list(
            names.filter(Q(skeleton=asked.skeleton) | Q(folded=folded))
            .order_by()
            .values_list("actor_id", flat=True)[:ACTOR_CANDIDATES]
        )
    )
    if len(exact) >= ACTOR_CANDIDATES or exact_only:
        return exact
    fuzzy = (
        names.filter(matches).order_by().values_list("actor_id", flat=True)[: ACTOR_CANDIDATES - len(exact)]
    )
    return [*exact, *_through_trigram_index(using, lambda: list(fuzzy))]


def _through_trigram_index(using: str, run):
    """``run()`` with the trigram indexes preferred, on PostgreSQL.

    The planner prices pg_trgm's word-similarity operators like an equality, so on a few tens of
    thousands of names it scans them all (60 ms at 20,000 rows) where the GIN indexes answer in
    a fifth of that: within this query's transaction, sequential scans are off.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return run()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # SET LOCAL lasts to the end of the outermost transaction, savepoints or not: put it back.
        cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
        (previous, _) = cursor.fetchone()
        try:
            return run()
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])


def _by_external_id(query: str, queryset: QuerySet, using: str) -> QuerySet | None:
    """Actors a handle (``@nrfafg``) or an id (``wikidata:Q42834``) names, through the index rows
    of their ids; None when the query is a plain name."""
    stripped = query.strip()
    if not (stripped.startswith("@") or (":" in stripped and " " not in stripped)):
        return None
    key = stripped.lower()
    if not key.startswith("@"):
        scheme, value = key.split(":", 1)
        key = f"{scheme}:{value.lstrip('@')}"
    return queryset.filter(pk__in=ActorName.objects.using(using).filter(folded=key).values("actor_id"))


def actor_matches(
    *,
    name: str,
    kind: str | None = None,
    limit: int = 10,
    exact_only: bool = False,
    fuzzy_only: bool = False,
    using: str = "default",
) -> list[ActorMatch]:
    """Live, unmerged actors that ``name`` may name, best first, down to the "similar" threshold.

    ``exact_only``: candidates whose folded name or skeleton equals the query's (one index
    lookup), without the trigram search for misspellings; ``fuzzy_only``: the trigram search
    alone (for a caller that looked the exact names up already, ``actor_exact_matches``).
    """
    _, similar = thresholds("actors")
    actors = Actor.objects.using(using).filter(merged_into__isnull=True)
    if kind:
        actors = actors.filter(kind=kind)
    by_id = _by_external_id(name, actors, using)
    if by_id is not None:
        found = [
            ActorMatch(actor, scored.score, scored.matched_on, decision("actors", scored.score))
            for actor in by_id[:limit]
            if (scored := score_external_ids(name, actor.external_ids)) and scored.score >= similar
        ]
        return found
    ids = _candidate_actor_ids(name, using, exact_only=exact_only, fuzzy_only=fuzzy_only)
    candidates = actors.filter(pk__in=ids)
    return _ranked(name, candidates, limit)


def _ranked(name: str, candidates, limit: int) -> list[ActorMatch]:
    _, similar = thresholds("actors")
    ranked = []
    for actor in candidates:
        scored = score_name(name, name_forms(actor.name, actor.aliases or [], kind=actor.kind), {})
        if scored.score >= similar:
            ranked.append(
                ActorMatch(actor, scored.score, scored.matched_on, decision("actors", scored.score))
            )
    ranked.sort(key=lambda match: (-match.score, match.actor.name, str(match.actor.pk)))
    return ranked[:limit]


def actor_exact_matches(
    *, names: list[str], limit: int = 10, using: str = "default"
) -> dict[str, list[ActorMatch]]:
    """``actor_matches(name=..., exact_only=True)`` for many names in two queries: each name's
    actors whose folded name or skeleton equals its own, ranked as ``actor_matches`` ranks."""
    forms = {name: NameForm.of("query", name) for name in names}
    keys = {name: (" ".join(form.words), form.skeleton) for name, form in forms.items() if form.words}
    if not keys:
        return {name: [] for name in names}
    rows = (
        ActorName.objects.using(using)
        .filter(Q(folded__in={k[0] for k in keys.values()}) | Q(skeleton__in={k[1] for k in keys.values()}))
        .order_by()
        .values_list("actor_id", "folded", "skeleton")
    )
    by_key: dict[str, set[uuid.UUID]] = {}
    for actor_id, folded, skeleton in rows:
        by_key.setdefault(folded, set()).add(actor_id)
        by_key.setdefault(skeleton, set()).add(actor_id)
    wanted = {actor_id for ids in by_key.values() for actor_id in ids}
    actors = {
        actor.pk: actor
        for actor in Actor.objects.using(using).filter(merged_into__isnull=True, pk__in=wanted)
    }
    found = {}
    for name in names:
        folded, skeleton = keys.get(name, ("", ""))
        ids = by_key.get(folded, set()) | by_key.get(skeleton, set())
        found[name] = _ranked(name, [actors[i] for i in sorted(ids, key=str) if i in actors], limit)
    return found


# -- statements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementMatch:
    statement: Statement
    score: float
    decision: str


def _distinctive_words(text: str, count: int) -> list[str]:
    words = [word for word in quote_folded(text).replace("...", " ").split() if word not in STOPWORDS]
    unique = list(dict.fromkeys(words))
    return sorted(unique, key=lambda word: (-len(word), unique.index(word)))[:count]


def statement_matches(
    *,
    text: str,
    speaker: uuid.UUID | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    language: str | None = None,
    limit: int = 10,
    exclude: uuid.UUID | None = None,
    using: str = "default",
) -> list[StatementMatch]:
    """Live statements that ``text`` may repeat, best first, down to the "similar" threshold.

    Speaker, dates and language narrow the candidates; they never add any.
    """
    _, similar = thresholds("statements")
    statements = Statement.objects.using(using).select_related("speaker")
    if speaker is not None:
        statements = statements.filter(speaker_id=speaker)
    if date_from is not None:
        statements = statements.filter(stated_on__gte=date_from)
    if date_to is not None:
        statements = statements.filter(stated_on__lte=date_to)
    if language:
        statements = statements.filter(language__iexact=language)
    if exclude is not None:
        statements = statements.exclude(pk=exclude)
    words = _distinctive_words(text, 8)
    if not words:
        return []
    seen: dict[uuid.UUID, Statement] = {}
    # Every distinctive word: the same quote, however trimmed or re-punctuated; then any of
    # them: a part of a longer quote, or a paraphrase.
    # Unordered, so the database stops at the first candidates it finds instead of sorting
    # every statement that shares the words.
    for found in (
        search(statements, " ".join(words[:4]), ("text",)),
        search_any(statements, words[:6], ("text",)),
    ):
        page = found.order_by()[:STATEMENT_CANDIDATES]
        for statement in _within_budget(using, lambda page=page: list(page), []):
            seen.setdefault(statement.pk, statement)
        if len(seen) >= limit:
            break
    ranked = []
    for statement in seen.values():
        score = statement_score(text, statement.text)
        if score >= similar:
            ranked.append(StatementMatch(statement, score, decision("statements", score)))
    ranked.sort(key=lambda match: (-match.score, str(match.statement.pk)))
    return ranked[:limit]


# -- duplicates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicatePair:
    actors: tuple[Actor, Actor]
    score: float
    matched_on: str


def actor_duplicates(
    *, after: str | None, count: int, using: str = "default"
) -> tuple[list[DuplicatePair], str | None]:
    """Likely duplicate pairs of live, unmerged actors of one kind whose names (or aliases) have
    the same skeleton, in skeleton order from just after ``after``; and the skeleton to continue
    after (None on the last page)."""
    _, similar = thresholds("actors")
    shared = (
        ActorName.objects.using(using)
        .filter(actor__deleted_at__isnull=True, actor__merged_into__isnull=True)
        .exclude(skeleton="")  # the rows of handles and ids
        .values("skeleton")
        .annotate(actors=Count("actor_id", distinct=True))
        .filter(actors__gt=1)
        .order_by("skeleton")
    )
    if after is not None:
        shared = shared.filter(skeleton__gt=after)
    pairs: list[DuplicatePair] = []
    last = None
    for group in shared.iterator(chunk_size=100):
        last = group["skeleton"]
        names = ActorName.objects.using(using).filter(
            skeleton=last, actor__deleted_at__isnull=True, actor__merged_into__isnull=True
        )
        actors = {
            actor.pk: actor
            for actor in Actor.objects.using(using)
            .filter(pk__in=names.values("actor_id"))
            .order_by("name", "id")
        }
        ordered = list(actors.values())
        for index, first in enumerate(ordered):
            for second in ordered[index + 1 :]:
                if first.kind != second.kind:
                    continue
                forms = name_forms(second.name, second.aliases or [], kind=second.kind)
                scored = max(
                    (
                        score_name(form.text, forms, {})
                        for form in name_forms(first.name, first.aliases or [])
                    ),
                    key=lambda scored: scored.score,
                )
                if scored.score >= similar:
                    pairs.append(DuplicatePair((first, second), scored.score, scored.matched_on))
        if len(pairs) >= count:
            return pairs, last
    return pairs, None
