"""Mine candidate sentence pairs for the cross-outlet discrepancy gold set (judged by hand afterwards).

Usage: python bench/mine_discrepancies.py [--data DIR] [--out FILE]

Pairs of sentences from two different articles of one development cluster (a Multi-News cluster, an ECB+
story) that share names or several content words and differ in a number, a weekday or month, a status or
modal word, a superlative, a title word before a shared name, or quote one speaker. Only proposes
candidates: every pair kept in tests/fixtures/bench/discrepancies/ was read and labelled by a person
following the rules in that folder's README.md. A regex sentence split is enough to propose pairs.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"

_SPLIT = re.compile(r"(?<=[.!?])[\"”]?\s+(?=[\"“A-Z])")
_CAP = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*")
_NUM = re.compile(r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|"
                  r"thirty|forty|fifty|hundred|thousand|million|billion|dozens?)\b", re.I)  # fmt: skip
_DATE = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
                   r"march|april|june|july|august|september|october|november|december|yesterday|today)\b",
                   re.I)  # fmt: skip
_STATUS = re.compile(r"\b(?:final|preliminary|tentative|temporary|interim|permanent|in principle|confirmed|"
                     r"unconfirmed|may|might|could|would|will|plans? to|expected to|reportedly|allegedly|"
                     r"not|never|no|denied)\b", re.I)  # fmt: skip
_SUPER = re.compile(r"\b(?:\w+est|most|top|leading|first|largest|biggest)\b", re.I)
_TITLE = re.compile(r"\b([a-z]+(?: [a-z]+)?) ([A-Z][a-z]+ [A-Z][a-z]+)")
_QUOTE = re.compile(r"[\"“]([^\"”]{15,})[\"”]")
_WORD = re.compile(r"[a-z]{4,}")
STOP = frozenset(
    re.findall(
        r"\w+",
        "that this with have from they were been their said says about would will what when which there "
        "where after before also into more than some just over such only other them then these those while "
        "could being because people year years time told according",
    )
)


def clusters(data: Path) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(cluster id, [(article id, text)]) for Multi-News clusters and ECB+ stories."""
    with (data / "multinews" / "clusters.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            yield row["id"], [(f"{row['id']}-{i}", t) for i, t in enumerate(row["articles"])]
    stories: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with (data / "ecbplus" / "docs.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            stories[f"ecb-{row['event']}"].append((row["id"], f"{row['title'] or ''}\n{row['text']}"))
    yield from stories.items()


def signals(a: str, b: str) -> list[str]:
    out = []
    if _NUM.search(a) and _NUM.search(b) and {m.casefold() for m in _NUM.findall(a)} != {
        m.casefold() for m in _NUM.findall(b)
    }:
        out.append("number")
    da, db = {m.casefold() for m in _DATE.findall(a)}, {m.casefold() for m in _DATE.findall(b)}
    if da and db and da != db:
        out.append("date")
    if {m.casefold() for m in _STATUS.findall(a)} != {m.casefold() for m in _STATUS.findall(b)}:
        out.append("status")
    if _SUPER.search(a) and _SUPER.search(b):
        out.append("ranking")
    ta, tb = dict((n, t) for t, n in _TITLE.findall(a)), dict((n, t) for t, n in _TITLE.findall(b))
    if any(ta[n] != tb[n] for n in set(ta) & set(tb)):
        out.append("title")
    if _QUOTE.search(a) and _QUOTE.search(b):
        out.append("quote")
    return out


def candidates(data: Path) -> Iterator[dict[str, Any]]:
    for cluster, articles in clusters(data):
        sentences = [
            (aid, s.strip())
            for aid, text in articles
            for s in _SPLIT.split(" ".join(text.split()))
            if 8 <= len(s.split()) <= 60
        ]
        for (ia, a), (ib, b) in combinations(sentences, 2):
            if ia == ib or a == b:
                continue
            caps = set(_CAP.findall(a)) & set(_CAP.findall(b))
            words = (set(_WORD.findall(a.casefold())) & set(_WORD.findall(b.casefold()))) - STOP
            if len(caps) + len(words) < 4 or not caps:
                continue
            found = signals(a, b)
            if found:
                yield {"cluster": cluster, "a_id": ia, "a": a, "b_id": ib, "b": b, "signals": found,
                       "shared": len(caps) + len(words)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("candidates.jsonl"))
    args = parser.parse_args()
    rows = sorted(candidates(args.data), key=lambda r: -r["shared"])
    with args.out.open("w", encoding="utf-8") as handle:
        for i, row in enumerate(rows):
            handle.write(json.dumps({"n": i, **row}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} candidate pairs -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
