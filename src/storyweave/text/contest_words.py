"""Word lists the contested-point detectors read (reconcile/disagreements): which words carry a status, a
rank, a title's rank, which verbs change a count over time (verbs of saying are in ``lexicon``).

Closed-class lists, hand-written because no library ships them: spaCy tags a superlative (JJS) but does not
say which adjectives make a ranking, nor which status words are incompatible with each other.
"""

from __future__ import annotations

from storyweave.text.lexicon import word_set

# Subject/object heads that name nothing on their own: comparing them would pair unrelated claims.
PRONOUNS = word_set(
    "i me my we us our you your he him his she her it its they them their this that these those who whom "
    "which what there here one someone something anyone anything everyone everything"
)

# Status words: a claim given one class by one outlet and an incompatible class by another is contested.
# "final" vs "in principle" (a deal), "permanent" vs "temporary" (a ban), "confirmed" vs "unconfirmed".
STATUS_CLASSES: dict[str, str] = {
    "final": "final", "finalised": "final", "finalized": "final", "definitive": "final",
    "binding": "final", "formal": "final", "formally": "final", "officially": "final",
    "in principle": "provisional", "preliminary": "provisional", "tentative": "provisional",
    "tentatively": "provisional", "provisional": "provisional", "provisionally": "provisional",
    "draft": "provisional", "framework": "provisional", "informal": "provisional",
    "temporary": "temporary", "temporarily": "temporary", "interim": "temporary",
    "for now": "temporary", "suspended": "temporary",
    "permanent": "permanent", "permanently": "permanent", "indefinite": "permanent",
    "indefinitely": "permanent",
    "confirmed": "confirmed", "unconfirmed": "unconfirmed", "alleged": "unconfirmed",
    "reportedly": "unconfirmed",
}  # fmt: skip
# Pairs of status classes that cannot both hold of one claim.
INCOMPATIBLE_STATUS = frozenset(
    {
        frozenset({"final", "provisional"}),
        frozenset({"final", "temporary"}),
        frozenset({"permanent", "temporary"}),
        frozenset({"confirmed", "unconfirmed"}),
    }
)

# Superlatives that rank one thing among others ("the largest supplier", "the deadliest attack").
SUPERLATIVES = word_set(
    "largest biggest smallest highest lowest greatest deadliest worst best richest poorest oldest youngest "
    "longest shortest fastest slowest strongest weakest heaviest busiest closest top leading"
)
# Ordinal prefixes of a rank: "second-largest", "third biggest", "No. 2".
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
}  # fmt: skip

# Title words that change what a title means: "former minister" is not "minister", nor "deputy minister".
TITLE_RANKS = word_set("former ex deputy vice acting interim assistant outgoing incoming late")
# Title heads that name one role: "spokeswoman" and "spokesman" are one role, as are "chief" and "head".
TITLE_SYNONYMS: dict[str, str] = {
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
    "chief": "head", "head": "head", "leader": "head", "chairman": "chair", "chairwoman": "chair",
    "chairperson": "chair", "chair": "chair", "ceo": "chief executive", "boss": "head",
    "premier": "prime minister", "pm": "prime minister", "envoy": "ambassador",
    "mp": "member of parliament", "lawmaker": "member of parliament", "legislator": "member of parliament",
    "parliamentarian": "member of parliament", "deputy": "member of parliament",
}  # fmt: skip
# Words of a title that say nothing about the role (articles, politeness).
TITLE_FILLER = word_set("the a an of for to and 's")
# Rank words that are also role nouns: "a deputy" (of a parliament), "an assistant", when nothing follows
# them in their conjunct ("former South Korean deputy and visiting scholar"); "deputy minister" is a rank.
NOUN_RANKS = word_set("deputy assistant")
# Generic heads that, with an "of" complement, describe a role rather than name it ("head of Russian
# diplomacy" for the foreign minister): such a description never contradicts a named office. "Chief of"
# names offices ("chief of staff", "chief of cardiovascular medicine") and is not in the list.
DESCRIBING_HEADS = word_set("head")

# Verbs whose count changes as a story unfolds ("the toll rose to 15"): a later, higher count is an update.
CHANGE_VERBS = word_set("rise climb increase grow reach swell jump soar fall drop decline")
# Time-expression openers that give a bound, not the date of the event ("since 2019", "until May").
TIME_BOUNDS = word_set("since from until till by before after through")

# Antonym pairs (lemmas): a claim using one side and a claim about the same subject using the other state
# opposites ("sales rose" / "sales fell"). Hand-written: no installed library ships an antonym lexicon
# (WordNet is not installed); kept to pairs whose two sides cannot both hold of one thing at one time.
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("rise", "fall"), ("increase", "decrease"), ("increase", "decline"), ("gain", "loss"), ("grow", "shrink"),
    ("win", "lose"), ("accept", "reject"), ("approve", "reject"), ("allow", "ban"), ("allow", "forbid"),
    ("support", "oppose"), ("confirm", "deny"), ("open", "close"), ("start", "end"), ("begin", "end"),
    ("guilty", "innocent"), ("high", "low"), ("higher", "lower"), ("more", "less"), ("up", "down"),
    ("before", "after"), ("agree", "disagree"), ("success", "failure"), ("succeed", "fail"),
    ("legal", "illegal"), ("safe", "dangerous"), ("alive", "dead"), ("survive", "die"), ("arrive", "leave"),
    ("enter", "exit"), ("include", "exclude"), ("strengthen", "weaken"), ("expand", "cut"),
    ("raise", "lower"), ("hire", "fire"), ("buy", "sell"), ("import", "export"), ("lift", "impose"),
    ("permanent", "temporary"), ("public", "private"), ("majority", "minority"), ("first", "last"),
    ("positive", "negative"), ("strong", "weak"), ("large", "small"), ("big", "small"), ("early", "late"),
    ("new", "old"), ("launch", "cancel"), ("resign", "appoint"), ("acquit", "convict"), ("drop", "rise"),
    ("surge", "plunge"), ("boost", "reduce"), ("profit", "loss"), ("easy", "difficult"), ("male", "female"),
    ("north", "south"), ("east", "west"), ("affected", "unaffected"), ("likely", "unlikely"),
    ("able", "unable"), ("known", "unknown"), ("clear", "unclear"), ("possible", "impossible"),
)  # fmt: skip
