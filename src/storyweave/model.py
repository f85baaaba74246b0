"""The dataclasses every stage reads and writes.

Stages are plain functions from these objects to new ones; nothing here imports the rest of the package,
so the model can be shared by the pipeline, the store, the renderers and external callers alike.
Field names of the brief classes follow the ``storyweave.brief/1`` contract in DESIGN.md.
"""

from __future__ import annotations

import builtins
import copy
import hashlib
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, ClassVar, Literal, TypeVar, get_args

SCHEMA_ID = "storyweave.brief/1"

RemovalReason = Literal[
    "navigation",
    "advertising",
    "metadata",
    "syndication-note",
    "off-topic",
    "duplicate",
    "comments",
    "other",
]
REMOVAL_REASONS: tuple[str, ...] = get_args(RemovalReason)

DisagreementKind = Literal[
    "date",
    "number",
    "name",
    "title",
    "status",
    "ranking",
    "inclusion",
    "quote-wording",
    "attribution",
    "negation",
    "other",
]
DISAGREEMENT_KINDS: tuple[str, ...] = get_args(DisagreementKind)

# How a fact is backed: by outlets reporting independently, by one statement (press release, tweet,
# quotation) that several outlets carry, by one text (wire copy, pasted paragraph), or by one source only.
Corroboration = Literal["independent", "same-statement", "same-text", "single"]
CORROBORATIONS: tuple[str, ...] = get_args(Corroboration)

# How a claim is attributed: stated by the outlet itself, said by someone ("X said Y"), or taken from
# another outlet ("according to the Times", "the Times reported") -- a citation, never a disagreement.
AttributionKind = Literal["none", "speaker", "citation"]
ATTRIBUTION_KINDS: tuple[str, ...] = get_args(AttributionKind)

T = TypeVar("T", bound="Record")

_ATOMS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """What ``dataclasses.asdict`` makes of ``value`` (dataclasses to dicts, lists, tuples and dicts
    rebuilt, anything else deep-copied), without its deep copy of every str and number: asdict was a
    visible share of writing a big batch's briefs and of storing every analysed article."""
    if isinstance(value, _ATOMS):
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return type(value)((_plain(k), _plain(v)) for k, v in value.items())
    return copy.deepcopy(value)


class Record:
    """Mixin giving dataclasses a plain-dict round trip (nested records and lists included)."""

    _nested: ClassVar[dict[str, type[Record]]] = {}

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict of this record."""
        return _plain(self)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        """Inverse of :meth:`to_dict`; ignores keys the class does not know (forward compatibility)."""
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            sub = cls._nested.get(key)
            if sub is not None and isinstance(value, list):
                value = [sub.from_dict(v) if isinstance(v, dict) else v for v in value]
            elif sub is not None and isinstance(value, dict):
                value = sub.from_dict(value)
            kwargs[key] = value
        return cls(**kwargs)


# --------------------------------------------------------------------------------------------------
# Articles and what cleaning did to them


@dataclass
class Removal(Record):
    """One piece of text the cleaner took out of an article, and why."""

    text: str
    reason: str  # one of REMOVAL_REASONS
    line: int | None = None  # 0-based line number in the raw text, when the removal is line-level


@dataclass
class Article(Record):
    """One input report: raw text as read, cleaned text, and its metadata."""

    id: str
    raw_text: str
    text: str = ""  # cleaned body; paragraphs separated by blank lines, title excluded
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD), timezone-naive
    published_estimated: bool = False  # True when `published` was inferred from the story, not the article
    language: str | None = None
    source: str | None = None  # where it was read from (a path, a URL, "-")
    removed: list[Removal] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    # article structure, split off the body by the cleaner (the body in `text` holds none of these)
    standfirst: str | None = None  # the summary line under the headline
    captions: list[str] = field(default_factory=list)  # photo and video captions
    byline: str | None = None  # "By Jane Doe and John Roe"
    dateline: str | None = None  # "MOSCOW (Reuters) -", "Sept. 13, 2023"
    # where `published` came from: "metadata" (page, feed, JSON), "text" (a dateline or date in the text,
    # so inferred), "story" (estimated from the other articles of its story), None when unknown
    published_from: str | None = None
    # why the cleaner refused the input as not an article ("not an article: a weather widget, ..."); the
    # text is then empty and the pipeline reports this reason instead of "no article text left"
    refused: str | None = None

    _nested: ClassVar[dict[str, type[Record]]] = {"removed": Removal}

    @property
    def word_count(self) -> int:
        """Words in the cleaned body."""
        return len(self.text.split())

    @property
    def content_hash(self) -> str:
        """sha256 of the raw text: identical inputs are the same article."""
        return hashlib.sha256(self.raw_text.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def paragraphs(self) -> list[str]:
        """Non-empty paragraphs of the cleaned body."""
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]


# --------------------------------------------------------------------------------------------------
# What analysis finds in one article


@dataclass
class Sentence(Record):
    """A sentence of an article's cleaned body; offsets index into ``Article.text``."""

    id: str  # "<article id>#<index>"
    article_id: str
    index: int  # position among the article's sentences
    text: str
    start: int
    end: int
    paragraph: int = 0
    # grammatical tense of the main verb(s), from spaCy's tagger: "past", "present" or "future";
    # the time resolver uses it to pick the right occurrence of "Wednesday" or "in October"
    tense: str = "present"


