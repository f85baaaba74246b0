"""Article structure: precision and recall of headline, standfirst, caption, byline and dateline lines, and
the glue rate of first sentences, against a simple line-shape baseline in the same run.

Usage: .venv/bin/python bench/structure.py [--data DIR] [--split dev|test|all] [--limit N] [--json FILE]
       [--errors]

Gold: tests/fixtures/bench/structure/lines.jsonl, the first four lines of every Multi-News article of the
development sample, each labelled by hand as headline, standfirst, caption, byline, dateline (a line that
opens with one), body or other (boilerplate, crossheads, embeds: left out of the scores), plus five bylines
of article-extraction pages set above their ground-truth paragraphs, plus the tops of 167 article-extraction
pages saved as text (``page_top``: the page's ``<h1>`` line, the two lines under it, the first body
paragraph; 164 more headlines). The labelling rules are in the README beside the file. Rows of
even-numbered clusters (pages whose hash starts with an even hex digit) are the "dev" half (read while the
rules of clean/structure.py were set), the others the "test" half (scored, not used to change code). Texts
are read from ``--data`` and checked against the fixture's sha1.

Ours: ``clean_article`` on the whole article; a gold line is predicted as the part the cleaner moved it to
(``title``, ``standfirst``, ``captions``, ``byline``, ``dateline``), else body. Baseline, same lines: the
first line is a headline when it is short (<= 20 words) and has no final punctuation; the next such line a
standfirst; a line naming a photo or image is a caption; a line starting "By " a byline; a line opening with
a capitalised place and a dash, comma or "(" a dateline.

Headlines on pages: as well as the labelled page tops, headline detection is scored on synthetic pages:
each article-extraction page's ``<h1>`` above the first three paragraphs of its ground-truth body must
become the title, the paragraphs alone must not give one (halves by the page hash's
first hex digit, as above; skipped with ``--limit``).

Sentence boundaries (skipped with ``--limit``): ECB+'s own tokenised sentences are the gold; how many come
out of our splitter exactly, against spaCy's own cuts, with the sentences that glue two gold ones and the
gold sentences cut in two (halves by topic: odd dev, even test, as bench/grouping.py).

Glue rate: the share of Multi-News articles whose first sentence (spaCy's, as the pipeline splits it)
contains the text of a labelled headline, standfirst, caption or byline. "before": no structure split
(the raw lines as paragraphs, and the text exported with literal "\\n" escapes as one paragraph, as a JSON
or CSV export delivers it); "after": the body ``clean_article`` leaves for the same two inputs.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storyweave.clean import clean_article
from storyweave.clean.lines import normalise
from storyweave.model import Article

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
GOLD = REPO / "tests" / "fixtures" / "bench" / "structure" / "lines.jsonl"
KINDS = ("headline", "standfirst", "caption", "byline", "dateline")
GLUE_KINDS = frozenset({"headline", "standfirst", "caption", "byline"})


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


# A page saved as text: block elements start a new line, scripts, styles, forms and the like are dropped.
_BLOCKS = (
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "figcaption", "figure", "header",
    "footer", "section", "article", "aside", "blockquote", "tr", "table", "br", "time", "address", "dd",
    "dt", "main", "nav", "hr",
)  # fmt: skip
_DROPPED = ("script", "style", "noscript", "svg", "template", "iframe", "button", "select", "form", "head")


def _page_text_lines(raw: str) -> list[str]:
    """The non-empty lines of an HTML page as a browser's "save as text" gives them (whitespace folded)."""
    import lxml.html

    doc = lxml.html.document_fromstring(raw)
    for el in list(doc.iter(*_DROPPED)):
        el.drop_tree()
    for el in doc.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        el.text = "\n" + (el.text or "")
    return [" ".join(line.split()) for line in doc.text_content().split("\n") if line.strip()]


