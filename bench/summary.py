"""Summary benchmark: ROUGE of our cited summary vs first-3, LexRank and TextRank on Multi-News.

Data: ../shared/data/multinews/clusters.jsonl (``{id, articles: [text, ...], summary}``), each cluster 2-10
reports of one event and a summary written by an editor. Every system is scored against that summary with
rouge-score (ROUGE-1/2/L F1, Porter stemming on), at the same word budget: the editor summary's length in
words. A system's output is its chosen sentences in its own order, cut at the budget.

- ours: the real pipeline (clean, analyse, syndication, times, entities, fact alignment, disagreements,
  compose) on the cluster's articles as one story, the summary filled up to the budget. Every summary
  sentence must cite at least one of the cluster's articles; the table says what share does.
- first-3: the first three sentences of each article, articles in input order.
- LexRank and TextRank: sumy's implementations, ranking the same sentences (our cleaned text and our
  sentence splits: sumy's own tokenizer needs NLTK data that cannot be downloaded here), with sumy's
  English stop words and Snowball stemmer, picking the best-rated sentences until the budget is filled.

Time per cluster: ours end to end (cleaning and spaCy analysis included); the baselines' selection alone
(they reuse our cleaned sentences). Published ROUGE-1/2 on the full Multi-News test set, for scale:
LexRank 38.27/12.70, TextRank 38.44/13.10, first-3 39.41/11.77.

Halves: clusters at even positions of clusters.jsonl are the development half, odd positions the held-out
test half; the table prints both and all clusters. Also counted: our summary sentences holding an
article's headline or caption glued to other words (target 0).

    .venv/bin/python bench/summary.py [--data DIR] [--json FILE] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rouge_score import rouge_scorer  # noqa: E402
from sumy.models.dom import ObjectDocumentModel, Paragraph  # noqa: E402
from sumy.models.dom import Sentence as SumySentence  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.summarizers.text_rank import TextRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

from bench_data import require_data  # noqa: E402  (bench/bench_data.py; bench/ is on the path)
from storyweave.analyse import analyse_articles  # noqa: E402
from storyweave.clean import clean_article  # noqa: E402
from storyweave.compose.summary import is_glued, story_furniture  # noqa: E402
from storyweave.model import AnalysedArticle, Article, Story  # noqa: E402
from storyweave.pipeline import brief_story  # noqa: E402

METRICS = ("rouge1", "rouge2", "rougeL")
SYSTEMS = ("ours", "first-3", "LexRank", "TextRank")
# Our summary may hold this many sentences at most; the word budget is what stops it in practice.
MAX_SENTENCES = 60

# --------------------------------------------------------------------------------------------------
# Data and budget


def load_clusters(path: Path, limit: int | None) -> list[dict[str, Any]]:
    """The clusters of ``clusters.jsonl``, the first ``limit`` of them."""
    clusters = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                clusters.append(json.loads(line))
            if limit is not None and len(clusters) >= limit:
                break
    return clusters


def within_budget(sentences: Sequence[str], budget: int) -> str:
    """The sentences joined in order and cut at ``budget`` words (the last one may be cut mid-way)."""
    words: list[str] = []
    for sentence in sentences:
        words.extend(sentence.split())
        if len(words) >= budget:
            break
    return " ".join(words[:budget])


# --------------------------------------------------------------------------------------------------
# Systems


@dataclass
class Output:
    """What one system produced for one cluster and how long it took."""

    text: str
    seconds: float
    sentences: int = 0
    cited: int = 0


def prepare(cluster: dict[str, Any]) -> tuple[Story, list[AnalysedArticle]]:
    """The cluster's articles cleaned and analysed by the pipeline's own stages, as one story."""
    articles = [
        Article(id=f"{cluster['id']}-{i}", raw_text=text) for i, text in enumerate(cluster["articles"])
    ]
    cleaned = [a for a in map(clean_article, articles) if a.text.strip()]
    docs = analyse_articles(cleaned)
    return Story(id=str(cluster["id"]), article_ids=[d.article.id for d in docs]), docs


def ours(story: Story, docs: Sequence[AnalysedArticle], budget: int) -> tuple[str, int, int, int]:
    """Our summary at the budget: its text, its sentence count, how many cite a cluster article, and how
    many hold a headline or caption glued to other words (the one-page brief's target is 0)."""
    brief = brief_story(story, docs, length=MAX_SENTENCES, max_words=budget)
    ids = set(story.article_ids)
    cited = sum(1 for s in brief.summary if s.sources and set(s.sources) <= ids)
    furniture = story_furniture(docs)
    glued = sum(1 for s in brief.summary if is_glued(s.text, furniture))
    return within_budget([s.text for s in brief.summary], budget), len(brief.summary), cited, glued


def half_of(index: int) -> str:
    """The fixed split: clusters at even positions of clusters.jsonl (0, 2, ...) are the development half
    (thresholds were tuned there), odd positions the held-out test half."""
    return "dev" if index % 2 == 0 else "test"


def first3(docs: Sequence[AnalysedArticle], budget: int) -> str:
    """The first three sentences of each article, in input order."""
    return within_budget([s.text for d in docs for s in d.sentences[:3]], budget)


class _Words:
    """sumy's tokenizer interface over a plain regex, so that no NLTK data is needed."""

    language = "english"
    _WORD = re.compile(r"[^\W_][\w'’\-]*")

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(self._WORD.findall(sentence))

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return (paragraph,)


def _document(docs: Sequence[AnalysedArticle]) -> ObjectDocumentModel:
    """Our sentence splits as a sumy document (one sumy paragraph per article paragraph)."""
    tokenizer = _Words()
    paragraphs = []
    for doc in docs:
        by_paragraph: dict[int, list[SumySentence]] = {}
        for s in doc.sentences:
            by_paragraph.setdefault(s.paragraph, []).append(SumySentence(s.text, tokenizer))
        paragraphs.extend(Paragraph(sentences) for sentences in by_paragraph.values())
    return ObjectDocumentModel(paragraphs)


def sumy_system(kind: str) -> Callable[[Sequence[AnalysedArticle], int], str]:
    """A sumy summarizer ranking our sentences, picking the best until ``budget`` words are reached."""
    summarizer = (
        LexRankSummarizer(Stemmer("english")) if kind == "LexRank" else TextRankSummarizer(Stemmer("english"))
    )
    summarizer.stop_words = get_stop_words("english")

    def run(docs: Sequence[AnalysedArticle], budget: int) -> str:
        document = _document(docs)

        def fill(infos: Any) -> list[Any]:  # sumy passes the sentences best-rated first
            chosen, words = [], 0
            for info in infos:
                if words >= budget:
                    break
                chosen.append(info)
                words += len(str(info.sentence).split())
            return chosen

        return within_budget([str(s) for s in summarizer(document, fill)], budget)

    return run


# --------------------------------------------------------------------------------------------------
# Scoring and report


@dataclass
class Tally:
    """Per-system score lists and timings."""

    scores: dict[str, dict[str, list[float]]] = field(
        default_factory=lambda: {s: {m: [] for m in METRICS} for s in SYSTEMS}
    )
    seconds: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in SYSTEMS})
    sentences: int = 0
    cited: int = 0
    glued: int = 0

    def add(self, system: str, scores: dict[str, float], seconds: float) -> None:
        for metric in METRICS:
            self.scores[system][metric].append(scores[metric])
        self.seconds[system].append(seconds)

    def summary(self) -> dict[str, Any]:
        systems = {
            s: {
                **{m: round(100 * statistics.fmean(v), 2) for m, v in self.scores[s].items() if v},
                "seconds_per_cluster": round(statistics.fmean(self.seconds[s]), 4) if self.seconds[s] else 0,
            }
            for s in SYSTEMS
        }
        return {
            "systems": systems,
            "clusters": len(self.seconds["ours"]),
            "ours_sentences": self.sentences,
            "ours_cited_share": round(self.cited / self.sentences, 4) if self.sentences else 0.0,
            "ours_glued": self.glued,
        }


