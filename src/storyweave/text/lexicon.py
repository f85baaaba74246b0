"""Word lists shared by the stages: stop words, verbs of saying, hedges and modality, status words,
negation, media nouns and person roles.

One copy of each list, so analysis and reconciliation agree on what "said", "may" or "final" are. Lists are
lower-case lemmas unless their name says otherwise. Hand-written: they are closed classes of English news
vocabulary that no installed library lists (spaCy and scikit-learn ship stop words only, used below).
"""

from __future__ import annotations

from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a word-list literal."""
    return frozenset(text.split())


# Words frequent in any news story that carry no topic (on top of scikit-learn's English stop words).
NEWS_STOP_WORDS = word_set(
    """
    said says say told tell tells according added adding reported reports report reporting statement
    news story article people year years month months week weeks day days today yesterday tomorrow
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    time times percent including just like new also would could will one two three four five first second
    last next since later earlier still around many much lot number part
    """
)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words plus :data:`NEWS_STOP_WORDS` (sklearn imported on first use)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | NEWS_STOP_WORDS


# Lemmas of verbs that report speech or writing: "X said (that) Y" attributes Y to X.
SPEECH_LEMMAS = word_set(
    """
    say tell add state declare announce explain note write insist warn stress ask reply respond remark
    argue claim comment confirm assure admit acknowledge recall concede quip tweet urge emphasise emphasize
    observe testify predict vow pledge promise complain suggest shout yell caution maintain reiterate boast
    lament whisper counter post exclaim joke recount plead demand report allege deny disclose reveal
    announce inform indicate signal estimate assert contend
    """
)
# Verbs of belief and perception that attribute a view the same way ("officials believe Y").
BELIEF_LEMMAS = word_set("believe think fear hope expect suspect know understand learn")
# Verbs that cite a publication when an outlet is their subject ("the Times reported", "CNN wrote").
CITATION_LEMMAS = word_set("report write publish cite quote say reveal disclose broadcast air tweet post")
# Prepositional cues of attribution: "according to X", "as quoted by X", "per X".
ACCORDING_CUES = ("according to", "as reported by", "as quoted by", "quoted by", "cited by")

# Nouns and names that mark an outlet (a newspaper, agency or channel), lower-case single words. A phrase
# that holds one of them and is written as a name ("The Times", "Yonhap news agency", "CNN") is an outlet.
MEDIA_WORDS = word_set(
    """
    times post journal news tribune herald guardian telegraph reuters bloomberg cnn bbc ap afp nbc abc cbs
    fox msnbc npr politico axios agency newspaper paper magazine television tv radio network channel
    broadcaster daily gazette chronicle observer independent express mirror press wire tass ria novosti
    xinhua yonhap kcna interfax jazeera nikkei asahi yomiuri kyodo dpa efe ansa spiegel figaro pravda
    izvestia kommersant vedomosti economist forbes wsj nyt outlet tabloid website blog podcast
    """
)
# Common nouns that, as the head of an attribution, mean a publication ("a report in", "the paper said").
MEDIA_NOUNS = word_set(
    """
    newspaper paper magazine agency channel broadcaster network outlet tabloid website daily journal blog
    media station tv television radio newswire
    """
)
# Nouns for a document whose source is named after it: "information from Telstra", "a report in the Times".
DOCUMENT_NOUNS = word_set("information data statement report figure estimate document release")

# Modal auxiliaries; each is kept as the claim's modality ("may", "could", "will").
MODAL_LEMMAS = word_set("may might could would should can must will shall ought")
# Adverbs that hedge a claim ("reportedly", "allegedly"); kept as the claim's modality.
HEDGE_ADVERBS = word_set(
    """
    reportedly allegedly apparently possibly probably likely perhaps maybe purportedly supposedly
    seemingly potentially tentatively provisionally presumably ostensibly
    """
)
# Verbs (and adjectives after "be") that put the claim in the future or in intent: "plans to sign" is
# claim "sign" with modality "plan"; "is expected to visit" -> "visit", modality "expect".
INTENT_LEMMAS = word_set(
    """
    plan intend expect aim hope seek propose consider want try threaten vow promise prepare set due likely
    unlikely poise schedule mull weigh offer agree refuse decline attempt pledge wish
    """
)
# Status words: how settled a thing is ("final" vs "preliminary" vs "temporary").
STATUS_WORDS = word_set(
    """
    final preliminary provisional temporary tentative interim draft permanent definitive binding
    non-binding conditional partial initial official unofficial confirmed unconfirmed formal informal
    framework outline landmark
    """
)
# Multi-word status and hedge phrases, lower-case, matched on the claim's words.
STATUS_PHRASES = (
    "in principle",
    "in theory",
    "for now",
    "for the time being",
    "on a trial basis",
    "on hold",
    "so far",
    "at least for now",
    "until further notice",
)

# Negation cues: dependency "neg" covers not/n't/never; these add the determiners and pronouns.
NEGATION_WORDS = word_set("not n't never no nobody nothing none neither nor without")
# Verbs whose clause asserts the opposite of its complement ("denied that Y" is Y negated).
DENY_LEMMAS = word_set("deny reject dismiss refute")

# Nouns that name a person's office or role ("the finance minister", "a spokesman"): heads of titles.
ROLE_NOUNS = word_set(
    """
    spokesman spokeswoman spokesperson minister president official leader chairman chairwoman chair chief
    director secretary ambassador governor mayor senator lawmaker prosecutor judge lawyer attorney adviser
    advisor analyst expert commander general ceo executive premier chancellor king queen prince princess
    diplomat envoy witness officer coach manager founder professor researcher scientist economist resident
    survivor negotiator deputy head mp candidate owner author doctor publicist treasurer fellow
    geologist geophysicist seismologist lecturer priest bishop pastor editor reporter correspondent
    columnist blogger activist campaigner organizer organiser nutritionist physician surgeon nurse engineer
    architect broker agent inspector detective superintendent commissioner trustee historian writer
    chairperson representative rep congressman congresswoman councillor councilman councilwoman speaker
    dictator emperor pope cardinal sheikh emir sultan marshal admiral colonel captain lieutenant sergeant gp
    vice-president governor-general attorney-general secretary-general actor
    actress singer rapper player striker midfielder goalkeeper champion president-elect
    """
)
# Modifiers that belong to a title ("former", "acting", "deputy"), not to the name they precede.
TITLE_MODIFIERS = word_set(
    "former acting deputy vice interim outgoing incoming late ex then current chief senior top assistant"
)
