"""Where the benchmarks' development data comes from, and one clear line (exit 2) when it is missing.

The data sets are public but not redistributed with storyweave; the benchmarks read them, converted to
JSON lines (see docs/design.md, "Benchmark data"), from ``--data`` (default ``../shared/data`` beside the
repository, the layout of the team's machine).
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

# Each data set (the first folder of the files a benchmark reads) and where it comes from.
ORIGINS: dict[str, str] = {
    "ecbplus": "ECB+ (Cybulska & Vossen, LREC 2014; CC BY 3.0): https://github.com/cltl/ecbPlus",
    "multinews": "Multi-News (Fabbri et al., ACL 2019): https://github.com/Alex-Fabbri/Multi-News",
    "summedits": "SummEdits, news domain (Laban et al., EMNLP 2023): https://github.com/salesforce/factualNLG",
    "article-extraction": "the article extraction benchmark (MIT): "
    "https://github.com/scrapinghub/article-extraction-benchmark",
}


def require_data(data: Path, *files: str) -> None:
    """Exit with status 2, with one line per missing file saying which data set it belongs to and where
    that comes from, unless every file (a path below ``data``, like ``ecbplus/docs.jsonl``) exists."""
    missing = [name for name in files if not (data / name).is_file()]
    if not missing:
        return
    prog = Path(sys.argv[0]).name
    for name in missing:
        origin = ORIGINS.get(PurePosixPath(name).parts[0], "the team's development data")
        print(
            f"{prog}: error: {data / name} not found; this benchmark reads {origin}, as JSON lines laid out "
            "as docs/design.md ('Benchmark data') says, from --data DIR (default ../shared/data)",
            file=sys.stderr,
        )
    raise SystemExit(2)
