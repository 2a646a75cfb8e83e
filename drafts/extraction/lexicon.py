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
    "called|calls|calling",
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
# A fact denied in so many words: "were not", "never took", "no licences had been issued".
DENIED_FACT = re.compile(
    r"\b(?:am|is|are|was|were|has|have|had|did|does|do)\s+(?:not|never)\b(?!\s+(?:going|able|afraid|sure|yet))|"
    r"\b(?:isn't|aren't|wasn't|weren't|hasn't|haven't|hadn't|didn't|doesn't)\b|"
    r"\bnever\s+(?:\w+ed|took|had|was|were|did|said|made|gave|saw|met|knew|stole)\b|"
    r"\bno\s+(?:[\w-]+\s+){0,2}(?:has|have|had|was|were)\s+(?:been\s+)?\w+(?:ed|en)\b|"
    r"\bnothing wrong\b|\bno one (?:was|has|had)\b|\bnothing (?:whatsoever )?to hide\b|"
    r"\bnobody (?:warned|told|is|was|has|had)\b|\bnever knowingly\b|\bno (?:record|trace|sign|anomal\w*)\b",
    re.I,
)
# What reported speech says happened: a past or perfect verb ("had reinforced", "was stolen").
HAPPENED = re.compile(
    r"\b(?:had|has|have)\s+(?:been\s+|already\s+)?(?:\w+ed|\w+en|made|done|begun|seen|found|sent|held|left|fled|"
    r"hit|shot|lost|won|built|struck|stolen)\b|\b(?:was|were)\s+(?:\w+ed|\w+en|hit|shot|made|held|found|struck)\b|"
    r"\b(?:killed|died|destroyed|launched|captured|seized|arrested|fled|stole|agreed|signed|attacked|fired|struck|"
    r"injured|wounded|detained|raided|bombed|shelled|took|gained|reached|filed|opened|broke|showed|"
    r"show|shows|proved|found)\b",
    re.I,
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
    "countered|counters",
)
SUPPORTING_CUES = _forms(
    "announced|announces|announcing",
    "claimed|claims|claiming",
    "confirmed|confirms|confirming",
    "acknowledged|acknowledges",
    "admitted|admits",
    "reported|reports",
    "revealed|reveals",
    "accused|accuses|accusing",
    "alleged|alleges",
    "blamed|blames",
)
# Words in what was said that deny a claim: "is false", "baseless", "never happened".
REFUTING_WORDS = re.compile(
    r"\b(?:false|untrue|not true|baseless|groundless|fabricat\w*|fake|lies?|lying|no truth|"
    r"never happened|unfounded|propaganda|misinformation|disinformation|deny|denies|denied|"
    r"nonsense|rumou?rs?|no evidence|not a single|"
    r"there (?:is|was|were|has been|have been) no(?! (?:question|doubt))|"
    r"did not happen|had nothing to do|categorically|not responsible|defamatory|smear|is not true|"
    r"fantasy|fiction|absurd|ridiculous|slander\w*|libel\w*|a lie|misleading|reject\w*|scaremongering)\b",
    re.I,
)

# Titles and roles that stand before a name or for a person ("Interior Minister", "the spokesman").
PERSON_ROLES = frozenset(
    """
    activist administrator admiral adviser advisor ambassador analyst archbishop attorney bishop
    brigadier capt captain cardinal ceo chair chairman chairwoman chancellor chief cleric col
    colonel commander commissioner coordinator correspondent councillor councilor deputy
    diplomat director doctor dr editor emir envoy founder gen general governor head imam
    inspector investigator journalist judge king lawmaker lawyer leader legislator lieutenant
    maj major marshal mayor minister mp mr mrs ms negotiator officer official officials pope
    premier president prime prince princess prof professor prosecutor queen rabbi rep
    representative researcher resident secretary secretary-general sen senator sergeant sgt
    sheikh sheriff speaker spokesman spokespeople spokesperson spokeswoman superintendent vice-
    president witness manager coach striker midfielder defender goalkeeper player agent evacuee
    survivor farmer teacher student nurse worker owner economist scientist engineer pilot driver
    actor actress singer artist author writer filmmaker producer chef priest pastor monk nun
    detective constable trooper ranger warden soldier veteran refugee migrant victim mother
    father widow neighbour neighbor shopkeeper vendor trader banker investor strategist
    consultant executive treasurer clerk coroner physician surgeon mediator organiser organizer
    campaigner protester demonstrator member chairperson
    rector provost headteacher headmaster headmistress vicar chaplain curator
    archivist librarian registrar spokesperson-general
    """.split()
)
SPOKESPERSON = frozenset({"spokesperson", "spokesman", "spokeswoman", "spokespeople"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "dame"})

