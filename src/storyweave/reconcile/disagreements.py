"""Where the sources of one fact disagree: numbers, dates, negation, names, and what a speaker is quoted
as saying (wording) or who is quoted as saying it (attribution), compared slot by slot.

No trustworthy NLI model ships for offline use (see DESIGN.md), so a disagreement is only reported when
the aligned variants of a fact hold comparable slots with incompatible values: a count of the same thing
("12 people killed" vs "15 dead"), a date of the same granularity and role, or the same main predicate
affirmed by one source and negated by another. A false alarm costs more trust than a miss: variants that
omit a slot, count different things, or come from one syndication group (one voice) never disagree, and
any ambiguity (two counts of one kind in a sentence, two dates) drops the slot.

Names: two variants that say the same thing but for one name of a kind (a person, an organisation, a
place), where neither article names the other's choice anywhere. Quotations: the same quotation (one
speaker, most words shared) whose wordings hold incompatible figures, a negation the other lacks, or a
different name; and the same words given by two sources to two different people, each named in its
attribution.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Any, Protocol

from rapidfuzz import fuzz

from storyweave.analyse.names import name_key
from storyweave.analyse.numbers import (
    CUES,
    CURRENCY_SYMBOLS,
    MULTIPLIERS,
    SMALL,
    STOP_WORDS,
    TENS,
    VAGUE,
    Quantity,
    consistent,
    find_numbers,
    lemma,
)
from storyweave.compose.quotes import group_quotes
from storyweave.model import (
    AnalysedArticle,
    Disagreement,
    Entity,
    Fact,
    Mention,
    Quote,
    Story,
    TimeRef,
    ValueSources,
)
from storyweave.thresholds import (
    ATTRIBUTION_MIN_WORDS,
    ATTRIBUTION_SIMILARITY,
    DATE_SIMILARITY,
    NAME_SIMILARITY,
    NEGATION_SIMILARITY,
)

__all__ = ["EntityLookup", "find_disagreements"]

KIND_ORDER = {"date": 0, "number": 1, "negation": 2, "name": 3, "quote-wording": 4, "attribution": 5}
# Context words looked at on each side of a quantity when deciding what it counts.
CONTEXT_WINDOW = 6
# Mention labels whose text is a name: a number inside one ("Apollo 11", "the 2016 election") is no count.
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}

# What a count of people is a count of. Two counts with different roles are different slots
# ("12 killed" vs "40 injured") even in one aligned fact.
ROLE_WORDS: dict[str, frozenset[str]] = {
    "death": frozenset({"kill", "kills", "killed", "killing", "dead", "death", "deaths", "die", "dies",
                        "died", "dying", "fatality", "fatalities", "perish", "perished", "toll", "lives",
                        "bodies", "victims", "victim"}),
    "injury": frozenset({"injure", "injures", "injured", "injuring", "injury", "injuries", "wound",
                         "wounds", "wounded", "hurt"}),
    "missing": frozenset({"missing", "unaccounted"}),
    "arrest": frozenset({"arrest", "arrests", "arrested", "detain", "detained", "detention", "custody"}),
    "displacement": frozenset({"displace", "displaced", "evacuate", "evacuated", "evacuees",
                               "evacuation", "homeless", "flee", "fled", "fleeing"}),
    "rescue": frozenset({"rescue", "rescued"}),
    "casualty": frozenset({"casualty", "casualties"}),
}  # fmt: skip
ROLE_PHRASES = {
    "death": "people killed", "injury": "people injured", "missing": "people missing",
    "arrest": "people arrested", "displacement": "people displaced", "rescue": "people rescued",
    "casualty": "casualties",
}  # fmt: skip
# Units that, in a casualty role, all count people: "12 killed", "15 dead", "12 victims", "12 people".
PERSON_UNITS = {None, "person", "killed", "dead", "died", "injured", "wounded", "hurt", "missing",
                "arrested", "detained", "displaced", "evacuated", "rescued", "death", "fatality",
                "casualty", "victim", "life", "body", "evacuee"}  # fmt: skip
# Verbs of saying carry no content for comparing contexts.
REPORTING_WORDS = {"said", "says", "say", "told", "tell", "according", "reported", "report", "reports",
                   "added", "stated", "announced", "confirmed", "claimed"}  # fmt: skip
NUMBER_WORDS = set(SMALL) | set(TENS) | set(MULTIPLIERS) | set(VAGUE)
CUE_WORDS = {w for cue in CUES for w in cue.split()}
CURRENCY_CODES = set(CURRENCY_SYMBOLS.values()) | {"CNY", "RUB"}
MEASURE_NAMES = {"km": "distance", "m": "distance", "cm": "length", "mm": "length", "mile": "distance",
                 "foot": "length", "kg": "weight", "g": "weight", "tonne": "weight", "ton": "weight",
                 "lb": "weight", "mph": "speed", "kph": "speed", "degree": "temperature",
                 "magnitude": "magnitude"}  # fmt: skip

# Unit keys too general to pair two figures without shared context: people in general, shares, ages and
# durations ("lasted three weeks" and "in the past two weeks" are different spans).
UNCOUNTABLE_KEYS = {"person", "%", "percentage point", "year-old", "year", "month", "week", "day", "hour",
                    "minute", "second", "decade", "century", "time"}  # fmt: skip

# Time-expression roles: "since 2019" and "in 2019" are different slots.
TIME_ROLES = {"since": "since", "from": "since", "until": "until", "till": "until", "by": "until",
              "before": "until", "after": "after"}  # fmt: skip

# Negation: cheap cue pre-filter, then spaCy's dependency parse of the main predicate.
_NEG_CUE_RE = re.compile(
    r"\b(?:not|never|no|none|nobody|nothing|neither|nor|cannot|den(?:y|ies|ied|ying))\b|n['’]t\b",
    re.IGNORECASE,
)
_NEG_CLEAN_RE = re.compile(
    r"\b(?:not|never|no|none|nobody|nothing|neither|nor|cannot|den(?:y|ies|ied|ying)|"
    r"do|does|did|has|have|had|that)\b|n['’]t\b",
    re.IGNORECASE,
)
REPORTING_LEMMAS = {"say", "tell", "report", "announce", "state", "add", "claim", "insist", "explain",
                    "note", "write", "confirm", "admit", "acknowledge"}  # fmt: skip
DENY_LEMMAS = {"deny"}
AFFIRM_LEMMAS = {"confirm", "admit", "acknowledge"}
NEGATIVE_WORDS = {"nobody", "nothing", "none", "no-one", "neither"}
SUBJECT_OBJECT_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "dative"}

_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’]*")
_CLAUSE_RE = re.compile(r"[,;:()\[\]—–]|\s-\s")


class EntityLookup(Protocol):
    """What the name and quotation checks need from entity reconciliation (an ``EntityIndex``)."""

    def lookup(self, article_id: str, name: str) -> Entity | None: ...


def find_disagreements(
    facts: list[Fact],
    docs: dict[str, AnalysedArticle],
    story: Story,
    entities: EntityLookup | None = None,
) -> list[Disagreement]:
    """Disagreements among the variants of each fact and among the story's quotations, in fact order.

    Only facts backed by at least two syndication groups can disagree, and each reported value must be
    held by a different group than a value it conflicts with. ``entities`` resolves names as written to
    reconciled entities (spelling variants of one person are one name); without it names are compared
    by their normalised key.
    """
    parser = _Parser()
    names = _Names(entities)
    found: list[tuple[int, int, Disagreement]] = []
    negation_candidates: list[tuple[int, Fact, list[_Variant]]] = []
    for order, fact in enumerate(facts):
        variants = _variants(fact, docs, story)
        if story.independent({v.source for v in variants}) < 2:
            continue
        found.extend((order, KIND_ORDER["date"], d) for d in _date_disagreements(fact, variants, parser))
        found.extend((order, KIND_ORDER["number"], d) for d in _number_disagreements(fact, variants))
        found.extend((order, KIND_ORDER["name"], d) for d in _name_disagreements(fact, variants, names))
        if _negation_pairs(variants):
            negation_candidates.append((order, fact, variants))
    if negation_candidates:
        found.extend(_negation_disagreements(negation_candidates, parser))
    # a quotation's number, negation or name conflict already reported for its sentences is not repeated
    covered = {
        (d.fact_id, frozenset(s for v in d.values for s in v.sources))
        for _, _, d in found
        if d.kind in ("number", "negation", "name")
    }
    for item in _quote_disagreements(facts, docs, story, names, parser):
        held = frozenset(s for v in item[2].values for s in v.sources)
        if item[2].kind == "attribution" or not any(f == item[2].fact_id and held <= c for f, c in covered):
            found.append(item)
    # who said it: an attribution conflict explains a name conflict between the same sources on its fact
    attributions = {
        (d.fact_id, frozenset(s for v in d.values for s in v.sources))
        for _, _, d in found
        if d.kind == "attribution"
    }
    found = [
        item
        for item in found
        if item[2].kind != "name"
        or (item[2].fact_id, frozenset(s for v in item[2].values for s in v.sources)) not in attributions
    ]
    found.sort(key=lambda item: (item[0], item[1]))
    return [d for _, _, d in found]


# --------------------------------------------------------------------------------------------------
# Variants and their sentences


class _Parser:
    """spaCy parses of variant texts, loaded and run only when a date or negation check needs one."""

    def __init__(self) -> None:
        self._nlp: Any = None
        self._docs: dict[str, Any] = {}

    def parse_all(self, texts: Sequence[str]) -> None:
        todo = sorted({t for t in texts if t not in self._docs})
        if todo:
            if self._nlp is None:
                from storyweave.analyse.nlp import load_nlp

                self._nlp = load_nlp(("ner",))
            self._docs.update(zip(todo, self._nlp.pipe(todo), strict=True))

    def parse(self, text: str) -> Any:
        self.parse_all([text])
        return self._docs[text]

    def governing_verb(self, variant: _Variant, ref: TimeRef) -> str | None:
        """Lemma of the verb a time expression attaches to ("approved" in "approved ... on Monday")."""
        if variant.offset is None:
            return None
        doc = self.parse(variant.text)
        span = doc.char_span(ref.start - variant.offset, ref.end - variant.offset, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        token = span.root
        for _ in range(8):
            if token.pos_ in ("VERB", "AUX") and not any(t.i == token.i for t in span):
                return str(token.lemma_)
            if token.head.i == token.i:
                break
            token = token.head
        return None


@dataclass
class _Variant:
    source: str
    group: str
    text: str
    sentence_id: str
    doc: AnalysedArticle | None
    sentence_index: int | None
    offset: int | None  # offset of ``text`` in the article's cleaned text, when it can be located
    quantities: list[_Slot] = field(default_factory=list)


def _variants(fact: Fact, docs: dict[str, AnalysedArticle], story: Story) -> list[_Variant]:
    """The fact's variants, one per (source, text), in a stable order, tied to their sentences."""
    seen: set[tuple[str, str]] = set()
    out: list[_Variant] = []
    ordered = sorted(fact.variants, key=lambda v: (v.source, v.sentence_id or "", v.text))
    for variant in ordered:
        key = (variant.source, variant.text)
        if key in seen or not variant.text.strip():
            continue
        seen.add(key)
        article_id, index = variant.source, None
        if variant.sentence_id and "#" in variant.sentence_id:
            head, _, tail = variant.sentence_id.rpartition("#")
            if tail.isdigit():
                article_id, index = head, int(tail)
        doc = docs.get(article_id)
        out.append(
            _Variant(
                source=variant.source,
                group=story.group_of(variant.source),
                text=variant.text,
                sentence_id=variant.sentence_id or "",
                doc=doc,
                sentence_index=index,
                offset=_offset(doc, index, variant.text),
            )
        )
    return out


