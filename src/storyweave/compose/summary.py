"""Fact ranking, headline and extractive summary: the story's central, corroborated facts, told in order.

The summary is extractive on purpose (DESIGN.md: no trustworthy summarisation model ships offline): every
sentence is one source sentence, lightly cleaned, and cites every article that states its fact.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from storyweave import thresholds
from storyweave.align.facts import clean_score
from storyweave.clean.lines import LOWER, STEM_CHARS, STOP_WORDS, word_info
from storyweave.clean.patterns import classify_line, dateline_prefix
from storyweave.compose.timeline import period_start
from storyweave.model import AnalysedArticle, Fact, Story, SummarySentence
from storyweave.text.lexicon import word_set
from storyweave.text.quoting import quoted_spans

_WS = re.compile(r"\s+")
_TITLE_END = re.compile(r"[\s.;:,]+$")

# Cleaning rules below are hand-written: they undo newsroom conventions (kickers, datelines, outlet
# suffixes) that no installed library knows about; trafilatura strips such things from HTML structure only.

# A kicker glued to the start of a sentence: "Evocative gifts: Vladimir Putin and ...", "UPDATE: ...".
# Two to four words, the first capitalised and the rest lower case (a label, not a name), or one to four
# words in capitals; never a reporting clause ("Peskov said: ...") nor a clause opening with a determiner.
_KICKER = re.compile(
    r"^(?P<kicker>[A-Z][a-z'’\-]+(?:\s+[a-z][a-z'’\-]*){1,3}|[A-Z][A-Z0-9'’\-]+(?:\s+[A-Z0-9'’\-]+){0,3})"
    r"\s*:\s+(?=[\"“‘']?[A-Z0-9])"
)
_KICKER_BLOCKERS = word_set(
    """the a an this that these those his her their its our my your one some he she they we it i
    said says told added explained warned wrote stated declared announced asked replied tweeted posted
    according"""
)
# "(CNN) — ", "(AP) - ": an agency credit opening a sentence, with no place before it.
_CREDIT_OPENING = re.compile(r"^\((?:[A-Z][\w.&' ]{0,24})\)\s*(?:—|–|--|-|:)\s*(?=\S)")
# Headline decorations: "UPDATE 2-", "EXCLUSIVE:", "WATCH:", "LIVE |" at the start.
_HEADLINE_LABEL = re.compile(
    r"^(?:(?:UPDATE|CORRECTED|REFILE|EXCLUSIVE|BREAKING|WATCH|LIVE|VIDEO|PHOTOS?|ANALYSIS|OPINION)"
    r"(?:\s+\d+)?\s*(?:[-:|–—]|\s-)\s*)+",
    re.IGNORECASE,
)
# A trailing " - Outlet", " | Outlet", " — Outlet": one to five capitalised words after a spaced separator.
_HEADLINE_SUFFIX = re.compile(
    r"\s+(?:\||-|–|—|::)\s+(?P<outlet>[A-Z0-9][\w.&'’]*(?:\s+(?:[A-Z0-9][\w.&'’]*|of|the|and|&)){0,4})\s*$"
)

# A sentence that leans on the one before it: a pronoun or demonstrative subject, or a connective.
# Read alone in a summary, "He said the talks failed" has no antecedent. A quotation's own opening
# ("“This is a dark day,” she said") is the speaker's words and is left alone.
_DANGLING = re.compile(
    r"^\(?(?:he|she|they|it|him|her|them|his|hers|their|theirs|its|this|that|these|those|such"
    r"|also|but|and|or|however|meanwhile|moreover|still|yet|instead|then|thus|hence|besides|likewise"
    r"|nevertheless|otherwise|furthermore|additionally|as\s+well|in\s+addition|the\s+day\s+before"
    r"|the\s+next\s+day|the\s+same\s+day|the\s+latter|the\s+former)\b",
    re.IGNORECASE,
)
# Promotional and housekeeping sentences that survive line-level cleaning because they sit inside prose.
_PROMO = re.compile(
    r"https?://|www\.|\b(?:click here|(?:sign up|subscribe|register) (?:for|to|here|now|today)"
    r"|our newsletter|follow us|read more|all rights reserved|copyright (?:©|\(c\)|\d{4})"
    r"|enable (?:javascript|cookies)|your browser|this crawl|wayback machine|contributed to this report"
    r"|this (?:story|article) (?:has been|was) (?:updated|corrected)|download (?:the|our) app"
    r"|file photo|(?:AP|AFP|Reuters|Getty Images?|EPA) ?Photo|image (?:copyright|caption)"
    r"|media playback is unsupported|media caption|tweet with a location|add this tweet|story highlights"
    r"|(?:log|sign) in to (?:continue|read|comment))\b|©"
    r"|^(?:FILE|PHOTO|IMAGE|VIDEO|WATCH)\b\s*[-–—:|]|(?:^|\s)@\s?\w|\b(?:Photo|Image|Credit)s?:\s",
    re.IGNORECASE,
)
# A sentence opens with a letter, a digit or an opening quote or bracket; "| Jane Doe/AP photo ..." or
# "@ FoxNews Great, ..." are scraped widget text.
_OPENING = re.compile(r"^[\w\"“‘'(«]")
_ENDING = ".!\"”'’»)"


def tidy(text: str) -> str:
    """Whitespace collapsed, trailing sentence punctuation of a headline dropped."""
    return _TITLE_END.sub("", _WS.sub(" ", text).strip())


def clean_headline(title: str, outlets: Sequence[str] = ()) -> str:
    """A title without newsroom labels ("UPDATE 2-"), a trailing outlet ("... - Reuters") or end period.

    The suffix goes when it names one of ``outlets`` or when what is left still reads as a headline (four
    words or more): "Kim visits Russia - The Korea Herald" loses its outlet, "Rock - Paper" keeps its dash.
    """
    text = _HEADLINE_LABEL.sub("", _WS.sub(" ", title).strip())
    m = _HEADLINE_SUFFIX.search(text)
    if m is not None:
        known = {o.casefold() for o in outlets if o}
        head = text[: m.start()]
        if m.group("outlet").casefold() in known or len(head.split()) >= 4:
            text = head
    text = tidy(text)
    if len(text) >= 2 and text[0] in "\"“‘'" and text[-1] in "\"”’'" and text.count(text[0]) <= 2:
        text = text[1:-1].strip()
    return text


def present(text: str) -> str:
    """A source sentence as a brief shows it: whitespace collapsed, no dateline, credit or kicker opening."""
    text = _WS.sub(" ", text).strip()
    dateline = dateline_prefix(text)
    if dateline is not None:
        text = text[dateline[0] :]
    credit = _CREDIT_OPENING.match(text)
    if credit is not None and len(text) - credit.end() > 20:
        text = text[credit.end() :]
    kicker = _KICKER.match(text)
    if kicker is not None:
        words = kicker.group("kicker").casefold().split()
        rest = text[kicker.end() :]
        if not _KICKER_BLOCKERS & set(words) and len(rest.split()) >= 6:
            text = rest
    return text[:1].upper() + text[1:]


# "..., he said." / "..., she told reporters.": the speaker is a pronoun whose antecedent stays behind
# in the source article; read alone in a summary nobody knows who said it.
_DANGLING_TAIL = re.compile(
    r"[,”\"]\s*(?:he|she|they)\s+(?:said|says|added|adds|told\s+\w+(?:\s+\w+)?|explained|noted|stated"
    r"|insisted|argued|claimed|warned|wrote)\s*[.!]?[\"”’']?\s*$",
    re.IGNORECASE,
)


def is_dangling(text: str) -> bool:
    """True when the sentence opens with a pronoun, demonstrative or connective needing a prior sentence,
    or ends by attributing itself to a bare pronoun ("..., he said.")."""
    return _DANGLING.match(text) is not None or _DANGLING_TAIL.search(text) is not None


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip().casefold()


def story_furniture(docs: Sequence[AnalysedArticle]) -> list[str]:
    """The headlines and photo captions of a story's articles (normalised), at least three words each:
    text that must never open or sit inside a summary sentence."""
    pieces = [t for d in docs for t in (d.article.title or "", *d.article.captions)]
    return sorted({_norm(p).rstrip(" .") for p in pieces if len(p.split()) >= 3}, key=len, reverse=True)


def unglue(text: str, furniture: Sequence[str] = ()) -> str:
    """A sentence without what a splitter glued to it: only its last line when it spans lines (a headline
    or caption line, then the lede), and no headline or caption (``furniture``, from
    :func:`story_furniture`) at its start or inside it. Returns "" when nothing of the sentence is left."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        text = lines[-1]
    text = _WS.sub(" ", text).strip()
    for piece in furniture:
        folded = text.casefold()
        at = folded.find(piece)
        while at >= 0 and piece:
            head = text[:at].rstrip(" ;:,-–—|")
            text = (head + " " + text[at + len(piece) :].lstrip(" .;:,-–—|")).strip()
            text = _WS.sub(" ", text)
            folded = text.casefold()
            at = folded.find(piece)
    return text[:1].upper() + text[1:] if text else ""


