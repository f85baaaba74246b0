"""Where a text puts words between quotation marks: one rule for the aligner's quote overlap and the page's
wordings of one statement."""

from __future__ import annotations

import re

# Double marks, straight or curly, around 3+ characters; single curly marks only around 12+ characters, so
# that apostrophes and one-word scare quotes in single marks stay out.
_QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]|‘([^’]{12,})’")


def quoted_spans(text: str) -> list[str]:
    """The stretches of ``text`` between quotation marks, in order, without the marks and outer spaces."""
    return [(double or single).strip() for double, single in _QUOTED.findall(text)]
