"""From an article read (``extraction``) to a draft's proposals: each speaker matched to an
existing actor or proposed new, each claim matched to an existing event or proposed new,
each quote checked against the statements already recorded."""

import datetime
import re
import time
import urllib.parse
from collections import Counter

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Lower
from rapidfuzz import fuzz

from drafts.extraction.entities import Entity
from drafts.extraction.language import language_of
from drafts.extraction.mentions import mentions
from drafts.extraction.reader import Proposal, Reading
from events.models import Actor, Event, EventType, Place
from matching.selectors import actor_exact_matches, actor_matches, statement_matches


def fuzzy_budget_seconds() -> float:
    return settings.EVENTSAPI_DRAFT_FUZZY_MATCH_MS / 1000


MAX_PLACE_NAMES = 60  # of an article's capitalised names, looked up among alternate names
SPAN_CONTEXT = 32  # characters of prefix and suffix (a W3C TextQuoteSelector's context)
EVENT_WINDOW_DAYS = 3
EVENT_MATCH_SCORE = 70
NEARBY_EVENTS = 50  # recorded events a claim is compared with
DUPLICATE_WINDOW_DAYS = 60
CANDIDATES = 5
EVENT_TYPES = [
    (
        r"\b(?:air ?strikes?|bomb\w*|explosions?|shell\w*|missiles?|drones?|rockets?|artillery)\b",
        EventType.EXPLOSION_REMOTE_VIOLENCE,
    ),
    (
        r"\b(?:killed|clash\w*|fight\w*|battles?|offensives?|attack\w*|ambush\w*|assault\w*)\b",
        EventType.BATTLE,
    ),
    (r"\b(?:protests?|protesters|demonstrat\w*|rall(?:y|ies)|march\w*)\b", EventType.PROTEST),
    (r"\b(?:riots?|looting)\b", EventType.RIOT),
    (
        r"\b(?:control\w*|captur\w*|seiz\w*|took over|withdr\w*|victory|fall|fell|retak\w*|"
        r"recaptur\w*|arrest\w*)\b",
        EventType.STRATEGIC_DEVELOPMENT,
    ),
    (
        r"\b(?:elections?|government|talks|negotiations?|agreements?|ceasefire|resign\w*|appoint\w*|sanctions?|treaty|deal)\b",
        EventType.POLITICAL,
    ),
]


def span(text: str, start: int, end: int) -> dict:
    return {
        "start": start,
        "end": end,
        "exact": text[start:end],
        "prefix": text[max(0, start - SPAN_CONTEXT) : start],
        "suffix": text[end : end + SPAN_CONTEXT],
    }


