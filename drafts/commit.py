"""A draft's accepted items as one bundle (``POST /api/v1/bundles/``'s operations).

References are a record's id (a string) or a local id ``{"lid": ...}`` for a record the
bundle creates.

Actors, places, sources and statements are created with their natural keys as ``match``
(name and kind; url; speaker, text and day): a record that exists already is used as it is,
never overwritten, so committing two articles that quote the same people records each person
once and changes nothing an editor wrote. A statement the draft found already recorded
(``duplicate_of``) gets this article among its sources instead of a copy.
"""

from claims.models import Statement
from drafts.models import Draft
from drafts.services import keep_source_text


def bundle_operations(draft: Draft) -> list[dict]:
    return _Builder(draft).operations()


def commit_errors(draft: Draft) -> dict[str, str]:
    """What an accepted item still lacks, by its field in the draft (``statements[3].stated_on``)."""
    errors = {}
    for index, statement in enumerate(draft.statements):
        if not statement.get("accepted"):
            continue
        where = f"statements[{index}]"
        if not statement.get("stated_on"):
            errors[f"{where}.stated_on"] = "An accepted statement needs the day it was said."
        if not (statement.get("text") or "").strip():
            errors[f"{where}.text"] = "An accepted statement needs its words."
        speaker = statement.get("speaker") or {}
        if not (speaker.get("actor") or speaker.get("new_actor") or speaker.get("key")):
            errors[f"{where}.speaker"] = (
                "An accepted statement needs a speaker: an actor, a draft actor or a new one."
            )
    for index, event in enumerate(draft.events):
        if event.get("accepted") and not event.get("match"):
            for name in ("title", "start_date"):
                if not event.get(name):
                    errors[f"events[{index}].{name}"] = f"An accepted new event needs its {name}."
    return errors


