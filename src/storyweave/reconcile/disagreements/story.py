"""What every contested-point detector shares: a view of the story's slots, and the rule that turns values
stated by different sources into one :class:`Disagreement`.

The rule keeps false alarms down: values held by one syndication group only are one voice; an article that
states two incompatible values of one key makes that key ambiguous there (two quakes' tolls, a person with
two titles), so it drops out of the comparison; and the sentences of every value are kept for citation.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol

from storyweave.analyse.names import name_key
from storyweave.model import AnalysedArticle, Claim, Disagreement, Entity, Fact, Mention, Story, ValueSources
from storyweave.text.contest_words import PRONOUNS
from storyweave.text.graph import components


class EntityLookup(Protocol):
    """What the detectors need from entity reconciliation (an ``EntityIndex``)."""

    def lookup(self, article_id: str, name: str) -> Entity | None: ...


@dataclass(frozen=True)
class Stated:
    """One value of a slot as one sentence states it."""

    key: str  # the comparable value ("12", "final", "spokesperson")
    shown: str  # the value as written, for the reader
    article_id: str
    sentence_index: int

    @property
    def sentence_id(self) -> str:
        return f"{self.article_id}#{self.sentence_index}"


class StoryView:
    """The analysed articles of one story, indexed for the detectors (no detector scans all sentences)."""

    def __init__(
        self,
        facts: Sequence[Fact],
        docs: dict[str, AnalysedArticle],
        story: Story,
        entities: EntityLookup | None = None,
    ) -> None:
        self.docs = docs
        self.story = story
        self.entities = entities
        self.fact_of: dict[str, str] = {
            v.sentence_id: f.id for f in facts for v in f.variants if v.sentence_id is not None
        }
        self._mentions: dict[tuple[str, int], list[Mention]] = defaultdict(list)
        for doc in docs.values():
            for mention in doc.mentions:
                self._mentions[(doc.id, mention.sentence_index)].append(mention)
        self._entity_keys: dict[tuple[str, str], str] = {}
        self.memo: dict[str, object] = {}  # results several detectors share (the story's quotations)
        self._labels: dict[str, dict[tuple[str, ...], str]] = {}
        self._sentence_lemmas: dict[str, frozenset[str]] = {}
        self._slots_by_sentence: dict[str, tuple[list[list[str]], list[str]]] = defaultdict(lambda: ([], []))

    def sentence_lemmas(self, sentence_id: str) -> frozenset[str]:
        """Content lemmas of one sentence (its claims' lemmas), less the words of its figures: what two
        sentences must share to say the same thing. Computed on first use, per sentence."""
        cached = self._sentence_lemmas.get(sentence_id)
        if cached is not None:
            return cached
        if not self._slots_by_sentence:  # claims and figures by sentence, indexed once
            for doc in self.docs.values():
                for claim in doc.claims:
                    self._slots_by_sentence[f"{doc.id}#{claim.sentence_index}"][0].append(claim.lemmas)
                for q in doc.quantities:
                    self._slots_by_sentence[f"{doc.id}#{q.sentence_index}"][1].extend(
                        q.text.casefold().split()
                    )
        lemmas, figures = self._slots_by_sentence.get(sentence_id, ([], []))
        words = {w.casefold() for claim in lemmas for w in claim if " " not in w}
        found = frozenset(words.difference(figures))
        self._sentence_lemmas[sentence_id] = found
        return found

    def mentions(self, article_id: str, sentence_index: int) -> list[Mention]:
        """Entity mentions of one sentence."""
        return self._mentions.get((article_id, sentence_index), [])

    def sentence_text(self, article_id: str, sentence_index: int) -> str:
        doc = self.docs.get(article_id)
        if doc is None or not 0 <= sentence_index < len(doc.sentences):
            return ""
        return doc.sentences[sentence_index].text

    def entity_key(self, article_id: str, name: str) -> str:
        """One key per real-world entity: its reconciled id when known, else its name's comparison key."""
        cached = self._entity_keys.get((article_id, name))
        if cached is not None:
            return cached
        key = " ".join(name_key(name))
        if self.entities is not None:
            entity = self.entities.lookup(article_id, name)
            if entity is not None:
                key = entity.id
        self._entity_keys[(article_id, name)] = key
        return key

    def label_of(self, article_id: str, name: str) -> str | None:
        """The NER label (PERSON, ORG...) the article gives this name, None when it is never tagged."""
        key = name_key(name)
        doc = self.docs.get(article_id)
        if doc is None or not key:
            return None
        labels = self._labels.get(article_id)
        if labels is None:  # first label of each name of the article, computed once
            labels = {}
            for mention in doc.mentions:
                labels.setdefault(name_key(mention.name), mention.label)
            self._labels[article_id] = labels
        if key in labels:
            return labels[key]
        for full, label in labels.items():  # a short form ("Peskov") of a tagged full name
            if set(key) <= set(full):
                return label
        return None

    def head_key(self, article_id: str, head: str | None) -> str | None:
        """A claim's subject or object head as a comparison key: names resolve to their entity, pronouns and
        empty heads to None (they name nothing to compare)."""
        if head is None or not head.strip() or head.casefold() in PRONOUNS:
            return None
        if any(ch.isupper() for ch in head) or " " in head.strip():
            return self.entity_key(article_id, head)
        return head.casefold()


def claim_keys(view: StoryView, claim: Claim) -> list[tuple[str, ...]]:
    """The keys under which two claims are about one thing: (subject, predicate), (predicate, object) and
    (subject, object), each only with both parts known."""
    subject = view.head_key(claim.article_id, claim.subject)
    obj = view.head_key(claim.article_id, claim.object)
    predicate = claim.predicate.casefold()
    keys: list[tuple[str, ...]] = []
    if subject is not None:
        keys.append(("sp", subject, predicate))
    if obj is not None:
        keys.append(("po", predicate, obj))
    if subject is not None and obj is not None:
        keys.append(("so", subject, obj))
    return keys


def index_by(items: Iterable[tuple[tuple[str, ...], Stated]]) -> dict[tuple[str, ...], list[Stated]]:
    """Group stated values by their key."""
    index: dict[tuple[str, ...], list[Stated]] = defaultdict(list)
    for key, stated in items:
        index[key].append(stated)
    return index


def contest(
    view: StoryView,
    kind: str,
    stated: Sequence[Stated],
    note: Callable[[list[ValueSources]], str],
    compatible: Callable[[str, str], bool] | None = None,
    first_only: bool = False,
) -> Disagreement | None:
    """One disagreement among values of one key, or None when the sources agree.

    Two values conflict when they are not ``compatible`` (default: equal keys) and their holders are not all
    one syndication group. An article that states two incompatible values of the key is left out (the key is
    ambiguous there: two quakes' tolls, two titles of one person); with ``first_only`` only each article's
    first sentence stating the key counts (later ones are often background: an earlier quake's toll). Only
    values in a conflict are kept.
    """
    same = compatible or (lambda a, b: a == b)
    if first_only:  # an article's first statement of the key is the one about the story's own event
        first: dict[str, int] = {}
        for s in stated:
            first[s.article_id] = min(first.get(s.article_id, s.sentence_index), s.sentence_index)
        stated = [s for s in stated if s.sentence_index == first[s.article_id]]
    keys_of: dict[str, set[str]] = defaultdict(set)
    for s in stated:
        keys_of[s.article_id].add(s.key)
    # an article stating two incompatible values of one key makes the key ambiguous there: it drops out
    ambiguous = {
        article for article, keys in keys_of.items() if any(not same(a, b) for a, b in combinations(keys, 2))
    }
    holders: dict[str, list[Stated]] = defaultdict(list)
    for s in stated:
        if s.article_id not in ambiguous:
            holders[s.key].append(s)
    if len(holders) < 2:
        return None
    articles_of = {k: {s.article_id for s in v} for k, v in holders.items()}
    groups_of = {k: {view.story.group_of(a) for a in v} for k, v in articles_of.items()}
    in_conflict: set[str] = set()
    for a, b in combinations(sorted(holders), 2):
        if same(a, b) or articles_of[a] & articles_of[b]:
            continue
        if len(groups_of[a] | groups_of[b]) < 2:
            continue
        in_conflict.update((a, b))
    if not in_conflict:
        return None
    values: list[ValueSources] = []
    for key in sorted(in_conflict, key=lambda k: (-len(articles_of[k]), k)):
        items = holders[key]
        shown = min((s.shown for s in items), key=lambda w: (len(w), w))
        values.append(
            ValueSources(
                value=shown,
                sources=sorted(articles_of[key]),
                sentence_ids=sorted({s.sentence_id for s in items}),
            )
        )
    sentence_ids = {sid for v in values for sid in v.sentence_ids}
    fact_ids = {view.fact_of.get(sid) for sid in sentence_ids}
    fact_id = next(iter(fact_ids)) if len(fact_ids) == 1 else None
    return Disagreement(fact_id=fact_id, kind=kind, values=values, note=note(values))


def contest_each_key(
    view: StoryView,
    kind: str,
    keyed: Iterable[tuple[tuple[str, ...], Stated]],
    note: Callable[[list[ValueSources]], str],
    compatible: Callable[[str, str], bool] | None = None,
) -> list[Disagreement]:
    """:func:`contest` over every key of ``keyed``, in the order the keys first appear."""
    found = []
    for stated in index_by(keyed).values():
        d = contest(view, kind, stated, note, compatible)
        if d is not None:
            found.append(d)
    return found


def similar_conflicts(
    view: StoryView,
    stated: Sequence[Stated],
    compatible: Callable[[str, str], bool],
    also_states: Mapping[str, set[str]],
    skip: Callable[[int, int], bool],
    min_shared: int,
    overlap: float,
    max_postings: int,
) -> list[list[int]]:
    """Groups (indices into ``stated``) of values that conflict between sentences saying the same thing.

    Two stated values conflict when their sentences are variants of one aligned fact (alignment's calibrated
    "same claim"; sentences that merely share words state figures of different things far too often), share
    at least ``min_shared`` content lemmas making at least ``overlap`` of the shorter sentence's lemmas,
    they come from two articles of two syndication
    groups, their values are not ``compatible``, neither article ``also_states`` (article id -> values) the
    other's value (then they are values of two things, or parts of a whole), and ``skip(i, j)`` does not
    rule the pair out. Candidates come from an inverted index of the lemmas (:func:`shared_word_pairs`),
    conflicts are joined transitively; each group of two or more is returned.
    """
    # only items inside a fact can pair; the others get no lemmas (and so propose no candidates)
    lemmas = [
        view.sentence_lemmas(s.sentence_id) if s.sentence_id in view.fact_of else frozenset() for s in stated
    ]
    texts = [" ".join(sorted(words)) for words in lemmas]
    conflicts = []
    for a, b in sorted(shared_word_pairs(texts, frozenset(), max_postings, min_shared)):
        x, y = stated[a], stated[b]
        if x.article_id == y.article_id or view.story.group_of(x.article_id) == view.story.group_of(
            y.article_id
        ):
            continue  # one article, or one syndication group, is one voice
        fact = view.fact_of.get(x.sentence_id)
        if fact is None or fact != view.fact_of.get(y.sentence_id):
            continue  # only claims the aligner joined into one fact (a calibrated "same claim") are compared
        if compatible(x.key, y.key) or skip(a, b):
            continue
        if any(compatible(v, y.key) for v in also_states.get(x.article_id, ())) or any(
            compatible(v, x.key) for v in also_states.get(y.article_id, ())
        ):
            continue
        if len(lemmas[a] & lemmas[b]) >= overlap * max(1, min(len(lemmas[a]), len(lemmas[b]))):
            conflicts.append((a, b))
    return [c for c in components(list(range(len(stated))), conflicts) if len(c) > 1]


def shared_word_pairs(
    texts: Sequence[str], stops: frozenset[str], max_postings: int, min_shared: int = 1, size: int = 1
) -> set[tuple[int, int]]:
    """Pairs of texts sharing at least ``min_shared`` runs of ``size`` content words, from an inverted index
    (not all against all); a run found in more than ``max_postings`` texts is too common to propose pairs."""
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        words = [w for w in text.split() if w not in stops]
        for run in {tuple(words[j : j + size]) for j in range(len(words) - size + 1)}:
            postings[run].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in postings.values():
        if 2 <= len(ids) <= max_postings:
            shared.update(combinations(ids, 2))
    return {pair for pair, n in shared.items() if n >= min_shared}