class Proposer:
    def __init__(self, reading: Reading, *, language: str, publisher: Actor | None, publisher_name: str):
        self.reading, self.language = reading, language
        self.publisher, self.publisher_name = publisher, publisher_name
        self.actors: dict[str, dict] = {}
        self.events: list[dict] = []
        # (span, speaker key, event reference) of each statement that proposed or matched an event
        self.claims: list[tuple[tuple[int, int], str | None, dict]] = []
        self.places: dict[str, Place] | None = None
        self.nearby_events: dict[tuple, list[Event]] = {}  # by (day, place id): most claims share a day
        self._exact_matches: dict | None = None
        self._fuzzy_spent = 0.0
        self._fuzzy_skipped: list[str] = []
        self.warnings: list[str] = []

    def _exact(self) -> dict:
        """Exact matches of every name and alias the article gives anyone, in one lookup."""
        if self._exact_matches is None:
            names = {
                form for entity in self.reading.registry.entities for form in [entity.name, *entity.aliases]
            }
            self._exact_matches = actor_exact_matches(names=sorted(names), limit=CANDIDATES)
        return self._exact_matches

    def propose(self) -> dict:
        # Speakers first, the most quoted first: the time for matching misspellings goes to them.
        quoted = Counter(p.speaker.key for p in self.reading.statements if p.speaker is not None)
        speakers = {p.speaker.key: p.speaker for p in self.reading.statements if p.speaker is not None}
        for key, _ in quoted.most_common():
            self._actor(speakers[key])
        statements = [self._statement(k, proposal) for k, proposal in enumerate(self.reading.statements, 1)]
        if self._fuzzy_skipped:
            self.warnings.append(
                "Only exact names were matched for " + ", ".join(self._fuzzy_skipped) + " (the draft's time "
                "for matching misspellings ran out): check them with GET /api/v1/actors/match/?name=."
            )
        return {
            "statements": statements,
            "events": self.events,
            "actors": list(self.actors.values()),
            "warnings": self.warnings,
        }

    # -- actors -----------------------------------------------------------------------------------

    def _actor(self, entity: Entity, *, speaker: bool = True) -> dict:
        """The draft's actor for ``entity``, matched against the recorded actors: speakers with
        the full search (misspellings too), participants by exact name only."""
        if entity.key in self.actors:
            return self.actors[entity.key]
        if self.publisher is not None and entity.name == self.publisher_name:
            match, candidates = (
                self.publisher,
                [{"actor": str(self.publisher.pk), "name": self.publisher.name, "score": 1.0}],
            )
        else:
            match, candidates = self._match_actor(entity, exact_only=not speaker)
        kind = entity.kind if entity.kind in ("person", "organization") else "person"
        proposed = {
            "key": entity.key,
            "name": entity.name,
            "kind": kind,
            "aliases": list(entity.aliases),
            "role": entity.role_description,
            "match": str(match.pk) if match else None,
            "candidates": candidates,
        }
        self.actors[entity.key] = proposed
        return proposed

    def _match_actor(self, entity: Entity, *, exact_only: bool) -> tuple[Actor | None, list[dict]]:
        """The recorded actors ``entity`` may be: every name the article gives it, looked up
        exactly (folded, or the same consonant skeleton: "Mojaheed" is "Mujahid"), and its
        handle; then, for a speaker no exact name found, the trigram search for misspellings
        and partial names, while the draft's budget for it lasts."""
        found = {}

        def keep(matches):
            for match in matches:
                best = found.get(match.actor.pk)
                if best is None or match.score > best.score:
                    found[match.actor.pk] = match

        for form in [entity.name, *entity.aliases]:
            keep(self._exact().get(form, []))
        handles = [alias for alias in entity.aliases if alias.startswith("@")]
        if handles:
            keep(actor_matches(name=handles[0], limit=CANDIDATES))
        if not exact_only and not any(match.decision == "same" for match in found.values()):
            if self._fuzzy_spent < fuzzy_budget_seconds():
                started = time.perf_counter()
                keep(actor_matches(name=entity.name, limit=CANDIDATES, fuzzy_only=True))
                self._fuzzy_spent += time.perf_counter() - started
            else:
                self._fuzzy_skipped.append(entity.name)
        ranked = sorted(found.values(), key=lambda match: (-match.score, match.actor.name))[:CANDIDATES]
        candidates = [
            {"actor": str(m.actor.pk), "name": m.actor.name, "score": round(m.score, 3)} for m in ranked
        ]
        same = [m for m in ranked if m.decision == "same"]
        return (same[0].actor if same else None), candidates

    def _speaker(self, proposal: Proposal) -> dict:
        entity = proposal.speaker
        if entity is None:
            return {
                "actor": None,
                "key": None,
                "name": proposal.speaker_phrase,
                "new_actor": None,
                "confidence": 0.0,
                "candidates": [],
                "cue": proposal.cue,
            }
        actor = self._actor(entity)
        new = (
            None
            if actor["match"]
            else {"name": actor["name"], "kind": actor["kind"], "aliases": actor["aliases"]}
        )
        return {
            "actor": actor["match"],
            "key": entity.key,
            "name": entity.name,
            "new_actor": new,
            "confidence": round(proposal.confidence, 2),
            "candidates": actor["candidates"],
            "cue": proposal.cue,
        }

    # -- statements -------------------------------------------------------------------------------

    def _statement(self, number: int, proposal: Proposal) -> dict:
        text = self.reading.text
        when = proposal.stated_on
        speaker = self._speaker(proposal)
        statement = {
            "key": f"s{number}",
            "text": proposal.text,
            "is_direct_quote": proposal.is_direct_quote,
            "language": language_of(proposal.text, self.language) or self.language,
            "span": span(text, proposal.start, proposal.end),
            "speaker": speaker,
            "stated_on": when.date.isoformat() if when and when.date else None,
            "stated_on_precision": when.precision if when else "day",
            "channel": proposal.channel,
            "duplicate_of": None,
            "about": [],
            "accepted": True,
        }
        if proposal.post is not None:
            statement["post_source"] = self._post_source(proposal)
        if proposal.stance:
            event = self._event_for(proposal, statement)
            if event is not None:
                statement["about"].append(
                    {"event": event, "stance": proposal.stance, "cue": proposal.stance_cue}
                )
        statement["duplicate_of"] = self._duplicate(statement)
        problems = []
        if proposal.speaker is None:
            problems.append(f"no speaker found for “{_short(proposal.text)}”")
        if statement["stated_on"] is None:
            problems.append(
                f"the date of “{_short(proposal.text)}” is not in the text "
                f"({when.expression if when else ''})"
            )
        if problems:
            statement["accepted"] = False
            self.warnings.extend(f"{statement['key']}: {problem}; set it to accept." for problem in problems)
        return statement

    def _post_source(self, proposal: Proposal) -> dict:
        post = proposal.post
        words = " ".join(proposal.text.split()[:8])
        query = urllib.parse.quote_plus(f'from:{post.handle} "{words}"')
        when = proposal.stated_on.date if proposal.stated_on and proposal.stated_on.date else None
        return {
            "url": f"https://x.com/search?q={query}",
            "kind": "social_post",
            "title": f"{post.name} (@{post.handle}): “{_short(proposal.text)}”",
            "author": f"@{post.handle}",
            "published_at": when.isoformat() if when else None,
        }

    def _duplicate(self, statement: dict) -> str | None:
        speaker = statement["speaker"]["actor"]
        if speaker is None or statement["stated_on"] is None:
            return None  # a statement by an actor not yet recorded cannot have been recorded
        day = datetime.date.fromisoformat(statement["stated_on"])
        window = datetime.timedelta(days=DUPLICATE_WINDOW_DAYS)
        for match in statement_matches(
            text=statement["text"], speaker=speaker, date_from=day - window, date_to=day + window, limit=3
        ):
            if match.decision == "same":
                return str(match.statement.pk)
        return None

    # -- events -----------------------------------------------------------------------------------

    def _event_for(self, proposal: Proposal, statement: dict) -> dict | None:
        """A claim's event: the one its sentence already proposed, the claim a denial answers,
        an existing event, or a new one."""
        for (start, end), _, reference in reversed(self.claims):
            if start <= proposal.start < end:
                return reference  # the reported sentence around a partial quote
        speaker = proposal.speaker.key if proposal.speaker else None
        if proposal.stance == "refutes":
            others = [reference for _, claimant, reference in self.claims if claimant != speaker]
            if others:
                return others[-1]  # the claim a denial answers
        day = (
            datetime.date.fromisoformat(statement["stated_on"])
            if statement["stated_on"]
            else self.reading.published
        )
        title = _title(proposal.content)
        if not title:
            return None
        place = self._place(proposal)
        existing = self._existing_event(title, day, place)
        if existing is not None:
            reference = {"id": str(existing.pk)}
            self.claims.append(((proposal.start, proposal.end), speaker, reference))
            return reference
        if proposal.weak_stance:
            return None  # read from its verbs, not from a cue: it may join an event, not propose one
        key = f"e{len(self.events) + 1}"
        self.events.append(
            {
                "key": key,
                "match": None,
                "title": title,
                "event_type": _event_type(proposal.content),
                "start_date": day.isoformat(),
                "date_precision": statement["stated_on_precision"]
                if statement["stated_on_precision"] in ("day", "week", "month")
                else "day",
                "place": {"id": str(place.pk)} if isinstance(place, Place) else place,
                "participants": self._participants(proposal),
                "accepted": True,
            }
        )
        self.claims.append(((proposal.start, proposal.end), speaker, {"key": key}))
        return {"key": key}

    def _place(self, proposal: Proposal) -> Place | dict | None:
        """The recorded place a claim's sentence names, or the place it names to propose."""
        found = mentions(self.reading.text, proposal.start, proposal.end)
        known = self._known_places()
        for mention in found:
            if mention.kind in ("place", "unknown") and mention.name.lower() in known:
                return known[mention.name.lower()]
        places = [mention.name for mention in found if mention.kind == "place"]
        return {"name": places[0], "country_code": None} if places else None

    def _known_places(self) -> dict[str, Place]:
        """Every recorded place the article may name, by lower-cased name or alternate name:
        two queries for the whole article."""
        if self.places is None:
            names = {
                mention.name.lower()
                for mention in mentions(self.reading.text, 0, len(self.reading.text))
                if mention.kind in ("place", "unknown")
            }
            self.places = {}
            if names:
                by_name = Place.objects.annotate(lowered=Lower("name")).filter(lowered__in=names)
                alternates = Q()
                for name in sorted(names)[:MAX_PLACE_NAMES]:
                    alternates |= Q(alternate_names__icontains=name)
                for place in [*by_name.order_by("-created_at"), *Place.objects.filter(alternates)[:200]]:
                    for form in [place.name, *place.alternate_names]:
                        if form.lower() in names:
                            self.places[form.lower()] = place
        return self.places

    def _existing_event(self, title: str, day: datetime.date, place) -> Event | None:
        """The recorded event a claim is about: within days of it (at its place, when known),
        its title and summary closest to the claim's words."""
        key = (day, place.pk if isinstance(place, Place) else None)
        if key not in self.nearby_events:
            window = datetime.timedelta(days=EVENT_WINDOW_DAYS)
            events = Event.objects.filter(start_date__gte=day - window, start_date__lte=day + window)
            if isinstance(place, Place):
                events = events.filter(place=place)
            self.nearby_events[key] = list(events.only("id", "title", "summary")[:NEARBY_EVENTS])
        best, best_score = None, 0.0
        for event in self.nearby_events[key]:
            score = fuzz.token_set_ratio(title.lower(), f"{event.title} {event.summary}".lower())
            if score > best_score:
                best, best_score = event, score
        return best if best_score >= EVENT_MATCH_SCORE else None

    def _participants(self, proposal: Proposal) -> list[dict]:
        found = []
        for mention in mentions(self.reading.text, proposal.start, proposal.end):
            entity = self.reading.registry.find(mention.name, mention.kind)
            if (
                entity is not None
                and entity is not proposal.speaker
                and entity.kind in ("person", "organization")
            ):
                actor = self._actor(entity, speaker=False)
                if not any(p["actor"].get("key") == entity.key for p in found):
                    found.append({"actor": {"key": actor["key"]}, "role": "other"})
        return found


def _title(content: str) -> str:
    content = re.sub(r"[“”\"‘’]", "", content)
    content = re.sub(r"\s[–—-]\s[^–—]*?\s[–—-]\s|\([^()]*\)", " ", content)  # asides
    content = re.sub(
        r",\s*((?:[A-Z][\w’'-]*\s*){1,4})(?:,|(?=\s+[a-z]))", r" \1", content
    )  # "its spokesperson, Fahim Dashty,"
    content = re.split(r",|;|\s[–—-]\s|\bwhich\b|\bsaying\b", content)[0].strip()
    words = content.split()
    if len(words) < 2:
        return ""
    title = " ".join(words[:14])
    return title[0].upper() + title[1:]


def _event_type(content: str) -> str:
    for pattern, event_type in EVENT_TYPES:
        if re.search(pattern, content, re.I):
            return event_type.value
    return EventType.OTHER.value


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
