"""How each outlet framed a story: its headline, its distinctive (loaded) words, what it leaves out.

Distinctive words are scored by the weighted log-odds ratio with an informative Dirichlet prior (Monroe,
Colaresi and Quinn 2008, "Fightin' Words", eq. 22 and its variance): each outlet's word counts against the
pooled counts of every other outlet of the story, the prior being the story's own word distribution. The
formula is three lines of numpy; no installed library ships it (scikit-learn's chi2 ranks features without
the prior's shrinkage, which is what keeps a word used once by a short article from topping the list).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from storyweave import thresholds
from storyweave.clean.lines import LOWER, STOP_WORDS, word_info
from storyweave.model import AnalysedArticle, Fact, LoadedWord, OutletFraming, Story


def outlet_of(doc: AnalysedArticle) -> str:
    """The outlet an article is shown under: its outlet name, else its id (one article, one voice)."""
    return (doc.article.outlet or "").strip() or doc.article.id


def framing_words(text: str) -> list[str]:
    """The words of ``text`` that can carry a frame: written in lower case (names are who, not how),
    alphabetic, three letters or more, not a stop word or news filler ("said", weekdays)."""
    return [
        w
        for w, case in word_info(text)
        if case == LOWER and len(w) >= 3 and w.isalpha() and w not in STOP_WORDS
    ]


def log_odds_z(
    counts: Mapping[str, Mapping[str, int]], prior_scale: float = thresholds.FRAMING_PRIOR_SCALE
) -> dict[str, dict[str, float]]:
    """Per group, per word: the z-score of the weighted log-odds of the word in that group against all
    the other groups pooled, with a Dirichlet prior proportional to the word's share of all the text.

    ``counts`` maps a group to its word counts. ``prior_scale`` is the prior's total pseudo-count
    (alpha_0); each word's alpha_w = alpha_0 * its share of every group's words together."""
    groups = list(counts)
    vocab = sorted({w for c in counts.values() for w in c})
    if len(groups) < 2 or not vocab:
        return {g: {} for g in groups}
    index = {w: i for i, w in enumerate(vocab)}
    y = np.zeros((len(groups), len(vocab)))
    for g, group in enumerate(groups):
        for word, n in counts[group].items():
            y[g, index[word]] = n
    total = y.sum(axis=0)
    alpha = prior_scale * total / total.sum()
    alpha0 = float(alpha.sum())
    result: dict[str, dict[str, float]] = {}
    for g, group in enumerate(groups):
        yi = y[g]
        yj = total - yi
        ni, nj = float(yi.sum()), float(yj.sum())
        delta = np.log((yi + alpha) / (ni + alpha0 - yi - alpha)) - np.log(
            (yj + alpha) / (nj + alpha0 - yj - alpha)
        )
        z = delta / np.sqrt(1.0 / (yi + alpha) + 1.0 / (yj + alpha))
        result[group] = {vocab[i]: float(z[i]) for i in np.flatnonzero(yi)}
    return result


def loaded_words(
    counts: Mapping[str, Mapping[str, int]],
    top: int = thresholds.FRAMING_WORDS_SHOWN,
    min_z: float = thresholds.FRAMING_MIN_Z,
) -> dict[str, list[LoadedWord]]:
    """Each group's most distinctive words: z at least ``min_z``, used at least twice by the group (one
    use is an accident of wording, not a frame), best first, at most ``top``."""
    scores = log_odds_z(counts)
    pooled: Counter[str] = Counter()  # every group's counts together: others = pooled - mine
    for c in counts.values():
        pooled.update(c)
    result: dict[str, list[LoadedWord]] = {}
    for group, z in scores.items():
        mine = counts[group]
        picked = [
            LoadedWord(word=w, z=round(s, 2), count=mine[w], others=pooled[w] - mine[w])
            for w, s in z.items()
            if s >= min_z and mine[w] >= 2
        ]
        picked.sort(key=lambda lw: (-lw.z, lw.word))
        result[group] = picked[:top]
    return result


def omissions(
    outlets: Mapping[str, set[str]], facts: Sequence[Fact], top: int = thresholds.FRAMING_OMISSIONS_SHOWN
) -> dict[str, list[str]]:
    """Per outlet: the facts that most of the other outlets carry (at least two of them and at least
    half) but none of its articles does, the most widely carried first."""
    owner = {a: o for o, ids in outlets.items() for a in ids}
    carried = [(f, {owner[s] for s in f.sources if s in owner}) for f in facts]
    result: dict[str, list[str]] = {}
    for outlet in outlets:
        others = len(outlets) - 1
        missing = [
            (len(by), i, f.id)
            for i, (f, by) in enumerate(carried)
            if outlet not in by and len(by) >= 2 and len(by) >= math.ceil(others / 2)
        ]
        missing.sort(key=lambda t: (-t[0], t[1]))
        result[outlet] = [fid for _, _, fid in missing[:top]]
    return result


def outlet_framing(
    story: Story, docs: Sequence[AnalysedArticle], facts: Sequence[Fact], headline_of: Mapping[str, str]
) -> list[OutletFraming]:
    """One entry per outlet (in first-article order): headline, lean where the user supplied it, loaded
    words against the other outlets, facts most others carry that it leaves out. ``facts`` come ranked;
    ``headline_of`` maps an article id to its cleaned headline."""
    del story  # outlets, not syndication groups, are compared: a copied dispatch still frames by choice
    outlets: dict[str, list[AnalysedArticle]] = {}
    for doc in docs:
        outlets.setdefault(outlet_of(doc), []).append(doc)
    counts: dict[str, Counter[str]] = {}
    for outlet, members in outlets.items():
        counter: Counter[str] = Counter()
        for doc in members:
            for text in (doc.article.title or "", *doc.article.paragraphs):
                counter.update(framing_words(text))
        counts[outlet] = counter
    words = loaded_words(counts) if len(outlets) >= 2 else {}
    left_out = omissions({o: {d.article.id for d in m} for o, m in outlets.items()}, facts)
    result = []
    for outlet, members in outlets.items():
        leans = [str(d.article.extra.get("lean")).strip() for d in members if d.article.extra.get("lean")]
        titles = [headline_of.get(d.article.id, "") for d in members]
        result.append(
            OutletFraming(
                outlet=outlet,
                sources=[d.article.id for d in members],
                headline=next((t for t in titles if t), None),
                lean=leans[0] if leans else None,
                loaded_words=words.get(outlet, []),
                omits=left_out.get(outlet, []) if len(outlets) >= 3 else [],
            )
        )
    return result