# Words that make a name an organisation's.
ORGANIZATION_WORDS = frozenset(
    """
    administration agency alliance army assembly association authorities authority bank
    battalion board brigade bureau cabinet center centre channel church coalition college
    command commission committee company congress corp corporation corps council court crescent
    cross department embassy federation force forces foundation front fund government group
    guard hamas hezbollah hospital inc institute international kremlin league ltd militia
    ministry movement nations nato network news observatory office organisation organization
    parliament party pentagon police post presidency press radio red regiment school secretariat
    senate service services society taliban television times tribunal un union university watch
    staff airline airways club fc united consortium collective partnership trust
    developments holdings industries partners enterprises systems technologies motors energy
    airlines logistics media capital ventures labs solutions
    securities records investments insurance pharmaceuticals construction shipping
    """.split()
)
# Heads of noun phrases that stand for an organisation already named ("the ministry").
ORGANIZATION_HEADS = frozenset(
    """
    administration agency alliance army authorities authority bureau cabinet coalition command
    commission committee company council court department embassy forces front government group
    insurgents military militia ministry movement network observatory office organisation
    organization parliament party police presidency rebels resistance service union firm
    retailer airline bank institute consortium club team campaign developer insurer carrier
    operator broadcaster newspaper paper station school university hospital board prosecutors
    prosecution collective charity watchdog regulator league federation association foundation
    lab laboratory manufacturer maker producer utility provider platform website outlet
    publisher jury panel
    """.split()
)
PERSON_PRONOUNS = frozenset({"he", "she"})
GROUP_PRONOUNS = frozenset({"it", "they"})

# Capitalised words that start sentences without naming anyone.
NOT_NAMES = frozenset(
    """
    a about according across after against all also although amid among an analysts and april
    around as asked at august because before between both but by december despite dr during each
    earlier every february following for friday from he her here his however i if in into it its
    january july june later many march may meanwhile monday most mr mrs ms near no not november
    now october of officials on one or our over previously residents saturday september several
    she since so some sources still sunday that the their them then there these they this those
    though three thursday to today tomorrow tuesday two under until we wednesday when while with
    without witnesses yesterday yet you your speaking contacted reached interviewed writing
    addressing
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)
NAME_CONNECTORS = frozenset(
    {"of", "for", "the", "de", "al", "bin", "ibn", "van", "von", "der", "la", "le", "du", "da"}
)

# Cues that may come before their speaker ("…,” said Berg); "told X" names the listener.
INVERTIBLE_CUES = frozenset(
    "said says added adds wrote writes noted notes explained insisted stated continued asked replied "
    "recalled argued warned cautioned declared announced confirmed".split()
)

FILLER_WORDS = frozenset("also then again later earlier the a an and but he she it they that".split())

# People who speak for the organisation named after them ("analysts at X", "officials from X").
SPEAKING_GROUPS = frozenset(
    "economists analysts officials researchers experts scientists spokespeople staff sources doctors lawyers "
    "representatives engineers investigators diplomats executives".split()
)

PREPOSITIONS = frozenset(
    "of for in at from by with to against on near about whether if than into over under after before".split()
)

NOT_ROLE_WORDS = frozenset(
    [
        "that",
        "its",
        "their",
        "the",
        "a",
        "an",
        "his",
        "her",
        "and",
        "of",
        "also",
        "as",
        "was",
        "is",
        "were",
        "by",
        "with",
        "for",
        "said",
    ]
)

# Plural nouns that are cue verbs too ("conflicting claims"): a cue only after its speaker.
NOUN_LIKE_CUES = frozenset(
    ["claims", "reports", "notes", "states", "calls", "promises", "demands", "estimates", "warnings", "says"]
)

TITLE_MINOR_WORDS = frozenset(
    "a an the of in on at to for and or but by with from as into over its our".split()
)

FINITE_VERBS = frozenset(
    "is are was were had has have will would could can may might must should shall did does do took began "
    "fell rose came went left made gave saw won lost ran hit struck broke".split()
)

AUXILIARIES = frozenset("has have had also was were is will would on".split())

# Months that are first names too ("June Albright").
FIRST_NAME_MONTHS = frozenset("april may june august".split())

# Personal pronouns and the words that give a person's gender, for "he said" and "she said".
PRONOUN_GENDER = {"he": "m", "his": "m", "him": "m", "she": "f", "her": "f", "hers": "f"}
GENDERED_WORDS = {
    **dict.fromkeys(
        "mrs ms miss madam dame lady spokeswoman chairwoman businesswoman congresswoman policewoman "
        "actress mother widow wife daughter sister grandmother queen princess".split(),
        "f",
    ),
    **dict.fromkeys(
        "mr sir spokesman chairman businessman congressman policeman father husband son brother "
        "grandfather king prince".split(),
        "m",
    ),
}
