"""Named-entity mentions of one article from spaCy's NER, with their names normalised."""

from __future__ import annotations

from typing import Any

from storyweave.analyse.names import is_plausible_name, normalise_name
from storyweave.analyse.nlp import span_ents
from storyweave.model import Mention

# Labels that name a person, organisation, place, event or work; NORP ("Russian"), dates and numbers
# are handled elsewhere or are not entities a reader looks up.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})


def mentions_in(article_id: str, sentence_index: int, span: Any, offset: int) -> list[Mention]:
    """Mentions of the entities spaCy found in one sentence span; ``offset`` maps to Article.text."""
    found: list[Mention] = []
    for ent in span_ents(span):
        if ent.label_ not in ENTITY_LABELS:
            continue
        name = normalise_name(ent.text)
        if not name or not is_plausible_name(name):
            continue
        found.append(
            Mention(
                text=ent.text,
                name=name,
                label=ent.label_,
                article_id=article_id,
                sentence_index=sentence_index,
                start=offset + ent.start_char,
                end=offset + ent.end_char,
            )
        )
    return found
