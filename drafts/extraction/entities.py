"""Who is who across an article: a name on first mention, the surname, acronym or role
that stands for it later, and the organisation a person speaks for."""

import functools
import re
from dataclasses import dataclass, field

from anyascii import anyascii

from drafts.extraction.lexicon import ORGANIZATION_HEADS, SPOKESPERSON
from drafts.extraction.mentions import Mention


@functools.lru_cache(maxsize=4096)
def folded(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s@]", " ", anyascii(name).lower()).split())


@dataclass
class Entity:
    key: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # "spokesperson", "interior minister"
    affiliation: "Entity | None" = None
    handle: str = ""
    gender: str = ""  # "f" or "m" when the article shows it, for "she said" and "he said"
    last_seen: int = -1
    last_spoke: int = -1

    def forms(self) -> set[str]:
        return {folded(self.name), *(folded(alias) for alias in self.aliases)}

    def add_alias(self, alias: str) -> None:
        if alias and folded(alias) not in self.forms():
            self.aliases.append(alias)

    def add_role(self, role: str) -> None:
        role = " ".join(role.lower().split())
        if role and role not in self.roles:
            self.roles.append(role)

    @property
    def role_description(self) -> str:
        if not self.roles:
            return ""
        role = self.roles[0]
        return f"{role} of {self.affiliation.name}" if self.affiliation else role


class Registry:
    def __init__(self):
        self.entities: list[Entity] = []
        self.publisher_first = False  # the first entity is the publisher: never "the company"
        self.unnamed: dict[str, Entity] = {}  # "a spokesperson for X": role -> the organisation X

    def add(self, name: str, kind: str) -> Entity:
        """A new entity (no lookup: the caller knows it is new)."""
        entity = Entity(key=f"a{len(self.entities) + 1}", name=name, kind=kind)
        self.entities.append(entity)
        return entity

    def find(self, name: str, kind: str | None = None) -> Entity | None:
        wanted = folded(name)
        if not wanted:
            return None
        words = wanted.split()
        best = None
        for entity in self.entities:
            if kind and entity.kind != kind and entity.kind != "unknown" and kind != "unknown":
                continue
            forms = entity.forms()
            if wanted in forms:
                return entity
            own = folded(entity.name).split()
            if (
                (
                    entity.kind == "person"
                    and len(words) == 1
                    and words[0] in own
                    and words[0] not in _PARTICLES
                )
                or (entity.kind == "person" and len(words) >= 2 and _same_person(words, own))
                or (entity.kind == "organization" and _contains(own, words))
            ):
                best = _later(best, entity)
        return best

    def register(self, mention: Mention, position: int) -> Entity | None:
        if mention.kind == "place":
            return None
        entity = self.find(mention.name, mention.kind)
        if entity is None and mention.kind == "unknown":
            return None
        if entity is None:
            entity = self.add(mention.name, mention.kind)
        elif (
            len(mention.name) > len(entity.name)
            and mention.kind == entity.kind
            and not mention.name.startswith("@")
        ):
            entity.add_alias(entity.name)
            entity.aliases = [a for a in entity.aliases if folded(a) != folded(mention.name)]
            entity.name = mention.name
        elif folded(mention.name) != folded(entity.name) and (
            len(mention.name.split()) > 1
            or (entity.kind == "person" and folded(mention.name) == folded(entity.name).split()[-1])
        ):
            entity.add_alias(mention.name)  # "NRF Forces", or a person's surname used alone
        if mention.acronym:
            entity.add_alias(mention.acronym)
        if mention.title:
            entity.add_role(" ".join(mention.title))
        entity.last_seen = position
        return entity

    def by_role(self, role: str, position: int) -> Entity | None:
        """The person last seen holding ``role`` ("the spokesman", "the minister")."""
        role = role.lower()
        wanted = SPOKESPERSON if role in SPOKESPERSON else {role}
        people = [
            entity
            for entity in self.entities
            if entity.kind == "person"
            and any(word in wanted for held in entity.roles for word in held.split())
            and entity.last_seen <= position
        ]
        return max(people, key=lambda entity: entity.last_seen, default=None)

    def by_head(self, head: str, position: int) -> Entity | None:
        """The organisation "the ministry" or "the group" stands for."""
        head = head.lower()
        named = [
            entity
            for entity in self.entities
            if entity.kind == "organization"
            and head in folded(entity.name).split()
            and entity.last_seen <= position
        ]
        if named:
            return max(named, key=lambda entity: entity.last_seen)
        if head in ORGANIZATION_HEADS:
            # "the company", "the airline": the organisation last in view, never the publisher.
            return self.last(
                position, "organization", exclude=self.entities[:1] if self.publisher_first else []
            )
        return None

    def last(self, position: int, kind: str, exclude: list[Entity] = (), gender: str = "") -> Entity | None:
        """The entity of ``kind`` last speaking or seen before ``position`` (of ``gender``, or of
        none known, for a pronoun)."""
        candidates = [
            e
            for e in self.entities
            if e.kind == kind
            and e.last_seen <= position
            and e not in exclude
            and not (gender and e.gender and e.gender != gender)
        ]
        spoke = [e for e in candidates if e.last_spoke >= 0]
        pool = spoke or candidates
        return max(pool, key=lambda entity: max(entity.last_spoke, entity.last_seen), default=None)


_PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "abu", "de", "da", "del", "la", "le", "van", "von", "der", "du", "dos", "ter"}
)


def _later(current: Entity | None, candidate: Entity) -> Entity:
    return candidate if current is None or candidate.last_seen > current.last_seen else current


def _same_person(words: list[str], own: list[str]) -> bool:
    """ "Mr Oduya" is Karl Oduya; "Ahmed Masoud" is not "Ahmed Shah Masoud" (his father)."""
    return words == own or (len(words) == 2 and words[0] in {"mr", "mrs", "ms", "dr"} and words[1] == own[-1])


def _contains(own: list[str], words: list[str]) -> bool:
    """ "National Resistance Front" in "National Resistance Front of Afghanistan"; "Resistance"."""
    if len(words) > len(own):
        return own == words[: len(own)] and len(own) >= 2
    if len(words) == 1:
        return words[0] in own and words[0] not in {"of", "the", "for", "and"} and len(words[0]) > 3
    return own[: len(words)] == words
