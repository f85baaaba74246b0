"""Tail sections that are not the article: comment widgets, "related/popular posts" lists and whole
unrelated stories a scraper appended after the body.

Two signals, both needed on real pages:
  * markers — a short line like "Comments", "Popular posts from this blog", "Related", "More from X" opens a
    section that runs to the end of the text (or until the article clearly resumes);
  * content drift — with no marker at all, a trailing block whose words and names barely overlap the
    article's own head (title + first paragraphs) is a different story. Overlap of stemmed content words
    (see lines.content_tokens) is used rather than embeddings because it is fast, needs no model and is
    decisive here: an appended sports or weather story shares almost no content words with a summit report.

Hand-written because boilerplate libraries (trafilatura, jusText) judge HTML blocks, not topical coherence
of plain-text paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from storyweave import thresholds
from storyweave.clean.lines import (
    Para,
    content_tokens,
    document_names,
    is_prose,
    name_tokens,
    normalise,
    words,
)
from storyweave.model import Removal

_MARKERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"(?:\d+\s+)?comments?(?:\s*[(\[]?\d+[)\]]?)?|post\s+a\s+comment|leave\s+a\s+(?:comment|reply)"
            r"|add\s+(?:a\s+|your\s+)?comment|(?:show|view|load|read|see)\s+(?:all\s+)?(?:\d+\s+)?comments"
            r"|be\s+the\s+first\s+to\s+comment|join\s+the\s+(?:conversation|discussion)|reader\s+comments"
            r"|comments\s+are\s+closed|\d+\s+repl(?:y|ies)|what\s+do\s+you\s+think\??",
            re.IGNORECASE,
        ),
        "comments",
    ),
    (
        re.compile(
            r"popular\s+posts(?:\s+from\s+this\s+blog)?|related(?:\s+(?:articles|stories|posts|news|content"
            r"|coverage|links|reading|topics|videos))?|read\s+more(?:\s+(?:stories|news|articles))?"
            r"|more\s+(?:from|on|in|about)\s+[\w .,'’&-]{1,40}"
            r"|more\s+(?:stories|news|articles|headlines|videos)"
            r"|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)"
            r"|recommended(?:\s+(?:for\s+you|stories|reading|articles|videos))?"
            r"|(?:most|top)\s+(?:read|popular|viewed|shared|stories)|trending(?:\s+(?:now|stories|news))?"
            r"|latest\s+(?:news|stories|headlines)|also\s+read|don'?t\s+miss|what\s+to\s+read\s+next"
            r"|editor'?s\s+picks?|further\s+reading|(?:in\s+)?other\s+news|(?:from\s+)?around\s+the\s+web"
            r"|more\s+like\s+this|see\s+also|up\s+next|watch\s+next|explore\s+more|keep\s+reading|next\s+up"
            r"|more\s+on\s+this\s+story|you\s+may\s+have\s+missed",
            re.IGNORECASE,
        ),
        "off-topic",
    ),
    (
        re.compile(
            r"promoted\s+stories|sponsored\s+stories|recommended\s+by(?:\s+(?:outbrain|taboola))?"
            r"|from\s+our\s+(?:partners|sponsors)|paid\s+content|around\s+the\s+web\s+sponsored",
            re.IGNORECASE,
        ),
        "advertising",
    ),
)
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")


# "34 responses to “Headline”", "12 thoughts on “Headline”": a comment section's header names the post.
_RESPONSES = re.compile(
    r"\d+\s+(?:responses?|comments?|replies|thoughts)\s+(?:to|on)\s+\S.{0,160}", re.IGNORECASE
)


def marker_reason(text: str) -> str | None:
    """The section reason when ``text`` is a tail marker line on its own, else None."""
    if _RESPONSES.fullmatch(normalise(text)):
        return "comments"
    if len(text) > 60:
        return None
    key = _EDGES.sub("", normalise(text))
    for pattern, reason in _MARKERS:
        if pattern.fullmatch(key):
            return reason
    return None


@dataclass
class _Profile:
    """What the drift test needs of one paragraph."""

    counts: Counter[str]  # stemmed content tokens with their counts
    names: set[str]  # specific names (lines.name_tokens)
    n_words: int
    tokens: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = set(self.counts)


def _profiles(texts: list[str], title: str | None) -> tuple[list[_Profile], set[str], set[str]]:
    """Profiles of the paragraphs, and the content tokens and names of the title."""
    known = document_names([title or "", *texts])
    profiles = [_Profile(Counter(content_tokens(t)), name_tokens(t, known), len(words(t))) for t in texts]
    return profiles, set(content_tokens(title or "")), name_tokens(title or "", known)


def _overlap(counts: Counter[str], vocab: set[str]) -> float:
    """Share of the content tokens (with repeats) that occur in ``vocab``."""
    total = sum(counts.values())
    return sum(n for t, n in counts.items() if t in vocab) / total if total else 0.0


def _head_size(profiles: list[_Profile]) -> int:
    """Paragraphs that make up the article's head: never judged off-topic, they define the topic."""
    size, n_words = 0, 0
    for prof in profiles:
        if size >= thresholds.HEAD_MIN_PARAS and n_words >= thresholds.HEAD_MIN_WORDS:
            break
        size += 1
        n_words += prof.n_words
    return size


