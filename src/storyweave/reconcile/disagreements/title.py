"""A person's title or role given differently: "Foreign Minister Ana Ruiz" vs "former foreign minister Ana
Ruiz", "spokesman" vs "ambassador".

Titles come from the role slots written next to a name (:class:`~storyweave.model.RoleMention`), keyed by
the person's reconciled entity. A title reduces to its head role (synonyms folded: "spokeswoman" is
"spokesperson") and its rank words ("former", "deputy", "acting"); two titles conflict when either differs.
Qualifiers ("Kremlin spokesman" vs "presidential spokesman") never do, and an article that gives a person
two different titles is left out of that person's comparison (one may hold two roles).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from storyweave.model import Disagreement, ValueSources
from storyweave.reconcile.disagreements.story import Stated, StoryView, contest, index_by
from storyweave.text.contest_words import (
    DESCRIBING_HEADS,
    NOUN_RANKS,
    TITLE_FILLER,
    TITLE_RANKS,
    TITLE_SYNONYMS,
)


def title_key(title: str) -> str | None:
    """ "rank words + head role" of a title, None when no role word is left."""
    words = re.findall(r"[\w-]+", title.casefold())
    for i, word in enumerate(words):  # "chair of cardiovascular medicine": the role is before "of"
        if i and word in ("of", "for", "at", "to", "in", "on"):
            words = words[:i]
            break
    # a rank word closing its conjunct is a role noun ("South Korean deputy and visiting scholar")
    nouns = {
        i for i, w in enumerate(words) if w in NOUN_RANKS and (i + 1 == len(words) or words[i + 1] == "and")
    }
    kept = [(i, w) for i, w in enumerate(words) if w not in TITLE_FILLER]
    ranks = sorted(
        {"former" if w in ("ex", "late") else w for i, w in kept if w in TITLE_RANKS and i not in nouns}
    )
    roles = [w for i, w in kept if w not in TITLE_RANKS or i in nouns]
    if not roles:
        return None
    pair = " ".join(roles[-2:])
    head = TITLE_SYNONYMS.get(pair) or TITLE_SYNONYMS.get(roles[-1], roles[-1])
    return " ".join([*ranks, head])


def describes(title: str) -> bool:
    """Whether a title describes a role instead of naming it: a generic head with an "of" complement
    ("head of Russian diplomacy"), which :func:`compatible` lets agree with any named office."""
    words = re.findall(r"[\w-]+", title.casefold())
    return any(w in DESCRIBING_HEADS and words[i + 1 : i + 2] == ["of"] for i, w in enumerate(words))


def compatible(a: str, b: str) -> bool:
    """Two title keys agree when equal, or when one is a description ("head of X", marked by
    :data:`DESCRIBED`) and the other is not: "head of Russian diplomacy" may be the foreign minister."""
    if a.endswith(DESCRIBED) != b.endswith(DESCRIBED):
        return True
    return a == b


# Marks the key of a title that describes a role (see :func:`describes`).
DESCRIBED = " (described)"


def _keyed(view: StoryView) -> Iterator[tuple[tuple[str, ...], Stated]]:
    for doc in view.docs.values():
        for role in doc.roles:
            key = title_key(role.title)
            if key is None:
                continue
            if describes(role.title):
                key += DESCRIBED
            person = view.entity_key(role.article_id, role.name)
            if person:
                yield (person,), Stated(key, role.title, role.article_id, role.sentence_index)


def find(view: StoryView) -> list[Disagreement]:
    found = []
    for (person,), stated in index_by(_keyed(view)).items():
        name = next(
            (r.name for s in stated for r in view.docs[s.article_id].roles if r.title == s.shown), person
        )

        def note(values: list[ValueSources], name: str = name) -> str:
            return f"Sources give {name} different titles: " + " vs ".join(v.value for v in values) + "."

        d = contest(view, "title", stated, note, compatible)
        if d is not None:
            found.append(d)
    return found