class _Builder:
    def __init__(self, draft: Draft):
        self.draft = draft
        self.ops: list[dict] = []
        self.actor_refs: dict[str, dict] = {}
        self.actors = {actor["key"]: actor for actor in draft.actors}

    def operations(self) -> list[dict]:
        statements = [s for s in self.draft.statements if s.get("accepted")]
        events = {e["key"]: e for e in self.draft.events if e.get("accepted")}
        article = self._article()
        for event in events.values():
            self._event(event)
        for statement in statements:
            if statement.get("duplicate_of"):
                self._duplicate(statement, article)
            else:
                self._statement(statement, article, events)
        return self.ops

    # -- actors and sources -------------------------------------------------------------------

    def _new_actor(self, lid: str, data: dict) -> dict:
        if lid not in self.actor_refs:
            actor = {
                "name": data["name"],
                "kind": data.get("kind") or "person",
                "aliases": data.get("aliases") or [],
            }
            if data.get("description"):
                actor["description"] = data["description"]
            self.ops.append(
                {
                    "op": "create",
                    "resource": "actors",
                    "lid": lid,
                    "match": {"name": actor["name"], "kind": actor["kind"]},
                    "data": actor,
                }
            )
            self.actor_refs[lid] = {"lid": lid}
        return self.actor_refs[lid]

    def _actor_ref(
        self, key: str | None, chosen: str | None = None, new: dict | None = None
    ) -> str | dict | None:
        if chosen:
            return chosen
        actor = self.actors.get(key) if key else None
        if new is None and actor is not None and actor.get("match"):
            return actor["match"]
        data = new or actor
        if not data:
            return None
        description = actor.get("role", "") if actor else ""
        return self._new_actor(
            f"actor-{key or data['name']}", {**data, "description": description[:1].upper() + description[1:]}
        )

    def _article(self) -> dict:
        source = self.draft.source
        publisher = source.get("publisher") or {}
        publisher_ref = None
        if publisher.get("actor"):
            publisher_ref = publisher["actor"]
        elif publisher.get("new_actor"):
            publisher_ref = self._new_actor("publisher", {**publisher["new_actor"], "kind": "organization"})
        data = {
            "url": source["url"],
            "kind": source.get("kind") or "article",
            "title": source.get("title") or "",
            "author": source.get("author") or "",
            "publisher": publisher_ref,
            "published_at": source.get("published_at"),
            "language": source.get("language") or "",
        }
        if keep_source_text():
            data["text"] = self.draft.text
        self.ops.append(
            {
                "op": "create",
                "resource": "sources",
                "lid": "article",
                "match": {"url": data["url"]},
                "data": data,
            }
        )
        return {"lid": "article"}

    def _post(self, statement: dict) -> dict | None:
        post = statement.get("post_source")
        if not post:
            return None
        lid = f"post-{statement['key']}"
        speaker = self._speaker(statement)
        data = {**post, "publisher": speaker}
        self.ops.append(
            {"op": "create", "resource": "sources", "lid": lid, "match": {"url": post["url"]}, "data": data}
        )
        return {"lid": lid}

    def _speaker(self, statement: dict) -> dict | None:
        speaker = statement["speaker"]
        return self._actor_ref(speaker.get("key"), speaker.get("actor"), speaker.get("new_actor"))

    # -- events and statements ----------------------------------------------------------------

    def _event(self, event: dict) -> None:
        place = event.get("place")
        place_ref = None
        if isinstance(place, dict) and place.get("id"):
            place_ref = place["id"]
        elif isinstance(place, dict) and place.get("name"):
            lid = f"place-{event['key']}"
            data = {
                "name": place["name"],
                "kind": place.get("kind") or "locality",
                "country_code": place.get("country_code") or "",
            }
            self.ops.append(
                {
                    "op": "create",
                    "resource": "places",
                    "lid": lid,
                    "match": {"name": data["name"], "kind": data["kind"]},
                    "data": data,
                }
            )
            place_ref = {"lid": lid}
        participants = []
        for participant in event.get("participants") or []:
            reference = participant.get("actor") or {}
            actor = reference["id"] if reference.get("id") else self._actor_ref(reference.get("key"))
            if actor is not None:
                participants.append({"actor": actor, "role": participant.get("role") or "other"})
        data = {
            "title": event["title"],
            "event_type": event.get("event_type") or "other",
            "start_date": event["start_date"],
            "date_precision": event.get("date_precision") or "day",
            "place": place_ref,
            "participants": participants,
        }
        if event.get("match"):
            return
        self.ops.append({"op": "create", "resource": "events", "lid": f"event-{event['key']}", "data": data})

    def _event_ref(self, reference: dict, events: dict) -> dict | None:
        if reference.get("id"):
            return reference["id"]
        event = events.get(reference.get("key"))
        if event is None:
            return None  # a rejected event: the stance goes with it
        return event["match"] if event.get("match") else {"lid": f"event-{event['key']}"}

    def _span(self, statement: dict, source: dict) -> dict:
        span = statement["span"]
        return {
            "source": source,
            **{name: span[name] for name in ("start", "end", "exact", "prefix", "suffix")},
        }

    def _statement(self, statement: dict, article: dict, events: dict) -> None:
        speaker = self._speaker(statement)
        sources = [article]
        post = self._post(statement)
        if post is not None:
            sources.append(post)
        about = []
        for item in statement.get("about") or []:
            event = self._event_ref(item.get("event") or {}, events)
            if event is not None and not any(existing["event"] == event for existing in about):
                about.append({"event": event, "stance": item.get("stance") or "neutral"})
        data = {
            "text": statement["text"],
            "is_direct_quote": bool(statement["is_direct_quote"]),
            "language": statement.get("language") or "",
            "speaker": speaker,
            "stated_on": statement["stated_on"],
            "channel": statement.get("channel") or "",
            "sources": sources,
            "about": about,
            "source_spans": [self._span(statement, article)],
        }
        match = {"speaker": speaker, "stated_on": statement["stated_on"], "text": statement["text"]}
        self.ops.append(
            {
                "op": "create",
                "resource": "statements",
                "lid": f"statement-{statement['key']}",
                "match": match,
                "data": data,
            }
        )

    def _duplicate(self, statement: dict, article: dict) -> None:
        existing = Statement.objects.filter(pk=statement["duplicate_of"]).prefetch_related("sources").first()
        if existing is None:
            return
        sources = [str(source.pk) for source in existing.sources.all()]
        spans = list(existing.source_spans)
        self.ops.append(
            {
                "op": "update",
                "resource": "statements",
                "ref": {"id": str(existing.pk)},
                "data": {
                    "sources": [*sources, article],
                    "source_spans": [*spans, self._span(statement, article)],
                },
            }
        )
