"""Where the sources of one fact disagree: numbers, dates and negation, compared slot by slot.

No trustworthy NLI model ships for offline use (see DESIGN.md), so a disagreement is only reported when
the aligned variants of a fact hold comparable slots with incompatible values: a count of the same thing
("12 people killed" vs "15 dead"), a date of the same granularity and role, or the same main predicate
affirmed by one source and negated by another. A false alarm costs more trust than a miss: variants that
omit a slot, count different things, or come from one syndication group (one voice) never disagree, and
any ambiguity (two counts of one kind in a sentence, two dates) drops the slot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from rapidfuzz import fuzz

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
from storyweave.model import (
    AnalysedArticle,
    Disagreement,
    Fact,
    Mention,
    Story,
    TimeRef,
    ValueSources,
)
from storyweave.thresholds import DATE_SIMILARITY, NEGATION_SIMILARITY

__all__ = ["find_disagreements"]

KIND_ORDER = {"date": 0, "number": 1, "negation": 2}
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


def find_disagreements(
    facts: list[Fact], docs: dict[str, AnalysedArticle], story: Story
) -> list[Disagreement]:
    """Number, date and negation disagreements among the variants of each fact, in fact order.

    Only facts backed by at least two syndication groups can disagree, and each reported value must be
    held by a different group than a value it conflicts with.
    """
    parser = _Parser()
    found: list[tuple[int, int, Disagreement]] = []
    negation_candidates: list[tuple[int, Fact, list[_Variant]]] = []
    for order, fact in enumerate(facts):
        variants = _variants(fact, docs, story)
        if story.independent({v.source for v in variants}) < 2:
            continue
        found.extend((order, KIND_ORDER["date"], d) for d in _date_disagreements(fact, variants, parser))
        found.extend((order, KIND_ORDER["number"], d) for d in _number_disagreements(fact, variants))
        if _negation_pairs(variants):
            negation_candidates.append((order, fact, variants))
    if negation_candidates:
        found.extend(_negation_disagreements(negation_candidates, parser))
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
        disagreement = _number_conflict(fact, slots, groups, everything)
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


def _mutual_matches(left: list[_Slot], right: list[_Slot]) -> list[tuple[int, int]]:
    """Pairs of quantities that are each other's unique best slot partner."""

    def best(slots: list[_Slot], other: _Slot) -> int | None:
        scores = [_compatible(s, other) for s in slots]
        top = max(scores, default=0)
        if top == 0 or scores.count(top) > 1:
            return None
        return scores.index(top)

    pairs = []
    for i, slot in enumerate(left):
        j = best(right, slot)
        if j is not None and best(left, right[j]) == i:
            pairs.append((i, j))
    return pairs


def _number_conflict(
    fact: Fact,
    slots: list[tuple[str, _Slot]],
    groups: dict[str, str],
    everything: dict[str, list[_Slot]],
) -> Disagreement | None:
    """A number disagreement over one slot, or None when all values can be true at once."""
    by_source: dict[str, _Slot] = {}
    for source, slot in slots:
        held = by_source.get(source)
        if held is not None and not consistent(held.quantity, slot.quantity):
            return None  # one source states both values: not a disagreement between sources
        by_source.setdefault(source, slot)

    def echoes(source: str, other: _Slot) -> bool:
        """The source states the other's value elsewhere in its sentence ("rose to 15 from 12")."""
        return any(
            (s.key == other.key or s.quantity.unit is None) and consistent(s.quantity, other.quantity)
            for s in everything[source]
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
