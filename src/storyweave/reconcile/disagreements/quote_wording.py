"""One speaker's quotation worded differently by different outlets: "a devil's deal" vs "a diabolical deal".

Quotations are one quotation when :func:`~storyweave.reconcile.disagreements.quotations.same_quotations`
groups them (one speaker, most words shared). Wordings differ only in content words: punctuation, case,
an excerpt of the longer quotation, or a name spelled differently (the ``name`` kind) are the same wording.
"""

from __future__ import annotations

from storyweave.model import Disagreement, ValueSources
from storyweave.reconcile.disagreements.quotations import Said, normalise, same_quotations
from storyweave.reconcile.disagreements.story import Stated, StoryView, contest
from storyweave.text.lexicon import stop_words

NAME_MASK = "name"


def wording(said: Said, names: set[str]) -> str:
    """The quotation's normalised words with ``names`` (every name written inside any wording of this
    quotation, normalised) masked."""
    words = f" {said.words} "
    for written in sorted(names, key=len, reverse=True):
        words = words.replace(f" {written} ", f" {NAME_MASK} ")
    return words.strip()


def compatible(a: str, b: str) -> bool:
    """Same wording: equal, one an excerpt of the other, or the same content words."""
    if a in b or b in a:
        return True
    stops = stop_words()
    return set(a.split()) - stops == set(b.split()) - stops


def find(view: StoryView) -> list[Disagreement]:
    found = []
    for group in same_quotations(view):
        names = {normalise(m.text) for s in group for m in s.names} - {""}
        stated = [
            Stated(wording(s, names), s.quote.text, s.quote.article_id, s.quote.sentence_index) for s in group
        ]
        speaker = group[0].quote.speaker or "A speaker"

        def note(values: list[ValueSources], speaker: str = speaker) -> str:
            return f"{speaker} is quoted in {len(values)} different wordings."

        d = contest(view, "quote-wording", stated, note, compatible)
        if d is not None:
            found.append(d)
    return found