@dataclass
class Mention(Record):
    """A named-entity mention as found in one sentence, before cross-article reconciliation."""

    text: str  # as written, e.g. "Kim Jung Un's"
    name: str  # normalised surface form, e.g. "Kim Jung Un" (possessive and honorific stripped)
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...
    article_id: str
    sentence_index: int
    start: int  # character offsets in Article.text
    end: int


@dataclass
class Quote(Record):
    """A direct quotation in one article with its speaker as written (resolved to a mention when possible)."""

    text: str  # the quoted words, translator insertions removed
    raw_text: str  # the quoted words exactly as written
    speaker: str | None  # speaker name as resolved in the article (e.g. "Dmitry Peskov"), None if unknown
    article_id: str
    sentence_index: int
    start: int  # offsets of the quoted words in Article.text
    end: int
    cue: str | None = (
        None  # the attribution as written, e.g. "Kremlin spokesman Dmitry Peskov told reporters"
    )


@dataclass
class TimeRef(Record):
    """A time expression resolved to an absolute ISO date or month (or a range)."""

    text: str  # as written, e.g. "on Wednesday", "July 2000"
    value: str  # ISO date "2023-09-13", month "2023-10", year "2000", or range "1950/1953"
    article_id: str
    sentence_index: int
    start: int
    end: int
    estimated: bool = False  # resolved against an estimated publication date
    granularity: str = "day"  # day | month | year | range
    verb: str | None = None  # lemma of the verb the expression dates ("met" on Wednesday -> "meet")
    # a bare year naming an earlier event inside a noun phrase ("the 2016 election", "the 2009 quake"):
    # a time expression, but it dates that other event, not the sentence's; timelines leave it out
    attributive: bool = False


@dataclass
class Claim(Record):
    """One assertion of a sentence, with its attribution stripped: "X said (that) Y" is claim Y said by X.

    A sentence may hold several claims (coordinated clauses, a relative clause, attribution). Heads are
    lower-cased lemmas; names keep their normalised surface form (as in :class:`Mention`).
    """

    id: str  # "<article id>#<sentence index>.<n>"
    article_id: str
    sentence_index: int
    text: str  # the claim's own words, attribution removed
    start: int  # offsets of those words in Article.text
    end: int
    predicate: str  # lemma of the main predicate ("sign"; for a copula, the complement head: "final")
    subject: str | None = None  # head of the subject ("kim", "deal"), None when absent
    object: str | None = None  # head of the direct object or complement
    negated: bool = False
    # modal or hedging marker, lower-cased ("may", "could", "will", "plan", "in principle"), None when flat
    modality: str | None = None
    attribution: str = "none"  # one of ATTRIBUTION_KINDS
    attributed_to: str | None = None  # speaker or cited outlet as written ("Dmitry Peskov", "The Times")
    # who spoke, when a citation also names a speaker: "Ruiz told CNN" is a citation of "CNN", speaker "Ruiz"
    speaker: str | None = None
    tense: str = "present"  # past | present | future
    lemmas: list[str] = field(default_factory=list)  # content-word lemmas of the claim, for alignment