def is_glued(text: str, furniture: Sequence[str]) -> bool:
    """True when ``text`` holds a headline or caption of the story beside other words, or spans lines:
    what :func:`unglue` removes. A benchmark counts these among summary sentences (the target is 0)."""
    if len([line for line in text.splitlines() if line.strip()]) > 1:
        return True
    folded = _norm(text)
    return any(piece in folded and len(piece) < len(folded.strip(" .")) for piece in furniture)


def is_boilerplate(text: str) -> bool:
    """True for housekeeping rather than news: a boilerplate line (byline, credit, ad...) or a promo."""
    return classify_line(text) is not None or _PROMO.search(text) is not None


def _summarisable(text: str) -> bool:
    """A full declarative sentence: not a question, heading, fragment, housekeeping or dangling reference."""
    words = text.split()
    if len(words) < thresholds.SUMMARY_MIN_WORDS or len(words) > thresholds.SUMMARY_MAX_WORDS:
        return False
    if text.rstrip().endswith("?") or not (text[-1:] in _ENDING or len(words) >= 12):
        return False
    return _OPENING.match(text) is not None and not is_dangling(text) and not is_boilerplate(text)


def choose_variant(fact: Fact, avoid: Sequence[str] = (), furniture: Sequence[str] = ()) -> str:
    """The fact's most presentable wording, cleaned by :func:`present`: no translator brackets, no suspect
    spellings, no dangling opening, no housekeeping, no glued headline or caption (``furniture``); ties
    keep the fact's representative text."""

    def rank(text: str) -> tuple[int, bool, int]:
        shown = present(text)
        suspect = sum(1 for a in avoid if a and a in shown)
        glued = 2 * is_glued(text, furniture) if furniture else 0
        penalty = 3 * is_boilerplate(shown) + 2 * is_dangling(shown) + 2 * suspect + glued
        return (clean_score(shown) - penalty, shown == fact.text, -abs(len(shown) - 160))

    # each distinct wording ranked once (copies repeat it); max keeps the first best, as over every variant
    best = max(dict.fromkeys(v.text for v in fact.variants), key=rank, default=fact.text)
    return present(unglue(best, furniture) or best)


