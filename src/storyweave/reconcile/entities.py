"""Cross-article entity reconciliation: one Entity per real-world person, organisation or place.

Mentions are grouped in three steps, each a token-level rule rather than one string-similarity threshold
(rapidfuzz scores "Kim Jong Un"~"Kim Jong-il" as close as "Kim Jong Un"~"Kim Jung Un", but the first pair
are father and son and the second a misspelling):

1. the same :func:`~storyweave.analyse.names.name_key` is the same entity (hyphen, case, accent,
   possessive and honorific variants);
2. spelling variants merge: same number of tokens, at least one token shared, and every differing token
   long and one edit apart ("Jung"/"Jong") or a transliteration pair ("Dmitry"/"Dmitri"); a differing
   short token ("Un"/"il"/"dae") blocks the merge. Merging is complete-linkage, so a chain of small edits
   cannot join two names that are not variants of each other;
3. short forms ("Kim", "Putin") link, article by article, to the full name containing their tokens when
   that is unambiguous: one candidate, or one clearly dominant (``SHORT_FORM_DOMINANCE``), looking first
   at the candidates named in the same article.

No library does this: coreference models work inside one document, and entity linkers need a knowledge
base, while news names are often people no knowledge base holds.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from rapidfuzz.distance import Levenshtein

from storyweave import thresholds
from storyweave.analyse.names import is_plausible_name, name_key, normalise_name
from storyweave.model import Alias, AnalysedArticle, Entity, Mention, Story, SuspectAlias

__all__ = ["KEPT_LABELS", "EntityIndex", "reconcile_entities"]

# Labels that name something a reader looks up; NORP ("Russian"), dates and numbers are not entities.
KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Company-form suffixes: "Acme" is a short form of "Acme Inc." (other ORG and place short forms are not
# linked: "York" is not "New York", "Korea" is ambiguous).
_CORPORATE_SUFFIXES = frozenset(
    {"inc", "corp", "corporation", "co", "company", "ltd", "limited", "plc", "llc", "group", "holdings"}
    | {"ag", "sa", "se", "nv", "gmbh", "spa"}
)
SUSPECT_REASON = "possible misspelling"

Key = tuple[str, ...]
K = TypeVar("K", bound=Hashable)

# Common transliteration alternations, folded away before comparing two spellings. Romanising Russian,
# Arabic, Korean or Ukrainian names has several accepted systems, so these pairs are aliases, never
# suspected misspellings: a final -y/-i/-iy/-yy (Dmitry/Dmitri, Zelensky/Zelenskiy/Zelenskyy),
# ou/u (Abdoulaye/Abdulaye), ph/f (Mustapha/Mustafa), kh/h, w/v (Peskow/Peskov), ks/x, and doubled vowels
# (vowel length: Soo/So, Mustafaa). Doubled consonants are not folded: in a Latin-script name
# ("Emmanuel"/"Emanuel") one spelling is simply wrong.
_TRANSLIT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"ph"), "f"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ks"), "x"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"([aeiouy])\1+"), r"\1"),
    (re.compile(r"(?:iy|yi|ii|y|i)$"), "i"),
)


def _translit_fold(token: str) -> str:
    """The token with common transliteration alternations folded to one spelling."""
    for pattern, replacement in _TRANSLIT_RULES:
        token = pattern.sub(replacement, token)
    return token


def _transliteration_variant(a: Key, b: Key) -> bool:
    """Whether two keys differ only by transliteration alternations."""
    return len(a) == len(b) and all(_translit_fold(x) == _translit_fold(y) for x, y in zip(a, b, strict=True))


def _close_tokens(x: str, y: str) -> bool:
    """Whether two differing tokens can be spellings of one name token."""
    if min(len(x), len(y)) < thresholds.SPELLING_MIN_TOKEN_LENGTH:
        return False
    if _translit_fold(x) == _translit_fold(y):
        return True
    return x[0] == y[0] and Levenshtein.distance(x, y) <= thresholds.SPELLING_MAX_EDITS


def _spelling_variants(a: Key, b: Key) -> bool:
    """Whether two different keys are spellings of one name (rule 2 of the module docstring).

    Single-token names merge only as transliterations: "Iran"/"Iraq" are one edit apart.
    """
    if len(a) != len(b) or a == b:
        return a == b
    if len(a) == 1:
        return min(len(a[0]), len(b[0])) >= 5 and _translit_fold(a[0]) == _translit_fold(b[0])
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differing) == len(a):
        return False
    return all(_close_tokens(x, y) for x, y in differing)


def _is_subsequence(short: Key, long: Key) -> bool:
    """Whether the tokens of ``short`` occur in ``long`` in order."""
    it = iter(long)
    return all(token in it for token in short)


def _label_class(label: str) -> str:
    """Coarse class used to keep people, organisations and places apart when merging spellings."""
    return "PLACE" if label in _PLACE_LABELS else label


def _majority_label(mentions: Iterable[Mention]) -> str:
    """Most frequent label; a tie goes to the label of the longest mention (then alphabetical)."""
    counts: Counter[str] = Counter()
    longest: dict[str, int] = {}
    for m in mentions:
        counts[m.label] += 1
        longest[m.label] = max(longest.get(m.label, 0), len(m.name))
    return min(counts, key=lambda lab: (-counts[lab], -longest[lab], lab))


def _dominant(pool: list[K], counts: Mapping[K, int], order: Mapping[K, str]) -> K | None:
    """The only candidate, or one with SHORT_FORM_DOMINANCE times the runner-up's mentions."""
    ranked = sorted(pool, key=lambda c: (-counts.get(c, 0), order[c]))
    if len(ranked) == 1:
        return ranked[0]
    first, second = counts.get(ranked[0], 0), counts.get(ranked[1], 0)
    if first > 0 and first >= thresholds.SHORT_FORM_DOMINANCE * second:
        return ranked[0]
    return None


