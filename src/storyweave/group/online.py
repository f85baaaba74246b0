"""The story grouper: one model for `storyweave brief` and `storyweave add`.

Each arriving article joins the best existing story or opens a new one; a batch (``brief``) feeds its
articles in the order they were read, and may refine with a second pass over the same candidates
(:meth:`StoryGrouper.refine`, off by default). An article is its event signature (group/signature.py):
who, what, where, when, and its head (title and lead). A story keeps pruned centroids of its articles'
signatures, its date span and its event years. The score of an article against a story is a weighted sum
of named parts (:data:`FEATURES`: TF-IDF cosines of what, who, where and the head; thresholds.
GROUP_SCORER_WEIGHTS), less a penalty growing with the days between them. Time gates a join without
needing metadata: a story stays open while it keeps receiving articles (closed once quiet for more than
GROUP_QUIET_DAYS, or longer when its own span is longer), and an article whose event year (from its date
or, without one, from the dates its text names) differs from every year of the story never joins it.

Stories change: an article that scores high against two stories merges them (the smaller one's id
becomes an alias of the larger), so does a story that, having grown, scores high against another one as a
query of its own (a step of every addition, the same for ``brief`` and ``add``), and
:meth:`StoryGrouper.split` divides a story whose articles drift apart. Both are recorded in
:attr:`StoryGrouper.events` for the store's log.

Candidate stories come from an inverted index on each story's most distinctive terms and names, every
posting list capped to the most recently touched stories: the work per article stays flat however many
stories are stored, and the batch path is never n x n.

Why hand-written: scikit-learn's vectorisers and clustering are batch (they refit on the whole corpus);
datasketch's LSH indexes fixed sets, while a story's centroid and the IDF change with every article. The
grouper needs incremental document frequencies, mutable story profiles and a JSON state.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyweave import thresholds
from storyweave.group.signature import Signature, signature
from storyweave.model import AnalysedArticle

STATE_VERSION = 4


def story_id_for(article_id: str) -> str:
    """Id of a story opened by ``article_id``: "s_" + 12 hex digits of its sha1 (stable across runs)."""
    return "s_" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


def _unit(weights: dict[int, float]) -> dict[int, float]:
    norm = math.sqrt(sum(v * v for v in weights.values()))
    return {k: v / norm for k, v in weights.items()} if norm > 0.0 else {}


def _prune(weights: dict[int, float], keep: int) -> dict[int, float]:
    """The ``keep`` heaviest entries (ties by key, so pruning is deterministic)."""
    if len(weights) <= keep:
        return weights
    top = sorted(weights, key=lambda k: (-weights[k], k))[:keep]
    return {k: weights[k] for k in top}


def _added(centroid: dict[int, float], vector: dict[int, float], sign: float, keep: int) -> dict[int, float]:
    """``centroid`` plus (or minus, ``sign`` -1) ``vector``, entries that fall to zero dropped, pruned."""
    out = dict(centroid)
    for k, v in vector.items():
        w = out.get(k, 0.0) + sign * v
        if w > 1e-9:
            out[k] = w
        else:
            out.pop(k, None)
    return _prune(out, keep)


@dataclass
class StoryEvent:
    """A change to the stories beyond an article joining one: ``merge`` (``other_id`` was folded into
    ``story_id`` and is now its alias) or ``split`` (``article_ids`` left ``story_id`` for ``other_id``)."""

    kind: str
    story_id: str
    other_id: str
    article_ids: list[str] = field(default_factory=list)


@dataclass
class _Story:
    """A story's compact profile: pruned centroids of its articles' unit-length signature vectors (IDF is
    applied at comparison time, so it follows the growing collection), size, date span, event years."""

    id: str
    size: int = 0
    terms: dict[int, float] = field(default_factory=dict)
    who: dict[int, float] = field(default_factory=dict)
    where: dict[int, float] = field(default_factory=dict)
    first: int | None = None
    last: int | None = None
    years: dict[int, int] = field(default_factory=dict)  # event year -> articles
    head_terms: dict[int, float] = field(default_factory=dict)  # title and lead words
    head_names: dict[int, float] = field(default_factory=dict)  # names in titles and leads


@dataclass
class _Query:
    """An article's signature as unit TF-IDF vectors under the current IDF."""

    terms: dict[int, float]
    who: dict[int, float]
    where: dict[int, float]
    day: int | None
    year: int | None
    head_terms: dict[int, float]
    head_names: dict[int, float]


