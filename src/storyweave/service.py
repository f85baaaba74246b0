"""The store service: add, import, export and re-brief against one store, shared by the CLI, the server
and the watcher. Articles are added as they arrive, grouped online into stories, and only the stories whose
articles changed are briefed again; :mod:`storyweave.pipeline` keeps the order of the stages."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from storyweave import thresholds
from storyweave.compose.summary import choose_headline
from storyweave.group import syndication_groups
from storyweave.group.online import StoryEvent, StoryGrouper
from storyweave.group.syndication import add_to_syndication, minhash_from_bytes, syndication_signature
from storyweave.ingest import expand_inputs, read_inputs
from storyweave.model import AnalysedArticle, Article, Brief, InputError, Story
from storyweave.pipeline import Progress, analyse_many, brief_story, no_progress
from storyweave.store import DEFAULT_DB, EXPORT_FORMAT, Member, Store, write_jsonl
from storyweave.store.records import check_record

log = logging.getLogger("storyweave")

# stories whose articles changed are briefed again.


# Articles between two saved grouper snapshots. A process opening the store replays at most this many
# articles on top of the snapshot; the (large) state stays off the per-article commit.
SNAPSHOT_EVERY = 500


@dataclass
class Added:
    """An article stored by :func:`add_to_store` (or an import) and the story it joined."""

    article_id: str
    story_id: str
    new_story: bool
    source: str | None = None


AddOutcome = Added | InputError | str
"""What happened to one article: stored, refused (with the reason), or a notice (already stored)."""


@dataclass
class AddResult:
    """Articles stored, inputs already in the store (one notice each), and inputs that failed."""

    added: list[Added] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    def record(self, outcome: AddOutcome) -> None:
        if isinstance(outcome, Added):
            self.added.append(outcome)
        elif isinstance(outcome, InputError):
            self.errors.append(outcome)
        else:
            self.already_stored.append(outcome)


def story_summary(members: Sequence[Member], syndication: dict[str, str] | None = None) -> dict[str, Any]:
    """Headline, counts, first/last seen and syndication groups of a story from its articles.

    ``syndication`` is the story's map when it is kept incrementally; without it the groups are computed
    here from the members' texts. The headline is chosen from the titles alone (a brief later picks one
    with the facts' help); first and last seen are the earliest and latest publication dates, stated dates
    preferred to estimated ones.
    """
    if syndication is None:
        if len(members) > 1:
            syndication = syndication_groups(
                [AnalysedArticle(article=Article(id=m.id, raw_text="", text=m.text)) for m in members]
            )
        else:
            syndication = {m.id: m.id for m in members}
    dates = [m.published for m in members if m.published and not m.published_estimated]
    if not dates:
        dates = [m.published for m in members if m.published]
    story = Story(id="", article_ids=[m.id for m in members], syndication=syndication)
    first_text = members[0].text if members else ""
    return {
        "headline": _headline([m.title for m in sorted(members, key=lambda m: m.id)], first_text),
        "article_count": len(members),
        "independent_count": story.independent(story.article_ids),
        "first_seen": min(dates) if dates else None,
        "last_seen": max(dates) if dates else None,
        "syndication": syndication,
    }


# A stored story's listing headline is chosen among its first this many titles, so that adding to a big
# story costs the same as adding to a small one (the brief later picks the headline with all titles).
HEADLINE_TITLES = 40


def _headline(titles: Sequence[str | None], first_text: str | Callable[[], str]) -> str:
    """The headline from the titles; without any, the opening words of the earliest article (its text,
    or a function that reads it)."""
    usable = [t or "" for t in titles]
    if any(t.strip() for t in usable):
        return choose_headline(usable, [])
    words = (first_text if isinstance(first_text, str) else first_text()).split("\n\n")[0].split()
    return " ".join(words[:16]) + (" …" if len(words) > 16 else "") or "Untitled story"


def _already_stored(article: Article, duplicate: tuple[str, str]) -> str:
    stored_id, how = duplicate
    name = article.source or article.id
    if how == "content":
        same = "same content" if stored_id == article.id else f"same content as {stored_id}"
        return f"{name}: already stored ({same}), nothing changed"
    return f"{name}: id {stored_id!r} already stored (different content), nothing changed"


class StoryAssigner:
    """Assigns articles to stories with the story grouper and stores them, one transaction per article.

    Several processes may add to one store at once. Each article's transaction holds the write lock while
    it first replays, in commit order, the articles other processes committed since this one last looked,
    then asks the grouper for the story and stores the article: so every process groups against the same
    stream, and a crash loses at most the article in flight. Merges and splits are applied to the store in
    the same transaction (ids of merged stories kept as aliases, both logged) with a grouper snapshot, so
    another process that sees a newer story event reloads that snapshot. The grouper's state is also saved
    every SNAPSHOT_EVERY articles and on :meth:`close`; a new process starts from the latest snapshot and
    replays only the articles committed after it. Syndication is kept incrementally per story.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._grouper: StoryGrouper | None = None
        self._seen = 0  # seq of the last article the grouper has taken in
        self._snapshot_seq = 0
        self._event = 0  # id of the last story event this process's grouper reflects

    def _load(self) -> StoryGrouper:
        last_event = self.store.last_event()
        if self._grouper is not None and last_event == self._event:
            return self._grouper
        grouper, seen = StoryGrouper(), 0
        snapshot = self.store.grouper_snapshot()
        if snapshot is not None:
            try:
                grouper, seen = StoryGrouper.from_state(snapshot[1]), snapshot[0]
            except (ValueError, KeyError, TypeError, IndexError) as err:
                log.warning("grouper snapshot unusable (%s): regrouping from the stored articles", err)
        self._grouper, self._seen, self._snapshot_seq, self._event = grouper, seen, seen, last_event
        return grouper

    def _catch_up(self, grouper: StoryGrouper) -> None:
        for seq, story_id, doc in self.store.articles_after(self._seen, analysis=False):
            got = grouper.add(doc)
            if got != story_id:  # e.g. thresholds changed since it was stored: the store's record stands
                log.debug("replayed %s groups into %s, stored in %s", doc.id, got, story_id)
            self._seen = seq
        grouper.drain_events()  # changes made by the process that stored them are in the store already

    def add(self, doc: AnalysedArticle) -> Added | str:
        """Store an analysed article in its story; a notice string instead when it is already stored."""
        try:
            with self.store.write():
                duplicate = self.store.duplicate_of(doc.id, doc.article.content_hash)
                if duplicate is not None:
                    return _already_stored(doc.article, duplicate)
                grouper = self._load()
                self._catch_up(grouper)
                story_id = grouper.add(doc)
                changed = self._apply(grouper.drain_events())
                new_story = self.store.story(story_id) is None
                seq = self.store.insert_article(doc, story_id)
                self._seen = seq
                self._refresh(story_id)
                changed |= self._check_split(grouper, story_id)
                if changed or seq - self._snapshot_seq >= SNAPSHOT_EVERY:
                    self.store.save_grouper_snapshot(seq, grouper.to_state())
                    self._snapshot_seq = seq
                    self._event = self.store.last_event()
        except BaseException:
            self._grouper = None  # it may have taken in an article whose transaction rolled back
            raise
        return Added(doc.id, story_id, new_story=new_story, source=doc.article.source)

    def _apply(self, events: Sequence[StoryEvent]) -> bool:
        """Write the grouper's merges to the store (splits are written where they are decided)."""
        for event in events:
            if event.kind == "merge":
                merged = {**self.store.syndication(event.other_id), **self.store.syndication(event.story_id)}
                self.store.merge_stories(event.story_id, event.other_id, merged)
                log.info("story %s merged into %s", event.other_id, event.story_id)
        return bool(events)

    def _refresh(self, story_id: str) -> None:
        """Update a story's syndication incrementally (the articles without a signature: the one just
        stored, and any stored by an older version) and its listing row."""
        store = self.store
        groups = store.syndication(story_id)
        pending = store.unsigned_articles(story_id)  # the new article, and any stored before signatures
        for article_id, text in pending:
            signature = syndication_signature(text)
            signatures = {
                a: (minhash_from_bytes(w), minhash_from_bytes(c))
                for a, (w, c) in store.syndication_signatures(story_id).items()
            }
            groups = add_to_syndication(
                article_id,
                text,
                signature,
                {a: g for a, g in groups.items() if a in signatures},
                store.syndication_key_matches(story_id, signature.lookup_keys()),
                signatures,
                store.article_texts,
            )
            store.save_syndication_signature(
                article_id,
                story_id,
                signature.words.tobytes(),
                signature.chars.tobytes(),
                signature.sentence_bytes(),
                signature.lookup_keys(),
            )
        store.save_story(story_id, **_listing(store, story_id, groups))

    def _check_split(self, grouper: StoryGrouper, story_id: str) -> bool:
        """At sizes GROUP_SPLIT_CHECKS, regroup a story's articles with the same model (under the whole
        collection's IDF): parts of at least GROUP_SPLIT_MIN_PART articles that it keeps apart become
        stories of their own, logged as splits."""
        row = self.store.story(story_id)
        if row is None or row.article_count not in thresholds.GROUP_SPLIT_CHECKS:
            return False
        big = grouper.check_split(story_id, self.store.story_grouping_docs(story_id))
        if not big:
            return False
        new_ids = [e.other_id for e in grouper.drain_events() if e.kind == "split"]
        groups = self.store.syndication(story_id)
        for new_id, part in zip(new_ids, big[1:], strict=True):
            moved = sorted(d.id for d in part)
            self.store.split_story(story_id, new_id, moved)
            log.info("story %s split: %d articles to %s", story_id, len(moved), new_id)
        for sid, part in zip([story_id, *new_ids], big, strict=True):
            ids = {d.id for d in part}
            kept: dict[str, str] = {}
            for group in sorted({groups.get(a, a) for a in ids}):
                members = sorted(a for a in ids if groups.get(a, a) == group)
                kept.update({a: members[0] for a in members})
            self.store.save_story(sid, **_listing(self.store, sid, kept))
        return True

    def close(self) -> None:
        """Save the grouper's state if it has moved on since the last snapshot."""
        if self._grouper is None or self._seen <= self._snapshot_seq:
            return
        with self.store.write():
            if self.store.last_event() != self._event:
                return  # another process changed the stories: its snapshot stands
            self._catch_up(self._grouper)
            self.store.save_grouper_snapshot(self._seen, self._grouper.to_state())
            self._snapshot_seq = self._seen


