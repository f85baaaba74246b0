"""Online story grouping: each arriving article joins the best existing story or opens a new one.

A single pass, one article at a time, so a store can group articles as users add them. An article is a
hashed TF-IDF vector over its title and body words plus one over its entity names (the IDF is kept online:
document frequencies are counted as articles arrive). A story keeps pruned centroids of its articles'
term and entity vectors and the span of its publication dates. The score of an article against a story is
the term cosine plus a weighted entity cosine, minus a penalty growing with the days between them; a story
quiet for longer than ONLINE_MAX_GAP_DAYS is closed, so the same kind of event in the same place a year on
is a new story. Candidate stories come from an inverted index on each story's most distinctive terms and
its entities, every posting list capped to the most recently touched stories: the work per article stays
flat however many stories are stored, no step scans them all.

Why hand-written: scikit-learn's vectorisers and clustering are batch (they refit on the whole corpus);
datasketch's LSH indexes fixed sets, while a story's centroid and the IDF change with every article. The
grouper needs incremental document frequencies, mutable story profiles and a JSON state, so it keeps
these small structures itself. Hashing uses crc32 (stable across processes, unlike ``hash``).
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storyweave import thresholds
from storyweave.model import AnalysedArticle

STATE_VERSION = 2

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
# Entity labels worth matching on: who, what organisation, where, which named event or thing.
_ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "told", "new", "year", "years", "just"}


def _key(text: str) -> int:
    """Stable 32-bit hash of a feature string (the hashing trick: no vocabulary to store)."""
    return zlib.crc32(text.encode("utf-8"))


def story_id_for(article_id: str) -> str:
    """Id of a story opened by ``article_id``: "s_" + 12 hex digits of its sha1 (stable across runs)."""
    return "s_" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


def _day(iso: str | None) -> int | None:
    """Day number of an ISO date ("2023-09-13"; a month "2023-09" counts as its first day)."""
    if not iso:
        return None
    try:
        if len(iso) >= 10:
            return date.fromisoformat(iso[:10]).toordinal()
        if len(iso) == 7:
            return date.fromisoformat(iso + "-01").toordinal()
    except ValueError:
        return None
    return None


def _terms(text: str, weight: float, into: dict[int, float]) -> None:
    """Add ``weight`` per occurrence of each content word of ``text`` (lower-cased, stop words dropped)."""
    for match in _WORD.finditer(text.lower()):
        word = match.group().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) < 3 or word in _STOP:
            continue
        k = _key(word)
        into[k] = into.get(k, 0.0) + weight


def _entities(doc: AnalysedArticle) -> dict[int, float]:
    """Sublinear mention counts per entity key: each mention's normalised name, and a person's surname on
    its own (so "Lohan" in one report meets "Lindsay Lohan" in another)."""
    counts: dict[int, float] = {}
    for mention in doc.mentions:
        if mention.label not in _ENTITY_LABELS:
            continue
        name = " ".join(mention.name.lower().split())
        if len(name) < 2:
            continue
        keys = [_key("e:" + name)]
        parts = name.split()
        if mention.label == "PERSON" and len(parts) > 1 and len(parts[-1]) >= 3:
            keys.append(_key("e:" + parts[-1]))
        for k in keys:
            counts[k] = counts.get(k, 0.0) + 1.0
    return {k: 1.0 + math.log(c) for k, c in counts.items()}


def _unit(weights: dict[int, float]) -> dict[int, float]:
    norm = math.sqrt(sum(v * v for v in weights.values()))
    return {k: v / norm for k, v in weights.items()} if norm > 0.0 else {}


@dataclass
class _Features:
    """What the grouper reads from one article."""

    tf: dict[int, float]  # term key -> sublinear term frequency (title words weigh more)
    entities: dict[int, float]  # entity key -> sublinear mention count
    day: int | None


def features(doc: AnalysedArticle) -> _Features:
    """Term frequencies, entity counts and publication day of an article."""
    counts: dict[int, float] = {}
    if doc.article.title:
        _terms(doc.article.title, thresholds.ONLINE_TITLE_WEIGHT, counts)
    _terms(doc.article.text, 1.0, counts)
    tf = {k: 1.0 + math.log(c) if c >= 1.0 else c for k, c in counts.items()}
    return _Features(tf=tf, entities=_entities(doc), day=_day(doc.article.published))


def _prune(weights: dict[int, float], keep: int) -> dict[int, float]:
    """The ``keep`` heaviest entries (ties by key, so pruning is deterministic)."""
    if len(weights) <= keep:
        return weights
    top = sorted(weights, key=lambda k: (-weights[k], k))[:keep]
    return {k: weights[k] for k in top}


@dataclass
class _Story:
    """A story's compact profile: pruned centroids of its articles' terms and entities, size, date span.

    Each article adds its unit-length term (and entity) frequency vector, so long articles do not outweigh
    short ones; IDF weights are applied at comparison time, so they follow the growing collection.
    """

    id: str
    size: int = 0
    terms: dict[int, float] = field(default_factory=dict)
    entities: dict[int, float] = field(default_factory=dict)
    first: int | None = None
    last: int | None = None


class OnlineGrouper:
    """Single-pass story grouping with an online IDF and an inverted index over story profiles."""

    def __init__(self) -> None:
        self.n_docs = 0
        self.df: dict[int, int] = {}  # feature key -> articles containing it (terms and entities)
        self.stories: dict[str, _Story] = {}
        self.assignment: dict[str, str] = {}  # article id -> story id
        self.postings: dict[int, list[str]] = {}  # feature key -> story ids, most recently touched last

    # -- weights ------------------------------------------------------------------------------------

    def idf(self, key: int) -> float:
        """Smoothed inverse document frequency of a feature over the articles seen so far."""
        return math.log((self.n_docs + 1) / (self.df.get(key, 0) + 1)) + 1.0

    def _weighted(self, tf: dict[int, float]) -> dict[int, float]:
        """Unit-length TF-IDF vector of a frequency dict under the current IDF."""
        return _unit({k: v * self.idf(k) for k, v in tf.items()})

    def _cosine(self, unit: dict[int, float], centroid: dict[int, float]) -> float:
        """Cosine between a unit TF-IDF vector and a story centroid (IDF applied to the centroid now)."""
        if not unit or not centroid:
            return 0.0
        dot = 0.0
        norm2 = 0.0
        for key, weight in centroid.items():
            w = weight * self.idf(key)
            norm2 += w * w
            u = unit.get(key)
            if u is not None:
                dot += u * w
        return dot / math.sqrt(norm2) if norm2 > 0.0 else 0.0

    # -- scoring ------------------------------------------------------------------------------------

    def _candidates(self, terms: dict[int, float], entities: dict[int, float]) -> list[str]:
        """Stories sharing distinctive terms or entities with the article, most shared weight first."""
        query = sorted(terms, key=lambda k: (-terms[k], k))[: thresholds.ONLINE_QUERY_TERMS]
        votes: dict[str, float] = {}
        for key in query:
            for sid in self.postings.get(key, ()):
                votes[sid] = votes.get(sid, 0.0) + terms[key]
        for key, weight in entities.items():
            for sid in self.postings.get(key, ()):
                votes[sid] = votes.get(sid, 0.0) + weight
        ranked = sorted(votes, key=lambda s: (-votes[s], s))
        return ranked[: thresholds.ONLINE_MAX_CANDIDATES]

    def _score(
        self, terms: dict[int, float], entities: dict[int, float], day: int | None, story: _Story
    ) -> float:
        """Similarity of an article to a story: TF-IDF cosine to its term centroid plus weighted cosine to
        its entity centroid, less a penalty for the days between the article and the story's date span
        (0 when the story is closed for it)."""
        gap = 0
        if day is not None and story.first is not None and story.last is not None:
            gap = max(0, story.first - day, day - story.last)
            if gap > thresholds.ONLINE_MAX_GAP_DAYS:
                return 0.0  # a story quiet that long is over: the same kind of event again is a new one
        score = self._cosine(terms, story.terms)
        score += thresholds.ONLINE_ENTITY_WEIGHT * self._cosine(entities, story.entities)
        late = gap - thresholds.ONLINE_TIME_WINDOW_DAYS
        if late > 0:
            # Subtracted and growing slowly (log): dates are often off (a dateline's other date, a late
            # follow-up), so a strong content match survives a gap of months, while a borderline one
            # (the same kind of event, reported weeks later) loses to it.
            score -= thresholds.ONLINE_TIME_PENALTY * math.log1p(late / thresholds.ONLINE_TIME_SCALE_DAYS)
        return score

    def best_story(self, doc: AnalysedArticle) -> tuple[str | None, float]:
        """The best-scoring existing story for an article and its score (None when no candidate); the
        grouper is left unchanged."""
        feats = features(doc)
        return self._best(self._weighted(feats.tf), self._weighted(feats.entities), feats.day)

    def candidates(self, doc: AnalysedArticle) -> list[str]:
        """Ids of the stories the index proposes for an article (at most ONLINE_MAX_CANDIDATES)."""
        feats = features(doc)
        return self._candidates(self._weighted(feats.tf), self._weighted(feats.entities))

    def _best(
        self, terms: dict[int, float], entities: dict[int, float], day: int | None
    ) -> tuple[str | None, float]:
        best: str | None = None
        best_score = 0.0
        for sid in self._candidates(terms, entities):
            score = self._score(terms, entities, day, self.stories[sid])
            if score > best_score:
                best, best_score = sid, score
        return best, best_score

    # -- updates ------------------------------------------------------------------------------------

    def add(self, doc: AnalysedArticle) -> str:
        """Assign an article to a story (an existing one or a new one) and return the story id.

        Adding an article id already seen changes nothing and returns its story.
        """
        article_id = doc.article.id
        known = self.assignment.get(article_id)
        if known is not None:
            return known
        feats = features(doc)
        # The article counts towards the IDF before it is compared: a word no one else used is then
        # maximally rare rather than undefined.
        self.n_docs += 1
        for key in [*feats.tf, *feats.entities]:
            self.df[key] = self.df.get(key, 0) + 1
        terms = self._weighted(feats.tf)
        entities = self._weighted(feats.entities)
        sid, score = self._best(terms, entities, feats.day)
        if sid is None or score < thresholds.ONLINE_JOIN_SIMILARITY:
            sid = story_id_for(article_id)
            n = 2
            while sid in self.stories:  # an id clash (a re-used article id): derive a fresh one
                sid = story_id_for(f"{article_id}#{n}")
                n += 1
            self.stories[sid] = _Story(id=sid)
        story = self.stories[sid]
        self._merge(story, feats)
        self._index(story)
        self.assignment[article_id] = sid
        return sid

    def add_many(self, docs: Iterable[AnalysedArticle]) -> dict[str, str]:
        """Add articles in publication order (undated ones last, ties by id); article id -> story id."""
        ordered = sorted(docs, key=lambda d: (d.article.published is None, d.article.published or "", d.id))
        return {d.id: self.add(d) for d in ordered}

    def _merge(self, story: _Story, feats: _Features) -> None:
        story.size += 1
        for key, weight in _unit(feats.tf).items():
            story.terms[key] = story.terms.get(key, 0.0) + weight
        story.terms = _prune(story.terms, thresholds.ONLINE_STORY_TERMS)
        for key, weight in _unit(feats.entities).items():
            story.entities[key] = story.entities.get(key, 0.0) + weight
        story.entities = _prune(story.entities, thresholds.ONLINE_STORY_ENTITIES)
        if feats.day is not None:
            story.first = feats.day if story.first is None else min(story.first, feats.day)
            story.last = feats.day if story.last is None else max(story.last, feats.day)

    def _index(self, story: _Story) -> None:
        """(Re)post a story under its most distinctive terms and entities, as the most recent story."""
        weighted = {k: v * self.idf(k) for k, v in story.terms.items()}
        top = sorted(weighted, key=lambda k: (-weighted[k], k))[: thresholds.ONLINE_INDEX_TERMS]
        for key in [*top, *story.entities]:
            posting = self.postings.setdefault(key, [])
            if posting and posting[-1] == story.id:
                continue
            if story.id in posting:
                posting.remove(story.id)
            posting.append(story.id)
            if len(posting) > thresholds.ONLINE_POSTING_LIMIT:
                del posting[0]

    # -- queries and state --------------------------------------------------------------------------

    def story_of(self, article_id: str) -> str | None:
        """The story an article was assigned to, or None when it was never added."""
        return self.assignment.get(article_id)

    def to_state(self) -> dict[str, Any]:
        """JSON-ready state: hashed features, story profiles, index and assignments, no texts.

        Number arrays are packed little-endian and base64-encoded (floats as exact float64), which keeps
        the state a few times smaller and faster to load than JSON number lists; dict and list orders are
        kept, so a restored grouper computes bit-identical scores.
        """
        stories = list(self.stories.values())
        index = {s.id: i for i, s in enumerate(stories)}
        postings = list(self.postings.items())
        return {
            "version": STATE_VERSION,
            "n_docs": self.n_docs,
            "df_keys": _pack(list(self.df), "<u4"),
            "df_counts": _pack(list(self.df.values()), "<u4"),
            "story_ids": [s.id for s in stories],
            "story_sizes": _pack([s.size for s in stories], "<u4"),
            "story_first": _pack([s.first or 0 for s in stories], "<i4"),
            "story_last": _pack([s.last or 0 for s in stories], "<i4"),
            "term_lengths": _pack([len(s.terms) for s in stories], "<u4"),
            "term_keys": _pack([k for s in stories for k in s.terms], "<u4"),
            "term_weights": _pack([v for s in stories for v in s.terms.values()], "<f8"),
            "entity_lengths": _pack([len(s.entities) for s in stories], "<u4"),
            "entity_keys": _pack([k for s in stories for k in s.entities], "<u4"),
            "entity_weights": _pack([v for s in stories for v in s.entities.values()], "<f8"),
            "posting_keys": _pack([k for k, _ in postings], "<u4"),
            "posting_lengths": _pack([len(p) for _, p in postings], "<u4"),
            "posting_stories": _pack([index[sid] for _, p in postings for sid in p], "<u4"),
            "article_ids": list(self.assignment),
            "article_stories": _pack([index[sid] for sid in self.assignment.values()], "<u4"),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> OnlineGrouper:
        """A grouper that continues exactly where the one that wrote ``state`` stopped."""
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported grouper state version {state.get('version')!r}")
        grouper = cls()
        grouper.n_docs = int(state["n_docs"])
        grouper.df = dict(
            zip(_unpack(state["df_keys"], "<u4"), _unpack(state["df_counts"], "<u4"), strict=True)
        )
        ids: list[str] = list(state["story_ids"])
        sizes = _unpack(state["story_sizes"], "<u4")
        firsts = _unpack(state["story_first"], "<i4")
        lasts = _unpack(state["story_last"], "<i4")
        terms = _split(state, "term", len(ids))
        entities = _split(state, "entity", len(ids))
        for i, sid in enumerate(ids):
            grouper.stories[sid] = _Story(
                id=sid,
                size=sizes[i],
                terms=terms[i],
                entities=entities[i],
                first=firsts[i] or None,
                last=lasts[i] or None,
            )
        flat = _unpack(state["posting_stories"], "<u4")
        pos = 0
        for key, length in zip(
            _unpack(state["posting_keys"], "<u4"), _unpack(state["posting_lengths"], "<u4"), strict=True
        ):
            grouper.postings[key] = [ids[j] for j in flat[pos : pos + length]]
            pos += length
        grouper.assignment = {
            a: ids[j]
            for a, j in zip(state["article_ids"], _unpack(state["article_stories"], "<u4"), strict=True)
        }
        return grouper


def _pack(values: list[int] | list[float], dtype: str) -> str:
    """Base64 of a number list as a little-endian array of ``dtype``."""
    return base64.b64encode(np.asarray(values, dtype=dtype).tobytes()).decode("ascii")


def _unpack(text: str, dtype: str) -> list[Any]:
    """Inverse of :func:`_pack` (plain Python numbers)."""
    return list(np.frombuffer(base64.b64decode(text), dtype=dtype).tolist())


def _split(state: dict[str, Any], name: str, count: int) -> list[dict[int, float]]:
    """Per-story ``{key: weight}`` dicts from the flat ``<name>_lengths/_keys/_weights`` arrays."""
    lengths = _unpack(state[f"{name}_lengths"], "<u4")
    keys = _unpack(state[f"{name}_keys"], "<u4")
    weights = _unpack(state[f"{name}_weights"], "<f8")
    if len(lengths) != count or len(keys) != len(weights) or sum(lengths) != len(keys):
        raise ValueError(f"grouper state: inconsistent {name} arrays")
    out: list[dict[int, float]] = []
    pos = 0
    for length in lengths:
        out.append(dict(zip(keys[pos : pos + length], weights[pos : pos + length], strict=True)))
        pos += length
    return out
