"""The article read: its quotations and reported speech, each with a speaker, a date, a
channel and a stance. Everything here is a proposal for an editor, with the cue it rests on."""

import dataclasses
import datetime
import re
from dataclasses import dataclass, field

from drafts.extraction import dates
from drafts.extraction.entities import Entity, Registry, folded
from drafts.extraction.lexicon import (
    AUXILIARIES,
    CUE_VERBS,
    DENIED_FACT,
    FILLER_WORDS,
    FINITE_VERBS,
    GENDERED_WORDS,
    GROUP_PRONOUNS,
    HAPPENED,
    INVERTIBLE_CUES,
    NOT_ROLE_WORDS,
    NOUN_LIKE_CUES,
    ORGANIZATION_HEADS,
    PERSON_PRONOUNS,
    PERSON_ROLES,
    PREPOSITIONS,
    PRONOUN_GENDER,
    REFUTING_CUES,
    REFUTING_WORDS,
    SPEAKING_GROUPS,
    SPOKESPERSON,
    SUPPORTING_CUES,
    TITLE_MINOR_WORDS,
    WEAK_TAIL_CUES,
)
from drafts.extraction.mentions import Mention, mentions, poster_kind, tokens
from drafts.extraction.quotes import Post, Quote, embedded_post, find_quotes
from drafts.extraction.text import ABBREVIATIONS, Segment, paragraphs, sentences

# Words that put a name, not speech, in quotation marks: "the so-called “peace corridor”".
NAMING = re.compile(
    r"(?:so-called|dubbed|titled|entitled|named|nicknamed|known as|code-?named|operation|hashtag|"
    r"slogan|the word|the term|the phrase|the label|branded|labelled|labeled|termed)\s*$",
    re.I,
)
# Words that introduce a title: only before a capitalised quotation ("the film “Silent River”").
TITLED = re.compile(
    r"(?:film|movie|documentary|book|novel|memoir|song|ballad|anthem|album|series|show|play|poem|"
    r"painting|exhibition|opera|report|campaign|programme|program|podcast|game)[,:]?\s*$",
    re.I,
)
CHANNELS = [
    (
        re.compile(
            r"\b(?:on|via) (?:Twitter|X)\b|\bin a (?:tweet|post on X)\b|\btweeted\b|\bon social media\b"
        ),
        "twitter",
    ),
    (re.compile(r"\bon (?:Facebook|Telegram|Instagram|TikTok|YouTube)\b"), None),
    (re.compile(r"\bby (?:tele)?phone\b|\bin a (?:tele)?phone (?:call|interview)\b"), "telephone"),
    (re.compile(r"\bin a (?:written |joint )?statement\b|\bissued a statement\b"), "statement"),
    (re.compile(r"\bon state (?:television|TV|radio)\b"), "state television"),
    (re.compile(r"\bon (?:television|TV|radio)\b"), None),
    (re.compile(r"\bat a (?:news|press) conference\b|\bat a (?:news |press )?briefing\b"), "news conference"),
    (re.compile(r"\bin an interview\b"), "interview"),
]
# "NOVI SAD, Serbia, March 12 (Example Wire) –", "MANCHESTER —", "date 2021-09-06 ERBIL (Kurdistan 24) –"
DATELINE = re.compile(
    r"\s*(?:[a-z]+ \d{4}-\d{2}-\d{2}\s+)?[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,3}"
    r"(?:,?\s+(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]{2,8}\.?\s+\d{1,2})(?:,?\s+\d{4})?)?"
    r"\s*(?:\([^)]{1,60}\))?\s*(?:[–—]+|-+|:)\s"
)
_TOLD = re.compile(r"\btold (?:the )?((?:[A-Z0-9][\w’'.\-]*\s?){1,4})")
# What an attribution says besides its content: when, where, how and to whom it was said.
_ADJUNCTS = re.compile(
    r"\b(?:on|at|in|by|during|to|after|before|outside|via|over|from|later|earlier)\s+(?:the\s+|a\s+|an\s+|"
    r"his\s+|her\s+|its\s+|their\s+|a\s+separate\s+|a\s+televised\s+)?(?:[\w’'-]+\s+){0,3}?"
    r"(?:conference|briefing|statement|interview|telephone|phone|television|tv|radio|twitter|x|facebook|"
    r"telegram|instagram|reporters|journalists|crowd|supporters|rally|meeting|ceremony|speech|hearing|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|morning|afternoon|evening|"
    r"night|day|weekend|centre|center|building|court|court-house|courthouse|parliament|post|email|letter|"
    r"broadcast|video|address|session|summit|event)\b|\b(?:told|telling)\s+(?:the\s+)?(?-i:[A-Z][\w’'-]*\s*)+|"
    r"\b(?:reporters|journalists|the crowd|yesterday|today|tonight|on|by|telephone|phone)\b",
    re.I,
)
_WORD_OR_COMMA = re.compile(r"[^\s,]+|,")
# A comma-separated part that describes a speaker named before it.
_ROLES = "|".join(sorted(PERSON_ROLES, key=len, reverse=True))
# A comma-separated part that says who a speaker named before it is: "a hydrologist at X",
# "the club's spokeswoman", "Huaxin's head of investor relations", "chairman of X", "71",
# "who leads Friday prayers", "R-Ohio".
_APPOSITION = re.compile(
    r"\s*(?:(?:a|an)\s|(?:the|his|her|its|their)\s+(?:[\w’'-]+\s+){0,7}?(?:" + _ROLES + r")\b"
    r"|(?:[A-Z][\w’'-]*\s+){0,3}[A-Z][\w-]*[’']s\s+(?:[\w’'-]+\s+){0,3}?(?:" + _ROLES + r")\b"
    r"|(?-i:[a-z][\w-]*\s+){0,3}?(?:" + _ROLES + r")\b|\d|[RDI]-[A-Z]"
    r"|(?:who|whose|which|now|aged|himself|herself|also|known|formerly|based|best|widely)\b)",
    re.I,
)
# Roles that speak for an organisation: unnamed, their words are the organisation's.
VOICES = SPOKESPERSON | {"representative", "official", "officials", "spokespeople"}
_SPEAKS_FOR = re.compile(
    r"\s+(?:for|of|at|with)\s+((?:the\s+)?(?:[\w’'&-]+\s*){1,8}?)(?=\s*(?:,|$|\b(?:said|told|says|added|rejected|denied|confirmed)\b))"
)
_ACCORDING = re.compile(r"\baccording to\s+", re.I)
_NEGATED = re.compile(
    r"(?:\bnot|n't|\bnever|\byet to|\bdeclined to|\brefused to|\bwould not)\s+(?:\w+\s+)?$", re.I
)
# "Reuters could not independently verify the footage": the publisher's own words.
_PUBLISHER_VERIFY = (
    r"\s+(?:could not|couldn't|cannot|can't|was unable to|has not been able to|did not|has not)\b"
    r".*\b(?:verify|confirm|authenticate|reach|independently)"
)


