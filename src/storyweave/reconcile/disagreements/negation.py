"""One claim affirmed by one source and negated by another: "the minister attended the summit" vs "the
minister did not attend the summit", or stated with opposite words: "sales rose" vs "sales fell".

Claims are one slot only when subject, predicate and object (when either has one) and tense are the same;
hedged claims ("may not attend") and citations of another outlet are left out: a hedge is not a denial.
Opposite words (:data:`~storyweave.text.contest_words.ANTONYMS`) are compared for one subject and the
same other head (the object, unless the object is the opposite word itself); a negated claim flips them.

Sources rarely give one claim the same subject and object heads ("a clifftop that was not known as ..." /
"the clifftop was known as ..."), so a second pass compares the same predicate affirmed and denied in two
claims that alignment joined into one fact
(:func:`~storyweave.reconcile.disagreements.story.similar_conflicts`); a sentence stating both sides is left
out. Opposite words are not compared there: scattered over one fact they state no denial ("a new video" /
"the old case"; read on the dev clusters).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from storyweave.model import Disagreement, ValueSources
from storyweave.reconcile.disagreements.story import (
    Stated,
    StoryView,
    contest,
    contest_each_key,
    similar_conflicts,
)
from storyweave.text.contest_words import ANTONYMS
from storyweave.thresholds import (
    NEGATION_LOOSE_MAX_POSTINGS,
    NEGATION_LOOSE_MIN_SHARED,
    NEGATION_LOOSE_OVERLAP,
)

# lemma -> [(pair index, side)]: side +1 for the first word of a pair, -1 for the second
_SIDES: dict[str, list[tuple[int, int]]] = {}
for _i, (_a, _b) in enumerate(ANTONYMS):
    _SIDES.setdefault(_a, []).append((_i, 1))
    _SIDES.setdefault(_b, []).append((_i, -1))
# lemma -> every word listed as its opposite ("increase" -> decrease, decline): a claim holding a word and
# any of its opposites ("a 30% decrease from the increase") takes no side
_OPPOSITES: dict[str, set[str]] = {}
for _a, _b in ANTONYMS:
    _OPPOSITES.setdefault(_a, set()).add(_b)
    _OPPOSITES.setdefault(_b, set()).add(_a)

# The subject key of a claim whose subject names nothing: only the second pass reads such claims.
UNKNOWN = "?"
# A claim's words are shown up to this many characters.
SHOWN_CHARS = 120


def _un_stems(view: StoryView) -> set[str]:
    """Stems some claim of the story writes with a negating "un-" ("unpopular" -> "popular"): only words
    with such a counterpart can take part in a prefixed opposite, so only they are keyed."""
    return {
        w.casefold()[2:]
        for doc in view.docs.values()
        for claim in doc.claims
        for w in claim.lemmas
        if w.casefold().startswith("un") and len(w) > 5
    }


def _keyed(view: StoryView) -> Iterator[tuple[tuple[str, ...], Stated]]:
    un_stems = _un_stems(view)
    for doc in view.docs.values():
        for claim in doc.claims:
            if claim.modality or claim.attribution == "citation":
                continue
            # a pronoun subject ("a clifftop that was not known as ...") names nothing for the first pass,
            # but the second compares whole sentences
            subject = view.head_key(claim.article_id, claim.subject) or UNKNOWN
            obj = view.head_key(claim.article_id, claim.object) or ""
            if claim.object and not obj:
                continue  # a pronoun object ("denied it") says nothing comparable
            text = " ".join(claim.text.split())
            shown = text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
            value = "negated" if claim.negated else "affirmed"
            key = (subject, claim.predicate.casefold(), obj, claim.tense)
            yield key, Stated(value, shown, claim.article_id, claim.sentence_index)
            words = {w.casefold() for w in (*claim.lemmas, claim.predicate)}
            named = set(re.findall(r"\b[A-Z][a-z]+", claim.text))  # "North" of "North Korean" is a name
            sides: dict[int, set[int]] = {}
            for word in words:
                if word.capitalize() in named:
                    continue
                for pair, side in _SIDES.get(word, []):
                    sides.setdefault(pair, set()).add(side)
            for word in words if not claim.negated else ():
                # "popular" / "unpopular": a negating prefix makes an opposite too
                stem = word[2:] if word.startswith("un") and len(word) > 5 else word
                if stem not in un_stems:
                    continue
                yield ("prefixed", subject, stem, obj), Stated(
                    "affirmed" if stem == word else "negated", f"{word}: {shown}", claim.article_id,
                    claim.sentence_index,
                )  # fmt: skip
            for pair, found in sides.items():
                if len(found) != 1:
                    continue  # both words of the pair in one claim ("rose before it fell")
                said = ANTONYMS[pair][0 if next(iter(found)) > 0 else 1]
                if words & _OPPOSITES[said]:
                    continue  # an opposite from another pair in one claim ("increase" and "decrease")
                if claim.negated and said != claim.predicate.casefold():
                    continue  # "not" denies the predicate, not every word of the claim ("fell ... not known")
                other = "" if obj in ANTONYMS[pair] else obj
                sign = next(iter(found)) * (-1 if claim.negated else 1)
                word = ANTONYMS[pair][0 if sign > 0 else 1]
                shown_pair = f"{word}: {shown}"
                yield (
                    ("opposite", subject, str(pair), other),
                    Stated(word, shown_pair, claim.article_id, claim.sentence_index),
                )


def note(values: list[ValueSources]) -> str:
    return "One source states what another denies."


def _loose(view: StoryView, keyed: list[tuple[tuple[str, ...], Stated]]) -> list[Disagreement]:
    """The second pass: one predicate affirmed and denied in two claims of one aligned fact."""
    pools: dict[tuple[str, ...], list[tuple[tuple[str, ...], Stated]]] = defaultdict(list)
    for key, one in keyed:
        if key[0] in ("opposite", "prefixed"):
            continue  # opposite words scattered over one fact ("a new video" / "the old case") deny nothing
        pools[("claim", key[1])].append((key, one))
    found = []
    for items in pools.values():
        stated = [s for _, s in items]
        if len({s.key for s in stated}) < 2:
            continue
        sides: dict[str, set[str]] = defaultdict(set)  # a sentence stating both sides is left out
        for s in stated:
            sides[s.sentence_id].add(s.key)

        def skip(
            a: int,
            b: int,
            items: list[tuple[tuple[str, ...], Stated]] = items,
            sides: dict[str, set[str]] = sides,
        ) -> bool:
            (ka, sa), (kb, sb) = items[a], items[b]
            return ka == kb or len(sides[sa.sentence_id]) > 1 or len(sides[sb.sentence_id]) > 1

        for component in similar_conflicts(
            view,
            stated,
            lambda x, y: x == y,
            {},
            skip,
            NEGATION_LOOSE_MIN_SHARED,
            NEGATION_LOOSE_OVERLAP,
            NEGATION_LOOSE_MAX_POSTINGS,
        ):
            d = contest(view, "negation", [stated[i] for i in component], note)
            if d is not None:
                found.append(d)
    return found


def find(view: StoryView) -> list[Disagreement]:
    keyed = list(_keyed(view))
    known = [(k, s) for k, s in keyed if (k[1] if k[0] in ("opposite", "prefixed") else k[0]) != UNKNOWN]
    return contest_each_key(view, "negation", known, note) + _loose(view, keyed)