def shown_source(fact: Fact, shown: str, furniture: Sequence[str] = ()) -> str | None:
    """The article whose sentence the fact displays as ``shown`` (see :func:`choose_variant`), else its
    first source."""
    for v in fact.variants:
        if v.text == shown or present(unglue(v.text, furniture) or v.text) == shown:
            return v.source
    return fact.sources[0] if fact.sources else None


# --------------------------------------------------------------------------------------------------
# Ranking


@dataclass(frozen=True)
class RankedFact:
    """A fact with its ranking signals, each in [0, 1], and their weighted total."""

    fact: Fact
    score: float
    support: float  # independent sources, relative to the story's independent voices
    centrality: float  # closeness to what the story's sentences are about
    lead: float  # how early the sources state it (1 = a lede)
    recency: float  # reported by the latest articles, about the current events rather than background
    order: float  # mean relative position in the articles that state it (story order)
    number: float = 0.0  # 1 when it states a key number (a count, money, a share, a measure)


def _tfidf(texts: Sequence[str]) -> np.ndarray | None:
    """L2-normalised TF-IDF rows of ``texts`` (dense), or None when they hold no content word at all."""
    try:
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    except ValueError:  # empty vocabulary: only stop words
        return None
    return np.asarray(matrix.todense())


def _tfidf_cosine(texts: Sequence[str]) -> np.ndarray:
    rows = _tfidf(texts)
    if rows is None:
        return np.eye(len(texts))
    cosine: np.ndarray = rows @ rows.T
    return cosine