def evaluate(clusters: Sequence[dict[str, Any]], progress: bool = True) -> dict[str, Any]:
    """Every system on every cluster; mean ROUGE F1 (in %) and mean seconds per cluster, for the
    development half, the test half (see :func:`half_of`) and all clusters."""
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    baselines: dict[str, Callable[[Sequence[AnalysedArticle], int], str]] = {
        "first-3": first3,
        "LexRank": sumy_system("LexRank"),
        "TextRank": sumy_system("TextRank"),
    }
    tallies = {"dev": Tally(), "test": Tally(), "all": Tally()}
    for number, cluster in enumerate(clusters, start=1):
        chosen = (tallies[half_of(number - 1)], tallies["all"])
        reference = cluster["summary"]
        budget = len(reference.split())
        start = time.perf_counter()
        story, docs = prepare(cluster)
        text, count, cited, glued = ours(story, docs, budget)
        elapsed = time.perf_counter() - start
        scores = _f1(scorer, reference, text)
        for tally in chosen:
            tally.sentences += count
            tally.cited += cited
            tally.glued += glued
            tally.add("ours", scores, elapsed)
        for name, system in baselines.items():
            start = time.perf_counter()
            text = system(docs, budget)
            scores = _f1(scorer, reference, text)
            elapsed = time.perf_counter() - start
            for tally in chosen:
                tally.add(name, scores, elapsed)
        if progress:
            print(f"\r{number}/{len(clusters)} clusters", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return {half: tally.summary() for half, tally in tallies.items() if tally.seconds["ours"]}


def _f1(scorer: rouge_scorer.RougeScorer, reference: str, text: str) -> dict[str, float]:
    return {m: s.fmeasure for m, s in scorer.score(reference, text).items()}


def table(results: dict[str, Any]) -> str:
    """The results of each half as one small aligned table."""
    header = f"{'half':<5} {'system':<10} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8} {'s/cluster':>10}"
    lines = [header, "-" * len(header)]
    for half, result in results.items():
        for system, row in result["systems"].items():
            lines.append(
                f"{half:<5} {system:<10} {row['rouge1']:>8.2f} {row['rouge2']:>8.2f} {row['rougeL']:>8.2f}"
                f" {row['seconds_per_cluster']:>10.3f}"
            )
        lines.append(
            f"{half}: {result['clusters']} clusters; ours: {result['ours_sentences']} summary sentences, "
            f"{100 * result['ours_cited_share']:.1f}% cite their sources, "
            f"{result['ours_glued']} with a headline or caption glued"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="data folder")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    parser.add_argument("--limit", type=int, default=None, help="first N clusters only (default: all)")
    args = parser.parse_args(argv)
    require_data(args.data, "multinews/clusters.jsonl")
    clusters = load_clusters(args.data / "multinews" / "clusters.jsonl", args.limit)
    start, cpu = time.perf_counter(), time.process_time()
    result = evaluate(clusters, progress=sys.stderr.isatty())
    print(table(result))
    print(f"{time.perf_counter() - start:.1f} s wall, {time.process_time() - cpu:.1f} CPU-s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
