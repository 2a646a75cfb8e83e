"""Finding and ranking candidates: "who is this?" and "has this been said before?".

Candidates come from indexes, the exact keys first and the broad ones only while those leave
room for better answers: for actors, the folded names, skeletons, consonants and words of
matching_actorname (matching/name_index.py), then pg_trgm's trigram indexes; for statements,
their text keys (matching_statementkeys), then the full-text index. Every candidate is scored
as matching/scoring.py scores (the evaluation's functions) and kept when its score reaches
the "similar" threshold. SQLite, without pg_trgm or a GIN index, reads the broad candidates
with LIKE: slower, and the runs-of-words lookup is left to the full-text search there.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Replace
from rapidfuzz import fuzz, process
from rapidfuzz import utils as rapidfuzz_utils

from claims.models import Statement
from events.models import Actor
from eventsapi.search import search, search_any
from matching.models import ActorName
from matching.name_index import NameIndex
from matching.scoring import (
    FUZZY_CEILING,
    PERSON_INITIALS,
    NameForm,
    name_forms,
    score_name,
    score_name_form,
)
from matching.scoring import score_statement as statement_score
from matching.statement_keys import text_keys
from matching.text import consonants, quote_folded, word_skeleton

logger = logging.getLogger(__name__)

ACTOR_CANDIDATES = 100  # index rows read per lookup
# Names that share a word (a surname alone): they score alike, so fewer will do.
WORD_CANDIDATES = 30
STATEMENT_CANDIDATES = 50  # statements read per lookup
SPEAKER_STATEMENTS = 1000
PREFILTER_CUTOFF = 50
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


_ROW = ("id", "actor_id", "actor__name", "form", "text", "folded", "skeleton", "romanised")
Form = ActorName.Form


def _row_score(asked: NameForm, form: str, folded: str, skeleton: str, romanised: bool) -> float:
    """What ``score_name_form`` gives the name, alias or acronym an index row holds (an id or
    handle row is only ever read by its exact key: 1.0, as ``score_external_ids`` says)."""
    if form == Form.ID:
        return 1.0
    if form in (Form.ACRONYM, Form.INITIALS):
        word = asked.words[0] if len(asked.words) == 1 else ""
        if form == Form.INITIALS:
            return PERSON_INITIALS if len(word) >= 3 and word == folded else 0.0
        return 0.96 if len(word) >= 2 and word == folded else 0.0
    return score_name_form(asked, NameForm("", "", tuple(folded.split()), skeleton, "", bool(romanised)))


@dataclass(frozen=True)
class _Best:
    score: float
    actor_name: str
    matched_on: str


class _Candidates:
    """The index rows of each actor, scored as they come in; then each actor's best, as
    ``score_name`` would score its names, without reading them again."""

    def __init__(self, asked: NameForm, similar: float):
        self.asked, self.similar = asked, similar
        self.rows: dict[uuid.UUID, dict[int, tuple]] = {}
        self.scores: dict[tuple, float] = {}  # names repeat: each scored once
        self._best: dict[uuid.UUID, _Best] | None = None

    def add(self, rows) -> None:
        for row_id, actor_id, actor_name, form, text, folded, skeleton, romanised in rows:
            key = (form, folded, skeleton, romanised)
            score = self.scores.get(key)
            if score is None:
                score = self.scores[key] = _row_score(self.asked, *key)
            self.rows.setdefault(actor_id, {})[row_id] = (score, actor_name, form, text)
            self._best = None

    @property
    def best(self) -> dict[uuid.UUID, _Best]:
        if self._best is None:
            self._best = {}
            for actor_id, rows in self.rows.items():
                best = self._best_of(rows)
                if best is not None and best.score >= self.similar:
                    self._best[actor_id] = best
        return self._best

    @staticmethod
    def _best_of(rows: dict[int, tuple]) -> _Best | None:
        """score_name's choice: the actor's names in order (its rows' order), each taking the
        place of the best so far only with a higher score than the best's, rounded."""
        best = None
        for row_id in sorted(rows):
            score, actor_name, form, text = rows[row_id]
            if score > (best.score if best else 0.0):
                if form in (Form.ACRONYM, Form.INITIALS):  # these hold the name or alias they abbreviate
                    form = Form.NAME if text == actor_name[:200] else Form.ALIAS
                label = "external id" if form == Form.ID else form
                best = _Best(round(score, 4), actor_name, f"{label}: {text}")
        return best

    def above(self, score: float) -> int:
        return sum(1 for best in self.best.values() if best.score > score)

    def top(self, limit: int) -> list[tuple[uuid.UUID, _Best]]:
        ranked = sorted(self.best.items(), key=lambda item: (-item[1].score, item[1].actor_name, item[0]))
        return ranked[:limit]


def _actor_candidates(
    asked: NameForm, kind: str | None, using: str, limit: int, *, exact_only: bool, fuzzy_only: bool
) -> _Candidates:
    """Index rows in the order they can score, each lookup only while the ones before it leave
    room for better candidates: the same folded words (1.0), skeletons or acronym (up to 0.99),
    the names a word is part of, then trigram similarity (up to FUZZY_CEILING).

    Each lookup reads a bounded number of rows, so of more actors than that with equal scores
    (hundreds of "Ahmad Dashty"), the ones returned are those the index gives first.
    """
    _, similar = thresholds("actors")
    found = _Candidates(asked, similar)
    index = NameIndex(using, kind)
    if not fuzzy_only:
        _add_by_spelling(found, index, limit)
        if exact_only or found.above(FUZZY_CEILING) >= limit:
            return found
    # A word names its candidates by one index lookup: the longest, and of equally long ones
    # the last (a family name, rarer than a given name); initials would find every name.
    skeletons = [word_skeleton(word) for word in reversed(asked.words) if len(word) >= 2]
    if skeletons:
        found.add(index.rows_with_word(max(skeletons, key=len), WORD_CANDIDATES))
        if len(found.best) >= limit:
            return found
    names = (
        ActorName.objects.using(using)
        .filter(actor__deleted_at__isnull=True, actor__merged_into__isnull=True)
        .order_by()
    )
    if kind:
        names = names.filter(actor__kind=kind)
    found.add(_through_trigram_index(using, lambda: list(_fuzzy_names(asked, names, using))))
    return found


def _add_by_spelling(found: _Candidates, index: NameIndex, limit: int) -> None:
    """Names and aliases with the query's folded words, skeleton or consonants, and acronyms: their
    spellings scored first, then the rows of the best spellings, a page for each score, only
    while better ones leave room. A spelling that hundreds of actors share costs a page of
    rows, not hundreds."""
    asked = found.asked
    groups: dict[float, list[tuple]] = {}
    key = consonants(list(asked.words))
    for spelling in index.spellings(
        " ".join(asked.words), asked.skeleton, key if len(key) >= 4 else "", asked.romanised, ACTOR_CANDIDATES
    ):
        score = _row_score(asked, *spelling)
        if score >= found.similar:
            groups.setdefault(score, []).append(spelling)
    for score in sorted(groups, reverse=True):
        if found.above(score) >= limit:
            return
        found.add(index.rows_spelt(groups[score], 2 * limit))


def _fuzzy_names(asked: NameForm, names: QuerySet, using: str) -> QuerySet:
    """Rows whose names resemble the query's: trigram word similarity on PostgreSQL (pg_trgm's
    GIN indexes), LIKE over each word on SQLite."""
    folded = " ".join(asked.words)
    if connections[using].vendor == "postgresql":
        matches = Q(skeleton__trigram_word_similar=asked.skeleton) | Q(folded__trigram_word_similar=folded)
        if len(asked.words) == 1:
            matches |= Q(folded__startswith=folded)  # an acronym or a single name
    else:
        # The same words joined differently ("Alshabaab", "Al-Shabaab"), or any word of them.
        joined = "".join(asked.words)
        names = names.annotate(joined=Replace("folded", Value(" "), Value("")))
        matches = Q(folded=folded) | Q(joined=joined)
        for word in asked.words:
            if len(word) >= 2:
                matches |= Q(folded__contains=word) | Q(skeleton__contains=word_skeleton(word))
    return names.filter(matches).values_list(*_ROW)[:ACTOR_CANDIDATES]


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


def _external_id_key(query: str) -> str | None:
    """The index key of a handle (``@nrfafg``) or an id (``wikidata:Q42834``); None when the
    query is a plain name."""
    stripped = query.strip()
    if not (stripped.startswith("@") or (":" in stripped and " " not in stripped)):
        return None
    key = stripped.lower()
    if not key.startswith("@"):
        scheme, value = key.split(":", 1)
        key = f"{scheme}:{value.lstrip('@')}"
    return key


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
    key = _external_id_key(name)
    if key is not None:
        found = _Candidates(NameForm.of("query", ""), thresholds("actors")[1])
        found.add(NameIndex(using, kind).rows_with_id(key, 2 * limit))
    else:
        asked = NameForm.of("query", name)
        if not asked.words:
            return []
        found = _actor_candidates(asked, kind, using, limit, exact_only=exact_only, fuzzy_only=fuzzy_only)
    # The rows read each actor's id and name through the join that keeps only live ones: the
    # actors are those two fields, the rest loaded if asked for (Django's deferred fields).
    return [
        ActorMatch(
            Actor.from_db(using, ["id", "name"], [actor_id, best.actor_name]),
            best.score,
            best.matched_on,
            decision("actors", best.score),
        )
        for actor_id, best in found.top(limit)
    ]


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

    Speaker, dates and language narrow the candidates; they never add any. Candidates come
    from the statements' text keys (matching/statement_keys.py), the same words first, then
    every run of three words; from the full-text index only while those leave room (a
    paraphrase shares words, not runs of them).
    """
    # What scoring and the brief answer read; the rest loads if a caller asks for it.
    statements = Statement.objects.using(using).only("id", "text")
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
    keys = text_keys(text)
    if keys.fingerprint is None:
        return []
    if speaker is not None:
        # A speaker's statements are few enough to compare every one (the most recent
        # SPEAKER_STATEMENTS of a prolific one): no index can miss a paraphrase there.
        said = _pairs(
            statements.order_by("-stated_on", "id").values_list("id", "text")[: SPEAKER_STATEMENTS + 1]
        )
        if len(said) <= SPEAKER_STATEMENTS:
            return _closest_statements(text, said, limit, using)
    seen: dict[uuid.UUID, Statement] = {}

    def take(found: QuerySet) -> None:
        for statement in _within_budget(using, lambda: list(found), []):
            seen.setdefault(statement.pk, statement)

    # The same words, however punctuated and quoted: a page of them is a full answer.
    take(statements.filter(match_keys__fingerprint=keys.fingerprint).order_by()[:limit])
    if len(seen) >= limit:
        return _ranked_statements(text, seen, limit)
    # Every run of three words of the query: the statements it is a part of.
    if keys.shingles and connections[using].vendor == "postgresql":
        take(
            statements.filter(match_keys__shingles__contains=keys.shingles).order_by()[:STATEMENT_CANDIDATES]
        )
        if len(seen) >= limit:
            return _ranked_statements(text, seen, limit)
    # Every distinctive word, then any of them: a paraphrase. Unordered, so the database
    # stops at the first candidates it finds instead of sorting every statement that
    # shares the words.
    words = _distinctive_words(text, 8)
    for found in (
        search(statements, " ".join(words[:4]), ("text",)),
        search_any(statements, words[:6], ("text",)),
    ):
        if len(seen) >= limit or not words:
            break
        take(found.order_by()[:STATEMENT_CANDIDATES])
    return _ranked_statements(text, seen, limit)


def _pairs(pairs: QuerySet) -> list[tuple]:
    """``(id, text)`` rows of a values_list query, read by its SQL: hundreds of rows through
    the queryset's per-row iteration cost as much again as the database took."""
    sql, params = pairs.query.sql_with_params()
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    to_pk = Statement._meta.pk.to_python  # SQLite answers with the UUID's text
    return [(to_pk(pk), text) for pk, text in rows]


def _closest_statements(text: str, said: list[tuple], limit: int, using: str) -> list[StatementMatch]:
    """The statements of ``said`` (id and text pairs) closest to ``text``: a quick similarity
    over all of them (rapidfuzz, in C) picks a few pages, which are scored in full."""
    texts = dict(said)
    closest = process.extract(
        text,
        texts,
        scorer=fuzz.token_set_ratio,
        processor=rapidfuzz_utils.default_process,
        limit=max(2 * limit, 20),
        # Below this a text shares too few words to reach "similar" (score_statement needs a
        # similarity over 55 for 0.5), and rapidfuzz stops early on it.
        score_cutoff=PREFILTER_CUTOFF,
    )
    seen = {pk: Statement.from_db(using, ["id", "text"], [pk, texts[pk]]) for _, _, pk in closest}
    return _ranked_statements(text, seen, limit)


def _ranked_statements(text: str, seen: dict[uuid.UUID, Statement], limit: int) -> list[StatementMatch]:
    _, similar = thresholds("statements")
    ranked = []
    scores: dict[str, float] = {}  # a quote published fifty times is scored once
    for statement in seen.values():
        score = scores.get(statement.text)
        if score is None:
            score = scores[statement.text] = statement_score(text, statement.text)
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