@dataclass
class Frame:
    """An attribution: who, the cue word, where, and the clause its date and channel come from."""

    speaker: Entity | None
    phrase: str
    cue: str
    cue_start: int
    clause: Segment
    confidence: float
    subject_start: int
    inverted: bool


@dataclass
class Proposal:
    text: str
    is_direct_quote: bool
    start: int
    end: int
    speaker: Entity | None
    speaker_phrase: str
    cue: str
    confidence: float
    stated_on: dates.StatedOn | None
    channel: str = ""
    stance: str | None = None
    stance_cue: str = ""
    post: Post | None = None
    content: str = ""  # what was reported, for events
    weak_stance: bool = False  # read from the report's verbs, not from its cue


@dataclass
class Reading:
    text: str
    published: datetime.date
    registry: Registry
    statements: list[Proposal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_article(text: str, *, published: datetime.date, publisher: str = "") -> Reading:
    return _Reader(text, published, publisher).read()


class _Reader:
    def __init__(self, text: str, published: datetime.date, publisher: str):
        self.text, self.published, self.publisher = text, published, publisher
        self.registry = Registry()
        self.reading = Reading(text, published, self.registry)

    # -- the passes ----------------------------------------------------------------------------

    def read(self) -> Reading:
        text = self.text
        self.paragraphs = paragraphs(text)
        self.posts = {i: post for i, p in enumerate(self.paragraphs) if (post := embedded_post(text, p, i))}
        self.quotes = find_quotes(text, self.paragraphs, set(self.posts))
        self.masked = self._masked()
        self.sentences = [(i, s) for i, p in enumerate(self.paragraphs) for s in sentences(self.masked, p)]
        if self.publisher:
            self.publisher_entity = self.registry.add(self.publisher, "organization")
            self.registry.publisher_first = True
        else:
            self.publisher_entity = None
        for post in self.posts.values():
            self._register_post(post)
        self.lead_in: tuple[int, Frame] | None = None  # "Brandt told employees:" and its paragraph
        for index, sentence in self.sentences:
            if index in self.posts:
                continue
            self._register_mentions(sentence)
            frames = self._frames(sentence)
            in_sentence = [q for q in self.quotes if sentence.start <= q.opening < sentence.end]
            for quote in in_sentence:
                if self._is_naming(quote, sentence):
                    continue
                frame = self._frame_for(quote, sentence, frames) or self._continued(quote, index)
                if frame is None and quote.words < 4:
                    continue  # a scare quote, unattributed
                self._add_quote(quote, frame, sentence)
            if self.masked[sentence.start : sentence.end].rstrip().endswith(":") and frames:
                self.lead_in = (index, frames[-1])
                continue
            reporting = [
                frame
                for frame in frames
                if not _inside_quote(frame.cue_start, in_sentence)
                and self._reports_something(frame, sentence)
            ]
            if reporting:
                self._add_reported(sentence, reporting[0], in_sentence)
            else:
                self._publisher_voice(sentence)
        for post in self.posts.values():
            self._add_post(post)
        self._speakers_from_posts()
        self.reading.statements.sort(key=lambda proposal: (proposal.start, not proposal.is_direct_quote))
        return self.reading

    def _masked(self) -> str:
        """The text with quoted words and the dateline blanked (offsets kept)."""
        chars = list(self.text)
        if self.paragraphs:
            first = self.paragraphs[0]
            dateline = DATELINE.match(self.text, first.start, first.end)
            if dateline:
                for k in range(dateline.start(), dateline.end()):
                    chars[k] = " "
        for quote in self.quotes:
            for part in quote.parts:
                for k in range(part.start, part.end):
                    if not chars[k].isspace():
                        chars[k] = "x"
            # A quotation's own final period ends the sentence that holds it: “… across it.” She said
            last = quote.parts[-1]
            if self.text[last.start : last.end].rstrip().endswith("."):
                chars[last.start + len(self.text[last.start : last.end].rstrip()) - 1] = "."
        return "".join(chars)

    # -- names ---------------------------------------------------------------------------------

    def _register_mentions(self, sentence: Segment) -> None:
        found = mentions(self.masked, sentence.start, sentence.end)
        self._gender_from_pronouns(found, sentence)
        for k, mention in enumerate(found):
            following = re.match(r"\s+([a-z][\w’'-]*)", self.masked[mention.end : mention.end + 30])
            adjective = following is not None and not _verb_like(following.group(1))
            # A one-word name inside a sentence ("cancelled by SkyLark"): an organisation,
            # unless it is a known person's surname or an adjective ("Afghan journalist").
            if (
                mention.kind == "unknown"
                and mention.start > sentence.start
                and " " not in mention.name
                and not adjective
                and not mention.name.isupper()
                and self.registry.find(mention.name) is None
            ):
                mention.kind = "organization"
            entity = self.registry.register(mention, mention.start)
            if entity is None:
                continue
            if mention.kind == "person" or entity.kind == "person":
                self._roles_around(mention, entity, found[:k], sentence)

    def _gender_from_pronouns(self, found: list[Mention], sentence: Segment) -> None:
        """ "Kapanadze said at a news conference that her members ...": the first person named in a
        sentence is who its first personal pronoun most often means; titles and roles say too."""
        people = [m for m in found if m.kind == "person"]
        for mention in people:
            title = {word.lower().strip(".") for word in mention.title}
            gender = next((GENDERED_WORDS[word] for word in title if word in GENDERED_WORDS), "")
            entity = self.registry.find(mention.name, "person")
            if gender and entity is not None and not entity.gender:
                entity.gender = gender
        if len(people) != 1:
            return
        after = self.masked[people[0].end : sentence.end]
        pronoun = re.search(r"\b(he|his|him|she|her|hers)\b", after, re.I)
        entity = self.registry.find(people[0].name, "person")
        if pronoun and entity is not None and not entity.gender:
            entity.gender = PRONOUN_GENDER[pronoun.group(1).lower()]

    def _roles_around(
        self, mention: Mention, person: Entity, before: list[Mention], sentence: Segment
    ) -> None:
        """ "Taliban’s official spokesperson, Zabihullah Mojaheed", "Amira Haddad, a spokeswoman
        for the Red Crescent,", "its spokesperson, Fahim Dashty"."""
        left = self.masked[max(sentence.start, mention.start - 60) : mention.start]
        words = re.findall(r"\S+", left.rstrip(" ,"))
        role: list[str] = []
        while (
            words
            and re.fullmatch(r"[a-z][a-z\-]*", words[-1])
            and words[-1] not in NOT_ROLE_WORDS
            and len(role) < 3
        ):
            role.insert(0, words.pop())
        if role and role[-1] in PERSON_ROLES:
            person.add_role(" ".join(role))
            if role[-1] in GENDERED_WORDS and not person.gender:
                person.gender = GENDERED_WORDS[role[-1]]
            owner = None
            preceding = words[-1] if words else ""
            if (
                before
                and re.search(r"(?:’s|'s)?$", preceding)
                and before[-1].end >= mention.start - 60
                and preceding.startswith(before[-1].name.split()[-1])
            ):
                owner = self.registry.find(before[-1].name, "organization")
            elif preceding in {"its", "their"}:
                owner = self._subject_organization(sentence)
            if owner is not None and owner is not person:
                person.affiliation = owner
        right = self.masked[mention.end : min(sentence.end, mention.end + 120)]
        apposition = re.match(
            r",\s+(?:(?:a|an|the)\s+)?((?:[\w\-]+\s){0,3}?)([a-z\-]+)\s+(?:for|of|at|with|to|in)\s+(?:the\s+)?([^,;.]+?)[,.;]",
            right,
        )
        if apposition and apposition.group(2) in PERSON_ROLES:
            person.add_role((apposition.group(1) + apposition.group(2)).strip())
            owner = self.registry.find(apposition.group(3), "organization")
            if owner is None:
                inner = mentions(self.masked, mention.end, mention.end + apposition.end())
                if inner and inner[-1].kind != "place":
                    owner = self.registry.register(inner[-1], inner[-1].start)
            if owner is not None and owner.kind == "organization":
                person.affiliation = owner

    def _subject_organization(self, sentence: Segment) -> Entity | None:
        for mention in mentions(self.masked, sentence.start, sentence.end):
            entity = self.registry.find(mention.name)
            if entity is not None and entity.kind == "organization":
                return entity
        return None

    def _register_post(self, post: Post) -> None:
        entity = self.registry.find(post.name) or self.registry.add(post.name, poster_kind(post.name))
        entity.handle = post.handle
        entity.add_alias("@" + post.handle)

    # -- attributions --------------------------------------------------------------------------

    def _frames(self, sentence: Segment) -> list[Frame]:
        """Each speech cue of the sentence outside its quotations, with its speaker."""
        frames = []
        for token in tokens(self.masked, sentence.start, sentence.end):
            if token.lower not in CUE_VERBS:
                continue
            before = self.masked[sentence.start : token.start]
            if _NEGATED.search(before):
                continue
            if token.lower in NOUN_LIKE_CUES and re.search(
                r"\b(?:the|of|and|its|their|his|her|these|those|such|[a-z]+ing|[a-z]+ed)\s+$", before
            ):
                continue
            frame = self._frame(sentence, token.start, token.end, token.lower)
            if frame is not None:
                frames.append(frame)
        for match in _ACCORDING.finditer(self.masked, sentence.start, sentence.end):
            phrase_end = _phrase_end(self.masked, match.end(), sentence.end)
            speaker, phrase, confidence = self._resolve(match.end(), phrase_end)
            if speaker is None:
                # "according to figures from the Chamber of Commerce", "according to its statement"
                named = [
                    m
                    for m in mentions(self.masked, match.end(), phrase_end)
                    if m.kind not in ("place", "unknown")
                ]
                if named:
                    speaker = self.registry.register(named[0], named[0].start)
                    phrase, confidence = named[0].name, 0.8
            if speaker is not None:
                frames.append(
                    Frame(
                        speaker,
                        phrase,
                        "according to",
                        match.start(),
                        sentence,
                        confidence,
                        match.start(),
                        True,
                    )
                )
        return sorted(frames, key=lambda frame: frame.cue_start)

    def _frame(self, sentence: Segment, cue_start: int, cue_end: int, cue: str) -> Frame | None:
        clause_start = _clause_start(self.masked, sentence.start, cue_start)
        before = self.masked[clause_start:cue_start]
        after = re.match(r"\s*(?:,\s*)?", self.masked[cue_end : sentence.end])
        after_start = cue_end + (after.end() if after else 0)
        inverted = None
        if cue in INVERTIBLE_CUES and (not before.strip() or re.search(r",\s*$", before)):
            # Inverted: "…,” said Interior Minister Tomas Berg. / "…" on Sunday, said Dr. Amadi
            inverted = self._resolve(after_start, _phrase_end(self.masked, after_start, sentence.end))
            if inverted[0] is not None:
                return Frame(inverted[0], inverted[1], cue, cue_start, sentence, inverted[2], cue_start, True)
        speaker, phrase, confidence, subject_start = self._subject(clause_start, cue_start)
        if speaker is None and not phrase and inverted is not None and inverted[1]:
            speaker, phrase, confidence = inverted
            return Frame(speaker, phrase, cue, cue_start, sentence, confidence, cue_start, True)
        if speaker is None and not phrase:
            return None
        return Frame(speaker, phrase, cue, cue_start, sentence, confidence, subject_start, False)

    def _subject(self, start: int, cue_start: int) -> tuple[Entity | None, str, float, int]:
        """The speaker before a cue: the first name, role or pronoun of its clause, or of the
        clause's last comma-separated part ("Asked whether Hamburg was among them, Sello said")."""
        region = _without_asides(self.masked[start:cue_start])
        # From the cue back, skipping appositions ("Amira Haddad, a spokeswoman for X, said",
        # "Tom Barkley, 71, said"): "Talks ended, with the negotiator, Anton Reik, calling".
        bounds = [m.start() for m in re.finditer(",", region)]
        parts = list(zip([0, *(b + 1 for b in bounds)], [*bounds, len(region)], strict=True))
        relative = next(
            (n for n, (s, e) in enumerate(parts) if n and re.match(r"\s*(?:who|whose|which)\b", region[s:e])),
            None,
        )
        if relative is not None:
            # "Siti Rahmawati, 38, whose husband, a driver, died in May, said": the clause runs to the cue.
            parts = parts[:relative]
        if len(parts) > 1 or relative is not None:
            for number, (part_start, part_end) in enumerate(reversed(parts)):
                part = region[part_start:part_end]
                # The part right before the cue is its subject ("In a statement, the ministry said"),
                # unless a relative clause stands between them.
                if not part.strip() or ((number > 0 or relative is not None) and _APPOSITION.match(part)):
                    continue
                found = self._subject_in(region, part_start, start, cue_start, part_end)
                if found[0] is not None or found[1]:
                    return found
        return self._subject_in(region, 0, start, cue_start)

    def _subject_in(self, region: str, offset: int, start: int, cue_start: int, end: int | None = None):
        words = list(re.finditer(r"[\w’'@\-]+", region[offset:end]))
        found = mentions(region, 0, len(region))
        for k, word in enumerate(words):
            at = offset + word.start()
            lowered = word.group().lower()
            preceding = words[k - 1].group().lower() if k else ""
            if preceding in PREPOSITIONS and not (
                k >= 2
                and words[k - 2].group().lower() in SPEAKING_GROUPS
                and preceding in {"at", "from", "with", "of", "for"}
            ):
                continue  # an object; but "Economists at Halvard Securities said": the firm speaks
            mention = next((m for m in found if at in (m.start, m.outer_start)), None)
            if mention is not None and mention.kind != "place":
                follower = _role_follows(region, mention, found)
                if follower is not None:
                    mention = follower
                entity = self.registry.find(mention.name, mention.kind) or self.registry.find(mention.name)
                if (
                    entity is None
                    and mention.kind == "unknown"
                    and _next_is_cue(self.masked, start + mention.end)
                ):
                    # "Online retailer Brightcart has confirmed": a one-word name as the subject.
                    entity = self.registry.add(mention.name, "organization")
                    entity.last_seen = start + mention.start
                if entity is not None:
                    return entity, mention.name, 0.9, start + mention.start
                if mention.kind == "unknown":
                    continue
                return None, mention.name, 0.3, start + mention.start
            if lowered in PERSON_PRONOUNS:
                person = self.registry.last(start + at, "person", gender=PRONOUN_GENDER[lowered])
                return person, word.group(), 0.7, start + at
            if (lowered in GROUP_PRONOUNS and k == len(words) - 1) or (
                lowered == "it" and k >= len(words) - 2
            ):
                return self.registry.last(start + at, "organization"), word.group(), 0.6, start + at
            following = words[k + 1].group().lower() if k + 1 < len(words) else ""
            if lowered in ORGANIZATION_HEADS and following in PERSON_ROLES:
                continue  # "the jury president": the person, read at the next word
            if lowered in PERSON_ROLES and (
                preceding in {"the", "a", "an", "his", "her", "its", "their"}
                or preceding in ORGANIZATION_HEADS
                or k == 0
            ):
                named = _apposed_person(region, offset + word.end(), found)
                entity = (
                    None
                    if named
                    else self.registry.by_role(lowered, cue_start) or self.registry.unnamed.get(lowered)
                )
                phrase_start = offset + words[max(0, k - 1)].start() if k else at
                if entity is not None:
                    return entity, region[phrase_start : offset + word.end()], 0.7, start + phrase_start
                named = _apposed_person(region, offset + word.end(), found)
                speaks_for = _SPEAKS_FOR.match(region, offset + word.end())
                if named is None and lowered in VOICES and (speaks_for or preceding in ORGANIZATION_HEADS):
                    # "A spokesperson for Levant Marine Carriers said", "a council spokesperson said":
                    # an unnamed spokesperson's words are the organisation's.
                    organization = None
                    if speaks_for:
                        inside = [
                            m for m in found if speaks_for.start(1) <= m.outer_start < speaks_for.end(1)
                        ]
                        if inside:
                            organization = self.registry.find(inside[0].name) or self.registry.register(
                                dataclasses.replace(inside[0], kind="organization"), start + inside[0].start
                            )
                        else:
                            head = re.findall(r"[a-z]+", speaks_for.group(1).lower())
                            organization = self.registry.by_head(head[-1], cue_start) if head else None
                    else:
                        organization = self.registry.by_head(preceding, cue_start)
                    if organization is not None:
                        self.registry.unnamed[lowered] = organization
                        return (
                            organization,
                            region[offset + word.start() : offset + word.end()],
                            0.6,
                            start + at,
                        )
                if named is not None:
                    entity = self.registry.register(named, start + named.start)
                    if entity is not None:
                        entity.add_role(lowered)
                        return entity, named.name, 0.85, start + named.start
                phrase = region[phrase_start : _phrase_end(region, offset + word.end(), len(region))].strip(
                    " ,"
                )
                return None, phrase, 0.2, start + phrase_start
            if lowered in ORGANIZATION_HEADS and preceding in {"the", "its", "their", "his", "her"}:
                entity = self.registry.by_head(lowered, cue_start)
                if entity is not None:
                    phrase_start = offset + words[k - 1].start()
                    return entity, region[phrase_start : offset + word.end()], 0.7, start + phrase_start
            if (
                lowered in ORGANIZATION_HEADS
                and preceding[:1].isalpha()
                and words[k - 1].group()[0].isupper()
            ):
                # "The Malian army said", "the Suzhou labour bureau said": named by its phrase.
                named = re.search(
                    r"\b[Tt]he\s+((?:[A-Z][\w’'-]*\s+)+(?:[a-z]+\s+){0,2})$",
                    region[offset : offset + word.start()],
                )
                if named:
                    name = (named.group(1) + word.group()).strip()
                    entity = self.registry.find(name) or self.registry.add(name, "organization")
                    entity.last_seen = start + at
                    return entity, name, 0.7, start + at
        return None, "", 0.0, start

    def _resolve(self, start: int, end: int) -> tuple[Entity | None, str, float]:
        """The speaker named right after a cue ("said Maria Lopez, the club's spokeswoman",
        "said the ministry"); a pronoun there is what was said ("said he had watched")."""
        phrase = self.masked[start:end].strip(" ,")
        if not phrase or phrase.split()[0].lower() in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return None, "", 0.0
        found = [m for m in mentions(self.masked, start, end) if m.kind != "place"]
        if found and found[0].outer_start - start <= 4 + phrase.find(phrase.lstrip()):
            mention = found[0]
            if mention.kind == "unknown":
                entity = self.registry.find(mention.name)
            else:
                entity = self.registry.register(mention, mention.start)
            return entity, mention.name, 0.9 if entity else 0.3
        if re.match(r"(?:the|a|an)\s", phrase, re.I) and len(phrase.split()) <= 4:
            entity, found_phrase, confidence, _ = self._subject(start, end)
            return entity, found_phrase, confidence
        return None, "", 0.0

    def _frame_for(self, quote: Quote, sentence: Segment, frames: list[Frame]) -> Frame | None:
        # The tail: “…,” she said / “…,” said Berg.
        tail = self.masked[quote.closing : sentence.end]
        for frame in frames:
            if quote.closing <= frame.cue_start and frame.cue not in WEAK_TAIL_CUES:
                between = self.masked[quote.closing : frame.cue_start]
                if len(between.split()) <= 6 and not re.search(r"[“”\"]", between) and tail.strip():
                    return frame
        # The head: He said: “…” / X announced “the victory” / according to X, “…”
        heads = [frame for frame in frames if frame.cue_start < quote.opening]
        if heads:
            return heads[-1]
        later = [frame for frame in frames if frame.cue_start >= quote.closing]
        return later[0] if later else None

    def _continued(self, quote: Quote, index: int) -> Frame | None:
        """A quotation with no cue of its own: the words of the speaker just quoted or reported
        in its paragraph, or of the one a lead-in introduced ("Brandt told employees:")."""
        paragraph = self.paragraphs[index]
        opens_paragraph = quote.opening == paragraph.start
        if opens_paragraph and self.lead_in is not None and self.lead_in[0] == index - 1:
            return self._continuing(self.lead_in[1].speaker, self.lead_in[1].phrase, quote)
        earlier = [
            p for p in self.reading.statements if p.end <= quote.opening and p.speaker and p.post is None
        ]
        if not earlier:
            return None
        latest = earlier[-1]
        if latest.start >= paragraph.start:
            return self._continuing(latest.speaker, latest.speaker_phrase, quote)
        previous = self.paragraphs[index - 1] if index else None
        if opens_paragraph and previous is not None and latest.start >= previous.start:
            return self._continuing(latest.speaker, latest.speaker_phrase, quote)
        return None

    def _continuing(self, speaker: Entity | None, phrase: str, quote: Quote) -> Frame | None:
        if speaker is None:
            return None
        sentence = next(s for _, s in self.sentences if s.start <= quote.opening < s.end)
        return Frame(speaker, phrase, "continued", quote.opening, sentence, 0.6, quote.opening, False)

    def _is_naming(self, quote: Quote, sentence: Segment) -> bool:
        """A name in quotation marks, not words said: "so-called", a title, an operation."""
        before = self.masked[max(sentence.start, quote.opening - 40) : quote.opening]
        if NAMING.search(before):
            return True
        if TITLED.search(before) and quote.text[:1].isupper():
            return True
        return _is_title(quote.text)

    # -- statements ----------------------------------------------------------------------------

    def _add_quote(self, quote: Quote, frame: Frame | None, sentence: Segment) -> None:
        clause = self._clause(frame, sentence)
        proposal = Proposal(
            text=quote.text,
            is_direct_quote=True,
            start=quote.start,
            end=quote.end if not self.text[quote.start : quote.end].endswith(",") else quote.end - 1,
            speaker=frame.speaker if frame else None,
            speaker_phrase=frame.phrase if frame else "",
            cue=frame.cue if frame else "",
            confidence=frame.confidence if frame else 0.0,
            stated_on=self._date(clause, frame),
            channel=_channel(clause),
        )
        if REFUTING_WORDS.search(quote.text):
            proposal.stance, proposal.stance_cue = "refutes", REFUTING_WORDS.search(quote.text).group()
        elif frame is not None and _stance(frame.cue)[0]:
            proposal.stance, proposal.stance_cue = _stance(frame.cue)
        elif DENIED_FACT.search(quote.text):
            # "“He never took a cent”": a denial in the speaker's words, weaker than a cue.
            proposal.stance, proposal.stance_cue = "refutes", DENIED_FACT.search(quote.text).group()
            proposal.weak_stance = True
        proposal.content = quote.text
        self._spoke(proposal)
        self.reading.statements.append(proposal)

    def _reports_something(self, frame: Frame, sentence: Segment) -> bool:
        """Whether the cue has words of its own to report, beyond who, when, where and how it
        was said: "Marek said the city would ask for funds", not "“…,” Marek said on Tuesday"."""
        after = self.masked[frame.cue_start : sentence.end]
        if re.match(r"(?:told|telling)\s+(?-i:[A-Z])", after):
            after = _ADJUNCTS.sub(" ", after, count=1)  # the listener: "told Kurdistan 24"
        after = re.sub(r"^\s*\S+", "", after)
        if frame.inverted and frame.phrase:
            after = after.replace(frame.phrase, " ", 1)
            # "said Maria Lopez, the club's spokeswoman": who she is, not what she said
            after = re.sub(r"^\s*,\s*(?:a|an|the|his|her|its|their)\b[^,;]*(?:[,;]|$)", " ", after)
        has_quote = bool(re.search(r"[“\"«]\s*x", after)) and bool(re.search(r"\w\W+[“\"«]", after))
        after = re.sub(r"[“”\"«»]?\bx+\b[x\s,.;:!?]*[“”\"«»]?", " ", after)
        after = _ADJUNCTS.sub(" ", after)
        words = [word for word in re.findall(r"[A-Za-z][\w’'-]*", after) if word.lower() not in FILLER_WORDS]
        quoted = sum(
            min(q.closing, sentence.end) - max(q.opening, sentence.start)
            for q in self.quotes
            if sentence.start <= q.opening < sentence.end
        )
        if has_quote and len(words) <= 2 and quoted * 2 > sentence.end - sentence.start:
            return False  # "the spokesperson told Kurdistan 24 that NRF “…”": the quotation is the statement
        if words or has_quote:
            return True
        # Post-posed: "Ferreira will miss the season, the club confirmed" / "…, according to X".
        start = frame.cue_start if frame.inverted else frame.subject_start
        before = self.masked[sentence.start : start]
        return bool(re.search(r",\s*$", before)) and len(re.findall(r"\b(?!x+\b)[A-Za-z]\w*", before)) >= 4

    def _add_reported(self, sentence: Segment, frame: Frame, quotes: list[Quote]) -> None:
        raw = sentence.of(self.text)
        trimmed = raw.rstrip(". ")
        clause = self._clause(frame, sentence)
        stance, stance_cue = _stance(frame.cue)
        if frame.inverted and self.masked[frame.cue_start : sentence.end].strip(" .").endswith(frame.phrase):
            content = self.text[sentence.start : frame.cue_start].rstrip(" ,")  # "X happened, according to Y"
        else:
            content = self.text[frame.cue_start : sentence.end]
            content = re.sub(r"^\w+\s+(?:(?:on|in|at|last|this)\s+\w+\s+)?(?:that\s+)?", "", content).rstrip(
                ". "
            )
        if stance is None and REFUTING_WORDS.search(content):
            stance, stance_cue = "refutes", REFUTING_WORDS.search(content).group()
        weak = False
        if stance is None and DENIED_FACT.search(content):
            stance, stance_cue, weak = "refutes", DENIED_FACT.search(content).group(), True
        if stance is None and frame.cue not in WEAK_TAIL_CUES:
            happened = HAPPENED.search(
                re.sub(r"^.*?\b(?:would|will|could|may|might|should|must)\b.*$", "", content)
            )
            if happened:
                # "said engineers had reinforced the levees": it supports what it says happened,
                # but such a report only joins an event; it does not propose one.
                stance, stance_cue, weak = "supports", happened.group(), True
        proposal = Proposal(
            text=trimmed,
            is_direct_quote=False,
            start=sentence.start,
            end=sentence.start + len(trimmed),
            speaker=frame.speaker,
            speaker_phrase=frame.phrase,
            cue=frame.cue,
            confidence=frame.confidence,
            stated_on=self._date(clause, frame),
            channel=_channel(clause),
            stance=stance,
            stance_cue=stance_cue,
            content=content,
            weak_stance=weak,
        )
        self._spoke(proposal)
        self.reading.statements.append(proposal)

    def _publisher_voice(self, sentence: Segment) -> None:
        """ "Reuters could not independently verify the footage": the publisher's own words."""
        entity = self.publisher_entity
        if entity is None:
            return
        raw = sentence.of(self.text)
        names = "|".join(
            re.escape(form) for form in sorted({entity.name, *entity.aliases}, key=len, reverse=True)
        )
        if re.match(rf"(?:{names}){_PUBLISHER_VERIFY}", raw, re.I):
            proposal = Proposal(
                text=raw,
                is_direct_quote=True,
                start=sentence.start,
                end=sentence.end,
                speaker=entity,
                speaker_phrase=entity.name,
                cue="publisher",
                confidence=0.9,
                stated_on=dates.published_day(self.published),
            )
            self.reading.statements.append(proposal)

    def _add_post(self, post: Post) -> None:
        entity = self.registry.find(post.name)
        body = post.body.of(self.text)
        when = dates.stated_on(post.date, self.published) or dates.published_day(self.published)
        proposal = Proposal(
            text=" ".join(body.split()),
            is_direct_quote=True,
            start=post.body.start,
            end=post.body.end,
            speaker=entity,
            speaker_phrase=post.name,
            cue="post",
            confidence=0.95,
            stated_on=when,
            channel="twitter",
            post=post,
            content=body,
        )
        if REFUTING_WORDS.search(body):
            proposal.stance, proposal.stance_cue = "refutes", REFUTING_WORDS.search(body).group()
        self.reading.statements.append(proposal)

    def _speakers_from_posts(self) -> None:
        """ "The head of NRF foreign relations said that Masoud is "safe"", then the post it
        quotes: the post's author is the speaker the role left unnamed."""
        for proposal in self.reading.statements:
            if proposal.speaker is not None or proposal.post is not None:
                continue
            words = folded(proposal.text if proposal.is_direct_quote else "")
            quoted = [
                folded(q.text) for q in self.quotes if proposal.start <= q.start < proposal.end + 1
            ] or [words]
            for post in self.posts.values():
                body = folded(post.body.of(self.text))
                if post.body.start > proposal.start and all(part and part in body for part in quoted):
                    proposal.speaker = self.registry.find(post.name)
                    proposal.confidence = 0.6
                    if proposal.speaker is not None and proposal.speaker_phrase:
                        proposal.speaker.add_role(
                            re.sub(r"^(?:the|a|an)\s+", "", proposal.speaker_phrase, flags=re.I)
                        )
                    break
        for proposal in self.reading.statements:
            if proposal.speaker is None and not proposal.is_direct_quote:
                continue
            if proposal.speaker is None:
                # A partial quote shares the speaker its sentence's reported speech found.
                holder = next(
                    (
                        p
                        for p in self.reading.statements
                        if not p.is_direct_quote and p.speaker and p.start <= proposal.start < p.end
                    ),
                    None,
                )
                if holder is not None:
                    proposal.speaker, proposal.confidence = holder.speaker, holder.confidence

    def _spoke(self, proposal: Proposal) -> None:
        if proposal.speaker is not None:
            proposal.speaker.last_spoke = proposal.start

    def _clause(self, frame: Frame | None, sentence: Segment) -> str:
        """Where an attribution's date and channel are: around the cue, not in what was said."""
        if frame is None:
            return self.masked[sentence.start : sentence.end]
        if frame.inverted:
            start, end = frame.cue_start, frame.clause.end
            cut = re.search(r"\b(?:that|whether|if)\b|[“\"]", self.masked[frame.cue_start : end])
            if cut:
                end = frame.cue_start + cut.start()
        else:
            # Before the cue, its clause; after it, only the words that say when, where, how
            # and to whom ("told reporters in Geneva on Monday"), not what was said.
            start = _clause_start(self.masked, frame.clause.start, frame.cue_start)
            before = self.masked[start : frame.subject_start]
            if re.search(r",\s*$", before) and any(
                _finite_verb(word) for word in re.findall(r"[\w’'-]+", before)
            ):
                # Post-posed: "Farmers have not been paid since July, the union said yesterday"
                # (what was said comes first); an opening "In a filing on Nov. 6," stays.
                start = frame.subject_start
            end = _attribution_end(self.masked, frame.cue_start, frame.clause.end, frame.cue)
            region = self.masked[start : frame.cue_start]
            # Appositions between the speaker and the cue describe the speaker, not the saying:
            # "Villaflor, a spokesman who has led the briefings since Saturday, said".
            parts = region.split(",")
            kept = [
                part if index == len(parts) - 1 or not _APPOSITION.match(part) else " " * len(part)
                for index, part in enumerate(parts)
            ]
            return ",".join(kept) + self.masked[frame.cue_start : end]
        return self.masked[start:end]

    def _date(self, clause: str, frame: Frame | None) -> dates.StatedOn:
        found = dates.stated_on(_without_asides(clause), self.published)
        if found is not None:
            return found
        if frame is not None and frame.speaker is not None:
            # "…,” he said: the occasion the speaker was last dated on, a paragraph or two back.
            here = self._paragraph_of(frame.cue_start)
            for earlier in reversed(self.reading.statements):
                if here - self._paragraph_of(earlier.start) > 2:
                    break
                if (
                    earlier.speaker is frame.speaker
                    and earlier.stated_on
                    and earlier.stated_on.expression
                    and earlier.stated_on.date is not None  # an undated occasion dates nothing after it
                ):
                    return earlier.stated_on
        return dates.published_day(self.published)

    def _paragraph_of(self, position: int) -> int:
        for index, paragraph in enumerate(self.paragraphs):
            if position < paragraph.end:
                return index
        return len(self.paragraphs) - 1


def _is_title(text: str) -> bool:
    """ "The River Keeps Its Silence", "Built in Aldren, Built to Last": capitalised like a title,
    without a sentence's final punctuation."""
    words = re.findall(r"[\w’'-]+", text)
    if not 2 <= len(words) <= 10 or text.rstrip()[-1:] in ".!?":
        return False
    significant = [word for word in words if word.lower() not in TITLE_MINOR_WORDS]
    return bool(significant) and all(word[0].isupper() or word[0].isdigit() for word in significant)


# What may follow a cue and still be its attribution: when, where, how and to whom it was said.
_TIME_WORDS = frozenset(
    [
        "yesterday",
        "today",
        "tonight",
        "late",
        "early",
        "earlier",
        "later",
        "overnight",
        "again",
        "also",
        "then",
        "last",
        "this",
        "next",
        "night",
        "morning",
        "afternoon",
        "evening",
        "week",
        "weekend",
        "month",
    ]
)
_PREPOSITIONS_OF_ATTRIBUTION = frozenset(
    ["on", "in", "at", "during", "to", "by", "via", "from", "after", "before", "outside", "inside", "over"]
)
_NOUN_PHRASE_LIMIT = 6


def _attribution_end(masked: str, cue_start: int, limit: int, cue: str) -> int:
    """Where a cue's attribution ends: "said at a news conference in Tbilisi on Thursday",
    "told The Associated Press in an interview", "claimed responsibility on Sunday", but
    "said | the attack happened on Sunday" (what was said begins)."""
    words = list(_WORD_OR_COMMA.finditer(masked, cue_start, limit))
    if not words:
        return cue_start
    end, index = words[0].end(), 1

    def phrase(index: int, *, inside: bool = False) -> int:
        """The end of a noun phrase from ``index``: up to a preposition, comma, quote or verb
        (within a prepositional phrase "of" goes on: "in a series of posts")."""
        taken = 0
        while index < len(words) and taken < _NOUN_PHRASE_LIMIT:
            token = words[index].group()
            lowered = token.strip(".;:").lower()
            previous = words[index - 1].group().lower()
            if (
                lowered in _PREPOSITIONS_OF_ATTRIBUTION
                or token == ","
                or token[0] in '“"«'
                or lowered in ("that", "whether", "if", "for", "with", "about", "as")
                or (lowered == "of" and not inside)
                or _finite_verb(token, previous)
            ):
                break
            index, taken = index + 1, taken + 1
        return index

    if cue not in CLAUSE_CUES:
        index = phrase(index)  # its object: "claimed responsibility", "told a packed sanctuary"
        end = words[index - 1].end()
    while index < len(words):
        token = words[index].group()
        lowered = token.strip(".;:").lower()
        if (
            lowered in _TIME_WORDS
            or lowered in dates.WEEKDAYS
            or token[:1].isdigit()
            or dates.is_month(lowered)
        ):
            index += 1
        elif lowered in _PREPOSITIONS_OF_ATTRIBUTION:
            index = phrase(index + 1, inside=True)
        else:
            break
        end = words[index - 1].end()
    return end


# Cues that take what was said as a clause, never an object: "said | the attack happened on
# Sunday". Any other cue may have an object first ("claimed responsibility on Sunday", "told a
# packed sanctuary Thursday night", "accused the authority at a news conference on Wednesday").
CLAUSE_CUES = frozenset(
    [
        "said",
        "says",
        "saying",
        "added",
        "adds",
        "noted",
        "notes",
        "stated",
        "states",
        "explained",
        "explains",
        "insisted",
        "insists",
        "argued",
        "argues",
        "maintained",
        "maintains",
        "continued",
        "replied",
        "recalled",
        "suggested",
        "predicted",
    ]
)
_DETERMINERS = frozenset(
    [
        "a",
        "an",
        "the",
        "his",
        "her",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "some",
        "many",
        "several",
        "our",
        "your",
    ]
)


def _finite_verb(word: str, previous: str = "") -> bool:
    """ "had", "happened", "taken": what was said has begun; "a packed sanctuary": not a verb."""
    if word in FINITE_VERBS:
        return True
    participle = word.islower() and len(word) > 4 and word.endswith(("ed", "en"))
    return participle and previous not in _DETERMINERS


def _verb_like(word: str) -> bool:
    """ "SkyLark cancelled", "Brightcart owes": a verb after a name; "Afghan journalist": not."""
    return word in CUE_VERBS or word in AUXILIARIES or word.endswith(("ed", "s"))


def _next_is_cue(text: str, end: int) -> bool:
    following = re.findall(r"[\w’'-]+", text[end : end + 40])
    words = [word.lower() for word in following[:4]]
    return bool(words) and (
        words[0] in CUE_VERBS or (len(words) > 1 and words[0] in AUXILIARIES and words[1] in CUE_VERBS)
    )


def _inside_quote(position: int, quotes: list[Quote]) -> bool:
    return any(q.opening <= position < q.closing for q in quotes)


def _clause_start(masked: str, sentence_start: int, cue_start: int) -> int:
    region = masked[sentence_start:cue_start]
    cut = max(region.rfind(";"), region.rfind("”"), region.rfind('"'), region.rfind(":"))
    return sentence_start + cut + 1 if cut >= 0 else sentence_start


def _without_asides(text: str) -> str:
    """Dash pairs and brackets blanked (offsets kept): "The NRF – mainly … Kabul – denied"."""
    blank = lambda m: " " * len(m.group())  # noqa: E731
    text = re.sub(r"\([^()]*\)", blank, text)
    text = re.sub(r",\s*(?:who|whose|which)\b[^,]*,", blank, text)  # ", who leads Friday prayers,"
    return re.sub(r"\s[–—-]\s[^–—]*?\s[–—-]\s", blank, text)


def _phrase_end(text: str, start: int, limit: int) -> int:
    """Where a speaker's phrase after a cue ends: punctuation (not an abbreviation's period)
    or a word that starts what follows ("on Monday", "who", "that")."""
    for match in _PHRASE_END.finditer(text, start, limit):
        if match.group() == ".":
            word = re.search(r"(\w+)$", text[start : match.start()])
            if word and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        return match.start()
    return limit


_PHRASE_END = re.compile(
    r"[,.;:!?]|(?<=\s)(?:on|in|at|by|during|after|before|when|as|who|which|that|to|told)(?=\s)"
)


_APPOSED = re.compile(r"\s*,\s*(?:[A-Z][\w-]*\s+)?(?:[a-z][\w-]*\s+){0,2}|\s*")


def _apposed_person(region: str, after: int, found: list[Mention]) -> Mention | None:
    """ "Its director, Piotr Nowicki, told": the name set off after a role."""
    for mention in found:
        # ", Piotr Nowicki," / ", British actor Oliver Grant,"
        if (
            mention.kind == "person"
            and after <= mention.outer_start <= after + 40
            and _APPOSED.fullmatch(region[after : mention.outer_start])
        ):
            return mention
    return None


def _role_follows(region: str, mention: Mention, found: list[Mention]) -> Mention | None:
    """ "Taliban’s official spokesperson, Zabihullah Mojaheed": the person, not the organisation."""
    for other in found:
        if other.start > mention.end and other.kind == "person":
            between = region[mention.end : other.outer_start]
            if re.fullmatch(r"(?:’s|'s)?\s*(?:[a-z\-]+\s+){0,3}?[a-z\-]+,?\s*", between) and any(
                word in PERSON_ROLES for word in re.findall(r"[a-z\-]+", between)
            ):
                return other
            break
    return None


def _channel(clause: str) -> str:
    for pattern, name in CHANNELS:
        match = pattern.search(clause)
        if match:
            return name or match.group().split(" ", 1)[-1].lower()
    told = _TOLD.search(clause)
    if told:
        return f"told {told.group(1).strip()}"
    return ""


def _stance(cue: str) -> tuple[str | None, str]:
    if cue in REFUTING_CUES:
        return "refutes", cue
    if cue in SUPPORTING_CUES:
        return "supports", cue
    return None, ""