def _listing(store: Store, story_id: str, syndication: dict[str, str]) -> dict[str, Any]:
    """A story's listing fields from the store and a given syndication map."""
    count, first, last = store.story_dates(story_id)
    titles = store.story_titles(story_id, HEADLINE_TITLES)
    story = Story(id=story_id, article_ids=list(syndication), syndication=syndication)

    def first_text() -> str:
        return next(iter(store.article_texts(store.story_article_ids(story_id, 1)).values()), "")

    return {
        "headline": _headline(sorted(titles, key=lambda t: t or ""), first_text),
        "article_count": count,
        "independent_count": story.independent(story.article_ids),
        "first_seen": first,
        "last_seen": last,
        "syndication": syndication,
    }


Analyser = Callable[[Iterable[Article]], Iterator[AnalysedArticle | InputError]]
"""Maps raw articles to their analyses (or the reason one failed), lazily and in input order."""


def analyse_in_order(
    articles: Iterable[Article], strict: bool = False
) -> Iterator[AnalysedArticle | InputError]:
    """The local analyser, in this process and in input order: ``ADD_ANALYSIS_BATCH`` articles at a time
    through one spaCy stream (``pipeline.analyse_many``)."""
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= thresholds.ADD_ANALYSIS_BATCH:
            yield from analyse_many(batch, strict=strict)
            batch = []
    if batch:
        yield from analyse_many(batch, strict=strict)