def page_top(data: Path, key: str, body: str) -> list[str] | None:
    """The top of an article-extraction page saved as text: its first ``<h1>`` line, the (at most) two
    lines between it and the ground-truth body's first paragraph (bylines, dates, captions, share buttons,
    standfirsts), and that paragraph; None when the page has no ``<h1>`` line followed by the body."""
    import lxml.html

    raw = gzip.decompress((data / "article-extraction" / "html" / f"{key}.html.gz").read_bytes())
    text = raw.decode("utf-8", errors="replace")
    h1 = lxml.html.document_fromstring(text).xpath("//h1")
    paragraphs = _lines(body)
    if not h1 or not paragraphs:
        return None
    lines = _page_text_lines(text)
    title = " ".join(h1[0].text_content().split())
    if title not in lines:
        return None
    at = lines.index(title)
    first = " ".join(paragraphs[0].split())
    found = next(
        (
            i
            for i in range(at + 1, len(lines))
            if lines[i][:50] == first[:50] or (len(first) > 20 and lines[i].startswith(first[:30]))
        ),
        None,
    )
    if found is None:
        return None
    return [title, *lines[at + 1 : found][-2:], lines[found]]


def load(data: Path, split: str, limit: int | None) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """Article key -> (the article's raw lines, its gold rows), for the rows of ``split``."""
    rows = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    clusters = {
        r["id"]: r
        for r in map(json.loads, (data / "multinews" / "clusters.jsonl").read_text("utf-8").splitlines())
    }
    truth: dict[str, Any] = {}
    if any(r["source"] in ("article-extraction", "page") for r in rows):
        truth = json.loads((data / "article-extraction" / "ground-truth.json").read_text("utf-8"))
    by_key: dict[str, tuple[list[str], list[dict[str, Any]]]] = {}
    for row in rows:
        if split != "all" and row["split"] != split:
            continue
        if row["source"] == "multinews":
            key = f"{row['cluster_id']}-{row['article_index']}"
            if key not in by_key:
                text = clusters[row["cluster_id"]]["articles"][row["article_index"]]
                by_key[key] = (_lines(text), [])
        elif row["source"] == "page":
            key = f"page:{row['page']}"
            if key not in by_key:
                top = page_top(data, row["page"], truth[row["page"]]["articleBody"])
                by_key[key] = (top or [], [])
        else:
            key = row["page"]
            if key not in by_key:
                body = _lines(truth[key]["articleBody"])[:3]
                by_key[key] = ([row["excerpt"], *body] if row["line_index"] == 0 else body, [])
        lines, gold = by_key[key]
        if row["line_index"] >= len(lines) or _sha1(lines[row["line_index"]]) != row["text_sha1"]:
            raise SystemExit(f"{key} line {row['line_index']}: text differs from the labelled one (sha1)")
        gold.append(row)
    keys = sorted(by_key)[:limit] if limit else sorted(by_key)
    return {k: by_key[k] for k in keys}


def _same(a: str, b: str) -> bool:
    return normalise(a).casefold() == normalise(b).casefold()


def _starts(line: str, part: str) -> bool:
    part = normalise(part).casefold()
    return bool(part) and normalise(line).casefold().startswith(part[:60])


def _part_of(line: str, whole: str) -> bool:
    """The line (without a "Story highlights" label) is the whole text or one of its joined parts."""
    part = normalise(re.sub(r"^(?i:story\s+highlights)\s*:?\s*", "", line)).casefold()
    return bool(part) and part in normalise(whole).casefold()


def predict_ours(lines: list[str]) -> tuple[list[str], Article]:
    """The kind our cleaner gives each of the first four lines, and the cleaned article."""
    out = clean_article(Article(id="x", raw_text="\n".join(lines)))
    kinds: list[str] = []
    for line in lines[:4]:
        if out.title and (_same(line, out.title) or _starts(line, out.title)):
            kinds.append("headline")
        elif out.byline and normalise(out.byline) in normalise(line) and len(out.byline) >= 6:
            kinds.append("byline")
        elif any(_starts(line, c) or _same(line, c) for c in out.captions):
            kinds.append("caption")
        elif out.standfirst and _part_of(line, out.standfirst):
            kinds.append("standfirst")
        elif out.dateline and _starts(line, out.dateline):
            kinds.append("dateline")
        else:
            kinds.append("body")
    return kinds, out