def _centrality(facts: Sequence[Fact], docs: Sequence[AnalysedArticle]) -> np.ndarray:
    """Cosine of each fact (mean of its variants) to the centroid of all the story's sentences, scaled so
    the most central fact scores 1: a centroid summariser's salience, computed over the whole story."""
    corpus = [s.text for d in docs for s in d.sentences] or [v.text for f in facts for v in f.variants]
    variants = [[v.text for v in f.variants] or [f.text] for f in facts]
    flat = [t for texts in variants for t in texts]
    try:  # kept sparse: a 1,000-article story has ~15,000 sentences, too many for dense rows
        rows = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([*corpus, *flat])
    except ValueError:  # empty vocabulary: only stop words
        return np.zeros(len(facts))
    centroid = np.asarray(rows[: len(corpus)].mean(axis=0)).ravel()
    centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
    sims = np.asarray(rows[len(corpus) :] @ centroid).ravel()
    out = np.zeros(len(facts))
    pos = 0
    for i, texts in enumerate(variants):
        out[i] = float(sims[pos : pos + len(texts)].mean())
        pos += len(texts)
    top = float(out.max()) if len(out) else 0.0
    return out / top if top > 0 else out


def cross_outlet_coverage(
    texts: Sequence[str], sources: Sequence[str | None], docs: Sequence[AnalysedArticle], story: Story | None
) -> np.ndarray:
    """How closely the story's other independent outlets state something like each text: the mean, over
    the independent groups other than the text's own (``sources``), of the best TF-IDF cosine between the
    text and one sentence of that group, scaled so that the best text scores 1; zeros with fewer than two
    groups. Alignment joins only near-certain claim pairs, so most facts of a multi-outlet story keep one
    source; this softer count still sees what several outlets report, the strongest cue of
    multi-document summarisation."""
    out = np.zeros(len(texts))
    if story is None or not texts:
        return out
    owners = [story.group_of(d.article.id) for d in docs for _ in d.sentences]
    groups = sorted(set(owners))
    if len(groups) < 2:
        return out
    corpus = [s.text for d in docs for s in d.sentences]
    try:
        rows = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([*corpus, *texts])
    except ValueError:  # empty vocabulary: only stop words
        return out
    sentences, candidates = rows[: len(corpus)], rows[len(corpus) :]
    owner_array = np.array(owners)
    # one group at a time: a dense candidates x sentences matrix would not fit a 1,000-article story
    best = np.zeros((len(texts), len(groups)))
    for i, g in enumerate(groups):
        cosine = candidates @ sentences[np.flatnonzero(owner_array == g)].T
        best[:, i] = np.asarray(cosine.max(axis=1).todense()).ravel()
    index = {g: i for i, g in enumerate(groups)}
    for k, source in enumerate(sources):
        own = index.get(story.group_of(source)) if source is not None else None
        others = [i for i in range(len(groups)) if i != own]
        out[k] = float(best[k, others].mean())
    top = float(out.max())
    return out / top if top > 0 else out


def _relative_positions(facts: Sequence[Fact], docs: Sequence[AnalysedArticle]) -> list[float]:
    """Mean relative position (0 = first sentence) of each fact's sentences; else ``Fact.position``."""
    sizes = {d.article.id: max(1, len(d.sentences)) for d in docs}
    out = []
    for fact in facts:
        positions = []
        for v in fact.variants:
            if v.sentence_id and v.source in sizes and "#" in v.sentence_id:
                index = v.sentence_id.rsplit("#", 1)[1]
                if index.isdigit():
                    positions.append(int(index) / sizes[v.source])
        out.append(sum(positions) / len(positions) if positions else fact.position)
    return out


