"""Claims of one sentence from its dependency parse: one per asserted clause, with attribution stripped.

"Peskov said the deal was final and talks would continue" holds two claims ("the deal was final", "talks
would continue"), both attributed to the speaker Peskov; "according to the Times" and "the Times reported"
make the claim a citation of an outlet, never a claim about the Times. Each claim keeps its predicate lemma
(the complement head for a copula), subject/object heads, negation, modality or hedge, and tense.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storyweave.analyse.names import normalise_name
from storyweave.analyse.nlp import doc_ents
from storyweave.analyse.sentences import tense_of
from storyweave.model import Claim, Quote
from storyweave.text.lexicon import (
    BELIEF_LEMMAS,
    CITATION_LEMMAS,
    DENY_LEMMAS,
    DOCUMENT_NOUNS,
    HEDGE_ADVERBS,
    INTENT_LEMMAS,
    MEDIA_NOUNS,
    MEDIA_WORDS,
    MODAL_LEMMAS,
    NEGATION_WORDS,
    SPEECH_LEMMAS,
    STATUS_PHRASES,
    STATUS_WORDS,
)

__all__ = ["claims_in", "is_outlet", "join_tokens"]

PREDICATE_POS = frozenset({"VERB", "AUX"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "expl")
OBJECT_DEPS = ("dobj", "dative", "oprd", "attr", "acomp", "pobj")
COPULA_COMPLEMENTS = ("attr", "acomp", "oprd")
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "WORK_OF_ART", "EVENT", "PRODUCT"})
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it"})
# Share of a claim's characters that must lie inside a quotation for the claim to be the speaker's words.
QUOTED_SHARE = 0.6


@dataclass(frozen=True)
class Source:
    """Who a clause is attributed to: ``kind`` is "speaker" or "citation" (see model.AttributionKind)."""

    kind: str
    name: str | None
    speaker: str | None = None  # for a citation that also names who spoke ("X told CNN")


def is_outlet(span_tokens: list[Any]) -> bool:
    """True when a noun phrase names a publication: a name holding a media word ("The Times", "CNN",
    "Yonhap news agency") or a media noun as its head ("the newspaper")."""
    words = [t for t in span_tokens if not t.is_punct and t.pos_ != "DET"]
    if not words:
        return False
    head = words[-1]
    if (head.lemma_.lower() in MEDIA_NOUNS or head.lower_ in MEDIA_NOUNS) and head.pos_ == "NOUN":
        return True
    if any(t.like_url or t.lower_.endswith((".com", ".co.uk")) for t in words):
        return True  # a news site by its address ("TMZ.com")
    named = any(t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "WORK_OF_ART") for t in words)
    if named and head.lower_ in MEDIA_WORDS:
        return True  # "The Valmora Gazette", even when NER calls it a person
    return (
        named
        and any(t.lower_ in MEDIA_WORDS for t in words)
        and not any(t.ent_type_ == "PERSON" for t in words)
    )


def _phrase(token: Any) -> list[Any]:
    """The noun phrase of ``token`` without relative clauses, appositions' clauses and punctuation."""
    drop: set[int] = set()
    for child in token.children:
        if child.dep_ in ("relcl", "acl", "punct", "cc", "conj", "appos"):
            drop.update(t.i for t in child.subtree)
    return sorted((t for t in token.subtree if t.i not in drop and not t.is_punct), key=lambda t: t.i)


def _name_of(token: Any) -> str | None:
    """A noun phrase's name: the named entity it heads or stands in apposition to, else its words."""
    for cand in [token, *(c for c in token.children if c.dep_ in ("appos", "compound"))]:
        if cand.ent_type_ in NAME_LABELS:
            doc = cand.doc
            ent = next((e for e in doc_ents(doc) if e.start <= cand.i < e.end), None)
            if ent is not None:
                return normalise_name(ent.text) or ent.text
    words = _phrase(token)
    if words and words[0].pos_ == "DET" and words[0].lower_ != "the":
        words = words[1:]
    return join_tokens(words) or None


def join_tokens(tokens: list[Any]) -> str:
    """Tokens as written, with one space where the sentence had other words between two of them."""
    parts: list[str] = []
    for n, token in enumerate(tokens):
        parts.append(token.text)
        if n + 1 < len(tokens):
            adjacent = tokens[n + 1].i == token.i + 1
            parts.append(token.whitespace_ if adjacent else " ")
    return "".join(parts).strip()


def _head_of(token: Any) -> str:
    """Lower-cased lemma of a head noun, or its entity's normalised name when it is part of one."""
    if token.ent_type_ in NAME_LABELS and token.pos_ == "PROPN":
        ent = next((e for e in doc_ents(token.doc) if e.start <= token.i < e.end), None)
        if ent is not None:
            return normalise_name(ent.text) or ent.text
    for child in token.children:
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            return _head_of(child)
    lemma = str(token.lemma_.lower())
    # spaCy keeps "people" as its own lemma; numbers.py counts "person": one key for both slots
    return "person" if lemma == "people" else lemma


