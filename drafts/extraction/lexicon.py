"""The words the rules read: attribution cues, titles and roles, organisation words, stances."""

import re


def _forms(*stems: str) -> frozenset[str]:
    return frozenset(word for stem in stems for word in stem.split("|"))


# Verbs that attribute speech, in the forms news writing uses.
CUE_VERBS = _forms(
    "said|says|say|saying",
    "told|tells|tell|telling",
    "added|adds",
    "announced|announces|announcing",
    "claimed|claims|claiming",
    "denied|denies|deny|denying",
    "accused|accuses|accusing",
    "confirmed|confirms|confirming",
    "rejected|rejects|rejecting",
    "insisted|insists|insisting",
    "warned|warns|warning",
    "stated|states",
    "noted|notes",
    "argued|argues",
    "alleged|alleges",
    "maintained|maintains",
    "wrote|writes|writing",
    "tweeted|tweets|posted",
    "declared|declares",
    "explained|explains",
    "stressed|stresses",
    "urged|urges",
    "vowed|vows",
    "pledged|pledges",
    "promised|promises",
    "dismissed|dismisses",
    "refuted|refutes",
    "acknowledged|acknowledges",
    "admitted|admits",
    "asserted|asserts",
    "described|describes",
    "called|calls",
    "asked|asks",
    "replied|replies",
    "responded|responds",
    "recalled|recalls",
    "predicted|predicts",
    "suggested|suggests",
    "reported|reports",
    "cautioned|cautions",
    "demanded|demands",
    "disputed|disputes",
    "countered|counters",
    "conceded|concedes",
    "revealed|reveals",
    "reiterated|reiterates",
    "emphasised|emphasized",
    "estimated|estimates",
    "blamed|blames",
    "condemned|condemns",
    "welcomed|welcomes",
    "hailed|hails",
    "described|describes",
)
# Cues that take what was said only as a direct object or a clause, never alone at a
# quotation's tail (a "," they called ... is rare): they attribute reported speech.
WEAK_TAIL_CUES = frozenset({"called", "calls", "described", "describes", "blamed", "blames", "welcomed"})

REFUTING_CUES = _forms(
    "denied|denies|deny|denying",
    "rejected|rejects|rejecting",
    "refuted|refutes",
    "dismissed|dismisses",
    "disputed|disputes",
)
SUPPORTING_CUES = _forms(
    "announced|announces|announcing",
    "claimed|claims|claiming",
    "confirmed|confirms|confirming",
    "acknowledged|acknowledges",
    "admitted|admits",
    "reported|reports",
    "revealed|reveals",
)
# Words in what was said that deny a claim: "is false", "baseless", "never happened".
REFUTING_WORDS = re.compile(
    r"\b(?:false|untrue|not true|baseless|groundless|fabricat\w*|fake|lies?|lying|no truth|"
    r"never happened|unfounded|propaganda|misinformation|disinformation|deny|denies|denied|"
    r"nonsense|rumou?rs?)\b",
    re.I,
)

# Titles and roles that stand before a name or for a person ("Interior Minister", "the spokesman").
PERSON_ROLES = frozenset(
    ["president", "vice-president", "prime", "minister", "minister", "secretary", "secretary-general", "spokesperson", "spokesman", "spokeswoman", "spokespeople", "official", "officials", "commander", "general", "gen", "lieutenant", "colonel", "col", "major", "maj", "captain", "capt", "sergeant", "sgt", "officer", "chief", "head", "leader", "director", "chairman", "chairwoman", "chair", "ceo", "governor", "mayor", "senator", "sen", "representative", "rep", "ambassador", "envoy", "judge", "prosecutor", "king", "queen", "prince", "princess", "sheikh", "emir", "pope", "cardinal", "archbishop", "bishop", "imam", "rabbi", "cleric", "professor", "prof", "dr", "mr", "mrs", "ms", "deputy", "premier", "chancellor", "speaker", "lawmaker", "legislator", "diplomat", "analyst", "researcher", "witness", "resident", "doctor", "founder", "coordinator", "adviser", "advisor", "negotiator", "investigator", "inspector", "superintendent", "sheriff", "marshal", "admiral", "brigadier", "commissioner", "administrator", "representative", "mp", "councillor", "councilor", "activist", "lawyer", "attorney", "journalist", "correspondent", "editor"]
)
SPOKESPERSON = frozenset({"spokesperson", "spokesman", "spokeswoman", "spokespeople"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "dame"})

# Words that make a name an organisation's.
ORGANIZATION_WORDS = frozenset(
    ["ministry", "department", "office", "agency", "army", "forces", "force", "police", "guard", "council", "committee", "commission", "front", "party", "movement", "union", "organisation", "organization", "government", "administration", "parliament", "assembly", "senate", "congress", "court", "tribunal", "authority", "authorities", "service", "services", "bureau", "command", "corps", "brigade", "battalion", "regiment", "militia", "group", "coalition", "alliance", "federation", "association", "institute", "foundation", "fund", "bank", "company", "corporation", "corp", "inc", "ltd", "university", "college", "school", "hospital", "church", "red", "crescent", "cross", "nations", "un", "nato", "taliban", "hamas", "hezbollah", "kremlin", "pentagon", "network", "news", "agency", "press", "times", "post", "television", "radio", "channel", "cabinet", "presidency", "embassy", "secretariat", "board", "league", "society", "centre", "center", "observatory", "watch", "international"]
)
# Heads of noun phrases that stand for an organisation already named ("the ministry").
ORGANIZATION_HEADS = frozenset(
    ["ministry", "department", "office", "agency", "army", "military", "forces", "police", "council", "committee", "commission", "front", "party", "movement", "union", "organisation", "organization", "government", "administration", "parliament", "court", "authority", "authorities", "service", "bureau", "command", "militia", "group", "coalition", "alliance", "company", "resistance", "rebels", "insurgents", "embassy", "cabinet", "presidency", "observatory", "network"]
)
PERSON_PRONOUNS = frozenset({"he", "she"})
GROUP_PRONOUNS = frozenset({"it", "they"})

# Capitalised words that start sentences without naming anyone.
NOT_NAMES = frozenset(
    ["a", "an", "the", "this", "that", "these", "those", "there", "here", "it", "its", "he", "she", "his", "her", "they", "their", "them", "we", "our", "i", "you", "your", "in", "on", "at", "of", "for", "from", "by", "with", "without", "to", "into", "after", "before", "during", "following", "however", "but", "and", "or", "yet", "so", "if", "when", "while", "although", "though", "as", "since", "until", "because", "previously", "meanwhile", "also", "earlier", "later", "today", "yesterday", "tomorrow", "now", "then", "still", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "according", "some", "many", "several", "most", "all", "both", "each", "every", "no", "not", "one", "two", "three", "asked", "despite", "amid", "over", "under", "about", "around", "across", "against", "between", "among", "near", "officials", "witnesses", "residents", "sources", "analysts", "mr", "mrs", "ms", "dr"]
)
NAME_CONNECTORS = frozenset(
    {"of", "for", "the", "de", "al", "bin", "ibn", "van", "von", "der", "la", "le", "du", "da", "and"}
)