def _offset(doc: AnalysedArticle | None, index: int | None, text: str) -> int | None:
    if doc is None:
        return None
    if index is not None:
        for sentence in doc.sentences:
            if sentence.index == index:
                if doc.article.text[sentence.start : sentence.start + len(text)] == text:
                    return sentence.start
                break
    found = doc.article.text.find(text)
    return found if found >= 0 else None


def _sentence_mentions(variant: _Variant) -> list[Mention]:
    if variant.doc is None or variant.sentence_index is None:
        return []
    return [m for m in variant.doc.mentions if m.sentence_index == variant.sentence_index]


def _sentence_times(variant: _Variant) -> list[TimeRef]:
    if variant.doc is None or variant.sentence_index is None:
        return []
    return [t for t in variant.doc.times if t.sentence_index == variant.sentence_index]


# --------------------------------------------------------------------------------------------------
# Numbers


@dataclass
class _Slot:
    """A quantity of one variant with what it counts: unit key, casualty role, context words."""

    quantity: Quantity
    key: str | None
    role: str | None
    context: frozenset[str]
    label: str


def _number_disagreements(fact: Fact, variants: list[_Variant]) -> list[Disagreement]:
    for variant in variants:
        variant.quantities = _slots(variant)
    groups = {v.source: v.group for v in variants}
    texts = {v.source: v.doc.article.text for v in variants if v.doc is not None}
    everything: dict[str, list[_Slot]] = {}
    for variant in variants:
        everything.setdefault(variant.source, []).extend(variant.quantities)
    nodes = [(vi, qi) for vi, v in enumerate(variants) for qi in range(len(v.quantities))]
    parent = {node: node for node in nodes}

    def find(node: tuple[int, int]) -> tuple[int, int]:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in combinations(range(len(variants)), 2):
        if variants[a].source == variants[b].source:
            continue
        for qa, qb in _mutual_matches(variants[a].quantities, variants[b].quantities):
            ra, rb = find((a, qa)), find((b, qb))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    components: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for node in nodes:
        components.setdefault(find(node), []).append(node)
    out: list[Disagreement] = []
    for members in sorted(components.values()):
        if len(members) < 2 or len({vi for vi, _ in members}) < len(members):
            continue  # a slot holding two quantities of one sentence is ambiguous
        slots = [(variants[vi].source, variants[vi].quantities[qi]) for vi, qi in members]
        disagreement = _number_conflict(fact, slots, groups, everything, texts)
        if disagreement is not None:
            out.append(disagreement)
    return out


