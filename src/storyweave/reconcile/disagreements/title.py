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
from storyweave.text.contest_words import TITLE_FILLER, TITLE_RANKS, TITLE_SYNONYMS


def title_key(title: str) -> str | None:
    """ "rank words + head role" of a title, None when no role word is left."""
    words = re.findall(r"[\w-]+", title.casefold())
    for i, word in enumerate(words):  # "chair of cardiovascular medicine": the role is before "of"
        if i and word in ("of", "for", "at", "to", "in", "on"):
            words = words[:i]
            break
    words = [w for w in words if w not in TITLE_FILLER]
    ranks = sorted({"former" if w in ("ex", "late") else w for w in words if w in TITLE_RANKS})
    roles = [w for w in words if w not in TITLE_RANKS]
    if not roles:
        return None
    pair = " ".join(roles[-2:])
    head = TITLE_SYNONYMS.get(pair) or TITLE_SYNONYMS.get(roles[-1], roles[-1])
    return " ".join([*ranks, head])


def _keyed(view: StoryView) -> Iterator[tuple[tuple[str, ...], Stated]]:
    for doc in view.docs.values():
        for role in doc.roles:
            key = title_key(role.title)
            if key is None:
                continue
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

        d = contest(view, "title", stated, note)
        if d is not None:
            found.append(d)
    return found
