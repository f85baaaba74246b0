"""Titles and roles written next to a person's name, from the parse of one sentence.

Three shapes: a title before the name ("former finance minister Ana Ruiz", "Prime Minister Kishida"), the
name in apposition to a title ("the finance minister, Ana Ruiz"), and a title in apposition to the name
("Ana Ruiz, the finance minister,"). A title counts only when its head noun is a role (text.lexicon).
"""

from __future__ import annotations

from typing import Any

from storyweave.analyse.names import normalise_name
from storyweave.analyse.nlp import span_ents
from storyweave.model import RoleMention
from storyweave.text.lexicon import ROLE_NOUNS, TITLE_MODIFIERS

__all__ = ["roles_in"]

# tokens a title may hold before a name: its modifiers, nouns and names ("Kremlin spokesman")
_TITLE_POS = frozenset({"NOUN", "PROPN", "ADJ"})
MAX_TITLE_TOKENS = 8
# entity labels whose words keep their capitals inside a title ("Kremlin spokesman", "Russian president")
NAMED = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})


def _title_text(tokens: list[Any]) -> str:
    """The title as written, lower-cased except proper nouns."""
    parts = []
    for t in tokens:
        named = t.ent_type_ in NAMED and t.lower_ not in ROLE_NOUNS
        word = t.text if named or (t.text.isupper() and len(t.text) > 1) else t.lower_  # "MP", "CEO" kept
        parts.append(word + t.whitespace_)
    return "".join(parts).strip()


def _is_role(token: Any) -> bool:
    return token.lower_ in ROLE_NOUNS or token.lemma_.lower() in ROLE_NOUNS


def _clean(tokens: list[Any]) -> list[Any]:
    """A title's tokens without its determiner, punctuation and trailing clause."""
    words = [t for t in tokens if not t.is_punct]
    while words and words[0].pos_ in ("DET", "PRON", "CCONJ"):
        words.pop(0)
    while words and words[-1].pos_ in ("ADP", "DET", "PRON", "CCONJ", "SCONJ"):  # "visiting scholar at"
        words.pop()
    return words


def roles_in(article_id: str, sentence_index: int, span: Any, offset: int) -> list[RoleMention]:
    """Roles written next to the people named in one sentence span (offsets into ``Article.text``)."""
    found: list[RoleMention] = []
    seen: set[tuple[str, int]] = set()
    for ent in span_ents(span):
        if ent.label_ != "PERSON":
            continue
        doc = ent.doc
        root = ent.root
        # a title inside the entity itself ("President Vladimir Putin" tagged as one PERSON)
        lead = [t for t in ent if t.i < root.i]
        inner: list[Any] = []
        for t in lead:
            if _is_role(t) or t.lower_ in TITLE_MODIFIERS or (inner and t.pos_ == "NOUN"):
                inner.append(t)
            else:
                break
        name_tokens = [t for t in ent if t not in inner]
        name = normalise_name("".join(t.text_with_ws for t in name_tokens).strip())
        if not name:
            continue
        candidates: list[list[Any]] = []
        if inner and _is_role(inner[-1]):
            candidates.append(inner)
        # title words right before the name, attached inside the name's phrase
        before: list[Any] = []
        i = ent.start - 1
        while i >= span.start and doc[i].pos_ in _TITLE_POS and doc[i].ent_type_ not in ("PERSON", "DATE"):
            before.insert(0, doc[i])
            i -= 1
        if before and _is_role(before[-1]):
            candidates.append(before)
        # "the finance minister, Ana Ruiz": the name in apposition to a role noun
        if root.dep_ == "appos" and _is_role(root.head) and root.head.i < ent.start:
            head = root.head
            tokens = [t for t in head.subtree if t.i < ent.start and t.i not in {x.i for x in root.subtree}]
            candidates.append(_clean(tokens))
        # "Ana Ruiz, the finance minister,": a role noun in apposition to the name
        for child in root.children:
            if child.dep_ == "appos" and _is_role(child) and child.i > root.i:
                clause = {
                    x.i for c in child.children if c.dep_ in ("relcl", "acl", "appos") for x in c.subtree
                }
                tokens = [t for t in child.subtree if t.i not in clause][:MAX_TITLE_TOKENS]
                candidates.append(_clean(tokens))
        for tokens in candidates:
            tokens = [t for t in tokens if span.start <= t.i < span.end]
            if not tokens or not any(_is_role(t) for t in tokens):
                continue
            key = (name, tokens[0].i)
            if key in seen:
                continue
            seen.add(key)
            first, last = tokens[0], tokens[-1]
            found.append(
                RoleMention(
                    name=name,
                    title=_title_text(tokens),
                    article_id=article_id,
                    sentence_index=sentence_index,
                    start=offset + first.idx,
                    end=offset + last.idx + len(last.text),
                )
            )
    return found