def _recency(facts: Sequence[Fact], docs: Sequence[AnalysedArticle]) -> list[float]:
    """Half for being reported by the latest articles (publication dates across the story's span), half
    for being about the story's own days rather than background dated long before it (a 2000 visit)."""
    published = {d.article.id: d.article.published for d in docs if d.article.published}
    days = sorted(set(published.values()))
    first = dt.date.fromisoformat(days[0]) if days else None
    span = (dt.date.fromisoformat(days[-1]) - first).days if first else 0
    out = []
    for fact in facts:
        pub = 0.5
        if first is not None and span > 0:
            latest = max((published[s] for s in fact.sources if s in published), default=None)
            pub = (dt.date.fromisoformat(latest) - first).days / span if latest else 0.5
        current = 1.0
        starts = [d for d in map(_start, fact.dates) if d is not None]
        if first is not None and starts and (first - max(starts)).days > thresholds.SUMMARY_BACKGROUND_DAYS:
            current = 0.0
        out.append(0.5 * pub + 0.5 * current)
    return out


# A number as written that is not a year: "140", "4.2", "3,000", or a magnitude word.
_KEY_NUMBER = re.compile(
    r"\b(?!(?:1[6-9]|20)\d\d\b)\d[\d,.]*\b|\b(?:hundreds?|thousands?|millions?|billions?|dozens?|percent)\b",
    re.IGNORECASE,
)


def _counted(facts: Sequence[Fact], docs: Sequence[AnalysedArticle]) -> list[float]:
    """1 for a fact whose sentences state a key number (a count, sum of money, share or measure the
    analysis found, not a year, an ordinal or a rank), else 0: a brief must keep the story's numbers."""
    with_numbers = {
        f"{q.article_id}#{q.sentence_index}"
        for d in docs
        for q in d.quantities
        if q.kind in ("count", "money", "percent", "measure")
    }
    if not with_numbers:  # an analysis without quantity slots: numbers as written
        return [1.0 if _KEY_NUMBER.search(f.text) else 0.0 for f in facts]
    return [
        1.0 if any(v.sentence_id in with_numbers for v in f.variants if v.sentence_id) else 0.0 for f in facts
    ]


def _start(value: str) -> dt.date | None:
    """First day of the last period of an ISO date, month, week, year or interval."""
    try:
        return dt.date.fromisoformat(period_start(value.split("/")[-1]))
    except ValueError:
        return None


def rank_facts(
    facts: Sequence[Fact], docs: Sequence[AnalysedArticle] = (), story: Story | None = None
) -> list[RankedFact]:
    """Facts best first by independent support, centrality, lead position and recency (weights in
    thresholds.py). ``docs`` (the story's articles) sharpen centrality, position and recency."""
    if not facts:
        return []
    if story is not None:
        voices = story.independent(story.article_ids)
    else:
        voices = max(f.independent_sources for f in facts)
    articles = len(story.article_ids) if story is not None else max(len(f.sources) for f in facts)
    central = _centrality(facts, docs)
    order = _relative_positions(facts, docs)
    recent = _recency(facts, docs)
    counted = _counted(facts, docs)
    ranked = []
    for i, fact in enumerate(facts):
        support = (fact.independent_sources - 1) / (voices - 1) if voices > 1 else 0.0
        echo = (len(fact.sources) - fact.independent_sources) / articles if articles > 1 else 0.0
        support = min(1.0, support + thresholds.SUMMARY_ECHO_WEIGHT * echo)
        lead = 1.0 - min(1.0, fact.position)
        score = (
            thresholds.SUMMARY_SUPPORT_WEIGHT * support
            + thresholds.SUMMARY_CENTRALITY_WEIGHT * float(central[i])
            + thresholds.SUMMARY_LEAD_WEIGHT * lead
            + thresholds.SUMMARY_RECENCY_WEIGHT * recent[i]
            + thresholds.SUMMARY_NUMBER_WEIGHT * counted[i]
        )
        ranked.append(
            RankedFact(fact, score, support, float(central[i]), lead, recent[i], order[i], counted[i])
        )
    ranked.sort(key=lambda r: (-r.score, r.fact.position, r.fact.id))
    return ranked


# --------------------------------------------------------------------------------------------------
# Summary


def _event_words(text: str) -> set[str]:
    """Stemmed lower-case content words of ``text``: what a sentence says happened, its names left out."""
    return {
        w[:STEM_CHARS] for w, case in word_info(text) if case == LOWER and len(w) >= 3 and w not in STOP_WORDS
    }


def _lede_like(text: str) -> bool:
    """A sentence that can open a story: it does not start with a quotation."""
    return text[:1] not in "\"“‘'«"