def _outlet(token: Any) -> Any:
    """The token naming an outlet in a noun phrase: the phrase itself ("the Times"), its possessor
    ("CNN's Jake Tapper"), or the outlet a person is "of"/"at"/"with" ("Ken Rosenthal of Fox Sports")."""
    if is_outlet(_phrase(token)):
        return token
    for child in token.children:
        if child.dep_ == "poss" and is_outlet(_phrase(child)):
            return child
        if child.dep_ == "prep" and child.lower_ in ("of", "at", "with", "for"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None and is_outlet(_phrase(pobj)):
                return pobj
    return None


def _document_source(token: Any) -> Any:
    """What a document noun comes from: "information received from Telstra" -> Telstra, "a report in
    the Times" -> the Times; any other noun is its own source."""
    if token.lemma_.lower() not in DOCUMENT_NOUNS:
        return token
    for node in token.subtree:
        if node.dep_ == "prep" and node.lower_ in ("from", "by", "of", "in") and node.i > token.i:
            pobj = next((g for g in node.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("PROPN", "NOUN"):
                return pobj
    return token


def _attribution(verb: Any, recent_person: str | None) -> Source:
    """Who a speech/report verb attributes its complement to: its subject, or an outlet it cites."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    told = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "with"):
            told.extend(g for g in child.children if g.dep_ == "pobj")
    speaker: str | None = None
    if subject is not None:
        outlet = _outlet(subject)
        if outlet is not None and verb.lemma_.lower() in CITATION_LEMMAS:
            reporter = _name_of(subject) if outlet.i != subject.i else None
            return Source("citation", _name_of(outlet), speaker=reporter)
        speaker = _name_of(subject)
        if subject.lower_ in PRONOUNS and recent_person is not None:
            speaker = recent_person
    for obj in told:
        outlet = _outlet(obj)
        if outlet is not None:
            return Source("citation", _name_of(outlet), speaker=speaker)
    return Source("speaker", speaker)


def _according(span: Any) -> tuple[Source | None, set[int]]:
    """An "according to X" / "as reported by X" in a sentence: its source and its tokens (with the commas
    that set it off). News style scopes it over the whole sentence ("A, and B, according to police")."""
    for token in span:
        if token.lower_ not in ("according", "as", "per") or token.dep_ not in ("prep", "advcl", "advmod"):
            continue
        if token.lower_ == "as" and not any(
            t.lower_ in ("reported", "quoted", "cited") for t in token.subtree
        ):
            continue
        pobj = next((t for t in token.subtree if t.dep_ == "pobj"), None)
        if pobj is None:
            continue
        tokens = {t.i for t in token.subtree}
        doc = token.doc
        for t in (doc[min(tokens) - 1 : min(tokens)], doc[max(tokens) + 1 : max(tokens) + 2]):
            tokens.update(x.i for x in t if x.is_punct and x.text in ",;")
        source = _document_source(pobj)
        outlet = _outlet(source)
        if outlet is not None:
            return Source("citation", _name_of(outlet)), tokens
        return Source("speaker", _name_of(source)), tokens
    return None, set()


def _is_frame(token: Any) -> bool:
    """A verb of saying or believing whose complement clause is what is claimed ("X said (that) Y")."""
    lemma = token.lemma_.lower()
    return (lemma in SPEECH_LEMMAS or lemma in BELIEF_LEMMAS) and any(map(_is_complement, token.children))


def _is_complement(token: Any) -> bool:
    """The reported clause of a verb of saying: "said (that) Y", or "Y, X said" parsed as parataxis."""
    return token.dep_ == "ccomp" or (token.dep_ == "parataxis" and token.pos_ in PREDICATE_POS)


def _conjuncts(head: Any) -> list[Any]:
    """Coordinated clauses of a clause head: conjuncts that are predicates themselves."""
    return [
        c
        for c in head.children
        if c.dep_ == "conj" and (c.pos_ in PREDICATE_POS or any(g.dep_ in SUBJECT_DEPS for g in c.children))
    ]


class _SentenceClaims:
    """Walks one sentence's parse from its root and emits a Claim per asserted clause."""

    def __init__(
        self, span: Any, article_id: str, sentence_index: int, offset: int, recent_person: str | None
    ) -> None:
        self.span = span
        self.article_id = article_id
        self.sentence_index = sentence_index
        self.offset = offset  # Article.text offset of span.doc character 0
        self.recent_person = recent_person
        self.claims: list[Claim] = []
        self.in_sentence = {t.i for t in span}
        self.according, self.according_tokens = _according(span)

    def walk(self, head: Any, source: Source | None, negated: bool = False, subject: Any = None) -> None:
        """Claims of the clause headed by ``head`` and of the clauses it coordinates or relativises."""
        if _is_frame(head):
            frame_source = _attribution(head, self.recent_person)
            deny = head.lemma_.lower() in DENY_LEMMAS
            for comp in head.children:
                if _is_complement(comp):
                    self.walk(comp, frame_source, negated=deny)
            for conj in _conjuncts(head):
                self.walk(conj, source, subject=subject or self._subject(head))
            return
        according, according_tokens = None, set(self.according_tokens)
        paratactic = next(
            (
                c
                for c in head.children
                if c.dep_ == "parataxis"
                and (c.lemma_.lower() in SPEECH_LEMMAS or c.lemma_.lower() in CITATION_LEMMAS)
            ),
            None,
        )
        if paratactic is not None:
            according = _attribution(paratactic, self.recent_person)
            according_tokens |= {t.i for t in paratactic.subtree}
        own = according or source or self.according
        if not (head.lemma_.lower() in SPEECH_LEMMAS and not any(c.dep_ == "dobj" for c in head.children)):
            self.emit(head, own, negated, subject, exclude=according_tokens)
        for conj in _conjuncts(head):
            self.walk(conj, own, subject=subject or self._subject(head))
        for token in head.subtree:
            if token.dep_ == "relcl" and token.i in self.in_sentence and self._clause_of(token).i == head.i:
                self.walk(token, own, subject=token.head)

    def _clause_of(self, token: Any) -> Any:
        """The nearest clause head above ``token`` (a relative clause belongs to the clause it sits in)."""
        node = token.head
        while node.head.i != node.i and node.dep_ not in ("conj", "ccomp", "relcl", "ROOT", "parataxis"):
            node = node.head
        return node

    def _subject(self, head: Any) -> Any:
        return next((c for c in head.children if c.dep_ in SUBJECT_DEPS), None)

    def _excluded(self, head: Any) -> set[int]:
        """Tokens of the clause's subtree that belong to other claims."""
        out: set[int] = set()
        for token in head.subtree:
            if token.i == head.i:
                continue
            separate = token.dep_ in ("relcl", "parataxis") or (
                token.dep_ == "conj" and token.head.i == head.i and token in _conjuncts(head)
            )
            if separate:
                out.update(t.i for t in token.subtree)
                doc = token.doc
                left = doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
                if left is not None and (left.dep_ == "cc" or left.is_punct):
                    out.add(left.i)
                right = doc[token.right_edge.i + 1] if token.right_edge.i + 1 < len(doc) else None
                if token.dep_ == "relcl" and right is not None and right.text == ",":
                    out.add(right.i)
        return out

    def emit(
        self,
        head: Any,
        source: Source | None,
        negated: bool,
        subject: Any,
        exclude: set[int] | None = None,
    ) -> None:
        """Append the claim of the clause headed by ``head`` (tokens in ``exclude`` left out)."""
        excluded = self._excluded(head) | (exclude or set())
        # sorted: spaCy's subtree order is not reading order when the parse is non-projective
        tokens = sorted(
            (t for t in head.subtree if t.i not in excluded and t.i in self.in_sentence), key=lambda t: t.i
        )
        while tokens and (tokens[0].is_punct or tokens[0].dep_ in ("mark", "cc")):
            tokens.pop(0)
        while tokens and tokens[-1].is_punct and tokens[-1].text not in "”\"'’)":
            tokens.pop()
        if not tokens or not any(t.pos_ in CONTENT_POS for t in tokens):
            return
        if head.pos_ not in PREDICATE_POS and self._subject(head) is None and head.dep_ != "relcl":
            return  # a verbless fragment ("Photo", "(Associated Press)") asserts nothing
        predicate, modality = self._predicate(head)
        subj = self._subject(head) or subject
        if subj is None and predicate is not head:
            subj = self._subject(predicate)
        if subj is not None and subj.tag_ in ("WDT", "WP") and head.dep_ == "relcl":
            subj = head.head
        obj = self._object(predicate)
        words = [t.lower_ for t in tokens]
        text = join_tokens(tokens)
        lowered = " " + " ".join(words) + " "
        status = next((p for p in STATUS_PHRASES if f" {p} " in lowered), None)
        neg = negated != self._negated(head, predicate, subj, obj)
        modality = status or modality
        if modality is None:
            for noun in (subj, obj):
                if noun is not None:
                    status_word = next(
                        (c.lower_ for c in noun.children if c.dep_ == "amod" and c.lower_ in STATUS_WORDS),
                        None,
                    )
                    if status_word:
                        modality = status_word
                        break
        start = self.offset + tokens[0].idx
        end = self.offset + tokens[-1].idx + len(tokens[-1].text)
        doc = head.doc
        clause = doc[head.left_edge.i : head.right_edge.i + 1]
        self.claims.append(
            Claim(
                id=f"{self.article_id}#{self.sentence_index}.{len(self.claims)}",
                article_id=self.article_id,
                sentence_index=self.sentence_index,
                text=text,
                start=start,
                end=end,
                predicate=str(predicate.lemma_.lower()),
                subject=_head_of(subj) if subj is not None else None,
                object=_head_of(obj) if obj is not None else None,
                negated=neg,
                modality=modality,
                attribution=source.kind if source is not None else "none",
                attributed_to=source.name if source is not None else None,
                speaker=source.speaker if source is not None else None,
                tense="future" if modality in ("will", "shall") else tense_of(clause),
                lemmas=[
                    t.lemma_.lower() for t in tokens if t.pos_ in CONTENT_POS and not t.is_stop and t.is_alpha
                ],
            )
        )

    def _predicate(self, head: Any) -> tuple[Any, str | None]:
        """The token whose lemma is the claim's predicate, and the modality found on the way down."""
        modality: str | None = None
        for child in head.children:
            lemma = child.lemma_.lower()
            if child.dep_ == "aux" and (child.tag_ == "MD" or lemma in MODAL_LEMMAS):
                modality = "will" if lemma in ("will", "'ll", "wo") else lemma
            elif child.dep_ == "advmod" and lemma in HEDGE_ADVERBS:
                modality = child.lower_
        node = head
        for _ in range(3):  # "is expected to plan to sign": follow at most three intent verbs
            lemma = node.lemma_.lower()
            if node.pos_ == "AUX" or lemma == "be":
                comp = next((c for c in node.children if c.dep_ in COPULA_COMPLEMENTS), None)
                if comp is None:
                    break
                xcomp = next((c for c in comp.children if c.dep_ == "xcomp"), None)
                if comp.lemma_.lower() in INTENT_LEMMAS and xcomp is not None:
                    modality = modality or comp.lemma_.lower()
                    node = xcomp
                    continue
                return comp, modality
            xcomp = next((c for c in node.children if c.dep_ == "xcomp" and c.pos_ in PREDICATE_POS), None)
            if lemma in INTENT_LEMMAS and xcomp is not None:
                modality = modality or lemma
                node = xcomp
                continue
            break
        if node is not head and modality is None:
            modality = next(
                (c.lemma_.lower() for c in node.children if c.dep_ == "aux" and c.tag_ == "MD"), None
            )
        return node, modality

    @staticmethod
    def _object(predicate: Any) -> Any:
        for dep in OBJECT_DEPS:
            for child in predicate.children:
                if child.dep_ == dep and child.pos_ not in ("ADJ",):
                    return child
        for child in predicate.children:
            if child.dep_ == "prep":
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                phrase = f"{child.lower_} {pobj.lower_}" if pobj is not None else ""
                if (
                    pobj is not None
                    and pobj.ent_type_ not in ("DATE", "TIME")
                    and phrase not in STATUS_PHRASES
                ):
                    return pobj
        return None

    @staticmethod
    def _negated(head: Any, predicate: Any, subject: Any, obj: Any) -> bool:
        for node in {head, predicate}:
            for child in node.children:
                if child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ == "never"):
                    return True
        for noun in (subject, obj):
            if noun is None:
                continue
            if noun.lower_ in NEGATION_WORDS:
                return True
            if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
                return True
        return False


def claims_in(
    article_id: str,
    sentence_index: int,
    span: Any,
    offset: int,
    quotes: list[Quote],
    recent_person: str | None = None,
) -> list[Claim]:
    """Claims of one sentence span; ``offset`` maps span.doc character offsets to ``Article.text``.

    A claim inside a direct quotation is attributed to the quotation's speaker. ``recent_person`` (the
    last person named before this sentence) stands for "he"/"she" as a speaker.
    """
    walker = _SentenceClaims(span, article_id, sentence_index, offset, recent_person)
    walker.walk(span.root, None)
    claims = walker.claims
    for claim in claims:
        for quote in quotes:
            inside = max(0, min(claim.end, quote.end) - max(claim.start, quote.start))
            if quote.speaker and inside >= QUOTED_SHARE * max(1, claim.end - claim.start):
                claim.attribution = "speaker"
                claim.attributed_to = quote.speaker
                break
    claims.sort(key=lambda c: c.start)
    for n, claim in enumerate(claims):
        claim.id = f"{article_id}#{sentence_index}.{n}"
    return claims
