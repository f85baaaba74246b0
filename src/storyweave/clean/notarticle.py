"""Pages that are not articles: what a scraper gets instead of a story, named so the user knows why.

A social-media embed saved on its own, a "JavaScript is disabled" or "please enable cookies" notice, a
cookie wall, a paywall or login stub, an error page ("this page is not available"), a web archive's crawl
notice in place of the archived page, a weather widget: each carries a few lines of text that the line
rules mostly remove, and whatever is left must not be briefed as a story. A page is refused when such a
notice is present and the body that is left holds less than an article's worth of prose; an article that
merely embeds a tweet keeps its body (only the embed lines go, see clean/__init__).

Hand-written: the notices are fixed phrases of a few platforms and consent tools; no library lists them.
"""

from __future__ import annotations

import re

from storyweave import thresholds
from storyweave.clean.lines import is_prose, line_words

__all__ = ["EMBED_LINE", "refusal_reason"]

_I = re.IGNORECASE

# Lines of a social-media embed (as text): the platform's own boilerplate and the attribution line.
EMBED_LINE = re.compile(
    r"^(?:view\s+this\s+(?:post|profile|photo|video)\s+on\s+\w+|a\s+post\s+shared\s+by\b.*"
    r"|(?:see|view)\s+(?:the\s+)?(?:original\s+)?(?:tweet|post)\b.*|pic\.twitter\.com/\S+"
    r"|[—–-]\s*[^()\n]{1,60}\(@\w{1,30}\)\s+\w+\s+\d{1,2},\s+\d{4}"
    r"|.{0,280}\bpic\.twitter\.com/\S+.{0,120}"
    r"|(?:\d[\d,.]*[km]?\s+)?(?:likes?|retweets?|reposts?|views?|comments?|replies)\s*(?:·.*)?"
    r"|(?:watch|view)\s+on\s+(?:youtube|instagram|tiktok|x|twitter|facebook)"
    r"|(?:this|the)\s+(?:tweet|post|content|video)\s+(?:is|was)\s+(?:unavailable|not\s+available|deleted)\b.*"
    r"|follow\s+@\w+|@\w{1,30}|#\w+(?:\s+#\w+)*)\s*$",
    _I,
)

# (reason, pattern) for notices shown instead of an article; the reason is what the user reads.
_NOTICES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a 'JavaScript is disabled' notice",
        re.compile(
            r"javascript\s+(?:is\s+)?(?:disabled|turned\s+off|required|must\s+be\s+enabled)"
            r"|(?:please\s+)?(?:enable|turn\s+on|activate)\s+javascript"
            r"|your\s+browser\s+(?:does\s+not|doesn'?t)\s+support|unsupported\s+browser"
            r"|(?:please\s+)?(?:upgrade|update)\s+your\s+browser",
            _I,
        ),
    ),
    (
        "a cookie wall or 'enable cookies' notice",
        re.compile(
            r"(?:please\s+)?enable\s+cookies|cookies\s+(?:are\s+)?(?:disabled|required|blocked)"
            r"|(?:we|this\s+(?:site|website)|our\s+partners)\s+(?:and\s+our\s+partners\s+)?use\s+cookies"
            r"|(?:accept|reject|allow)\s+(?:all\s+)?cookies|consent\s+to\s+(?:the\s+use\s+of\s+)?cookies"
            r"|manage\s+(?:your\s+)?(?:privacy\s+)?(?:consent|cookie)\s*(?:preferences|settings)?",
            _I,
        ),
    ),
    (
        "an error page ('page not found')",
        re.compile(
            r"(?:this|the\s+(?:requested\s+)?)page\s+(?:you\s+(?:requested|are\s+looking\s+for|were\s+looking\s+for)"
            r"\s+)?(?:is|was|has\s+been|could)\s+(?:not\s+(?:be\s+)?(?:available|found)|no\s+longer\s+available"
            r"|(?:re)?moved|deleted|expired)"
            r"|\b(?:error\s+)?404\b[^.\n]{0,20}(?:not\s+found|error|page)|\bpage\s+not\s+found\b"
            r"|try\s+(?:typing|retyping|checking)\s+the\s+(?:web\s+)?address",
            _I,
        ),
    ),
    (
        "a web archive's crawl notice",
        re.compile(
            r"these\s+crawls\s+are\s+part\s+of\s+an\s+effort\s+to\s+archive|internet\s+archive\s+hopes"
            r"|crawls\s+of\s+supported\s+\W?no\s+more\s+404",
            _I,
        ),
    ),
    (
        "a paywall or login page",
        re.compile(
            r"(?:subscribe|sign\s+in|log\s+in|register)\s+(?:now\s+)?to\s+(?:continue|keep)\s+reading"
            r"|(?:this\s+(?:article|story|content)\s+is\s+)?(?:only\s+)?(?:available|reserved)\s+"
            r"(?:only\s+)?(?:to|for)\s+(?:paid\s+)?(?:subscribers|members)"
            r"|already\s+a\s+(?:subscriber|member)|create\s+(?:a\s+)?free\s+account"
            r"|you\s+have\s+reached\s+(?:your|the)\s+(?:limit|maximum)"
            r"|(?:to\s+)?(?:read|continue)\s+(?:the\s+)?(?:full\s+)?(?:article|story)[^.\n]{0,30}"
            r"(?:subscribe|sign\s+in|log\s+in)"
            r"|(?:forgot|reset)\s+(?:your\s+)?password|remember\s+me",
            _I,
        ),
    ),
)