def _idf(token_sets: Sequence[set[str]]) -> dict[str, float]:
    """Inverse document frequency of each content token over ``token_sets`` (one set per sentence)."""
    df: dict[str, int] = {}
    for tokens in token_sets:
        for t in tokens:
            df[t] = df.get(t, 0) + 1
    n = len(token_sets)
    return {t: float(np.log((1 + n) / (1 + c))) + 1.0 for t, c in df.items()}


# The signals a summary sentence is scored on, in this order (rows of :func:`summary_candidates`'s
# ``features``); bench/train_summary.py fits their weights (thresholds.SUMMARY_SENTENCE_WEIGHTS).
SENTENCE_FEATURES = (
    "support",  # the fact's independent support (RankedFact.support)
    "centrality",  # closeness to the story's TF-IDF centroid
    "lead",  # how early the sources state it
    "recency",  # reported late, about the story's own days
    "number",  # states a key number
    "coverage",  # how closely the other independent outlets state something like it
    "words",  # length, in units of 30 words
    "outlets",  # share of the story's articles citing it
    "quote",  # holds a quotation mark
    "opens_quote",  # opens with a quotation (the speaker's words first)
    "digits",  # holds a digit
    "names",  # share of capitalised words after the first (names, titles)
    "said",  # holds a reporting verb ("said", "says", "told")
)
_QUOTE_MARK = re.compile(r"[\"“”]")
_REPORTING = re.compile(r"\b(?:said|says|told)\b")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Candidates:
    """The facts a summary may show, best-ranked first: each one's ranking, shown wording and features
    (one row per fact, columns in SENTENCE_FEATURES order), and the rarity of event words in the story."""

    ranked: list[RankedFact]
    texts: list[str]
    features: np.ndarray
    idf: dict[str, float]


def _features(ranked: RankedFact, text: str, coverage: float, articles: int) -> list[float]:
    words = text.split()
    names = sum(1 for w in words[1:] if w[:1].isupper()) / max(1, len(words))
    return [
        ranked.support,
        ranked.centrality,
        ranked.lead,
        ranked.recency,
        ranked.number,
        coverage,
        len(words) / 30.0,
        len(ranked.fact.sources) / max(1, articles),
        float(_QUOTE_MARK.search(text) is not None),
        float(not _lede_like(text)),
        float(_DIGIT.search(text) is not None),
        names,
        float(_REPORTING.search(text) is not None),
    ]


def summary_candidates(
    facts: Sequence[Fact],
    avoid: Sequence[str] = (),
    docs: Sequence[AnalysedArticle] = (),
    story: Story | None = None,
) -> Candidates:
    """The best-ranked SUMMARY_CANDIDATES summarisable facts (a full sentence in a clean wording that is
    not a headline or caption) with their features: what :func:`choose_summary` picks from, and what
    bench/train_summary.py fits the sentence weights on."""
    ranked = rank_facts(facts, docs, story)
    furniture = story_furniture(docs)
    texts = [choose_variant(r.fact, avoid, furniture) for r in ranked]
    idf = _idf([_event_words(t) for t in texts])
    # a fact that is nothing but a headline or caption (the splitter kept it as a sentence) is no summary
    keep = [i for i, t in enumerate(texts) if _summarisable(t) and _norm(t).rstrip(" .") not in furniture]
    keep = keep[: thresholds.SUMMARY_CANDIDATES]
    coverage = cross_outlet_coverage(
        [texts[i] for i in keep],
        [shown_source(ranked[i].fact, texts[i], furniture) for i in keep],
        docs,
        story,
    )
    articles = len(story.article_ids) if story else max((len(f.sources) for f in facts), default=1)
    rows = [_features(ranked[i], texts[i], float(coverage[k]), articles) for k, i in enumerate(keep)]
    features = np.array(rows, dtype=float).reshape(len(keep), len(SENTENCE_FEATURES))
    return Candidates([ranked[i] for i in keep], [texts[i] for i in keep], features, idf)