def _choose(
    candidates: list[K], local: Mapping[K, int], total: Mapping[K, int], order: Mapping[K, str]
) -> K | None:
    """The candidate a short form refers to, or None when ambiguous.

    Only candidates named in the same article (``local`` counts) are considered when there are any:
    the one dominant in the article wins, else the one dominant across the story (an article that names
    "Kim Jong-un" and, once, his father "Kim Jong-il" still means the son by "Kim" when the story is
    about the son). With no candidate in the article, the story-wide dominant one wins.
    """
    present = [c for c in candidates if local.get(c, 0) > 0]
    if present:
        return _dominant(present, local, order) or _dominant(present, total, order)
    if not candidates:
        return None
    return _dominant(candidates, total, order)


@dataclass
class EntityIndex:
    """Reconciled entities of a story and how each mention and name resolves to them."""

    entities: list[Entity]
    # (article id, Mention.start) -> entity id, for every kept mention
    mention_entity: dict[tuple[str, int], str] = field(default_factory=dict)
    # (article id, name key) -> entity id: how a name as written in one article resolved
    forms: dict[tuple[str, Key], str] = field(default_factory=dict)
    # (entity id, article id) -> mentions of the entity in that article
    article_counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_id = {e.id: e for e in self.entities}
        self._keys: dict[Key, list[str]] = defaultdict(list)
        for entity in self.entities:
            for key in sorted({name_key(a.text) for a in entity.aliases}):
                self._keys[key].append(entity.id)

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id."""
        return self._by_id.get(entity_id)

    def entity_of(self, mention: Mention) -> Entity | None:
        """The entity a mention was reconciled to (None for skipped labels such as NORP)."""
        entity_id = self.mention_entity.get((mention.article_id, mention.start))
        return self._by_id.get(entity_id) if entity_id else None

    def lookup(self, article_id: str, name: str) -> Entity | None:
        """Resolve a name as written in one article (a quote's speaker, a mention) to its entity.

        Tries, in order: how that name resolved in that article; an entity with that exact name; a
        full name containing it (a short form such as "Peskov"), preferring entities named in the article.
        """
        display = normalise_name(name)
        key = name_key(display) if display else ()
        if not key:
            return None
        entity_id = self.forms.get((article_id, key))
        exact = self._keys.get(key, [])
        if entity_id is None:
            entity_id = self._pick(exact, article_id)
        if entity_id is None and not exact:
            longer = sorted(
                {
                    eid
                    for k, ids in self._keys.items()
                    if len(k) > len(key) and _is_subsequence(key, k)
                    for eid in ids
                }
            )
            entity_id = self._pick(longer, article_id)
        return self._by_id.get(entity_id) if entity_id else None

    def _pick(self, ids: list[str], article_id: str) -> str | None:
        """One of several entity ids by the short-form rule (in-article first, then dominance)."""
        local = {i: self.article_counts.get((i, article_id), 0) for i in ids}
        total = {i: self._by_id[i].mention_count for i in ids}
        return _choose(ids, local, total, {i: i for i in ids})


@dataclass
class _Cluster:
    """Forms merged by rules 1-2: one name, possibly spelled several ways."""

    root: Key
    keys: list[Key]
    mentions: list[Mention]

    @property
    def size(self) -> int:
        return len(self.root)

    @property
    def label_class(self) -> str:
        return _label_class(_majority_label(self.mentions))


def _merge_spellings(forms: dict[Key, list[Mention]], story: Story) -> list[_Cluster]:
    """Group forms by rule 2 with complete linkage; strongest pairs (most mentions) merge first.

    Two spellings that independent sources both use, side by side in the same articles, are two people
    ("Maria Ruiz" and her sister "Marta Ruiz"), unless they are transliterations of one name: a
    misspelling is one writer's slip, not something independent reports share.
    """
    parent: dict[Key, Key] = {k: k for k in forms}
    members: dict[Key, list[Key]] = {k: [k] for k in forms}
    form_class = {k: _label_class(_majority_label(ms)) for k, ms in forms.items()}
    articles = {k: {m.article_id for m in ms} for k, ms in forms.items()}

    def compatible(a: Key, b: Key) -> bool:
        if form_class[a] != form_class[b] or not _spelling_variants(a, b):
            return False
        if a == b or _transliteration_variant(a, b):
            return True
        return story.independent(articles[a] & articles[b]) < 2

    def find(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    # candidate pairs: same length and a shared token (or, for one token, the same transliteration fold)
    buckets: dict[tuple[int, str], list[Key]] = defaultdict(list)
    for k in forms:
        for token in set(k) if len(k) > 1 else {_translit_fold(k[0])}:
            buckets[(len(k), token)].append(k)
    pairs: set[tuple[Key, Key]] = set()
    for bucket in buckets.values():
        for i, a in enumerate(bucket):
            for b in bucket[i + 1 :]:
                if compatible(a, b):
                    pairs.add((min(a, b), max(a, b)))
    for a, b in sorted(pairs, key=lambda p: (-(len(forms[p[0]]) + len(forms[p[1]])), p)):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if all(compatible(x, y) for x in members[ra] for y in members[rb]):
            parent[rb] = ra
            members[ra].extend(members.pop(rb))
    clusters: list[_Cluster] = []
    for root in sorted(members):
        keys = sorted(members[root])
        mentions = [m for k in keys for m in forms[k]]
        clusters.append(_Cluster(root=root, keys=keys, mentions=mentions))
    return clusters


def _is_acronym(cluster: _Cluster) -> bool:
    """Whether every mention is an acronym ("UN", "NATO"), which is never a person's short form."""
    return all(m.name.isupper() and len(m.name) <= 5 for m in cluster.mentions)


def _short_candidates(short: _Cluster, clusters: list[_Cluster]) -> list[Key]:
    """Roots of the longer clusters a cluster may be a short form of (rule 3)."""
    cls = short.label_class
    found: list[Key] = []
    if cls == "PERSON" and not _is_acronym(short):
        for c in clusters:
            if (
                c.size > short.size
                and c.label_class == "PERSON"
                and any(_is_subsequence(s, k) for s in short.keys for k in c.keys)
            ):
                found.append(c.root)
    elif cls == "ORG":
        for c in clusters:
            if (
                c.size > short.size
                and c.label_class == "ORG"
                and any(
                    k[: len(s)] == s and set(k[len(s) :]) <= _CORPORATE_SUFFIXES
                    for s in short.keys
                    for k in c.keys
                )
            ):
                found.append(c.root)
    return found


def _link_short_forms(clusters: list[_Cluster]) -> dict[tuple[Key, str], Key]:
    """(short cluster root, article id) -> root of the cluster its mentions in that article refer to.

    Longer clusters resolve first, so "Clinton" can follow "Hillary Clinton" to "Hillary Rodham Clinton".
    """
    local: dict[Key, Counter[str]] = {c.root: Counter(m.article_id for m in c.mentions) for c in clusters}
    total = {c.root: len(c.mentions) for c in clusters}
    order = {c.root: " ".join(c.root) for c in clusters}
    links: dict[tuple[Key, str], Key] = {}
    for short in sorted(clusters, key=lambda c: (-c.size, c.root)):
        candidates = _short_candidates(short, clusters)
        if not candidates:
            continue
        for article_id in sorted(local[short.root]):
            targets = sorted({links.get((c, article_id), c) for c in candidates} - {short.root})
            counts_here = {t: local[t][article_id] for t in targets}
            chosen = _choose(targets, counts_here, total, order)
            if chosen is not None:
                links[(short.root, article_id)] = chosen
    return links


def _name_entity(mentions: list[Mention], story: Story) -> tuple[str, list[Alias], list[SuspectAlias]]:
    """Canonical name, aliases and suspect aliases of one entity's mentions."""
    by_text: dict[str, list[Mention]] = defaultdict(list)
    by_key: dict[Key, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_text[m.name].append(m)
        by_key[name_key(m.name)].append(m)

    def sources(ms: list[Mention]) -> list[str]:
        return sorted({m.article_id for m in ms})

    def strength(k: Key) -> tuple[int, int]:
        return story.independent(sources(by_key[k])), len(by_key[k])

    longest = max(len(k) for k in by_key)
    canonical_key = min(
        (k for k in by_key if len(k) == longest), key=lambda k: (tuple(-s for s in strength(k)), k)
    )
    spellings = [t for t in by_text if name_key(t) == canonical_key]
    name = min(
        spellings,
        key=lambda t: (
            t.isupper(),
            -len(by_text[t]),
            -story.independent(sources(by_text[t])),
            t.startswith("The "),
            t,
        ),
    )
    aliases = [
        Alias(text=t, count=len(ms), sources=sources(ms))
        for t, ms in sorted(by_text.items(), key=lambda item: (-len(item[1]), item[0]))
    ]
    suspects: list[SuspectAlias] = []
    for size in sorted({len(k) for k in by_key}, reverse=True):
        same_size = [k for k in by_key if len(k) == size]
        reference = (
            canonical_key
            if size == longest
            else min(same_size, key=lambda k: (tuple(-s for s in strength(k)), k))
        )
        if strength(reference)[0] < 2:
            continue
        for k in same_size:
            # a different short form ("Rodham Clinton" beside "Hillary Clinton") is no misspelling
            if k == reference or not _spelling_variants(k, reference) or strength(k)[0] != 1:
                continue
            if _transliteration_variant(k, reference):
                continue
            for text in sorted(t for t in by_text if name_key(t) == k):
                suspects.append(
                    SuspectAlias(text=text, sources=sources(by_text[text]), reason=SUSPECT_REASON)
                )
    return name, aliases, suspects


def reconcile_entities(docs: list[AnalysedArticle], story: Story) -> EntityIndex:
    """Entities of one story from its articles' mentions, with canonical names and suspect spellings.

    Only mentions with a kept label and a plausible name count; articles outside ``story.article_ids``
    (when it lists any) are ignored. Entity ids run "E1", "E2"... by mention count, then name.
    """
    members = set(story.article_ids)
    forms: dict[Key, list[Mention]] = defaultdict(list)
    for doc in docs:
        if members and doc.id not in members:
            continue
        for m in doc.mentions:
            if m.label not in KEPT_LABELS:
                continue
            display = m.name or normalise_name(m.text)
            if not is_plausible_name(display):
                continue
            key = name_key(display)
            if key:
                forms[key].append(m if display == m.name else replace(m, name=display))

    clusters = _merge_spellings(dict(forms), story)
    links = _link_short_forms(clusters)
    grouped: dict[Key, list[Mention]] = defaultdict(list)
    for cluster in clusters:
        for m in cluster.mentions:
            grouped[links.get((cluster.root, m.article_id), cluster.root)].append(m)

    built: list[tuple[Entity, list[Mention]]] = []
    for mentions in grouped.values():
        name, aliases, suspects = _name_entity(mentions, story)
        entity = Entity(
            id="", name=name, type=_majority_label(mentions), aliases=aliases, suspect_aliases=suspects
        )
        built.append((entity, mentions))
    built.sort(key=lambda pair: (-len(pair[1]), pair[0].name, pair[0].type))

    mention_entity: dict[tuple[str, int], str] = {}
    forms_seen: dict[tuple[str, Key], str] = {}
    article_counts: Counter[tuple[str, str]] = Counter()
    for number, (entity, mentions) in enumerate(built, start=1):
        entity.id = f"E{number}"
        for m in mentions:
            mention_entity[(m.article_id, m.start)] = entity.id
            forms_seen[(m.article_id, name_key(m.name))] = entity.id
            article_counts[(entity.id, m.article_id)] += 1
    return EntityIndex(
        entities=[e for e, _ in built],
        mention_entity=mention_entity,
        forms=forms_seen,
        article_counts=dict(article_counts),
    )