def _head(
    profiles: list[_Profile], title_tokens: set[str], title_names: set[str]
) -> tuple[set[str], set[str]]:
    """Content tokens and names of the title and the head paragraphs."""
    tokens, names = set(title_tokens), set(title_names)
    for prof in profiles[: _head_size(profiles)]:
        tokens |= prof.tokens
        names |= prof.names
    return tokens, names


def _anchored(prof: _Profile, tokens: set[str], names: set[str], head_names: set[str]) -> bool:
    """True for a paragraph tied to the given text: a name of its head, two of its names, or a mostly
    shared vocabulary."""
    if prof.names & head_names or len(prof.names & names) >= 2:
        return True
    return (
        len(prof.counts) >= thresholds.DRIFT_MIN_START_TOKENS
        and _overlap(prof.counts, tokens) >= thresholds.STRONG_ON_TOPIC_OVERLAP
    )


def _resumes(prof: _Profile, text: str, section: str, head_tokens: set[str], head_names: set[str]) -> bool:
    """Inside a marker section: the article going on after an in-body widget.

    A long paragraph naming the head twice or sharing most of its words always is. In a links section
    ("Related", "Read more", "Don't miss"), whose items are headlines, so is a sentence of prose that
    names the head or shares some of its words: tabloid paragraphs after such a box run 10-20 words.
    Comment sections are prose about the article, so only the first test ends them.
    """
    if (
        section == "off-topic"
        and is_prose(text)
        and _SENTENCE_END.search(text) is not None
        and (prof.names & head_names or _overlap(prof.counts, head_tokens) >= thresholds.RESUME_LINKS_OVERLAP)
    ):
        return True
    if prof.n_words < thresholds.RESUME_MIN_WORDS:
        return False
    return len(prof.names & head_names) >= 2 or (
        len(prof.counts) >= thresholds.DRIFT_MIN_START_TOKENS
        and _overlap(prof.counts, head_tokens) >= thresholds.STRONG_ON_TOPIC_OVERLAP
    )


def marker_tails(paras: list[Para], title: str | None) -> list[Removal]:
    """Remove marker lines and the sections they open; marks the paragraphs not kept."""
    body = [p for p in paras if p.kept]
    profiles, title_tokens, title_names = _profiles([p.text for p in body], title)
    head_tokens, head_names = _head(profiles, title_tokens, title_names)
    removed: list[Removal] = []
    section: str | None = None
    content_before = 0
    for para, prof in zip(body, profiles, strict=True):
        reason = marker_reason(para.text)
        if reason is not None:
            if content_before >= thresholds.TAIL_MIN_PARAS_BEFORE:
                section = reason
            para.kept = False
            removed.append(Removal(para.text, reason, para.line))
            continue
        if section is not None:
            if _resumes(prof, para.text, section, head_tokens, head_names):
                section = None  # the article carries on after an in-body widget: when unsure, keep
            else:
                para.kept = False
                removed.append(Removal(para.text, section, para.line))
                continue
        content_before += 1
    return removed


def _is_headline_like(text: str) -> bool:
    """A short line without closing punctuation, like the headline of an appended story."""
    n = len(words(text))
    return 0 < n <= thresholds.TITLE_MAX_WORDS and not text.rstrip("\"'”’)").endswith((".", "!", "?", ":"))


# A paragraph opening like this continues the text before it; a new story's lede never does.
_CONTINUATION = re.compile(
    r"[\"“‘'«(\[–—-]|(?:he|she|they|it|we|i|you|his|her|their|its|this|that|these|those|but|and|or|so|yet"
    r"|however|meanwhile|also|still|instead|then|there|here|such|both|neither|either)\b",
    re.IGNORECASE,
)