def sentence_gain(features: np.ndarray) -> np.ndarray:
    """Each candidate's worth as a summary sentence: the learned linear score of its features
    (thresholds.SUMMARY_SENTENCE_WEIGHTS, fitted on the development clusters to predict the share of a
    sentence's word pairs an editor's summary shares), standardised within the story so that the
    redundancy penalty (SUMMARY_MMR) means the same in every story."""
    weights = np.array([thresholds.SUMMARY_SENTENCE_WEIGHTS[name] for name in SENTENCE_FEATURES])
    score: np.ndarray = features @ weights
    spread = float(score.std()) if len(score) else 0.0
    return (score - score.mean()) / spread if spread > 0 else np.zeros(len(score))


def is_quotation(text: str) -> bool:
    """True when a sentence is mostly a source's own words: it opens with a quotation, or half of its
    characters stand between quotation marks."""
    inside = sum(len(span) for span in quoted_spans(text))
    return not _lede_like(text) or inside >= 0.5 * len(text)


def choose_summary(
    facts: Sequence[Fact],
    length: int = thresholds.SUMMARY_SENTENCES,
    avoid: Sequence[str] = (),
    *,
    docs: Sequence[AnalysedArticle] = (),
    story: Story | None = None,
    max_words: int | None = None,
) -> list[SummarySentence]:
    """Up to ``length`` cited sentences (and about ``max_words`` words: the sentence that reaches the budget
    is kept whole), chosen by learned sentence worth (:func:`sentence_gain`) with a penalty for closeness
    to what is already chosen, skipping any that repeats it, then put in story order: the order in which
    the sources tell it, a lede first.

    ``avoid`` holds spellings (suspect aliases) whose wordings are used only when no cleaner one exists.
    """
    found = summary_candidates(facts, avoid, docs, story)
    if not found.texts:
        return []
    gain = sentence_gain(found.features)
    order = np.argsort(-gain, kind="stable")
    ranked, texts = [found.ranked[k] for k in order], [found.texts[k] for k in order]
    gain = gain[order]
    sim = _tfidf_cosine(texts)
    # novelty counts the words that say what happened, not who: names recur in every sentence of a story
    # ("Putin accepted an invitation" is news after "Putin exchanged rifles"), and weighs them by rarity
    # in the story (a new "invitation" counts more than a new "leader")
    tokens = [_event_words(t) for t in texts]
    quotation = np.array([is_quotation(t) for t in texts], dtype=bool)
    quoted = 0
    chosen: list[int] = []
    covered: set[str] = set()
    words = 0
    # maximal marginal relevance: each pick is the best gain less its closeness to what is chosen, so the
    # outlets' other wordings of the main event yield to the next piece of news
    closest = np.zeros(len(texts))
    open_ = np.ones(len(texts), dtype=bool)
    while len(chosen) < length and (max_words is None or words < max_words):
        # "What happened" tells the news, the sources' words have their own section (quotes by speaker): a
        # quotation waits while it would put the summary over its share of them
        allowed = open_.copy()
        if quoted + 1 > thresholds.SUMMARY_MAX_QUOTATIONS * (len(chosen) + 1):
            allowed &= ~quotation
        if not allowed.any():
            break
        k = int(np.argmax(np.where(allowed, gain - thresholds.SUMMARY_MMR * closest, -np.inf)))
        open_[k] = False
        if closest[k] >= thresholds.SUMMARY_REDUNDANCY:
            continue
        total = sum(found.idf.get(t, 0.0) for t in tokens[k])
        new = sum(found.idf.get(t, 0.0) for t in tokens[k] - covered)
        if total > 0 and new / total < thresholds.SUMMARY_MIN_NOVELTY:
            continue
        chosen.append(k)
        quoted += int(quotation[k])
        covered |= tokens[k]
        words += len(texts[k].split())
        closest = np.maximum(closest, sim[:, k])
    chosen.sort(key=lambda i: (ranked[i].order, -ranked[i].score))
    # the opening sentence is a lede (the earliest-placed, best-backed, not a quotation): the news first
    if chosen:
        opener = max(chosen, key=lambda i: (_lede_like(texts[i]), ranked[i].lead, ranked[i].support, -i))
        chosen.remove(opener)
        chosen.insert(0, opener)
    return [
        SummarySentence(
            text=_full_stop(texts[i]), sources=sorted(ranked[i].fact.sources), fact_id=ranked[i].fact.id
        )
        for i in chosen
    ]


