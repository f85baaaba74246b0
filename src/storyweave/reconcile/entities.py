"""Cross-article entity reconciliation: one Entity per real-world person, organisation or place.

Mentions are grouped in four steps, each a token-level rule rather than one string-similarity threshold
(rapidfuzz scores "Kim Jong Un"~"Kim Jong-il" as close as "Kim Jong Un"~"Kim Jung Un", but the first pair
are father and son and the second a misspelling):

1. the same :func:`~storyweave.analyse.names.name_key` is the same entity (hyphen, case, accent,
   possessive, honorific and "the" variants);
2. spelling variants merge: same number of tokens, at least one token shared, and every differing token
   long and one edit apart ("Jung"/"Jong") or a transliteration pair ("Dmitry"/"Dmitri"); a differing
   short token ("Un"/"il"/"dae") blocks the merge. Merging is complete-linkage, so a chain of small edits
   cannot join two names that are not variants of each other;
3. an acronym joins the multi-word name of the story whose initials it is ("UN"/"United Nations"), and
   names that differ only by an acronym written out merge ("UN Security Council"/"United Nations
   Security Council"); with no such name in the story an acronym stays on its own;
4. short forms link, article by article, to a longer name when that is unambiguous (one candidate, or one
   clearly dominant by ``SHORT_FORM_DOMINANCE``, looking first at the candidates named in the same
   article): a person's partial name ("Kim", "Putin", "Richard Nixon" for "Richard M. Nixon"), a
   company without its legal form ("Acme"/"Acme Inc."), a name without its kind words ("Vostochny"/
   "Vostochny Space Center"), a name without another name qualifying it ("Saints"/"New Orleans Saints",
   "Security Council"/"UN Security Council"). A chain of short forms resolves story-wide: "Felt" ->
   "W. Mark Felt" -> "W. Mark Felt Sr." is one person even where an article names only "Felt".

Relatives stay apart: a full name without a generational suffix ("John Smith") is not a short form of the
same name with one ("John Smith Jr.") in a story where an article names both and speaks of family
("father", "son"), nor is a name introduced by a kinship word ("his father, John Smith") a short form of a
longer name of the story; different suffixes ("Jr."/"Sr.", "II"/"III") never merge.

NER labels are fixed by consensus: social networks and news agencies (storyweave.text.outlets) are never
people; an entity's type is the majority label of its full-name mentions, where
labels given in title-case headlines count only when the body gives none, an acronym tagged PERSON votes
ORG, and a surname tagged ORG or GPE ("Teixeira") still links to the person whose name ends with it when
that person's mentions outnumber its own (``SHORT_FORM_RELABEL_RATIO``).

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
from storyweave.text.outlets import is_outlet_name

__all__ = ["KEPT_LABELS", "EntityIndex", "reconcile_entities"]

# Labels that name something a reader looks up; NORP ("Russian"), dates and numbers are not entities.
KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Labels of areas: a name spaCy tags only with these is a place, never shortened ("York" is not "New
# York", "Korea" is ambiguous, "Washington" is not "Washington University").
_AREA_LABELS = frozenset({"GPE", "LOC"})
# Company-form suffixes: "Acme" is a short form of "Acme Inc.".
_CORPORATE_SUFFIXES = frozenset(
    {"inc", "corp", "corporation", "co", "company", "ltd", "limited", "plc", "llc", "group", "holdings"}
    | {"ag", "sa", "se", "nv", "gmbh", "spa"}
)
# Kind words that end the full name of a facility or institution whose bare name is also used alone for
# it ("Vostochny" / "Vostochny Space Center", "Harvard" / "Harvard University", "Acme" / "Acme Bank"). A
# closed list: "Pacific" / "Pacific Fleet" or "New York" / "New York Times" must not link, nor a town and
# its public bodies ("Staunton" / "Staunton Police Department"), so governing bodies are left out.
_KIND_HEADS = frozenset(
    {
        "center", "centre", "cosmodrome", "spaceport", "airport", "airfield", "airbase", "station",
        "stadium", "arena", "university", "college", "institute", "academy", "hospital", "clinic",
        "prison", "jail", "penitentiary", "museum", "library", "gallery", "cathedral", "mosque",
        "synagogue", "temple", "palace", "castle", "tower", "hotel", "mall", "shipyard", "refinery",
        "reactor", "bank", "party",
    }
)
# Words that may stand between the bare name and the kind head ("Space", "Treatment", "Nuclear Power").
_KIND_MODIFIERS = frozenset(
    {
        "space", "launch", "research", "medical", "treatment", "recovery", "rehabilitation", "rehab",
        "memorial", "nuclear", "power", "international", "regional", "community", "general", "science",
        "technology", "art", "arts", "convention", "conference", "exhibition", "detention", "correctional",
        "test", "training", "health", "care", "sports", "state", "national", "central",
    }
)
# Institution kinds after which an of-phrase completes a name ("Yonsei Institute" / "Yonsei Institute of
# North Korean Studies", "Supreme Court" / "Supreme Court of Canada").
_OF_HEADS = _KIND_HEADS | frozenset(
    {
        "school", "ministry", "department", "agency", "bureau", "office", "council", "commission",
        "committee", "court", "tribunal", "parliament", "assembly", "union", "association", "federation",
        "society", "organisation", "organization", "foundation", "fund", "church",
    }
)
# Function words left out of initials ("Federal Bureau of Investigation" -> "FBI").
_INITIALS_SKIP = frozenset({"of", "the", "and", "for", "on", "in", "at", "to", "a", "an", "&", "de", "du"})
SUSPECT_REASON = "possible misspelling"
# Generational suffixes: "John Smith Jr." and "John Smith Sr." are two people.
_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv"})
_KIN = r"(?:father|son|dad|mother|daughter|mom|mum|namesake|grandfather|grandson|granddaughter|grandmother|brother|sister|wife|husband|uncle|nephew|niece|aunt|cousin)s?"  # noqa: E501
# A kinship word right before a name introduces a relative ("his father, John Smith", "son John Smith Jr.").
_KIN_BEFORE = re.compile(rf"\b{_KIN}\s*,?\s*$", re.IGNORECASE)
_KIN_WORD = re.compile(rf"\b{_KIN}\b", re.IGNORECASE)

Key = tuple[str, ...]
Ref = tuple[str, int]  # (article id, Mention.start): identifies one mention
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


_FINAL_IE = re.compile(r"ie$")


def _close_tokens(x: str, y: str) -> bool:
    """Whether two differing tokens can be spellings of one name token.

    One edit apart with the same first letter; a final "ie" reads as "y" ("Bettie"/"Betty"). A swap of
    neighbouring letters is two edits: "Christina" and "Christian" are two names.
    """
    if min(len(x), len(y)) < thresholds.SPELLING_MIN_TOKEN_LENGTH:
        return False
    if _translit_fold(x) == _translit_fold(y):
        return True
    x, y = _FINAL_IE.sub("y", x), _FINAL_IE.sub("y", y)
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


_ACRONYM_RE = re.compile(r"[A-Z]{2,6}")


def _acronym(name: str) -> str | None:
    """The letters of a name written as an acronym ("UN", "U.S.", "NATO"), lowercased; else None."""
    letters = name.replace(".", "")
    return letters.casefold() if _ACRONYM_RE.fullmatch(letters) else None


def _initialisms(name: str) -> set[str]:
    """Acronyms a multi-word name shortens to, lowercased.

    "United Nations" -> {"un"}; "Federal Bureau of Investigation" -> {"fbi", "fboi"}; an acronym inside
    the name keeps all its letters ("UN Security Council" -> {"unsc"}).
    """
    words = [w.strip(".,;:'’\"“”()") for w in re.split(r"[\s\-‐‑–—/]+", name)]
    parts = [(w.casefold(), _acronym(w) or w[0].casefold()) for w in words if w]
    if len(parts) < 2:
        return set()
    every = "".join(letters for _, letters in parts)
    content = "".join(letters for word, letters in parts if word not in _INITIALS_SKIP)
    return {x for x in (every, content) if len(x) >= 2}


def _majority_label(mentions: Iterable[Mention], weak: frozenset[Ref] = frozenset()) -> str:
    """Most frequent label; labels of ``weak`` mentions (in headlines) only break ties between the others.

    A remaining tie goes to the label of the longest mention (then alphabetical).
    """
    body: Counter[str] = Counter()
    headline: Counter[str] = Counter()
    longest: dict[str, int] = {}
    for m in mentions:
        (headline if (m.article_id, m.start) in weak else body)[m.label] += 1
        longest[m.label] = max(longest.get(m.label, 0), len(m.name))
    return min(longest, key=lambda lab: (-body[lab], -headline[lab], -longest[lab], lab))


_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _headline_sentences(doc: AnalysedArticle) -> set[int]:
    """Indexes of the sentences written in title case or capitals: headlines and subheads in the body.

    spaCy's NER, trained on sentence case, mislabels names there and swallows neighbouring capitalised
    words ("Kim Jong Un Gift"). A sentence counts when it has at least two words of four or more letters
    outside its entity mentions and all of them are capitalised; in running text such words are mostly
    lowercase.
    """
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for m in doc.mentions:
        spans[m.sentence_index].append((m.start, m.end))
    found: set[int] = set()
    for sentence in doc.sentences:
        words = [
            w.group()
            for w in _WORD_RE.finditer(sentence.text)
            if len(w.group()) >= 4
            and not any(
                s <= sentence.start + w.start() < e for s, e in spans.get(sentence.index, [])
            )
        ]
        if len(words) >= 2 and all(w[0].isupper() for w in words):
            found.add(sentence.index)
    return found


def _ordinary_word(token: str, lowercase_words: set[str]) -> bool:
    """Whether a name token is written lowercase elsewhere in the story (or inflected: "gift"/"gifts")."""
    forms = {token, token + "s", token + "es", token + "ed", token + "d", token + "ing"}
    if token.endswith("s"):
        forms.add(token[:-1])
    return not forms.isdisjoint(lowercase_words)


def _trim_headline_key(key: Key, body_keys: set[Key], lowercase_words: set[str]) -> Key | None:
    """The longest name known from the story's running text inside a headline mention's key, when the
    rest are ordinary words the headline capitalised ("Kim Jong Un Gift" -> "Kim Jong Un")."""
    for length in range(len(key) - 1, 0, -1):
        for i in range(len(key) - length + 1):
            sub = key[i : i + length]
            rest = key[:i] + key[i + length :]
            if sub in body_keys and all(_ordinary_word(t, lowercase_words) for t in rest):
                return sub
    return None


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
    """Forms merged by rules 1-3: one name, possibly spelled or abbreviated several ways."""

    root: Key
    keys: list[Key]
    mentions: list[Mention]
    label: str

    @property
    def size(self) -> int:
        return max(len(k) for k in self.keys)

    @property
    def label_class(self) -> str:
        return _label_class(self.label)

    @property
    def acronym(self) -> str | None:
        """The letters when every mention is written as the same acronym ("UN", "U.N.")."""
        letters = {_acronym(m.name) for m in self.mentions}
        return letters.pop() if len(letters) == 1 else None

    @property
    def has_acronym(self) -> bool:
        """Whether any mention is written as an acronym: such a cluster is never a short form."""
        return any(_acronym(m.name) for m in self.mentions)

    @property
    def is_area(self) -> bool:
        """Whether spaCy tags every mention as a place (GPE or LOC)."""
        return all(m.label in _AREA_LABELS for m in self.mentions)


def _merge_spellings(forms: dict[Key, list[Mention]], story: Story, weak: frozenset[Ref]) -> list[_Cluster]:
    """Group forms by rule 2 with complete linkage; strongest pairs (most mentions) merge first.

    Two spellings that independent sources both use, side by side in the same articles, are two people
    ("Maria Ruiz" and her sister "Marta Ruiz"), unless they are transliterations of one name: a
    misspelling is one writer's slip, not something independent reports share.
    """
    parent: dict[Key, Key] = {k: k for k in forms}
    members: dict[Key, list[Key]] = {k: [k] for k in forms}
    form_class = {k: _label_class(_majority_label(ms, weak)) for k, ms in forms.items()}
    articles = {k: {m.article_id for m in ms} for k, ms in forms.items()}

    def compatible(a: Key, b: Key) -> bool:
        if form_class[a] != form_class[b]:
            return False
        if _initial_variant(a, b):
            return True
        if not _spelling_variants(a, b):
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
        label = _majority_label(mentions, weak)
        clusters.append(_Cluster(root=root, keys=keys, mentions=mentions, label=label))
    return clusters


def _join(clusters: list[_Cluster], pairs: Iterable[tuple[int, int]], weak: frozenset[Ref]) -> list[_Cluster]:
    """Clusters with the given index pairs united; a union keeps the root of its member with most mentions."""
    parent = list(range(len(clusters)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[_Cluster]] = defaultdict(list)
    for i, cluster in enumerate(clusters):
        groups[find(i)].append(cluster)
    joined: list[_Cluster] = []
    for members in groups.values():
        if len(members) == 1:
            joined.append(members[0])
            continue
        main = min(members, key=lambda c: (-len(c.mentions), -c.size, c.root))
        mentions = [m for c in members for m in c.mentions]
        keys = sorted({k for c in members for k in c.keys})
        label = _majority_label(mentions, weak)
        joined.append(_Cluster(root=main.root, keys=keys, mentions=mentions, label=label))
    return sorted(joined, key=lambda c: c.root)


def _spelled_out(short: Key, full: Key, acronyms: set[str]) -> bool:
    """Whether ``full`` is ``short`` with one of its acronyms written out: same tokens before and after,
    and the acronym the initials of the words in its place ("IMF Executive Board" / "International
    Monetary Fund Executive Board")."""
    if len(full) <= len(short) or len(short) < 2:
        return False
    prefix = 0
    while prefix < len(short) and short[prefix] == full[prefix]:
        prefix += 1
    if prefix == len(short) or short[prefix] not in acronyms:
        return False
    suffix = len(short) - prefix - 1
    if suffix and full[-suffix:] != short[prefix + 1 :]:
        return False
    middle = " ".join(full[prefix : len(full) - suffix])
    return short[prefix] in _initialisms(middle)


def _merge_acronyms(clusters: list[_Cluster], weak: frozenset[Ref]) -> list[_Cluster]:
    """Rule 3: an acronym joins the one multi-word name of the story whose initials it is, and names
    that differ only by an acronym written out merge with each other.

    The story must show the link: "UN" alone stays "UN". Personal names are left out ("AP" is no
    "Alan Parker"); among several full names with the acronym's initials, one of the acronym's own label
    class is preferred, and several left leave the acronym alone unless one has SHORT_FORM_DOMINANCE times
    the mentions of the next.
    """
    by_initials: dict[str, set[int]] = defaultdict(set)
    for i, cluster in enumerate(clusters):
        if cluster.label_class == "PERSON":
            continue
        for name in {m.name for m in cluster.mentions}:
            for initials in _initialisms(name):
                by_initials[initials].add(i)
    counts = {i: len(c.mentions) for i, c in enumerate(clusters)}
    order = {i: " ".join(c.root) for i, c in enumerate(clusters)}
    pairs: list[tuple[int, int]] = []
    for i, cluster in enumerate(clusters):
        letters = cluster.acronym
        if letters is None or cluster.size != 1:
            continue
        candidates = sorted(by_initials.get(letters, set()) - {i})
        # a full name of the acronym's own kind first: "AP" (ORG) is the "Associated Press", not the film
        # "American Pie" of the same story
        same_kind = [c for c in candidates if clusters[c].label_class == cluster.label_class]
        pool = same_kind or candidates
        chosen = _dominant(pool, counts, order) if pool else None
        if chosen is not None:
            pairs.append((i, chosen))
    # names with an acronym written out: candidates share their first or their last token
    by_edge: dict[tuple[int, str], list[tuple[int, Key]]] = defaultdict(list)
    for i, cluster in enumerate(clusters):
        if cluster.label_class == "PERSON":
            continue
        for key in cluster.keys:
            if len(key) > 1:
                by_edge[(0, key[0])].append((i, key))
                by_edge[(-1, key[-1])].append((i, key))
    for i, cluster in enumerate(clusters):
        acronyms = {a for m in cluster.mentions for w in m.name.split() if (a := _acronym(w))}
        if not acronyms or cluster.label_class == "PERSON":
            continue
        for key in cluster.keys:
            if len(key) < 2:
                continue
            for j, other in by_edge.get((0, key[0]), []) + by_edge.get((-1, key[-1]), []):
                if j != i and _spelled_out(key, other, acronyms):
                    pairs.append((i, j))
    return _join(clusters, pairs, weak) if pairs else clusters


def _person_part(short: Key, full: Key) -> bool:
    """Whether a person's name ``short`` is part of ``full``.

    "Kim" of "Kim Jong Un", "Richard Nixon" of "Richard M. Nixon", and with a given name shortened to its
    first letters "Fred LaRue" of "Frederick C. LaRue". A name written with an initial does not drop
    another initial ("George W. Bush" is not "George H. W. Bush").
    """
    if len(full) <= len(short):
        return False
    if len(short) > 1 and _diminutive(short[0], full[0]):
        short_rest, full_rest = short[1:], full[1:]
    else:
        short_rest, full_rest = short, full
    if not _is_subsequence(short_rest, full_rest):
        return False
    extra = list(full_rest)
    for token in short_rest:
        extra.remove(token)
    return not (any(len(t) == 1 for t in short) and any(len(t) == 1 for t in extra))


def _diminutive(short: str, full: str) -> bool:
    """A given name cut to its first three or more letters ("Fred"/"Frederick", "Alex"/"Alexander")."""
    return len(short) >= 3 and len(full) > len(short) and full.startswith(short)


def _initial_variant(a: Key, b: Key) -> bool:
    """One name with a middle name written out in one form and as its initial in the other
    ("Frederick C. LaRue"/"Frederick Cheney LaRue"): first and last tokens equal, every other difference
    an initial against a name starting with it."""
    if len(a) != len(b) or len(a) < 3 or a[0] != b[0] or a[-1] != b[-1] or a == b:
        return False
    return all(x == y or (min(len(x), len(y)) == 1 and x[0] == y[0]) for x, y in zip(a, b, strict=True))


def _kind_extension(short: Key, full: Key) -> bool:
    """Whether ``full`` is ``short`` followed by kind words ("Vostochny Space Center", "Acme Inc.") or by
    an of-phrase after an institution's kind ("Yonsei Institute" -> "... Institute of Korean Studies")."""
    if len(full) <= len(short) or full[: len(short)] != short:
        return False
    rest = full[len(short) :]
    if all(t in _CORPORATE_SUFFIXES for t in rest):
        return True
    if rest[-1] in _KIND_HEADS and all(t in _KIND_HEADS or t in _KIND_MODIFIERS for t in rest):
        return True
    return rest[0] == "of" and len(rest) > 1 and len(short) > 1 and short[-1] in _OF_HEADS


def _qualified(short: Key, full: Key, story_names: set[Key]) -> bool:
    """Whether ``full`` is ``short`` qualified by another name of the story: "New Orleans Saints" is
    "Saints" of "New Orleans", "UN Security Council" the "Security Council" of the "UN"."""
    return len(full) > len(short) and full[-len(short) :] == short and full[: -len(short)] in story_names


def _surname_support(short: _Cluster, clusters: list[_Cluster]) -> int:
    """Mentions of the story's people whose name ends with the short form's tokens ("Teixeira")."""
    return sum(
        len(c.mentions)
        for c in clusters
        if c.label_class == "PERSON"
        and c.size > short.size
        and any(k[-len(s) :] == s for s in short.keys for k in c.keys if len(k) > len(s))
    )


def _short_candidates(
    short: _Cluster,
    clusters: list[_Cluster],
    story_names: set[Key],
    kept_apart: frozenset[tuple[Key, Key]] = frozenset(),
) -> list[Key]:
    """Roots of the longer clusters a cluster may be a short form of (rule 4).

    A name tagged ORG or GPE ("Teixeira") is taken as a person's short form when the people whose name
    ends with it have SHORT_FORM_RELABEL_RATIO times its own mentions: spaCy often mislabels a bare
    surname, and a story rarely names a place or company after the surname of someone it is about.
    """
    if short.has_acronym:
        return []
    found: list[Key] = []
    own_other = sum(1 for m in short.mentions if m.label != "PERSON")
    person = short.label_class == "PERSON" or (
        _surname_support(short, clusters) >= thresholds.SHORT_FORM_RELABEL_RATIO * own_other
    )
    thing = short.label_class != "PERSON" and not short.is_area
    for c in clusters:
        if c.size <= short.size or c is short:
            continue
        pairs = [(s, k) for s in short.keys for k in c.keys]
        if c.label_class == "PERSON":
            if person and any(_person_part(s, k) and (s, k) not in kept_apart for s, k in pairs):
                found.append(c.root)
        elif thing and any(_kind_extension(s, k) or _qualified(s, k, story_names) for s, k in pairs):
            found.append(c.root)
    return found


def _link_short_forms(
    clusters: list[_Cluster], story_names: set[Key], kept_apart: frozenset[tuple[Key, Key]] = frozenset()
) -> dict[tuple[Key, str], Key]:
    """(short cluster root, article id) -> root of the cluster its mentions in that article refer to.

    Longer clusters resolve first. A cluster linked to one target in every article it appears in stands
    for that target story-wide, so "Felt" in an article that names only "Felt" and "W. Mark Felt" follows
    "W. Mark Felt" to "W. Mark Felt Sr." instead of seeing two rival candidates.
    """
    local: dict[Key, Counter[str]] = {c.root: Counter(m.article_id for m in c.mentions) for c in clusters}
    total = {c.root: len(c.mentions) for c in clusters}
    order = {c.root: " ".join(c.root) for c in clusters}
    links: dict[tuple[Key, str], Key] = {}
    resolved: dict[Key, Key] = {}

    def target(root: Key, article_id: str) -> Key:
        seen = {root}
        while True:
            nxt = links.get((root, article_id)) or resolved.get(root)
            if nxt is None or nxt in seen:
                return root
            seen.add(nxt)
            root = nxt

    for short in sorted(clusters, key=lambda c: (-c.size, c.root)):
        candidates = _short_candidates(short, clusters, story_names, kept_apart)
        if not candidates:
            continue
        articles = sorted(local[short.root])
        for article_id in articles:
            here: Counter[Key] = Counter()
            overall: Counter[Key] = Counter()
            for c in candidates:
                t = target(c, article_id)
                if t != short.root:
                    here[t] += local[c][article_id]
                    overall[t] += total[c]
            chosen = _choose(sorted(overall), here, overall, order)
            if chosen is not None:
                links[(short.root, article_id)] = chosen
        chosen_everywhere = {links.get((short.root, a)) for a in articles}
        if len(chosen_everywhere) == 1 and None not in chosen_everywhere:
            resolved[short.root] = links[(short.root, articles[0])]
    return {(root, a): target(root, a) for root, a in links}


def _name_entity(mentions: list[Mention], story: Story) -> tuple[str, list[Alias], list[SuspectAlias]]:
    """Canonical name, aliases and suspect aliases of one entity's mentions.

    The canonical name is the full name (more than one token, when the entity has any) that most
    independent sources use, then the one with most mentions, then the longest: "W. Mark Felt" written by
    seven outlets beats "W. Mark Felt Sr." written by two, and "United Nations" beats "UN".
    """
    by_text: dict[str, list[Mention]] = defaultdict(list)
    by_key: dict[Key, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_text[m.name].append(m)
        by_key[name_key(m.name)].append(m)

    def sources(ms: list[Mention]) -> list[str]:
        return sorted({m.article_id for m in ms})

    def strength(k: Key) -> tuple[int, int]:
        return story.independent(sources(by_key[k])), len(by_key[k])

    def rank(k: Key) -> tuple[int, int, int, Key]:
        independent, count = strength(k)
        return -independent, -count, -len(k), k

    full = [k for k in by_key if len(k) > 1]
    canonical_key = min(full or by_key, key=rank)
    spellings = [t for t in by_text if name_key(t) == canonical_key]
    name = min(
        spellings,
        key=lambda t: (
            t.isupper() and not _acronym(t),
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
        reference = canonical_key if len(canonical_key) == size else min(same_size, key=rank)
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


def _opens_sentence(doc: AnalysedArticle, mention: Mention) -> bool:
    """Whether a mention is the first word of its sentence (quotes and brackets aside)."""
    sentence = next((s for s in doc.sentences if s.index == mention.sentence_index), None)
    if sentence is None:
        return False
    before = doc.article.text[sentence.start : mention.start]
    return not any(ch.isalnum() for ch in before)


@dataclass
class _Forms:
    """The story's mentions by name key, ready for clustering."""

    forms: dict[Key, list[Mention]]
    weak: frozenset[Ref]  # mentions in headline-like sentences: their labels count only as tie-breaks
    names: set[Key]  # keys of every plausible name in the story, NORP included ("Russian", "UN")
    written: dict[Ref, Key]  # each kept mention's key as written, before the fixes above
    kin: frozenset[Key] = frozenset()  # keys of people introduced by a kinship word somewhere in the story
    family_articles: frozenset[str] = frozenset()  # articles that speak of family (father, son...)


def _collect(docs: list[AnalysedArticle], story: Story) -> _Forms:
    """Mentions to reconcile, with display names fixed where a headline or sentence start misleads.

    - a capitalised "The" opening a sentence or in a headline is the article, not part of the name
      ("The White House said" -> "White House"); mid-sentence "The Hague" keeps it;
    - a social network or news agency tagged PERSON ("Twitter said", "Reuters reported") votes ORG;
    - an acronym tagged PERSON votes ORG: in news an all-capitals name is an organisation far more often
      than a person (ECB+: 0 of 60 such mentions are people, 45 organisations), while spaCy tags some,
      "COVID" among them, as people;
    - a headline mention that swallowed capitalised words ("Kim Jong Un Gift") is cut to the name the
      story's running text uses, when the extra words appear lowercase in the story.
    """
    members = set(story.article_ids)
    kept: list[tuple[Mention, bool]] = []
    written: dict[Ref, Key] = {}
    names: set[Key] = set()
    lowercase_words: set[str] = set()
    kin: set[Key] = set()
    family_articles: set[str] = set()
    for doc in docs:
        if members and doc.id not in members:
            continue
        if _KIN_WORD.search(doc.article.text):
            family_articles.add(doc.id)
        headlines = _headline_sentences(doc)
        capitals = {s.index for s in doc.sentences if s.text.upper() == s.text}
        for sentence in doc.sentences:
            if sentence.index not in headlines:
                lowercase_words.update(w for w in _WORD_RE.findall(sentence.text) if w.islower())
        for m in doc.mentions:
            display = m.name or normalise_name(m.text)
            if not is_plausible_name(display):
                continue
            names.add(name_key(display))
            if m.label not in KEPT_LABELS:
                continue
            headline = m.sentence_index in headlines
            if display.startswith("The ") and (headline or _opens_sentence(doc, m)):
                display = display[4:]
            written[(m.article_id, m.start)] = name_key(display)
            label = m.label
            if label == "PERSON" and _acronym(display) and m.sentence_index not in capitals:
                label = "ORG"
            if label == "PERSON" and is_outlet_name(display):
                label = "ORG"
            if label == "PERSON" and _KIN_BEFORE.search(doc.article.text[max(0, m.start - 30) : m.start]):
                kin.add(name_key(display))
            if display != m.name or label != m.label:
                m = replace(m, name=display, label=label)
            kept.append((m, headline))
    body_keys = {name_key(m.name) for m, headline in kept if not headline}
    body_names: dict[Key, Counter[str]] = defaultdict(Counter)
    for m, headline in kept:
        if not headline:
            body_names[name_key(m.name)][m.name] += 1
    forms: dict[Key, list[Mention]] = defaultdict(list)
    weak: set[Ref] = set()
    for m, headline in kept:
        key = name_key(m.name)
        if headline:
            weak.add((m.article_id, m.start))
            if key not in body_keys and len(key) > 1:
                key = _trim_headline_key(key, body_keys, lowercase_words) or key
            if key in body_keys:
                # headline case says nothing about the name's spelling ("KIM", "Kim Jong Un Gift")
                m = replace(m, name=body_names[key].most_common(1)[0][0])
        if key:
            forms[key].append(m)
    return _Forms(
        forms=dict(forms),
        weak=frozenset(weak),
        names=names,
        written=written,
        kin=frozenset(kin),
        family_articles=frozenset(family_articles),
    )


def _relatives(clusters: list[_Cluster], collected: _Forms) -> frozenset[tuple[Key, Key]]:
    """(short key, full key) pairs of people's names that must not link as short forms: relatives.

    A full name and the same name with a generational suffix, both written in one article that speaks of
    family ("John Smith" and his son "John Smith Jr."); or a name introduced by a kinship word ("his
    father, John Smith") and any longer name it is part of.
    """
    keys: list[tuple[Key, set[str]]] = []
    for cluster in clusters:
        if cluster.label_class == "PERSON":
            for k in cluster.keys:
                keys.append((k, {m.article_id for m in cluster.mentions if name_key(m.name) == k}))
    apart: set[tuple[Key, Key]] = set()
    for s, s_articles in keys:
        if len(s) < 2:
            continue
        for k, k_articles in keys:
            if not _person_part(s, k):
                continue
            suffixed = k[-1] in _GENERATIONAL and k[:-1] == s
            family = bool(s_articles & k_articles & collected.family_articles)
            if (suffixed and family) or s in collected.kin or k in collected.kin:
                apart.add((s, k))
    return frozenset(apart)


def reconcile_entities(docs: list[AnalysedArticle], story: Story) -> EntityIndex:
    """Entities of one story from its articles' mentions, with canonical names and suspect spellings.

    Only mentions with a kept label and a plausible name count; articles outside ``story.article_ids``
    (when it lists any) are ignored. Entity ids run "E1", "E2"... by mention count, then name.
    """
    collected = _collect(docs, story)
    weak = collected.weak
    clusters = _merge_acronyms(_merge_spellings(collected.forms, story, weak), weak)
    links = _link_short_forms(clusters, collected.names, _relatives(clusters, collected))
    grouped: dict[Key, list[Mention]] = defaultdict(list)
    primary: dict[Key, list[Mention]] = defaultdict(list)
    for cluster in clusters:
        for m in cluster.mentions:
            target = links.get((cluster.root, m.article_id), cluster.root)
            grouped[target].append(m)
            if target == cluster.root:
                primary[target].append(m)

    built: list[tuple[Entity, list[Mention]]] = []
    for root, mentions in grouped.items():
        name, aliases, suspects = _name_entity(mentions, story)
        # the type comes from the full name's own mentions: NER labels a bare surname or a place without
        # its kind word ("Vostochny") less reliably than the whole name
        label = _majority_label(primary.get(root) or mentions, weak)
        entity = Entity(id="", name=name, type=label, aliases=aliases, suspect_aliases=suspects)
        built.append((entity, mentions))
    built.sort(key=lambda pair: (-len(pair[1]), pair[0].name, pair[0].type))

    mention_entity: dict[Ref, str] = {}
    forms_seen: dict[tuple[str, Key], str] = {}
    article_counts: Counter[tuple[str, str]] = Counter()
    for number, (entity, mentions) in enumerate(built, start=1):
        entity.id = f"E{number}"
        for m in mentions:
            mention_entity[(m.article_id, m.start)] = entity.id
            forms_seen[(m.article_id, name_key(m.name))] = entity.id
            as_written = collected.written.get((m.article_id, m.start))
            if as_written:
                forms_seen.setdefault((m.article_id, as_written), entity.id)
            article_counts[(entity.id, m.article_id)] += 1
    return EntityIndex(
        entities=[e for e, _ in built],
        mention_entity=mention_entity,
        forms=forms_seen,
        article_counts=dict(article_counts),
    )