_END = re.compile(r"[.!?…:][\"'”’)]*$")
_DATELINE = re.compile(r"^[A-Z][A-Za-z.'\-]+(?:\s+[A-Z][A-Za-z.'\-]+){0,3}(?:,|\s*\(|\s+[—–-])")


def predict_baseline(lines: list[str]) -> list[str]:
    """The simple line-shape rules of the module docstring."""
    kinds: list[str] = []
    for i, line in enumerate(lines[:4]):
        short = len(line.split()) <= 20 and not _END.search(line)
        if i == 0 and short:
            kinds.append("headline")
        elif i == 1 and kinds[0] == "headline" and len(line.split()) <= 45 and not _END.search(line):
            kinds.append("standfirst")
        elif re.search(r"\b(?:photo|image|picture)s?\b", line, re.IGNORECASE):
            kinds.append("caption")
        elif line.startswith("By "):
            kinds.append("byline")
        elif _DATELINE.match(line) and line.split()[0].isupper():
            kinds.append("dateline")
        else:
            kinds.append("body")
    return kinds


def _scores(pairs: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per kind from (gold, predicted) pairs."""
    result: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        tp = sum(1 for g, p in pairs if g == kind and p == kind)
        fp = sum(1 for g, p in pairs if g != kind and p == kind)
        fn = sum(1 for g, p in pairs if g == kind and p != kind)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[kind] = {"precision": precision, "recall": recall, "f1": f1, "gold": tp + fn}
    return result


def _first_sentence(nlp: Any, text: str) -> str:
    """The first sentence of the first paragraph, split as analyse/sentences.py splits it."""
    from storyweave.analyse.sentences import split_paragraph

    para = next((p for p in text.split("\n\n") if p.strip()), "")
    spans = split_paragraph(nlp(para.strip())) if para.strip() else []
    return spans[0].text.strip() if spans else ""


def _glued(sentence: str, labelled: list[str]) -> bool:
    key = normalise(sentence).casefold()
    return any(normalise(t).casefold()[:40] in key for t in labelled if len(normalise(t)) >= 8)


def glue_rates(articles: dict[str, tuple[list[str], list[dict[str, Any]]]]) -> dict[str, float]:
    """Share of Multi-News articles whose first sentence holds a labelled headline/standfirst/caption/byline,
    before and after the structure split, for the text as read and as a literal-"\\n" export."""
    from storyweave.analyse.nlp import load_nlp

    nlp = load_nlp()
    counts: Counter[str] = Counter()
    n = 0
    for key, (lines, gold) in articles.items():
        if not key.startswith("mn"):
            continue
        labelled = [lines[r["line_index"]] for r in gold if r["kind"] in GLUE_KINDS]
        n += 1
        exported = "\\n".join(lines)
        inputs = {
            "lines": ("\n\n".join(lines), "\n".join(lines)),
            "export": (exported, exported),
        }
        for form, (plain, raw) in inputs.items():
            if _glued(_first_sentence(nlp, plain), labelled):
                counts[f"before_{form}"] += 1
            cleaned = clean_article(Article(id=key, raw_text=raw))
            if _glued(_first_sentence(nlp, cleaned.text), labelled):
                counts[f"after_{form}"] += 1
    names = ("before_lines", "after_lines", "before_export", "after_export")
    return {name: counts[name] / n if n else 0.0 for name in names} | {"articles": float(n)}


def _h1(path: Path) -> str | None:
    """The page's first ``<h1>`` as text (the headline a page saved as text shows above the article)."""
    import lxml.html

    raw = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
    try:
        found = lxml.html.document_fromstring(raw).xpath("//h1")
    except (ValueError, lxml.etree.ParserError):
        return None
    return " ".join(found[0].text_content().split()) if found else None


def page_headlines(data: Path, split: str) -> dict[str, dict[str, int]]:
    """Headline detection on article-extraction pages saved as text, for many more headlines than the
    hand-labelled lines hold: each page's ``<h1>`` (3 to 30 words) above the first three paragraphs of its
    ground-truth body must come out as the title (a positive); the same paragraphs without it must not give
    a title (a negative: the first paragraph is the lede). Halves as in the fixture: pages whose hash starts
    with an even hex digit are dev. Ours and the baseline's first-line rule, counted alike."""
    truth = json.loads((data / "article-extraction" / "ground-truth.json").read_text("utf-8"))
    counts = {name: Counter[str]() for name in ("ours", "baseline")}
    for key in sorted(truth):
        half = "dev" if int(key[0], 16) % 2 == 0 else "test"
        path = data / "article-extraction" / "html" / f"{key}.html.gz"
        if (split != "all" and half != split) or not path.exists():
            continue
        title = _h1(path)
        body = _lines(truth[key]["articleBody"])[:3]
        if not title or not 3 <= len(title.split()) <= 30 or len(body) < 2:
            continue
        for lines, positive in (([title, *body], True), (body, False)):
            out = clean_article(Article(id=key, raw_text="\n".join(lines)))
            ours = bool(out.title) and (
                _same(lines[0], out.title or "") or _starts(lines[0], out.title or "")
            )
            base = predict_baseline(lines)[0] == "headline"
            for name, said in (("ours", ours), ("baseline", base)):
                outcome = ("tp" if said else "fn") if positive else ("fp" if said else "tn")
                counts[name][outcome] += 1
    return {name: dict(c) for name, c in counts.items()}


_QUOTE_MARKS = re.compile(r"[\"“”«»„]|''|``")


def sentence_boundaries(data: Path, split: str) -> dict[str, dict[str, int]]:
    """Sentence splitting against ECB+'s gold sentences (``ecbplus/sentences.jsonl``, the corpus's own
    tokenised sentences): every gold sentence found verbatim in its document's text (a few differ in
    spacing) and standing outside quotations is a gold span. Ours (spaCy's cuts repaired,
    analyse/sentences.split_paragraph) and spaCy's own ``doc.sents`` (the baseline) split each paragraph;
    counted per system: gold sentences produced exactly, system sentences overlapping a gold span, those
    that are exactly one, sentences gluing two gold sentences and gold sentences cut in two. Halves as
    bench/grouping.py: odd topics dev, even test."""
    from storyweave.analyse.nlp import load_nlp
    from storyweave.analyse.sentences import paragraph_spans, quote_open, split_paragraph

    gold: dict[str, list[str]] = {}
    for line in (data / "ecbplus" / "sentences.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold.setdefault(row["doc_id"], []).append(row["text"].strip())
    nlp = load_nlp()
    counts = {name: Counter[str]() for name in ("ours", "spaCy")}
    for line in (data / "ecbplus" / "docs.jsonl").read_text("utf-8").splitlines():
        doc = json.loads(line)
        half = "dev" if doc["topic"] % 2 == 1 else "test"
        text = doc.get("text") or ""
        if (split != "all" and half != split) or doc["id"] not in gold:
            continue
        # gold sentences outside quotations: ours keeps a quotation of several sentences whole on purpose
        # (one speaker's words are one unit for the aligner), ECB+ cuts inside it
        spans = sorted(
            {
                (at, at + len(g))
                for g in gold[doc["id"]]
                if g
                and (at := text.find(g)) >= 0
                and not _QUOTE_MARKS.search(g)
                and not quote_open(text[:at])
            }
        )
        if not spans:
            continue
        cuts: dict[str, list[tuple[int, int]]] = {"ours": [], "spaCy": []}
        for _, start, end in paragraph_spans(text):
            parsed = nlp(text[start:end])
            for name, sents in (("ours", split_paragraph(parsed)), ("spaCy", list(parsed.sents))):
                for sent in sents:
                    piece = sent.text.strip()
                    if piece:
                        at = start + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                        cuts[name].append((at, at + len(piece)))
        for name, found in cuts.items():
            made = set(found)
            c = counts[name]
            c["gold"] += len(spans)
            c["gold_exact"] += sum(1 for g in spans if g in made)
            overlapping = [f for f in found if any(f[0] < g[1] and g[0] < f[1] for g in spans)]
            c["system"] += len(overlapping)
            c["system_exact"] += sum(1 for f in overlapping if f in set(spans))
            c["glued"] += sum(1 for f in overlapping if sum(f[0] <= g[0] <= g[1] <= f[1] for g in spans) > 1)
            c["cut"] += sum(1 for g in spans if any(g[0] < f[1] < g[1] for f in found))
    return {name: dict(c) for name, c in counts.items()}


def _sentence_row(name: str, c: dict[str, int]) -> str:
    recall = c.get("gold_exact", 0) / c["gold"] if c.get("gold") else 0.0
    precision = c.get("system_exact", 0) / c["system"] if c.get("system") else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (
        f"  {name:<9} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  "
        f"({c.get('gold', 0)} gold sentences; {c.get('glued', 0)} sentences glue two or more, "
        f"{c.get('cut', 0)} gold sentences cut)"
    )


def _page_row(name: str, c: dict[str, int]) -> str:
    tp, fp, fn, tn = (c.get(k, 0) for k in ("tp", "fp", "fn", "tn"))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (
        f"  {name:<9} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  "
        f"(headline pages {tp + fn}, lede-first pages {fp + tn}: {fp} ledes taken for a headline)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the development data folder")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--errors", action="store_true", help="list the lines we get wrong")
    args = parser.parse_args(argv)

    wall0, cpu0 = time.perf_counter(), time.process_time()
    articles = load(args.data, args.split, args.limit)
    ours_pairs: list[tuple[str, str]] = []
    base_pairs: list[tuple[str, str]] = []
    errors: list[str] = []
    for key, (lines, gold) in articles.items():
        ours, _ = predict_ours(lines)
        base = predict_baseline(lines)
        for row in gold:
            if row["kind"] == "other":
                continue
            i = row["line_index"]
            ours_pairs.append((row["kind"], ours[i]))
            base_pairs.append((row["kind"], base[i]))
            if ours[i] != row["kind"]:
                errors.append(f"{key}:{i} gold {row['kind']}, ours {ours[i]}: {lines[i][:100]}")
    ours_scores, base_scores = _scores(ours_pairs), _scores(base_pairs)
    glue = glue_rates(articles)

    print(f"Article structure, {args.split} split: {len(articles)} articles, {len(ours_pairs)} scored lines")
    header = f"{'kind':<11} {'gold':>4}   {'ours P':>6} {'R':>5} {'F1':>5}"
    print(f"{header}   {'baseline P':>10} {'R':>5} {'F1':>5}")
    for kind in KINDS:
        o, b = ours_scores[kind], base_scores[kind]
        print(
            f"{kind:<11} {int(o['gold']):>4}   {o['precision']:>6.3f} {o['recall']:>5.3f} {o['f1']:>5.3f}"
            f"   {b['precision']:>10.3f} {b['recall']:>5.3f} {b['f1']:>5.3f}"
        )
    body_ok = sum(1 for g, p in ours_pairs if g == "body" and p == "body")
    body_gold = sum(1 for g, _ in ours_pairs if g == "body")
    body_base = sum(1 for g, p in base_pairs if g == "body" and p == "body")
    print(f"body lines kept as body: ours {body_ok}/{body_gold}, baseline {body_base}/{body_gold}")
    print(
        f"glue rate ({int(glue['articles'])} Multi-News articles; first sentence holds a headline, "
        f"standfirst, caption or byline):\n"
        f"  text as read (line breaks): before {glue['before_lines']:.3f}  after {glue['after_lines']:.3f}\n"
        f"  literal-\\n export:          before {glue['before_export']:.3f}  after {glue['after_export']:.3f}"
    )
    pages = page_headlines(args.data, args.split) if args.limit is None else {}
    if pages:
        print("headline on article-extraction pages saved as text (<h1> above the body, and the body alone):")
        for name, c in pages.items():
            print(_page_row(name, c))
    boundaries = sentence_boundaries(args.data, args.split) if args.limit is None else {}
    if boundaries:
        print("sentence boundaries on ECB+ gold sentences (exact sentences, ours vs spaCy's own cuts):")
        for name, c in boundaries.items():
            print(_sentence_row(name, c))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"time: {wall:.1f} s wall, {cpu:.1f} s CPU")
    if args.errors:
        print("\n".join(errors))
    if args.json:
        result = {
            "split": args.split,
            "ours": ours_scores,
            "baseline": base_scores,
            "glue": glue,
            "pages": pages,
            "sentences": boundaries,
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