_WEATHER = re.compile(
    r"-?\d{1,3}\s*°\s*[CF]?\b|\b(?:humidity|feels\s+like|chance\s+of\s+rain|precipitation"
    r"|uv\s+index|hourly\s+forecast|\d{1,2}-day\s+forecast|wind\s*:?\s*\d{1,3}\s*(?:mph|km/h|kph))\b",
    _I,
)


def _embed_lines(lines: list[str]) -> int:
    return sum(1 for line in lines if EMBED_LINE.match(line.strip()))


def refusal_reason(raw_lines: list[str], body: list[str]) -> str | None:
    """Why a page is not an article, or None: a known notice in its raw lines while the cleaned ``body``
    (its paragraphs, less those holding NOTICE_PARAGRAPH_MIN_PHRASES notice phrases) holds fewer than
    ARTICLE_MIN_PROSE_WORDS words of prose.

    A social-media embed counts when at least EMBED_MIN_LINES of its raw lines are embed boilerplate.
    The first notice found in the raw text names the reason.
    """
    # a paragraph that is itself a notice is not article text, however long ("These crawls are part of an
    # effort to archive ... Crawls of supported 'No More 404' sites."): one phrase may be an article's
    # ("I want people to remember me"), several make the paragraph a notice
    prose_words = sum(line_words(p) for p in body if is_prose(p) and not _is_notice(p))
    if prose_words >= thresholds.ARTICLE_MIN_PROSE_WORDS:
        return None
    found: list[tuple[int, str]] = []
    text = "\n".join(raw_lines)
    for reason, pattern in _NOTICES:
        m = pattern.search(text)
        if m is not None:
            found.append((m.start(), reason))
    if reason_weather := _weather_only(raw_lines):
        found.append((-1, reason_weather))
    if _embed_lines(raw_lines) >= thresholds.EMBED_MIN_LINES:
        found.append((-2, "a social-media embed"))
    if not found:
        return None
    return f"not an article: {min(found)[1]}, with {prose_words} words of article text"


def _is_notice(paragraph: str) -> bool:
    found = sum(1 for _, pattern in _NOTICES for _ in pattern.finditer(paragraph))
    return found >= thresholds.NOTICE_PARAGRAPH_MIN_PHRASES


def _weather_only(raw_lines: list[str]) -> str | None:
    """The weather reason when WEATHER_MIN_LINES lines carry temperatures or forecast words."""
    hits = sum(1 for line in raw_lines if _WEATHER.search(line))
    return "a weather widget" if hits >= thresholds.WEATHER_MIN_LINES else None