def _full_stop(text: str) -> str:
    """A summary sentence ends like one: a full stop is added when the source's copy lost it."""
    return text + "." if text[-1:].isalnum() else text


def _mixed_scripts(text: str) -> bool:
    """True when the letters of ``text`` mix two writing systems (each 20%+ of the letters): scraped page
    chrome such as "Donald J. Trump Επαληθευμένος λογαριασμός", not a headline."""
    scripts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = unicodedata.name(ch, "UNKNOWN ?").split(" ", 1)[0]
            scripts[script] = scripts.get(script, 0) + 1
    counts = sorted(scripts.values(), reverse=True)
    return len(counts) > 1 and counts[1] >= 0.2 * sum(counts)


def _headline_like(title: str) -> bool:
    """A title that can stand as the story's headline: three words or more, properly cased, one script,
    and not page furniture (a byline, a handle, an address)."""
    return (
        len(title.split()) >= 3
        and not title.islower()
        and not title.isupper()
        and not _mixed_scripts(title)
        and not is_boilerplate(title)
        and not (title.startswith("(") and title.endswith(")"))  # a credit: "(City Police Department)"
    )


# A trailing attribution: ", police said.", ", Italian police sources have said", ", according to sources".
_ATTRIBUTION_TAIL = re.compile(
    r",\s+(?:according\s+to\s+[^,;\"“”]{1,60}|[^,;\"“”]{1,50}?\s+(?:(?:have|has|had)\s+)?"
    r"(?:said|says|say|reported|reports|told\s+\w+|announced|confirmed)(?:\s+on\s+\w+)?)\s*[.!]?\s*$"
)


def _shorten(sentence: str) -> str:
    """A lead sentence made a headline: without its final full stop, and past HEADLINE_MAX_WORDS words
    without a trailing attribution (", police sources have said") or participle clause (", collapsing
    homes on top of residents...")."""
    if len(sentence.split()) > thresholds.HEADLINE_MAX_WORDS:
        tail = _ATTRIBUTION_TAIL.search(sentence)
        if tail is not None and len(sentence[: tail.start()].split()) >= 6:
            sentence = sentence[: tail.start()]
    if len(sentence.split()) > thresholds.HEADLINE_MAX_WORDS:
        for m in re.finditer(r",\s+[a-z]+ing\b", sentence):
            head = sentence[: m.start()]
            if len(head.split()) >= 6 and head.count('"') % 2 == 0 and head.count("“") == head.count("”"):
                return tidy(head)
    return tidy(sentence)


def choose_headline(titles: Sequence[str], facts: Sequence[Fact], outlets: Sequence[str] = ()) -> str:
    """The cleaned title closest to the consensus of all titles and the top facts; else the top fact; past
    HEADLINE_MAX_WORDS words either loses a trailing attribution or participle clause (see :func:`_shorten`).

    Every title votes (a lowercased copy still supports its original), but only a headline-like title that
    shares some words with the top facts can win: a headline must not read "vladimir putin and kim...",
    shout in capitals, or be a byline that the cleaner took for a title ("Jane Doe, The Canadian Press").
    """
    voters = [v for v in (clean_headline(t, outlets) for t in titles if t and t.strip()) if v]
    candidates = [t for t in voters if _headline_like(t)]
    usable = [t for t in (present(f.text) for f in facts) if _summarisable(t)]
    lead = next((t for t in usable if _lede_like(t)), usable[0] if usable else None)
    fallback = _shorten(lead) if lead else (voters[0] if voters else "Untitled story")
    if not candidates:
        return fallback
    context = " ".join(f.text for f in facts[:5])
    sim = _tfidf_cosine([t.casefold() for t in (*candidates, *voters, context)])
    n, m = len(candidates), len(voters)
    relevance = sim[:n, n + m] if facts else np.ones(n)
    # mean similarity to the other voters (a candidate is also a voter: subtract its self-similarity)
    support = (sim[:n, n : n + m].sum(axis=1) - 1.0) / max(1, m - 1)
    consensus = support + relevance
    eligible = [i for i in range(n) if relevance[i] > 0]
    if not eligible:
        return fallback
    best = max(eligible, key=lambda i: (float(consensus[i]), -len(candidates[i])))
    return _shorten(candidates[best])  # a long title loses its attribution tail too