class _Drift:
    """The drift test of one article body (see :func:`drift_tail`)."""

    def __init__(self, body: list[Para], title: str | None, boundaries: frozenset[int] = frozenset()) -> None:
        self.body = body
        self.boundaries = boundaries  # body indices with a removed line (a visible end) just before them
        self.profiles, self.title_tokens, self.title_names = _profiles([p.text for p in body], title)
        self.head_tokens, self.head_names = _head(self.profiles, self.title_tokens, self.title_names)

    def lede(self, i: int, tokens: set[str], names: set[str]) -> bool:
        """Paragraph i reads as the lede of another story than ``tokens``/``names`` tell."""
        prof = self.profiles[i]
        if _CONTINUATION.match(self.body[i].text) or len(prof.counts) < thresholds.DRIFT_MIN_START_TOKENS:
            return False
        if prof.n_words < thresholds.DRIFT_MIN_LEDE_WORDS or prof.names & names:
            return False
        return (
            len(prof.names) >= thresholds.DRIFT_MIN_LEDE_NAMES
            and _overlap(prof.counts, tokens) <= thresholds.DRIFT_START_MAX_OVERLAP
        )

    def story_start(self, i: int, tokens: set[str], names: set[str]) -> bool:
        """Paragraph i opens another story: a lede, or a headline-like line followed by one."""
        return self.lede(i, tokens, names) or self.headline_start(i, tokens, names)

    def headline_start(self, i: int, tokens: set[str], names: set[str]) -> bool:
        """Paragraph i is a headline-like line followed by the lede of another story."""
        prof = self.profiles[i]
        return (
            i + 1 < len(self.body)
            and _is_headline_like(self.body[i].text)
            and not (prof.names & names)
            and _overlap(prof.counts, tokens) <= thresholds.DRIFT_HEADLINE_MAX_OVERLAP
            and self.lede(i + 1, tokens, names)
        )

    def off_topic(self, segment: list[_Profile], tokens: set[str], names: set[str]) -> bool:
        """A run of paragraphs (one appended story) that is not about the text ``tokens``/``names`` tell."""
        counts: Counter[str] = Counter()
        seg_names: set[str] = set()
        for prof in segment:
            if _anchored(prof, tokens, names, self.head_names):
                return False
            counts.update(prof.counts)
            seg_names |= prof.names
        if _overlap(counts, tokens) > thresholds.DRIFT_MAX_OVERLAP:
            return False
        return not seg_names or len(seg_names & names) / len(seg_names) <= thresholds.DRIFT_MAX_NAME_OVERLAP

    def cut(self) -> int | None:
        """Index of the first paragraph of the appended block, or None."""
        profiles = self.profiles
        n = len(profiles)
        lowest = max(_head_size(profiles), n - thresholds.DRIFT_MAX_CANDIDATES)
        if lowest >= n:
            return None
        tokens, names = set(self.title_tokens), set(self.title_names)
        block_words = sum(p.n_words for p in profiles[lowest:])
        for c in range(n):
            if c >= lowest:
                if block_words < thresholds.DRIFT_MIN_TAIL_WORDS:
                    return None
                if (
                    self.story_start(c, tokens, names)
                    and (c in self.boundaries or self.headline_start(c, tokens, names))
                    and self.block_off_topic(c, tokens, names)
                ):
                    return c
                block_words -= profiles[c].n_words
            tokens |= profiles[c].tokens
            names |= profiles[c].names
        return None

    def block_off_topic(self, c: int, tokens: set[str], names: set[str]) -> bool:
        """body[c:] splits into appended stories (at story starts that share no name with the story
        before them), the first of at least DRIFT_MIN_STORY_PARAS paragraphs that share words, each
        off-topic for the text before c."""
        segments: list[list[_Profile]] = []
        segment_names: set[str] = set()
        for i in range(c, len(self.profiles)):
            prof = self.profiles[i]
            if segments:
                current = segments[-1]
                headline_only = len(current) == 1 and _is_headline_like(self.body[i - 1].text)
                if (
                    not headline_only
                    and not (prof.names & segment_names)
                    and self.story_start(i, tokens, names)
                ):
                    segments.append([])
                    segment_names = set()
            else:
                segments.append([])
            segments[-1].append(prof)
            segment_names |= prof.names
        first = segments[0]
        if len(first) < thresholds.DRIFT_MIN_STORY_PARAS:
            return False
        # the first story must hang together: its second paragraph picks up words or names of its first
        links = (first[0].tokens | first[0].names) & (first[1].tokens | first[1].names)
        if len(links) < thresholds.DRIFT_MIN_STORY_LINKS:
            return False
        return all(self.off_topic(segment, tokens, names) for segment in segments)


def drift_tail(paras: list[Para], title: str | None) -> list[Removal]:
    """Remove a trailing block of paragraphs about something else than the article.

    A cut needs a visible seam: paragraph c is a headline-like line, or a removed line (a syndication
    note, an advert, a credit) stands just before it. Without one, an article's own later paragraphs
    that bring in new people and words (a feature moving on to its next scene) looked like a new story
    on real pages (bench/extraction.py). A cut before paragraph c is then accepted when paragraph c (or
    the one after it, when c is a headline-like line) reads as the lede of another story: it does not
    continue the text before it (no opening quote, pronoun or connective), is lede-sized, shares no
    name with the text before c, and its word overlap with that text is low. Then body[c:] is split
    into stories at further such ledes, the first of which must span two paragraphs that share words,
    and every one of them must be off-topic for the text before c: no paragraph tied to it by two names
    or most of its words, low word overlap and a low share of known names. The block must also be long
    enough to judge. The earliest acceptable cut wins; only the last DRIFT_MAX_CANDIDATES paragraphs
    are tried.
    """
    body: list[Para] = []
    boundaries: set[int] = set()
    gap = False
    for para in paras:
        if not para.kept:
            gap = True
            continue
        if gap and body:
            boundaries.add(len(body))
        body.append(para)
        gap = False
    c = _Drift(body, title, frozenset(boundaries)).cut()
    if c is None:
        return []
    for para in body[c:]:
        para.kept = False
    return [Removal(p.text, "off-topic", p.line) for p in body[c:]]