# The parts of the score of an article against a story (see StoryGrouper.features), in the order of
# thresholds.GROUP_SCORER_WEIGHTS.
FEATURES = (
    "what",
    "who",
    "where",
    "head words",
    "head names",
    "log story size",
    "no head names",
)
_PROFILE = ("terms", "who", "where", "head_terms", "head_names")


def _keep(name: str) -> int:
    """How many weights a story profile keeps for one of its vectors."""
    if name == "terms":
        return thresholds.ONLINE_STORY_TERMS
    if name == "head_terms":
        return thresholds.GROUP_STORY_HEAD_TERMS
    return thresholds.ONLINE_STORY_ENTITIES


class StoryGrouper:
    """Story grouping with an online IDF and an inverted index over story profiles (see the module doc)."""

    def __init__(self) -> None:
        self.n_docs = 0
        self.df: dict[int, int] = {}  # feature key -> articles containing it
        self.stories: dict[str, _Story] = {}
        self.assignment: dict[str, str] = {}  # article id -> story id (possibly an alias: see resolve)
        self.postings: dict[int, list[str]] = {}  # feature key -> story ids, most recently touched last
        self.aliases: dict[str, str] = {}  # merged-away story id -> the story it went into
        self.events: list[StoryEvent] = []  # merges and splits since the caller last drained them
        self.frozen_idf = False  # True: articles are compared under the IDF as it is, never counted

    # -- weights ------------------------------------------------------------------------------------

    def idf(self, key: int) -> float:
        """Smoothed inverse document frequency of a feature over the articles seen so far."""
        return math.log((self.n_docs + 1) / (self.df.get(key, 0) + 1)) + 1.0

    def _weighted(self, tf: dict[int, float]) -> dict[int, float]:
        """Unit-length TF-IDF vector of a frequency dict under the current IDF."""
        return _unit({k: v * self.idf(k) for k, v in tf.items()})

    def _query(self, sig: Signature) -> _Query:
        return _Query(
            self._weighted(sig.terms),
            self._weighted(sig.who),
            self._weighted(sig.where),
            sig.day,
            sig.year,
            self._weighted(sig.head_terms),
            self._weighted(sig.head_names),
        )

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

    def resolve(self, story_id: str) -> str:
        """The live story an id names (itself, or the story it was merged into)."""
        seen = story_id
        while seen in self.aliases:
            seen = self.aliases[seen]
        if seen != story_id:
            self.aliases[story_id] = seen  # path compression
        return seen

    def _candidates(self, q: _Query) -> list[str]:
        """Stories sharing distinctive terms or names with the article, most shared weight first."""
        query = sorted(q.terms, key=lambda k: (-q.terms[k], k))[: thresholds.ONLINE_QUERY_TERMS]
        votes: dict[str, float] = {}
        for weights, keys in ((q.terms, query), (q.who, list(q.who)), (q.where, list(q.where))):
            for key in keys:
                for sid in self.postings.get(key, ()):
                    live = self.resolve(sid)
                    votes[live] = votes.get(live, 0.0) + weights[key]
        ranked = sorted(votes, key=lambda s: (-votes[s], s))
        return [s for s in ranked if s in self.stories][: thresholds.ONLINE_MAX_CANDIDATES]

    @staticmethod
    def _gap(day: int | None, year: int | None, story: _Story) -> int | None:
        """Days between an article and a story's span (0 when either is undated), or None when time rules
        the join out: the story has been quiet too long for the article's date, or the article's event
        year is none of the story's."""
        if day is not None and story.first is not None and story.last is not None:
            gap = max(0, story.first - day, day - story.last)
            # a story stays open while it keeps receiving articles: the allowed quiet spell grows with it
            quiet = max(thresholds.GROUP_QUIET_DAYS, story.last - story.first)
            return gap if gap <= quiet else None
        if year is not None and story.years and year not in story.years:
            return None
        return 0

    def features(self, q: _Query, story: _Story) -> list[float]:
        """The parts of an article's score against a story (names in :data:`FEATURES`): TF-IDF cosines of
        what, who and where, of the head words and of the head names, the story's log size (a centroid of
        many articles is flatter: its cosines run lower) and whether the article's head names no one."""
        return [part(self, q, story) for part in _PARTS]

    def _score(self, q: _Query, story: _Story) -> float:
        """How well an article fits a story: GROUP_SCORER_BIAS plus GROUP_SCORER_WEIGHTS times the parts
        of :meth:`features` (a part weighted 0 is not computed), less a penalty for the days between them;
        minus infinity when time rules the join out."""
        gap = self._gap(q.day, q.year, story)
        if gap is None:
            return -math.inf
        score = thresholds.GROUP_SCORER_BIAS
        for weight, part in zip(thresholds.GROUP_SCORER_WEIGHTS, _PARTS, strict=True):
            if weight:
                score += weight * part(self, q, story)
        late = gap - thresholds.ONLINE_TIME_WINDOW_DAYS
        if late > 0:
            # Subtracted and growing slowly (log): dates are often off (a dateline's other date, a late
            # follow-up), so a strong content match survives a gap of weeks, while a borderline one
            # (the same kind of event, reported weeks later) loses to it.
            score -= thresholds.ONLINE_TIME_PENALTY * math.log1p(late / thresholds.ONLINE_TIME_SCALE_DAYS)
        return score

    def _ranked(self, q: _Query, exclude: str | None = None) -> list[tuple[float, str]]:
        """(score, story id) of every candidate story, best first."""
        scored = [(self._score(q, self.stories[sid]), sid) for sid in self._candidates(q) if sid != exclude]
        return sorted(scored, key=lambda p: (-p[0], p[1]))

    def best_story(self, doc: AnalysedArticle) -> tuple[str | None, float]:
        """The best-scoring existing story for an article and its score (None when no candidate); the
        grouper is left unchanged."""
        ranked = self._ranked(self._query(signature(doc)))
        return (ranked[0][1], ranked[0][0]) if ranked and ranked[0][0] > 0.0 else (None, 0.0)

    def candidates(self, doc: AnalysedArticle) -> list[str]:
        """Ids of the stories the index proposes for an article (at most ONLINE_MAX_CANDIDATES)."""
        return self._candidates(self._query(signature(doc)))

    # -- updates ------------------------------------------------------------------------------------

    def _count(self, sig: Signature) -> None:
        """Count an article towards the IDF (before it is compared: a word no one else used is then
        maximally rare rather than undefined)."""
        if self.frozen_idf:
            return
        self.n_docs += 1
        for key in {*sig.terms, *sig.who, *sig.where}:
            self.df[key] = self.df.get(key, 0) + 1

    def _new_story(self, article_id: str) -> _Story:
        sid = story_id_for(article_id)
        n = 2
        while sid in self.stories or sid in self.aliases:  # an id clash (a re-used id): a fresh one
            sid = story_id_for(f"{article_id}#{n}")
            n += 1
        story = _Story(id=sid)
        self.stories[sid] = story
        return story

    def add(self, doc: AnalysedArticle) -> str:
        """Assign an article to a story (an existing one or a new one) and return the story id. When the
        article also scores GROUP_MERGE_SIMILARITY against other stories its time allows, they merge into
        the largest (recorded in :attr:`events`). Adding an article id already seen changes nothing."""
        article_id = doc.article.id
        known = self.assignment.get(article_id)
        if known is not None:
            return self.resolve(known)
        sig = signature(doc)
        self._count(sig)
        q = self._query(sig)
        ranked = self._ranked(q)
        if not ranked or ranked[0][0] < thresholds.ONLINE_JOIN_SIMILARITY:
            story = self._new_story(article_id)
        else:
            story = self.stories[ranked[0][1]]
            for score, other in ranked[1:]:
                if score < thresholds.GROUP_MERGE_SIMILARITY:
                    break
                if other in self.stories and self._compatible(story, self.stories[other]):
                    story = self._merge(story, self.stories[other])
        self._absorb(story, sig, 1.0)
        self._index(story)
        self.assignment[article_id] = story.id
        if story.size > 1:
            story = self._merge_similar(story)
        return story.id

    def _story_query(self, story: _Story) -> _Query:
        """A story's profile asked as an article would be (undated: time is checked story to story)."""
        return _Query(
            terms=self._weighted(story.terms),
            who=self._weighted(story.who),
            where=self._weighted(story.where),
            day=None,
            year=None,
            head_terms=self._weighted(story.head_terms),
            head_names=self._weighted(story.head_names),
        )

    def _merge_similar(self, story: _Story) -> _Story:
        """Merge into ``story`` the candidate stories its own profile scores GROUP_STORY_MERGE_SIMILARITY
        against, time allowing (two halves of one event that opened apart and grew); returns the survivor.
        The same rule whether articles come one by one or as a batch, so `brief` and `add` agree."""
        q = self._story_query(story)
        for sid in self._candidates(q):
            other = self.stories.get(sid)
            if other is None or sid == story.id or not self._compatible(story, other):
                continue
            if self._score(q, other) >= thresholds.GROUP_STORY_MERGE_SIMILARITY:
                story = self._merge(story, other)
        return story

    def teach(self, doc: AnalysedArticle, story_id: str) -> list[tuple[bool, list[float]]]:
        """Add an article to a story known in advance (opened under that id when new) and return, for each
        candidate story time allows, whether it is that story and the :meth:`features` the scorer would
        have read: the training pairs of bench/train_grouping.py (stories grown from gold, not from the
        grouper's own decisions)."""
        sig = signature(doc)
        self._count(sig)
        q = self._query(sig)
        pairs = [
            (sid == story_id, self.features(q, self.stories[sid]))
            for sid in self._candidates(q)
            if self._gap(q.day, q.year, self.stories[sid]) is not None
        ]
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = _Story(id=story_id)
        self._absorb(story, sig, 1.0)
        self._index(story)
        self.assignment[doc.id] = story_id
        return pairs

    def add_many(self, docs: Iterable[AnalysedArticle]) -> dict[str, str]:
        """Add articles in publication order (undated ones last, ties by id); article id -> story id."""
        ordered = sorted(docs, key=lambda d: (d.article.published is None, d.article.published or "", d.id))
        for d in ordered:
            self.add(d)
        return {d.id: self.story_of_known(d.id) for d in ordered}

    def refine(self, docs: Sequence[AnalysedArticle]) -> int:
        """Second pass of a batch over the same candidates: every article moves to the story that now
        scores best for it, when that beats its own story without it by GROUP_MOVE_MARGIN. Returns the
        number of articles moved."""
        moved = 0
        for doc in sorted(docs, key=lambda d: d.id):
            current = self.story_of(doc.id)
            if current is None:
                continue
            sig = signature(doc)
            q = self._query(sig)
            own = self.stories[current]
            stay = 0.0
            if own.size > 1:
                rest = _Story(id=own.id, size=own.size - 1, first=own.first, last=own.last, years=own.years)
                for name in _PROFILE:
                    vector = _unit(getattr(sig, name))
                    setattr(rest, name, _added(getattr(own, name), vector, -1.0, _keep(name)))
                stay = self._score(q, rest)
            ranked = self._ranked(q, exclude=current)
            if not ranked:
                continue
            score, target = ranked[0]
            if score < thresholds.ONLINE_JOIN_SIMILARITY or score < stay + thresholds.GROUP_MOVE_MARGIN:
                continue
            self._absorb(own, sig, -1.0)
            if own.size == 0:
                del self.stories[own.id]
            new = self.stories[target]
            self._absorb(new, sig, 1.0)
            self._index(new)
            self.assignment[doc.id] = target
            moved += 1
        return moved

    def _compatible(self, a: _Story, b: _Story) -> bool:
        """Whether time allows two stories to be one: overlapping or near date spans, shared years."""
        if a.first is not None and a.last is not None and b.first is not None and b.last is not None:
            gap = max(0, a.first - b.last, b.first - a.last)
            return gap <= max(thresholds.GROUP_QUIET_DAYS, a.last - a.first, b.last - b.first)
        return not (a.years and b.years and not a.years.keys() & b.years.keys())

    def _merge(self, a: _Story, b: _Story) -> _Story:
        """Fold the smaller story into the larger (ties: the smaller id survives); returns the survivor."""
        keep, gone = (a, b) if (-a.size, a.id) <= (-b.size, b.id) else (b, a)
        for name in _PROFILE:
            setattr(keep, name, _added(getattr(keep, name), getattr(gone, name), 1.0, _keep(name)))
        keep.size += gone.size
        for d in (gone.first, gone.last):
            if d is not None:
                keep.first = d if keep.first is None else min(keep.first, d)
                keep.last = d if keep.last is None else max(keep.last, d)
        for year, n in gone.years.items():
            keep.years[year] = keep.years.get(year, 0) + n
        del self.stories[gone.id]
        self.aliases[gone.id] = keep.id
        self.events.append(StoryEvent("merge", keep.id, gone.id))
        self._index(keep)
        return keep

    def split(self, story_id: str, parts: Sequence[Sequence[AnalysedArticle]]) -> list[str]:
        """Divide a story: ``parts[0]`` keeps its id, each other part becomes a new story (recorded in
        :attr:`events`). Every article of the story must be in exactly one part. Returns the new ids."""
        sid = self.resolve(story_id)
        del self.stories[sid]
        self.stories[sid] = _Story(id=sid)
        new_ids: list[str] = []
        for i, part in enumerate(parts):
            story = self.stories[sid] if i == 0 else self._new_story(min(d.id for d in part))
            for doc in part:
                self._absorb(story, signature(doc), 1.0)
                self.assignment[doc.id] = story.id
            self._index(story)
            if i:
                new_ids.append(story.id)
                self.events.append(StoryEvent("split", sid, story.id, sorted(d.id for d in part)))
        return new_ids

    def check_split(self, story_id: str, docs: Sequence[AnalysedArticle]) -> list[list[AnalysedArticle]]:
        """At the sizes GROUP_SPLIT_CHECKS (amortised flat), regroup a story's articles ``docs`` with this
        model (:meth:`partition`): parts of at least GROUP_SPLIT_MIN_PART articles it keeps apart become
        stories of their own (smaller parts stay with the largest). Returns the parts (the first keeps
        ``story_id``; the others' new ids are in the split :attr:`events`), or [] when nothing splits.
        `brief` and `add` both call it after each article, so they split alike."""
        if len(docs) not in thresholds.GROUP_SPLIT_CHECKS:
            return []
        parts = self.partition(docs)
        big = [p for p in parts if len(p) >= thresholds.GROUP_SPLIT_MIN_PART]
        if len(big) < 2:
            return []
        big[0] = [*big[0], *(d for p in parts if len(p) < thresholds.GROUP_SPLIT_MIN_PART for d in p)]
        self.split(story_id, big)
        return big

    def partition(self, docs: Sequence[AnalysedArticle]) -> list[list[AnalysedArticle]]:
        """How this model would group ``docs`` on their own (one story's articles, say), under the current
        IDF, leaving the grouper unchanged: parts, largest first."""
        sub = StoryGrouper()
        sub.df, sub.n_docs, sub.frozen_idf = self.df, self.n_docs, True  # shared, read only
        sub.add_many(docs)
        sub.refine(docs)
        by_story: dict[str, list[AnalysedArticle]] = {}
        for doc in docs:
            by_story.setdefault(sub.story_of_known(doc.id), []).append(doc)
        return sorted(by_story.values(), key=lambda p: (-len(p), min(d.id for d in p)))

    def _absorb(self, story: _Story, sig: Signature, sign: float) -> None:
        """Add (``sign`` 1) or take away (-1) an article's signature to or from a story's profile."""
        story.size += int(sign)
        for name in _PROFILE:
            setattr(story, name, _added(getattr(story, name), _unit(getattr(sig, name)), sign, _keep(name)))
        if sig.year is not None:
            left = story.years.get(sig.year, 0) + int(sign)
            if left > 0:
                story.years[sig.year] = left
            else:
                story.years.pop(sig.year, None)
        if sign > 0 and sig.day is not None:
            story.first = sig.day if story.first is None else min(story.first, sig.day)
            story.last = sig.day if story.last is None else max(story.last, sig.day)

    def _index(self, story: _Story) -> None:
        """(Re)post a story under its most distinctive terms and its names, as the most recent story."""
        weighted = {k: v * self.idf(k) for k, v in story.terms.items()}
        top = sorted(weighted, key=lambda k: (-weighted[k], k))[: thresholds.ONLINE_INDEX_TERMS]
        for key in [*top, *story.who, *story.where]:
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
        """The (live) story an article belongs to, or None when it was never added."""
        sid = self.assignment.get(article_id)
        return None if sid is None else self.resolve(sid)

    def story_of_known(self, article_id: str) -> str:
        """The story of an article known to have been added."""
        return self.resolve(self.assignment[article_id])

    def drain_events(self) -> list[StoryEvent]:
        """The merges and splits since the last call (and forget them)."""
        events, self.events = self.events, []
        return events

    def to_state(self) -> dict[str, Any]:
        """JSON-ready state: hashed features, story profiles, index, aliases and assignments, no texts.

        Number arrays are packed little-endian and base64-encoded (floats as exact float64), which keeps
        the state a few times smaller and faster to load than JSON number lists; dict and list orders are
        kept, so a restored grouper computes bit-identical scores.
        """
        stories = list(self.stories.values())
        index = {s.id: i for i, s in enumerate(stories)}
        postings = [(k, [index[s] for s in p if s in index]) for k, p in self.postings.items()]
        state: dict[str, Any] = {
            "version": STATE_VERSION,
            "n_docs": self.n_docs,
            "df_keys": _pack(list(self.df), "<u4"),
            "df_counts": _pack(list(self.df.values()), "<u4"),
            "story_ids": [s.id for s in stories],
            "story_sizes": _pack([s.size for s in stories], "<u4"),
            "story_first": _pack([s.first or 0 for s in stories], "<i4"),
            "story_last": _pack([s.last or 0 for s in stories], "<i4"),
            "story_years": [[[y, n] for y, n in s.years.items()] for s in stories],
            "posting_keys": _pack([k for k, _ in postings], "<u4"),
            "posting_lengths": _pack([len(p) for _, p in postings], "<u4"),
            "posting_stories": _pack([i for _, p in postings for i in p], "<u4"),
            "article_ids": list(self.assignment),
            "article_stories": _pack([index[self.resolve(s)] for s in self.assignment.values()], "<u4"),
            "aliases": {a: self.resolve(a) for a in self.aliases},
        }
        for name in _PROFILE:
            vectors: list[dict[int, float]] = [getattr(s, name) for s in stories]
            state[f"{name}_lengths"] = _pack([len(v) for v in vectors], "<u4")
            state[f"{name}_keys"] = _pack([k for v in vectors for k in v], "<u4")
            state[f"{name}_weights"] = _pack([w for v in vectors for w in v.values()], "<f8")
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StoryGrouper:
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
        vectors = {name: _split(state, name, len(ids)) for name in _PROFILE}
        years = list(state["story_years"])
        if len(years) != len(ids):
            raise ValueError("grouper state: inconsistent story years")
        for i, sid in enumerate(ids):
            grouper.stories[sid] = _Story(
                id=sid,
                size=sizes[i],
                terms=vectors["terms"][i],
                who=vectors["who"][i],
                where=vectors["where"][i],
                head_terms=vectors["head_terms"][i],
                head_names=vectors["head_names"][i],
                first=firsts[i] or None,
                last=lasts[i] or None,
                years={int(y): int(n) for y, n in years[i]},
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
        grouper.aliases = {str(a): str(b) for a, b in dict(state["aliases"]).items()}
        return grouper


_Part = Callable[[StoryGrouper, _Query, _Story], float]
# The parts of the score, in the order of FEATURES and thresholds.GROUP_SCORER_WEIGHTS.
_PARTS: tuple[_Part, ...] = (
    lambda g, q, s: g._cosine(q.terms, s.terms),
    lambda g, q, s: g._cosine(q.who, s.who),
    lambda g, q, s: g._cosine(q.where, s.where),
    lambda g, q, s: g._cosine(q.head_terms, s.head_terms),
    lambda g, q, s: g._cosine(q.head_names, s.head_names),
    lambda g, q, s: math.log(max(s.size, 1)),
    lambda g, q, s: 0.0 if q.head_names else 1.0,
)

# The name the store and older callers know the grouper by.
OnlineGrouper = StoryGrouper


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
