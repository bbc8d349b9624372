"""Ingest: articles → cleaned text → chunks and attributed quotes → embeddings → Chroma.

Incremental and idempotent: an article whose content is already indexed is skipped, the
same content under another path or URL is recorded as a duplicate, a changed article
replaces its old records. ``reattribute_index`` extracts the statements of every indexed
article again (after the rules changed), embedding only the wordings that are new. Articles are written in batches, each article's marker record
last (see ``store``), so an interrupted ingest leaves a consistent index and re-running it
finishes the job. The batches are pipelined: while the model embeds one, the one before is
written to Chroma and the one after is chunked and attributed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from .attribute.article import article_quotes
from .chunk import chunk_article, sentence_context
from .clean import clean_text
from .embed import Embedder
from .errors import LoadError
from .load import content_hash, iter_articles
from .store import ChromaStore, Record, article_from_record, article_metadata, chunk_record, quote_record
from .types import Article, IngestReport, Quote, ReattributeReport

# Articles embedded and written together: enough texts (~1,200) that sorting them by length
# leaves little padding in the model's batches; few enough that an interruption loses little.
BATCH_ARTICLES = 128

Progress = Callable[[IngestReport, str], None]  # called after each file item with its location


@dataclass
class Written:
    """What a writing run changed, so that what is derived from the index can be updated
    rather than built again (``rag.derived``): the index's state (``read_state``) when the run
    took the write lock and when it let go of it, and every article whose records it wrote or
    deleted meanwhile."""

    read_state: Callable[[], dict]
    before: dict | None = None
    after: dict | None = None
    articles: set[str] = field(default_factory=set)


@dataclass
class _Known:
    """What the index already holds: content hash by article id, article id by hash and by
    location (a file without a URL gets its id from its content, so an edited file is
    recognised by its path)."""

    hash_by_id: dict[str, str] = field(default_factory=dict)
    id_by_hash: dict[str, str] = field(default_factory=dict)
    id_by_location: dict[str, str] = field(default_factory=dict)
    location_by_id: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, store: ChromaStore) -> _Known:
        known = cls()
        for record in store.iter_records("articles", documents=False):
            meta = record.metadata
            known.add(record.id, meta["content_hash"], meta.get("url") or meta.get("path"))
        return known

    def forget(self, article_id: str) -> None:
        digest = self.hash_by_id.pop(article_id)
        if self.id_by_hash.get(digest) == article_id:
            del self.id_by_hash[digest]
        self.location_by_id.pop(article_id, None)

    def add(self, article_id: str, digest: str, location: str | None) -> None:
        self.hash_by_id[article_id] = digest
        self.id_by_hash.setdefault(digest, article_id)
        if location:
            self.id_by_location[location] = article_id
            self.location_by_id.setdefault(article_id, location)


def ingest_items(
    items: Iterable[Article | LoadError],
    *,
    store: ChromaStore,
    get_embedder: Callable[[], Embedder],
    progress: Progress | None = None,
    wait: bool = True,
    written: Written | None = None,
) -> IngestReport:
    """Index articles (as ``rag.load.iter_articles`` yields them); bad items are reported, never fatal.

    Another process writing to the same embedded index is waited for (``QAWL_LOCK_TIMEOUT``);
    with ``wait=False`` it is ``IndexLocked`` at once. ``get_embedder`` is called (once) when the
    first batch is embedded: loading the model takes seconds, so a locked index fails before it,
    and an ingest with nothing new to embed never loads it. ``written``: filled in (``Written``)."""
    report = IngestReport()
    get_embedder = cache(get_embedder)
    written = written or Written(dict)
    with store.write_lock(wait=wait):
        written.before = written.read_state()
        known = _Known.read(store)
        batch: list[_Change] = []
        embedding: _Records | None = None  # the batch before, its vectors on their way
        for item in items:
            report.seen += 1
            if isinstance(item, LoadError):
                (report.skipped if item.empty else report.failed).append((item.path, item.reason))
            else:
                _triage(item, known, report, batch)
            if len(batch) >= BATCH_ARTICLES:
                embedding = _advance(batch, embedding, store, get_embedder, report, written)
            if progress:
                progress(report, item.path if isinstance(item, LoadError) else (item.location or item.id))
        embedding = _advance(batch, embedding, store, get_embedder, report, written)
        _advance([], embedding, store, get_embedder, report, written)  # the last batch written
        written.after = written.read_state()
    return report


def quotes_in_files(paths: Iterable[str | Path], *, max_bytes: int) -> Iterator[tuple[Article, list[Quote]] | LoadError]:
    """Each article under ``paths`` with its attributed quotes, no index involved."""
    for item in iter_articles(paths, max_bytes=max_bytes):
        if isinstance(item, LoadError):
            yield item
        else:
            yield item, article_quotes(item.text, title=item.title, date=item.date)


def _triage(article: Article, known: _Known, report: IngestReport, batch: list[_Change]) -> None:
    """Decide whether ``article`` is unchanged, a duplicate, updated or new; queue it if it needs writing."""
    digest = content_hash(article.text)
    kept = known.id_by_hash.get(digest)
    if kept is not None and known.location_by_id.get(kept, article.location) != article.location:
        report.duplicates.append((article.location or article.id, kept))
        return
    if known.hash_by_id.get(article.id) == digest:
        report.unchanged += 1
        return
    replaced = {article.id, known.id_by_location.get(article.location)} & known.hash_by_id.keys()
    for old_id in replaced:
        known.forget(old_id)
    known.add(article.id, digest, article.location)
    change = _Change(article, digest, replaced, update=bool(replaced))
    for earlier in [c for c in batch if c.article.id in replaced]:  # edited again before it was written
        batch.remove(earlier)
        change.replaces |= earlier.replaces
        change.update = earlier.update
    batch.append(change)


@dataclass
class _Change:
    """An article to write, and the indexed articles whose records it takes the place of:
    those are deleted when it is written, not before, so that an edit of an article still on
    its way to the index (in a batch being embedded) cannot leave records of both versions."""

    article: Article
    digest: str  # ``content_hash`` of its text
    replaces: set[str]
    update: bool  # replaces an article that was in the index before this ingest


@dataclass
class _Records:
    """A batch of articles made into Chroma rows, waiting for their vectors."""

    chunks: list[tuple[str, str, dict]] = field(default_factory=list)
    quotes: list[tuple[str, str, dict]] = field(default_factory=list)
    articles: list[tuple[str, str, dict]] = field(default_factory=list)
    chunk_spans: list[tuple[int, int]] = field(default_factory=list)  # each article's rows in ``chunks``
    replaced: set[str] = field(default_factory=set)  # articles deleted before these are written
    updates: int = 0
    vectors: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None  # chunks', quotes', articles'


def _advance(
    batch: list[_Change],
    embedding: _Records | None,
    store: ChromaStore,
    get_embedder: Callable[[], Embedder],
    report: IngestReport,
    written: Written,
) -> _Records | None:
    """Make ``batch`` into rows and start embedding them, then write the batch before, whose
    vectors were started last time. Chunking and attribution run while the model embeds the
    batch before, and its Chroma writes while the model embeds this one: the model is never idle."""
    records = _records(batch, report) if batch else None
    vectors = embedding.vectors() if embedding else None
    if records:
        records.vectors = _start_vectors(get_embedder(), records)
    if embedding:
        _write(embedding, vectors, store, report)
        written.articles |= embedding.replaced | {row[0] for row in embedding.articles}
    return records


def _records(batch: list[_Change], report: IngestReport) -> _Records:
    records = _Records()
    for change in batch:
        article = change.article
        records.replaced |= change.replaces  # a version that cannot be processed still replaces the old one
        meta = article_metadata(article, change.digest)
        try:
            clean = clean_text(article.text)
            chunks = chunk_article(article, clean)
            quotes = article_quotes(article.text, title=article.title, date=article.date, clean=clean)
        except Exception as exc:  # a defect on one article must not stop the others
            report.failed.append((article.location or article.id, f"could not process the article: {exc!r}"))
            continue
        records.updates += change.update
        records.chunk_spans.append((len(records.chunks), len(records.chunks) + len(chunks)))
        records.chunks += [chunk_record(c, meta) for c in chunks]
        records.quotes += [quote_record(q, i, meta, _context(article.text, q)) for i, q in enumerate(quotes)]
        records.articles.append((article.id, article.text, meta))
    batch.clear()
    return records


def _write(
    records: _Records, vectors: tuple[np.ndarray, np.ndarray, np.ndarray], store: ChromaStore, report: IngestReport
) -> None:
    """Store a batch of articles: the versions they replace deleted, then chunks and quotes, the article markers last."""
    chunk_vectors, quote_vectors, article_vectors = vectors
    for old_id in records.replaced:
        store.delete_article(old_id)
    store.upsert("chunks", records.chunks, chunk_vectors)
    store.upsert("quotes", records.quotes, quote_vectors)
    store.upsert("articles", records.articles, article_vectors)
    report.updated += records.updates
    report.added += len(records.articles) - records.updates
    report.chunks += len(records.chunks)
    report.quotes += len(records.quotes)


def reattribute_index(
    *,
    store: ChromaStore,
    get_embedder: Callable[[], Embedder],
    progress: Callable[[ReattributeReport, str], None] | None = None,
    wait: bool = True,
    written: Written | None = None,
) -> ReattributeReport:
    """Extract the statements of every indexed article again with the current rules and store
    what changed, ``BATCH_ARTICLES`` articles at a time: chunks and article records stay as
    they are, a statement whose text the article already had keeps that text's stored vector,
    and only new wordings are embedded (the model is loaded only if there are some). A
    statement's id is its article and position, so new ones are written over the old ones
    first and those left over are deleted after: an interrupted run leaves each article with
    its new statements and at worst some old ones, which running it again removes. An article
    that cannot be processed keeps its statements (``failed``). Writers wait, and ``written`` is
    filled in, as in ``ingest_items``."""
    report = ReattributeReport()
    get_embedder = cache(get_embedder)
    written = written or Written(dict)
    with store.write_lock(wait=wait):
        written.before = written.read_state()
        batch: list[Record] = []
        for record in store.iter_records("articles"):
            batch.append(record)
            if len(batch) == BATCH_ARTICLES:
                _reattribute(batch, store, get_embedder, report, progress, written)
        _reattribute(batch, store, get_embedder, report, progress, written)
        written.after = written.read_state()
    return report


def _reattribute(batch: list[Record], store: ChromaStore, get_embedder: Callable[[], Embedder],
                 report: ReattributeReport, progress: Callable[[ReattributeReport, str], None] | None,
                 written: Written) -> None:
    """One batch of ``reattribute_index``: new statements written over the old, leftovers deleted."""
    if not batch:
        return
    stored = {r.id: r for r in store.of_articles("quotes", [a.id for a in batch], embeddings=True)}
    vector_of = {r.document: r.embedding for r in stored.values()}
    rows, kept = [], set()
    for record in batch:
        report.articles += 1
        article = article_from_record(record)
        try:
            quotes = article_quotes(article.text, title=article.title, date=article.date)
        except Exception as exc:  # a defect on one article must not stop the others
            report.failed.append((article.id, f"could not process the article: {exc!r}"))
            kept |= {i for i, r in stored.items() if r.metadata.get("article_id") == article.id}
            continue
        for row in (quote_record(q, i, record.metadata, _context(article.text, q)) for i, q in enumerate(quotes)):
            kept.add(row[0])
            old = stored.get(row[0])
            if old is not None and old.document == row[1] and old.metadata == row[2]:
                report.unchanged += 1
                continue
            report.changed += old is not None
            report.added += old is None
            rows.append(row)
        if progress:
            progress(report, article.id)
    new_texts = list(dict.fromkeys(r[1] for r in rows if r[1] not in vector_of))
    if new_texts:
        vector_of |= zip(new_texts, get_embedder().start_passages(new_texts)())
        report.embedded += len(new_texts)
    if rows:
        store.upsert("quotes", rows, np.stack([vector_of[r[1]] for r in rows]))
    removed = [i for i in stored if i not in kept]
    store.delete("quotes", removed)
    report.removed += len(removed)
    written.articles |= {r[2]["article_id"] for r in rows} | {stored[i].metadata["article_id"] for i in removed}
    batch.clear()


def _context(text: str, quote: Quote) -> str:
    start = min(quote.start, quote.cue_start if quote.cue_start is not None else quote.start)
    lo, hi = sentence_context(text, start, quote.end)
    return text[lo:hi]


def _start_vectors(embedder: Embedder, records: _Records) -> Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Start embedding each distinct chunk and quote text once, however many records it
    appears in; an article's vector comes from its chunks'."""
    chunk_texts, quote_texts = [r[1] for r in records.chunks], [r[1] for r in records.quotes]
    unique = list(dict.fromkeys([*chunk_texts, *quote_texts]))
    pending = embedder.start_passages(unique)

    def vectors() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        embedded = pending()
        row = {text: i for i, text in enumerate(unique)}
        chunk_vectors = embedded[[row[t] for t in chunk_texts]].reshape(-1, embedder.dim)
        quote_vectors = embedded[[row[t] for t in quote_texts]].reshape(-1, embedder.dim)
        return chunk_vectors, quote_vectors, _article_vectors(chunk_vectors, records.chunk_spans, embedder.dim)

    return vectors


def _article_vectors(chunk_vectors: np.ndarray, spans: list[tuple[int, int]], dim: int) -> np.ndarray:
    """An article's vector is the normalised mean of its chunks' vectors: no extra encoding."""
    out = np.zeros((len(spans), dim), np.float32)
    for i, (lo, hi) in enumerate(spans):
        mean = chunk_vectors[lo:hi].mean(axis=0) if hi > lo else np.ones(dim, np.float32)
        out[i] = mean / (np.linalg.norm(mean) or 1.0)
    return out