@dataclass
class Quantity(Record):
    """A number with what it counts: "about 10,000 protesters" -> 10000, counts "protester"."""

    text: str  # as written, "about 10,000"
    value: float
    article_id: str
    sentence_index: int
    start: int
    end: int
    unit: str | None = None  # "percent", "usd", "km", ... (None for plain counts)
    counts: str | None = None  # lemma of the counted noun ("protester"), None when unknown
    role: str | None = None  # what the number does in its clause, "<dep>:<head lemma>" ("nsubj:gather")
    approximate: bool = False  # "about", "some", "more than", "nearly"...
    kind: str = "count"  # count | money | percent | measure | ordinal | rank


@dataclass
class RoleMention(Record):
    """A title or role written next to a name: "the former finance minister Ana Ruiz"."""

    name: str  # normalised person or organisation name, as in Mention.name
    title: str  # "former finance minister", lower-cased except proper nouns
    article_id: str
    sentence_index: int
    start: int  # offsets of the title in Article.text
    end: int


@dataclass
class AnalysedArticle(Record):
    """An article together with everything the per-article analysis found in it."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    times: list[TimeRef] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    roles: list[RoleMention] = field(default_factory=list)

    _nested: ClassVar[dict[str, type[Record]]] = {
        "article": Article,
        "sentences": Sentence,
        "mentions": Mention,
        "quotes": Quote,
        "times": TimeRef,
        "claims": Claim,
        "quantities": Quantity,
        "roles": RoleMention,
    }

    @property
    def id(self) -> str:
        return self.article.id


# --------------------------------------------------------------------------------------------------
# Stories and what is reconciled across their articles


@dataclass
class Story(Record):
    """A group of articles about one real-world event, with their syndication groups."""

    id: str
    article_ids: list[str]
    # article id -> syndication group id; articles sharing a group are copies of one dispatch
    syndication: dict[str, str] = field(default_factory=dict)

    def group_of(self, article_id: str) -> str:
        """Syndication group of an article (an ungrouped article is its own group)."""
        return self.syndication.get(article_id, article_id)

    def independent(self, article_ids: list[str] | set[str]) -> int:
        """How many independent voices a set of articles is: each syndication group counts once."""
        return len({self.group_of(a) for a in article_ids})


@dataclass
class Alias(Record):
    """One surface form of an entity, how often it occurs and in which articles."""

    text: str
    count: int
    sources: list[str]


@dataclass
class SuspectAlias(Record):
    """A surface form that is probably an error (e.g. a misspelling used by one source only)."""

    text: str
    sources: list[str]
    reason: str


@dataclass
class Entity(Record):
    """A person, organisation or place, reconciled across the articles of a story."""

    id: str
    name: str  # canonical form
    type: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...
    aliases: list[Alias] = field(default_factory=list)
    suspect_aliases: list[SuspectAlias] = field(default_factory=list)

    # `builtins.type`: the field `type` above shadows the builtin inside this class body
    _nested: ClassVar[dict[str, builtins.type[Record]]] = {
        "aliases": Alias,
        "suspect_aliases": SuspectAlias,
    }

    @property
    def mention_count(self) -> int:
        return sum(a.count for a in self.aliases)

    @property
    def sources(self) -> list[str]:
        return sorted({s for a in self.aliases for s in a.sources})


@dataclass
class Variant(Record):
    """How one source words a fact or a quote."""

    source: str  # article id
    text: str
    sentence_id: str | None = None


@dataclass
class Fact(Record):
    """One statement made by one or more sources (a cluster of aligned sentences)."""

    id: str
    text: str  # the representative wording
    sources: list[str]
    independent_sources: int
    variants: list[Variant] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # entity ids
    dates: list[str] = field(default_factory=list)  # ISO dates/months
    position: float = 1.0  # earliest relative position (0 = lead) among its sentences
    corroboration: str = "single"  # one of CORROBORATIONS
    claim_ids: list[str] = field(default_factory=list)  # the aligned claims behind the fact

    _nested: ClassVar[dict[str, type[Record]]] = {"variants": Variant}


@dataclass
class ValueSources(Record):
    """One of the competing values in a disagreement and which sources hold it."""

    value: str
    sources: list[str]
    sentence_ids: list[str] = field(default_factory=list)  # the sentences that state this value


@dataclass
class Disagreement(Record):
    """Sources that state one thing differently (a date, a number, a title, a status, a quote's wording...).

    ``fact_id`` is None when the disagreement spans facts; each value then carries its sentences."""

    fact_id: str | None
    kind: str  # one of DisagreementKind
    values: list[ValueSources]
    note: str

    _nested: ClassVar[dict[str, type[Record]]] = {"values": ValueSources}


@dataclass
class QuoteGroup(Record):
    """The same quotation across sources: one speaker, one representative text, every wording."""

    speaker: str | None
    text: str
    sources: list[str]
    variants: list[Variant] = field(default_factory=list)

    _nested: ClassVar[dict[str, type[Record]]] = {"variants": Variant}


@dataclass
class TimelineEntry(Record):
    """Something that happened on a resolved date, with the expressions the sources used for it."""

    date: str
    event: str
    sources: list[str]
    expressions: list[str]
    fact_id: str | None = None


@dataclass
class SummarySentence(Record):
    """A summary sentence and the articles that back it."""

    text: str
    sources: list[str]
    fact_id: str


@dataclass
class Coverage(Record):
    """What one source contributes to a story."""

    facts: int
    unique_facts: list[str]


@dataclass
class StoryInfo(Record):
    """The ``story`` block of a brief."""

    id: str
    headline: str
    first_seen: str | None
    last_seen: str | None
    article_count: int
    independent_count: int


@dataclass
class ArticleInfo(Record):
    """The ``articles`` entries of a brief."""

    id: str
    outlet: str | None
    url: str | None
    title: str | None
    published: str | None
    language: str | None
    syndication_group: str
    word_count: int
    removed: list[Removal] = field(default_factory=list)
    published_estimated: bool = False
    # the cleaned body as the pipeline split it; variants' ``sentence_id`` point here, so a report can show
    # each source's text and highlight the sentence behind a citation
    sentences: list[Sentence] = field(default_factory=list)
    # the outlet's political or editorial lean as the user's outlet table gives it (Article.extra["lean"]);
    # None when not supplied: a lean is never inferred
    lean: str | None = None
    # "reduced" for an article not in English: analysed for sentences, names, numbers and dates only (no
    # claims, roles or quote speakers, which need the English model), so it backs fewer facts
    analysis: str = "full"

    _nested: ClassVar[dict[str, type[Record]]] = {"removed": Removal, "sentences": Sentence}


@dataclass
class LoadedWord(Record):
    """A word one outlet uses distinctively more than the others: weighted log-odds z-score (Monroe et al.
    2008, informative Dirichlet prior from the whole story), with its count in that outlet and in the rest."""

    word: str
    z: float
    count: int
    others: int


@dataclass
class OutletFraming(Record):
    """How one outlet framed the story: its headline, its distinctive words, the facts most others carry
    that it leaves out (fact ids, most widely carried first)."""

    outlet: str
    sources: list[str]  # the outlet's article ids
    headline: str | None = None
    lean: str | None = None
    loaded_words: list[LoadedWord] = field(default_factory=list)
    omits: list[str] = field(default_factory=list)

    _nested: ClassVar[dict[str, type[Record]]] = {"loaded_words": LoadedWord}


@dataclass
class Brief(Record):
    """One verified story: the ``storyweave.brief/1`` contract."""

    story: StoryInfo
    articles: list[ArticleInfo]
    summary: list[SummarySentence]
    facts: list[Fact]
    disagreements: list[Disagreement]
    quotes: list[QuoteGroup]
    timeline: list[TimelineEntry]
    entities: list[Entity]
    coverage: dict[str, Coverage]
    schema: str = SCHEMA_ID
    framing: list[OutletFraming] = field(default_factory=list)  # additive: one entry per outlet

    _nested: ClassVar[dict[str, type[Record]]] = {
        "story": StoryInfo,
        "articles": ArticleInfo,
        "summary": SummarySentence,
        "facts": Fact,
        "disagreements": Disagreement,
        "quotes": QuoteGroup,
        "timeline": TimelineEntry,
        "entities": Entity,
        "framing": OutletFraming,
    }

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object, ``schema`` first."""
        data: dict[str, Any] = _plain(self)
        return {"schema": data.pop("schema"), **data}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Brief:
        """Rebuild a brief from its JSON object (coverage values included)."""
        brief = super().from_dict(data)
        brief.coverage = {
            k: Coverage.from_dict(v) if isinstance(v, dict) else v for k, v in brief.coverage.items()
        }
        return brief


class InputError(Exception):
    """An input that cannot be read as an article; the message names the input and says why in one line."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        """Pickle by (source, reason), so errors travel between processes (the Dask engine's workers)."""
        return (InputError, (self.source, self.reason))