def _slots(variant: _Variant) -> list[_Slot]:
    """Quantities of a variant, minus those inside names or time expressions, with their context."""
    text = variant.text
    blocked: list[tuple[int, int]] = []
    if variant.offset is not None:
        end = variant.offset + len(text)
        for mention in _sentence_mentions(variant):
            if mention.label in NAME_LABELS and mention.start < end and variant.offset < mention.end:
                blocked.append((mention.start - variant.offset, mention.end - variant.offset))
        for ref in _sentence_times(variant):
            if ref.start < end and variant.offset < ref.end:
                blocked.append((ref.start - variant.offset, ref.end - variant.offset))
    quantities = [q for q in find_numbers(text) if not any(s < q.end and q.start < e for s, e in blocked)]
    spans = [(q.start, q.unit_end if q.unit_end is not None else q.end) for q in quantities]
    tokens = [(m.group().lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    slots = []
    for i, q in enumerate(quantities):
        start, end = spans[i]
        left = max((e for j, (_, e) in enumerate(spans) if j != i and e <= start), default=0)
        right = min((s for j, (s, _) in enumerate(spans) if j != i and s >= end), default=len(text))
        # the role may lie past another quantity ("Twelve people, including three children, were killed"),
        # but never in one ("40 injured, 12 people": "injured" belongs to the 40) nor past a semicolon
        others = [span for j, span in enumerate(spans) if j != i]
        outside = [t for t in tokens if not any(s <= t[1] and t[2] <= e for s, e in others)]
        stop_left = max([0, *(m.end() for m in re.finditer(";", text[:start]))])
        stop_right = min([len(text), *(end + m.start() for m in re.finditer(";", text[end:]))])
        before = [t[0] for t in outside if stop_left <= t[1] and t[2] <= start][-CONTEXT_WINDOW:]
        after = [t[0] for t in outside if end <= t[1] and t[2] <= stop_right][:CONTEXT_WINDOW]
        unit_words = [w.lower() for w in _TOKEN_RE.findall(q.unit_text or "")]
        role = _role(unit_words, before, after)
        key = "person" if role is not None and q.unit in PERSON_UNITS else q.unit
        # context words stop at clause punctuation: "the firm, worth $3bn, was fined" does not date the fine
        clause_left = max([left, *(m.end() for m in _CLAUSE_RE.finditer(text, left, start))])
        clause_right = min([right, *(m.start() for m in _CLAUSE_RE.finditer(text, end, right))])
        near = [t[0] for t in tokens if clause_left <= t[1] and t[2] <= start][-CONTEXT_WINDOW:]
        near += [t[0] for t in tokens if end <= t[1] and t[2] <= clause_right][:CONTEXT_WINDOW]
        context = frozenset(_stem(w) for w in near if _content(w))
        label = " ".join(q.text.split())
        if label[:1].isupper() and label[1:2].islower():
            label = label[0].lower() + label[1:]  # "Twelve people were killed": "twelve" in the note
        slots.append(_Slot(q, key, role, context, label))
    return slots


def _role(unit_words: list[str], before: list[str], after: list[str]) -> str | None:
    """The casualty role of a count: from its noun, else the nearest role word (after wins a tie)."""
    for word in unit_words:
        role = _role_of(word)
        if role is not None:
            return role
    best: tuple[int, int, str] | None = None
    for distance, word in enumerate(reversed(before)):
        role = _role_of(word)
        if role is not None:
            best = (distance, 1, role)
            break
    for distance, word in enumerate(after):
        role = _role_of(word)
        if role is not None:
            if best is None or (distance, 0) < best[:2]:
                best = (distance, 0, role)
            break
    return best[2] if best else None


def _role_of(word: str) -> str | None:
    for role, words in ROLE_WORDS.items():
        if word in words:
            return role
    return None


def _content(word: str) -> bool:
    return not (
        word in STOP_WORDS
        or word in NUMBER_WORDS
        or word in CUE_WORDS
        or word in REPORTING_WORDS
        or len(word) < 3
    )


def _stem(word: str) -> str:
    """A crude stem for context overlap ("killed"/"kills" -> "kill"); roles cover the irregular cases."""
    base = lemma(word)
    for suffix in ("ing", "ed"):
        if base.endswith(suffix) and len(base) - len(suffix) >= 3:
            return base[: -len(suffix)]
    return base


def _compatible(a: _Slot, b: _Slot) -> int:
    """How well two quantities fill one slot: 0 when they cannot be the same count."""
    if a.key != b.key:
        return 0
    if a.role is not None and b.role is not None:
        return 10 + len(a.context & b.context) if a.role == b.role else 0
    return len(a.context & b.context)


def _countable(key: str | None) -> bool:
    """A unit key that names counted things ("country", "job"), not people in general, money or measures."""
    if key is None or key in UNCOUNTABLE_KEYS:
        return False
    return not (key in CURRENCY_CODES or key in MEASURE_NAMES)


def _mutual_matches(left: list[_Slot], right: list[_Slot]) -> list[tuple[int, int]]:
    """Pairs of quantities that are each other's unique best slot partner."""

    def best(slots: list[_Slot], other: _Slot) -> int | None:
        scores = [_compatible(s, other) for s in slots]
        top = max(scores, default=0)
        if top == 0:
            # no shared context, but the one count of a specific noun on each side ("21 countries"); amounts,
            # shares and measures say too little without context ("fined $5m" vs "worth $3bn")
            same = [i for i, s in enumerate(slots) if s.key == other.key]
            if len(same) == 1 and _countable(other.key) and other.role is None:
                return same[0] if slots[same[0]].role is None else None
            return None
        if scores.count(top) > 1:
            return None
        return scores.index(top)

    pairs = []
    for i, slot in enumerate(left):
        j = best(right, slot)
        if j is not None and best(left, right[j]) == i:
            pairs.append((i, j))
    return pairs


@lru_cache(maxsize=64)
def _article_figures(text: str) -> list[Quantity]:
    return find_numbers(text)


def _number_conflict(
    fact: Fact,
    slots: list[tuple[str, _Slot]],
    groups: dict[str, str],
    everything: dict[str, list[_Slot]],
    texts: dict[str, str],
) -> Disagreement | None:
    """A number disagreement over one slot, or None when all values can be true at once."""
    by_source: dict[str, _Slot] = {}
    for source, slot in slots:
        held = by_source.get(source)
        if held is not None and not consistent(held.quantity, slot.quantity):
            return None  # one source states both values: not a disagreement between sources
        by_source.setdefault(source, slot)

    def echoes(source: str, other: _Slot) -> bool:
        """The source states the other's value elsewhere in its sentence ("rose to 15 from 12"), or the same
        figure of the same thing anywhere in its article (the alignment then paired the wrong sentence)."""
        return any(
            (s.key == other.key or s.quantity.unit is None) and consistent(s.quantity, other.quantity)
            for s in everything[source]
        ) or (
            other.role is None  # a bare "15 people" elsewhere may count the injured, not the dead
            and other.key not in (None, "person")
            and any(
                q.unit == other.quantity.unit and q.value == other.quantity.value
                for q in _article_figures(texts.get(source, ""))
            )
        )

    conflict = any(
        groups[a] != groups[b]
        and not consistent(by_source[a].quantity, by_source[b].quantity)
        and not echoes(a, by_source[b])
        and not echoes(b, by_source[a])
        for a, b in combinations(sorted(by_source), 2)
    )
    if not conflict:
        return None
    values: dict[tuple[float, str], tuple[str, list[str], Quantity]] = {}
    for source in sorted(by_source):
        q = by_source[source].quantity
        _label, sources, _ = values.setdefault((q.value, q.qualifier), (by_source[source].label, [], q))
        sources.append(source)
    ordered = sorted(values.values(), key=lambda v: (v[2].bounds(), v[2].value, v[0]))
    first = by_source[sorted(by_source)[0]]
    what = _what(first)
    labels = " vs ".join(label for label, _, _ in ordered)
    return Disagreement(
        fact_id=fact.id,
        kind="number",
        values=[ValueSources(value=label, sources=sources) for label, sources, _ in ordered],
        note=f"Sources differ on {what}: {labels}.",
    )


def _what(slot: _Slot) -> str:
    """What a slot counts, for the note: "the number of people killed", "the amount"."""
    key = slot.key
    if key == "person" and slot.role in ROLE_PHRASES:
        return f"the number of {ROLE_PHRASES[slot.role]}"
    if key == "%":
        return "the percentage"
    if key in CURRENCY_CODES:
        return "the amount"
    if key in MEASURE_NAMES:
        return f"the {MEASURE_NAMES[key]}"
    if key is None:
        return "a figure"
    noun = " ".join((slot.quantity.unit_text or key).split())
    if not noun.endswith("s"):
        noun = key + "s"
    return f"the number of {noun}"


# --------------------------------------------------------------------------------------------------
# Dates


def _date_disagreements(fact: Fact, variants: list[_Variant], parser: _Parser) -> list[Disagreement]:
    """Time expressions of one granularity and role that resolve to different dates in different groups.

    The two dates must also date the same event: the same governing verb ("approved ... on Monday" vs
    "approved ... on Tuesday"), or near-identical sentences. "Rescuers dug on Friday, a day after the
    quake" and "the quake struck on Thursday" agree.
    """
    # (granularity, role) -> source -> {value: (variant, time expression)}
    slots: dict[tuple[str, str], dict[str, dict[str, tuple[_Variant, TimeRef]]]] = {}
    for variant in variants:
        for ref in _sentence_times(variant):
            if ref.estimated or variant.doc is None:
                continue
            key = (ref.granularity, _time_role(variant.doc.article.text, ref))
            slots.setdefault(key, {}).setdefault(variant.source, {}).setdefault(ref.value, (variant, ref))
    out = []
    for (granularity, _role_name), by_source in sorted(slots.items()):
        if len(by_source) < 2 or any(len(values) > 1 for values in by_source.values()):
            continue  # omitted by all but one source, or two dates in one sentence: unsure
        holders: dict[str, list[str]] = {}
        held: dict[str, tuple[_Variant, TimeRef]] = {}
        for source in sorted(by_source):
            ((value, (variant, ref)),) = by_source[source].items()
            holders.setdefault(value, []).append(source)
            held[source] = (variant, ref)
        if len(holders) < 2:
            continue
        conflict = any(
            held[a][0].group != held[b][0].group and _same_event(held[a], held[b], parser)
            for va, vb in combinations(sorted(holders), 2)
            for a in holders[va]
            for b in holders[vb]
        )
        if not conflict:
            continue
        ordered = sorted(holders)
        described = " vs ".join(_date_label(v, held[holders[v][0]][1].text) for v in ordered)
        noun = "period" if granularity == "range" else "date"
        out.append(
            Disagreement(
                fact_id=fact.id,
                kind="date",
                values=[ValueSources(value=v, sources=holders[v]) for v in ordered],
                note=f"Sources differ on the {noun}: {described}.",
            )
        )
    return out


def _same_event(a: tuple[_Variant, TimeRef], b: tuple[_Variant, TimeRef], parser: _Parser) -> bool:
    """True when two dated sentences date the same thing: same governing verb, or near-identical text."""
    (va, ra), (vb, rb) = a, b
    text_a = _without(va, ra)
    text_b = _without(vb, rb)
    if fuzz.token_set_ratio(text_a, text_b, processor=_normalise) >= DATE_SIMILARITY:
        return True
    verb_a, verb_b = parser.governing_verb(va, ra), parser.governing_verb(vb, rb)
    return verb_a is not None and verb_a == verb_b


def _without(variant: _Variant, ref: TimeRef) -> str:
    """The variant's text with one time expression cut out."""
    if variant.offset is None:
        return variant.text
    start, end = ref.start - variant.offset, ref.end - variant.offset
    if not (0 <= start < end <= len(variant.text)):
        return variant.text
    return variant.text[:start] + " " + variant.text[end:]


def _time_role(article_text: str, ref: TimeRef) -> str:
    """'since', 'until', 'after' or 'at', from the preposition in or just before the expression."""
    first = ref.text.split()[0].lower() if ref.text.split() else ""
    if first in TIME_ROLES:
        return TIME_ROLES[first]
    before = re.search(r"([A-Za-z]+)\W*$", article_text[max(0, ref.start - 16) : ref.start])
    if before is not None and before.group(1).lower() in TIME_ROLES:
        return TIME_ROLES[before.group(1).lower()]
    return "at"


def _date_label(value: str, expression: str) -> str:
    written = " ".join(expression.split())
    return value if written == value else f'{value} ("{written}")'


# --------------------------------------------------------------------------------------------------
# Negation


def _negation_pairs(variants: Sequence[_Variant]) -> list[tuple[int, int]]:
    """Pairs (negated-looking, affirmed-looking) of close variants from different groups: cheap filter."""
    cued = [bool(_NEG_CUE_RE.search(v.text)) for v in variants]
    pairs = []
    for a, b in combinations(range(len(variants)), 2):
        if cued[a] == cued[b] or variants[a].group == variants[b].group:
            continue
        if _similarity(variants[a].text, variants[b].text) >= NEGATION_SIMILARITY:
            pairs.append((a, b))
    return pairs


def _similarity(a: str, b: str) -> float:
    clean_a = _NEG_CLEAN_RE.sub(" ", a)
    clean_b = _NEG_CLEAN_RE.sub(" ", b)
    return float(fuzz.token_set_ratio(clean_a, clean_b, processor=_normalise))


def _normalise(text: str) -> str:
    return " ".join(_stem(w) for w in _TOKEN_RE.findall(text.lower()))


@dataclass(frozen=True)
class _Claim:
    """The main predicate of a variant: its lemma, whether it is negated, and a short wording of it."""

    lemma: str
    negated: bool
    label: str


def _negation_disagreements(
    candidates: list[tuple[int, Fact, list[_Variant]]], parser: _Parser
) -> list[tuple[int, int, Disagreement]]:
    parser.parse_all([v.text for _, _, variants in candidates for v in variants])
    claims = {v.text: _claim(parser.parse(v.text)) for _, _, variants in candidates for v in variants}
    out = []
    for order, fact, variants in candidates:
        negated: dict[str, str] = {}
        affirmed: dict[str, str] = {}
        for a, b in _negation_pairs(variants):
            ca, cb = claims[variants[a].text], claims[variants[b].text]
            if ca is None or cb is None or ca.lemma != cb.lemma or ca.negated == cb.negated:
                continue
            for variant, claim in ((variants[a], ca), (variants[b], cb)):
                side = negated if claim.negated else affirmed
                side.setdefault(variant.source, claim.label)
        both = set(negated) & set(affirmed)
        for source in both:
            del negated[source], affirmed[source]
        groups = {v.source: v.group for v in variants}
        if not negated or not affirmed or not any(groups[n] != groups[a] for n in negated for a in affirmed):
            continue
        aff_sources, neg_sources = sorted(affirmed), sorted(negated)
        aff_label, neg_label = affirmed[aff_sources[0]], negated[neg_sources[0]]
        out.append(
            (
                order,
                KIND_ORDER["negation"],
                Disagreement(
                    fact_id=fact.id,
                    kind="negation",
                    values=[
                        ValueSources(value=aff_label, sources=aff_sources),
                        ValueSources(value=neg_label, sources=neg_sources),
                    ],
                    note=f'One account negates what another states: "{aff_label}" vs "{neg_label}".',
                ),
            )
        )
    return out


def _claim(doc: Any) -> _Claim | None:
    """Main predicate of the first sentence, looking through verbs of saying ("police said no one died")."""
    sentence = next(iter(doc.sents), None)
    if sentence is None:
        return None
    predicate = sentence.root
    denied = False
    for _ in range(4):
        if _negated(predicate):
            break
        complement = next((c for c in predicate.children if c.dep_ == "ccomp"), None)
        if predicate.lemma_ in DENY_LEMMAS:
            if complement is None:
                return _Claim("confirm", True, _wording(predicate))
            denied, predicate = True, complement
            break
        if predicate.lemma_ in REPORTING_LEMMAS and complement is not None:
            predicate = complement
            continue
        break
    negated = _negated(predicate) != denied
    key = "confirm" if predicate.lemma_ in AFFIRM_LEMMAS else predicate.lemma_
    label = _wording(predicate)
    return _Claim(key, negated, f"denied that {label}" if denied else label)


def _negated(token: Any) -> bool:
    """A "not"/"never" on the predicate, or a "no"/"nobody" subject or object ("no one was hurt")."""
    for child in token.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in SUBJECT_OBJECT_DEPS and (
            child.lower_ in NEGATIVE_WORDS
            or any(g.dep_ == "det" and g.lower_ == "no" for g in child.children)
        ):
            return True
    return False


def _wording(predicate: Any) -> str:
    """Subject, auxiliaries, negation and the predicate itself, in sentence order."""
    tokens = {predicate}
    for child in predicate.children:
        if child.dep_ in ("aux", "auxpass", "neg"):
            tokens.add(child)
        elif child.dep_ in ("nsubj", "nsubjpass"):
            subtree = list(child.subtree)
            if len(subtree) <= 6:
                tokens.update(subtree)
            else:
                tokens.add(child)
    ordered = sorted(tokens, key=lambda t: t.i)
    return str("".join(t.text_with_ws for t in ordered[:-1]) + ordered[-1].text)


# --------------------------------------------------------------------------------------------------
# Names

# What kind of name a mention label is; two names can only compete for one slot within a kind.
NAME_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place"}


class _Names:
    """Names as written resolved to one key per real-world entity (reconciled when an index is given)."""

    def __init__(self, entities: EntityLookup | None) -> None:
        self._entities = entities

    def entity(self, article_id: str, name: str) -> Entity | None:
        return self._entities.lookup(article_id, name) if self._entities is not None else None

    def key(self, article_id: str, name: str) -> str:
        entity = self.entity(article_id, name)
        return entity.id if entity is not None else "name:" + " ".join(name_key(name))

    def label(self, article_id: str, name: str, doc: AnalysedArticle | None) -> str | None:
        """The entity type of a name (its reconciled type, else the label of a mention of it)."""
        entity = self.entity(article_id, name)
        if entity is not None:
            return entity.type
        key = name_key(name)
        if doc is not None:
            for mention in doc.mentions:
                if name_key(mention.name) == key:
                    return mention.label
        return None


@dataclass(frozen=True)
class _Named:
    """A name inside a text: its kind, entity key, the mention, and its offsets relative to the text."""

    kind: str
    key: str
    mention: Mention
    start: int
    end: int


def _names_in(doc: AnalysedArticle | None, start: int | None, end: int, names: _Names) -> list[_Named]:
    """Names of a kind in NAME_KINDS mentioned between two offsets of the article's text."""
    if doc is None or start is None:
        return []
    found = []
    for m in doc.mentions:
        if m.label in NAME_KINDS and start <= m.start and m.end <= end:
            found.append(_Named(NAME_KINDS[m.label], names.key(doc.id, m.name), m, m.start - start,
                                m.end - start))  # fmt: skip
    return found


def _article_keys(doc: AnalysedArticle | None, names: _Names) -> set[str]:
    return {names.key(doc.id, m.name) for m in doc.mentions} if doc is not None else set()


def _masked(text: str, named: Sequence[_Named], key: str) -> str:
    """The text with every mention of one entity replaced by a placeholder."""
    out = text
    for n in sorted((n for n in named if n.key == key), key=lambda n: -n.start):
        out = out[: n.start] + " @ " + out[n.end :]
    return out


def _swapped_name(
    text_a: str,
    named_a: list[_Named],
    known_a: set[str],
    text_b: str,
    named_b: list[_Named],
    known_b: set[str],
) -> tuple[_Named, _Named] | None:
    """The one name of a kind that each text has and the other lacks, when the texts otherwise match and
    neither article names the other's choice anywhere (it would then be another person, not a swap)."""
    keys_a = {n.key for n in named_a}
    keys_b = {n.key for n in named_b}
    for kind in sorted({n.kind for n in named_a} & {n.kind for n in named_b}):
        only_a = sorted({n.key for n in named_a if n.kind == kind} - keys_b)
        only_b = sorted({n.key for n in named_b if n.kind == kind} - keys_a)
        if len(only_a) != 1 or len(only_b) != 1:
            continue
        ka, kb = only_a[0], only_b[0]
        if ka in known_b or kb in known_a:
            continue
        masked_a = _normalise(_masked(text_a, named_a, ka))
        masked_b = _normalise(_masked(text_b, named_b, kb))
        if fuzz.token_set_ratio(masked_a, masked_b) < NAME_SIMILARITY:
            continue
        first_a = next(n for n in named_a if n.key == ka)
        first_b = next(n for n in named_b if n.key == kb)
        if _one_name_inside_the_other(first_a.mention.name, first_b.mention.name):
            continue  # "Sydney" and "Sydney beach": one name inside the other is no swap
        return first_a, first_b
    return None


def _name_disagreements(fact: Fact, variants: list[_Variant], names: _Names) -> list[Disagreement]:
    """Variants of different groups that name a different person, organisation or place in one role."""
    named = [
        _names_in(v.doc, v.offset, (v.offset or 0) + len(v.text), names) for v in variants
    ]
    known = {v.source: _article_keys(v.doc, names) for v in variants}
    # kind -> entity key -> (name as first written, sources)
    sides: dict[str, dict[str, tuple[str, set[str]]]] = {}
    for a, b in combinations(range(len(variants)), 2):
        va, vb = variants[a], variants[b]
        if va.group == vb.group or va.source == vb.source:
            continue
        swap = _swapped_name(va.text, named[a], known[va.source], vb.text, named[b], known[vb.source])
        if swap is None:
            continue
        for variant, n in ((va, swap[0]), (vb, swap[1])):
            held = sides.setdefault(n.kind, {}).setdefault(n.key, (n.mention.name, set()))
            held[1].add(variant.source)
    out = []
    for kind in sorted(sides):
        values = sorted(sides[kind].values(), key=lambda v: (sorted(v[1]), v[0]))
        labels = " vs ".join(name for name, _ in values)
        out.append(
            Disagreement(
                fact_id=fact.id,
                kind="name",
                values=[ValueSources(value=name, sources=sorted(srcs)) for name, srcs in values],
                note=f"Sources name a different {kind} here: {labels}.",
            )
        )
    return out


# --------------------------------------------------------------------------------------------------
# Quotations: wording and attribution


@dataclass
class _Said:
    """One quotation with what the checks need: speaker key and kind, whether the cue names the speaker."""

    quote: Quote
    group: str
    speaker: str | None  # entity key
    speaker_name: str | None  # canonical name for notes
    person: bool
    direct: bool
    words: int
    norm: str
    named: list[_Named]
    doc: AnalysedArticle | None


def _said(quote: Quote, doc: AnalysedArticle | None, story: Story, names: _Names) -> _Said:
    speaker = quote.speaker
    key = names.key(quote.article_id, speaker) if speaker else None
    entity = names.entity(quote.article_id, speaker) if speaker else None
    label = names.label(quote.article_id, speaker, doc) if speaker else None
    cue = (quote.cue or "").casefold()
    direct = bool(speaker) and any(t.casefold() in cue for t in name_key(speaker or "") if len(t) > 2)
    return _Said(
        quote=quote,
        group=story.group_of(quote.article_id),
        speaker=key,
        speaker_name=entity.name if entity is not None else speaker,
        person=label == "PERSON",
        direct=direct,
        words=len(_TOKEN_RE.findall(quote.text)),
        norm=_normalise(quote.text),
        named=_names_in(doc, quote.start, quote.end, names),
        doc=doc,
    )


def _quote_disagreements(
    facts: list[Fact],
    docs: dict[str, AnalysedArticle],
    story: Story,
    names: _Names,
    parser: _Parser,
) -> list[tuple[int, int, Disagreement]]:
    """Quote-wording and attribution conflicts between quotations of different syndication groups."""
    fact_of: dict[str, tuple[int, Fact]] = {}
    for order, fact in enumerate(facts):
        for variant in fact.variants:
            if variant.sentence_id:
                fact_of.setdefault(variant.sentence_id, (order, fact))
    said = [
        _said(q, docs.get(q.article_id), story, names)
        for article_id in sorted(docs)
        if article_id in story.article_ids or not story.article_ids
        for q in docs[article_id].quotes
        if q.text.strip()
    ]
    out: list[tuple[int, int, Disagreement]] = []
    # wording: pairs within one quote group (the grouping the brief shows) from different outlet groups
    speaker_of = {id(s.quote): s.speaker_name for s in said}
    wording: dict[tuple[int, int], str] = {}
    for group in group_quotes([s.quote for s in said], lambda q: speaker_of.get(id(q))):
        members = sorted(
            i
            for i, s in enumerate(said)
            if s.speaker_name == group.speaker or s.speaker is None
            if any(v.source == s.quote.article_id and v.text == s.quote.raw_text for v in group.variants)
        )
        for i, j in combinations(members, 2):
            a, b = said[i], said[j]
            if a.group != b.group and a.quote.article_id != b.quote.article_id:
                what = _wording_conflict(a, b, names, parser)
                if what is not None:
                    wording[(i, j)] = what
    # attribution: the same words given to two different people, each named in its attribution
    attributed: list[tuple[int, int]] = []
    for i, j in combinations(range(len(said)), 2):
        a, b = said[i], said[j]
        if (
            a.group != b.group
            and a.speaker is not None
            and b.speaker is not None
            and a.speaker != b.speaker
            and a.person
            and b.person
            and a.direct
            and b.direct
            and min(a.words, b.words) >= ATTRIBUTION_MIN_WORDS
            and fuzz.ratio(a.norm, b.norm) >= ATTRIBUTION_SIMILARITY
            and not _one_name_inside_the_other(a.speaker_name, b.speaker_name)
        ):
            attributed.append((i, j))

    def place(members: Sequence[_Said]) -> tuple[int, Fact] | None:
        found = [
            fact_of[sid]
            for m in members
            if (sid := f"{m.quote.article_id}#{m.quote.sentence_index}") in fact_of
        ]
        return min(found, key=lambda f: f[0]) if found else None

    for (i, j), what in sorted(wording.items()):
        where = place([said[i], said[j]])
        if where is None:
            continue
        pair = sorted((said[i], said[j]), key=lambda s: s.quote.article_id)
        speaker = pair[0].speaker_name or pair[1].speaker_name or "the speaker"
        disagreement = Disagreement(
            fact_id=where[1].id,
            kind="quote-wording",
            values=[
                ValueSources(value=s.quote.raw_text.strip(" ,;:"), sources=[s.quote.article_id]) for s in pair
            ],
            note=f"Sources quote {speaker} differently: {what}.",
        )
        out.append((where[0], KIND_ORDER["quote-wording"], disagreement))
    for i, j in attributed:
        where = place([said[i], said[j]])
        if where is None:
            continue
        pair = sorted((said[i], said[j]), key=lambda s: s.quote.article_id)
        words = pair[0].quote.text.split()
        shown = " ".join(words[:12]) + ("…" if len(words) > 12 else "")
        disagreement = Disagreement(
            fact_id=where[1].id,
            kind="attribution",
            values=[ValueSources(value=s.speaker_name or "", sources=[s.quote.article_id]) for s in pair],
            note=f'Sources attribute the same words ("{shown}") to different people: '
            f"{pair[0].speaker_name} vs {pair[1].speaker_name}.",
        )
        out.append((where[0], KIND_ORDER["attribution"], disagreement))
    return out


def _as_written(quantity: Quantity) -> str:
    """A figure with its counted noun, as the quotation words it ("3,000 jobs")."""
    words = " ".join(quantity.text.split())
    return f"{words} {' '.join(quantity.unit_text.split())}" if quantity.unit_text else words


def _one_name_inside_the_other(a: str | None, b: str | None) -> bool:
    """ "Peskov" and "Dmitry Peskov": a short form of one name, not two people."""
    tokens_a, tokens_b = set(name_key(a or "")), set(name_key(b or ""))
    return bool(tokens_a and tokens_b) and (tokens_a <= tokens_b or tokens_b <= tokens_a)


def _wording_conflict(a: _Said, b: _Said, names: _Names, parser: _Parser) -> str | None:
    """What differs materially between two wordings of one quotation: a figure, a negation or a name.

    Rewordings and translations ("a devil's deal" / "a diabolical deal") and trimmed versions are not
    conflicts: only a slot both wordings fill with incompatible values is.
    """
    left, right = find_numbers(a.quote.text), find_numbers(b.quote.text)
    for unit in sorted({q.unit or "" for q in left} & {q.unit or "" for q in right}):
        ql = [q for q in left if (q.unit or "") == unit]
        qr = [q for q in right if (q.unit or "") == unit]
        if unit == "" and (len(left) != 1 or len(right) != 1):
            continue  # bare figures are comparable only when each wording holds exactly one
        if len(ql) == 1 and len(qr) == 1 and not consistent(ql[0], qr[0]):
            return f"{_as_written(ql[0])} vs {_as_written(qr[0])}"
    cued_a, cued_b = bool(_NEG_CUE_RE.search(a.quote.text)), bool(_NEG_CUE_RE.search(b.quote.text))
    if cued_a != cued_b and _similarity(a.quote.text, b.quote.text) >= NEGATION_SIMILARITY:
        ca, cb = _claim(parser.parse(a.quote.text)), _claim(parser.parse(b.quote.text))
        if ca is not None and cb is not None and ca.lemma == cb.lemma and ca.negated != cb.negated:
            return f'"{ca.label}" vs "{cb.label}"'
    swap = _swapped_name(
        a.quote.text, a.named, _article_keys(a.doc, names), b.quote.text, b.named, _article_keys(b.doc, names)
    )
    if swap is not None:
        return f"{swap[0].mention.name} vs {swap[1].mention.name}"
    return None