def _open(db: str | Path | Store, create: bool = True) -> tuple[Store, bool]:
    if isinstance(db, Store):
        return db, False
    return Store.open(db, create=create), True


def add_to_store(
    inputs: Iterable[str | Path | Article],
    db: str | Path | Store = DEFAULT_DB,
    *,
    progress: Progress = no_progress,
    on_outcome: Callable[[AddOutcome], None] | None = None,
    include: Sequence[str] | None = None,
    allow_private: bool = False,
    strict: bool = False,
    analyse: Analyser | None = None,
    annotate: Callable[[Article], Article] | None = None,
) -> AddResult:
    """Read, clean and analyse each input, assign it to a story and store it, one article at a time.

    Inputs are as for :func:`run`. An article already stored (same content or same id) changes nothing
    and gets a notice; a bad input gets an :class:`InputError` and the batch goes on. ``on_outcome`` is
    called as each article is settled (for live output); ``progress`` ticks once per input.
    ``analyse`` maps articles to their analyses in order, lazily (default: one by one in this process;
    the Dask engine passes one that runs them on a cluster; grouping and storing stay here, in input
    order). Raises :class:`~storyweave.store.StoreError` when the store itself cannot be opened or
    written; ``strict`` re-raises unexpected exceptions of the analysis instead of reporting them per
    article.
    ``annotate`` may name each article before it is stored (e.g. an outlet table's
    :meth:`OutletTable.annotate`).
    """
    result = AddResult()
    items = list(inputs)
    objects = [i for i in items if isinstance(i, Article)]
    names = expand_inputs([i for i in items if not isinstance(i, Article)], include)
    store, owned = _open(db)
    assigner = StoryAssigner(store)

    def settle(outcome: AddOutcome) -> None:
        result.record(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    def fresh(article: Article) -> bool:
        duplicate = store.duplicate_of(article.id, article.content_hash)  # before the costly analysis
        if duplicate is not None:
            settle(_already_stored(article, duplicate))
        return duplicate is None

    def to_analyse() -> Iterator[Article]:
        tick = progress("add", len(objects) + len(names))
        for article in objects:
            article = annotate(article) if annotate is not None else article
            if fresh(article):
                yield article
            tick()
        for name in names:
            for item in read_inputs([name], include=include, allow_private=allow_private):
                if isinstance(item, InputError):
                    settle(item)
                    continue
                item = annotate(item) if annotate is not None else item
                if fresh(item):
                    yield item
            tick()

    try:
        analysed = analyse_in_order(to_analyse(), strict) if analyse is None else analyse(to_analyse())
        for doc in analysed:
            settle(doc if isinstance(doc, InputError) else assigner.add(doc))
        assigner.close()
    finally:
        if owned:
            store.close()
    return result


@dataclass
class StoreBriefs:
    """Briefs served from a store, which of them were (re)made in this call, and unknown story ids."""

    briefs: list[Brief] = field(default_factory=list)
    recomputed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _stored_or_fresh_brief(store: Store, story_id: str, length: int) -> tuple[Brief, bool] | None:
    """The story's stored brief when it is current for ``length``; else a new one, stored. None: no story.

    The story's articles are read in one snapshot; the new brief is stored with the version it was made
    from, so if articles arrived meanwhile the next call makes it again.
    """
    with store.read():
        row = store.story(story_id)  # an alias of a merged story resolves to the story it went into
        if row is None:
            return None
        story_id = row.id
        if row.brief_current:
            stored = store.brief(story_id)
            if stored is not None and stored.length == length:
                return stored.brief, False
        docs = store.story_docs(story_id)
        syndication = store.syndication(story_id)
    story = Story(id=story_id, article_ids=sorted(d.id for d in docs), syndication=syndication)
    brief = brief_story(story, docs, length)
    with store.write():
        store.save_brief(story_id, row.version, length, brief)
    return brief, True


def brief_from_store(
    db: str | Path | Store,
    story_ids: Sequence[str] | None = None,
    *,
    length: int = thresholds.SUMMARY_SENTENCES,
    progress: Progress = no_progress,
) -> StoreBriefs:
    """Briefs of the given stories (default: all, most recent first) from a store.

    A story whose articles have not changed since its brief was made is served from the store; only the
    others are briefed again (and stored). Raises StoreError when there is no store at ``db``.
    """
    store, owned = _open(db, create=False)
    result = StoreBriefs()
    try:
        wanted = [s.id for s in store.stories()] if story_ids is None else list(dict.fromkeys(story_ids))
        tick = progress("brief", len(wanted))
        for story_id in wanted:
            made = _stored_or_fresh_brief(store, story_id, length)
            if made is None:
                result.missing.append(story_id)
            else:
                result.briefs.append(made[0])
                if made[1]:
                    result.recomputed.append(story_id)
            tick()
    finally:
        if owned:
            store.close()
    return result


def export_store(db: str | Path | Store, out: TextIO) -> int:
    """Write the whole store as JSON lines (one consistent snapshot); returns the number of lines."""
    store, owned = _open(db, create=False)
    try:
        with store.read():
            return write_jsonl(store.export_records(), out)
    finally:
        if owned:
            store.close()


@dataclass
class ImportResult(AddResult):
    """What an import did: restored the export as it was (into an empty store) or merged its articles."""

    restored: bool = False


def _records(
    lines: Iterable[str], source: str, settle: Callable[[AddOutcome], None]
) -> Iterator[dict[str, Any]]:
    """Parsed records of an export; a line that is not a JSON object is an error naming its line."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            settle(InputError(f"{source}:{number}", f"not JSON ({err.msg})"))
            continue
        if not isinstance(record, dict) or "kind" not in record:
            settle(InputError(f"{source}:{number}", "not a store export record"))
            continue
        record["_line"] = number
        yield record


def _checked(
    records: Iterable[dict[str, Any]], source: str, settle: Callable[[AddOutcome], None]
) -> Iterator[dict[str, Any]]:
    """The records whose fields have the types the store writes (see store.records); each other record
    is an error naming its line: nothing is coerced into the store."""
    for record in records:
        try:
            check_record({k: v for k, v in record.items() if k != "_line"})
        except ValueError as err:
            settle(InputError(f"{source}:{record['_line']}", f"bad {record['kind']} record ({err})"))
            continue
        yield record


def import_to_store(
    lines: Iterable[str],
    db: str | Path | Store = DEFAULT_DB,
    *,
    source: str = "-",
    on_outcome: Callable[[AddOutcome], None] | None = None,
) -> ImportResult:
    """Read an export (from :func:`export_store`) into a store.

    Into an empty store the export is restored exactly, in one transaction: articles, stories, versions,
    briefs and the grouper's state. Into a store that already holds articles, the export's articles are
    added like new ones (already stored ones are skipped) and grouped with the store's stories; the
    export's own stories and briefs are then not used. Malformed records are errors; the rest goes on.
    """
    result = ImportResult()

    def settle(outcome: AddOutcome) -> None:
        result.record(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    records = _records(lines, source, settle)
    header = next(records, None)
    if header is None or header.get("kind") != "header" or header.get("format") != EXPORT_FORMAT:
        found = "nothing" if header is None else repr(header.get("format") or header.get("kind"))
        settle(InputError(source, f"not a storyweave store export ({found} at the start)"))
        return result
    records = _checked(records, source, settle)
    store, owned = _open(db)
    try:
        with store.write():
            if store.is_empty():
                result.restored = True
                for record in records:
                    try:
                        store.restore(record)
                    except (KeyError, ValueError, TypeError, sqlite3.IntegrityError) as err:
                        where = f"{source}:{record['_line']}"
                        settle(InputError(where, f"bad {record['kind']} record ({err})"))
                        continue
                    if record["kind"] == "article":
                        settle(Added(record["doc"]["article"]["id"], record["story_id"], False, source))
                for story_id in store.unrecorded_story_ids():  # an export cut short: rebuild its stories
                    store.save_story(story_id, **story_summary(store.story_members(story_id)))
        if not result.restored:
            assigner = StoryAssigner(store)
            for record in records:
                if record["kind"] != "article":
                    continue
                try:
                    doc = AnalysedArticle.from_dict(record["doc"])
                except (KeyError, ValueError, TypeError) as err:
                    settle(InputError(f"{source}:{record['_line']}", f"bad article record ({err})"))
                    continue
                settle(assigner.add(doc))
            assigner.close()
    finally:
        if owned:
            store.close()
    return result
