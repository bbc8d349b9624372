"""Ingest: articles → cleaned text → chunks and attributed quotes → embeddings → Chroma.

Incremental and idempotent: an article whose content is already indexed is skipped, the
same content under another path or URL is recorded as a duplicate, a changed article
replaces its old records. Articles are written in batches, each article's marker record
last (see ``store``), so an interrupted ingest leaves a consistent index and re-running it
finishes the job.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from .attribute import extract_quotes
from .chunk import chunk_article, sentence_context
from .clean import clean_text
from .embed import Embedder
from .errors import LoadError
from .load import content_hash, iter_articles
from .store import ChromaStore, article_metadata, chunk_record, quote_record
from .types import Article, IngestReport, Quote

# Articles embedded and written together: enough texts (~1,200) that sorting them by length
# leaves little padding in the model's batches; few enough that an interruption loses little.
BATCH_ARTICLES = 128

Progress = Callable[[IngestReport, str], None]  # called after each file item with its location


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
) -> IngestReport:
    """Index articles (as ``rag.load.iter_articles`` yields them); bad items are reported, never fatal.

    Another process writing to the same embedded index is waited for (``QAWL_LOCK_TIMEOUT``);
    with ``wait=False`` it is ``IndexLocked`` at once. ``get_embedder`` is called (once) when the
    first batch is embedded: loading the model takes seconds, so a locked index fails before it,
    and an ingest with nothing new to embed never loads it."""
    report = IngestReport()
    get_embedder = cache(get_embedder)
    with store.write_lock(wait=wait):
        known = _Known.read(store)
        batch: list[tuple[Article, bool]] = []  # (article, replaces an indexed one)
        for item in items:
            report.seen += 1
            if isinstance(item, LoadError):
                (report.skipped if item.empty else report.failed).append((item.path, item.reason))
            else:
                _triage(item, known, store, report, batch)
            if len(batch) >= BATCH_ARTICLES:
                _write(batch, store, get_embedder, report)
            if progress:
                progress(report, item.path if isinstance(item, LoadError) else (item.location or item.id))
        _write(batch, store, get_embedder, report)
    return report


def quotes_in_files(paths: Iterable[str | Path], *, max_bytes: int) -> Iterator[tuple[Article, list[Quote]] | LoadError]:
    """Each article under ``paths`` with its attributed quotes, no index involved."""
    for item in iter_articles(paths, max_bytes=max_bytes):
        if isinstance(item, LoadError):
            yield item
        else:
            yield item, extract_quotes(item.text, title=item.title, date=item.date)


def _triage(
    article: Article, known: _Known, store: ChromaStore, report: IngestReport, batch: list[tuple[Article, bool]]
) -> None:
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
        store.delete_article(old_id)
        known.forget(old_id)
    known.add(article.id, digest, article.location)
    batch.append((article, bool(replaced)))


def _write(
    batch: list[tuple[Article, bool]], store: ChromaStore, get_embedder: Callable[[], Embedder], report: IngestReport
) -> None:
    """Embed and store a batch of articles: chunks and quotes first, the article markers last."""
    if not batch:
        return
    chunk_rows, quote_rows, article_rows, chunk_spans = [], [], [], []
    for article, is_update in batch:
        meta = article_metadata(article, content_hash(article.text))
        try:
            chunks = chunk_article(article, clean_text(article.text))
            quotes = extract_quotes(article.text, title=article.title, date=article.date)
        except Exception as exc:  # a defect on one article must not stop the others
            report.failed.append((article.location or article.id, f"could not process the article: {exc!r}"))
            continue
        if is_update:
            report.updated += 1
        else:
            report.added += 1
        chunk_spans.append((len(chunk_rows), len(chunk_rows) + len(chunks)))
        chunk_rows += [chunk_record(c, meta) for c in chunks]
        quote_rows += [quote_record(q, i, meta, _context(article.text, q)) for i, q in enumerate(quotes)]
        article_rows.append((article.id, article.text, meta))
    embedder = get_embedder()
    chunk_vectors, quote_vectors = _embed_unique(embedder, [r[1] for r in chunk_rows], [r[1] for r in quote_rows])
    store.upsert("chunks", chunk_rows, chunk_vectors)
    store.upsert("quotes", quote_rows, quote_vectors)
    store.upsert("articles", article_rows, _article_vectors(chunk_vectors, chunk_spans, embedder.dim))
    report.chunks += len(chunk_rows)
    report.quotes += len(quote_rows)
    batch.clear()


def _context(text: str, quote: Quote) -> str:
    start = min(quote.start, quote.cue_start if quote.cue_start is not None else quote.start)
    lo, hi = sentence_context(text, start, quote.end)
    return text[lo:hi]


def _embed_unique(embedder: Embedder, *groups: list[str]) -> list[np.ndarray]:
    """Embed each distinct text once, however many groups and records it appears in."""
    unique = list(dict.fromkeys(t for group in groups for t in group))
    vectors = embedder.embed_passages(unique) if unique else np.zeros((0, embedder.dim), np.float32)
    row = {text: i for i, text in enumerate(unique)}
    return [vectors[[row[t] for t in group]] if group else vectors[:0] for group in groups]


def _article_vectors(chunk_vectors: np.ndarray, spans: list[tuple[int, int]], dim: int) -> np.ndarray:
    """An article's vector is the normalised mean of its chunks' vectors: no extra encoding."""
    out = np.zeros((len(spans), dim), np.float32)
    for i, (lo, hi) in enumerate(spans):
        mean = chunk_vectors[lo:hi].mean(axis=0) if hi > lo else np.ones(dim, np.float32)
        out[i] = mean / (np.linalg.norm(mean) or 1.0)
    return out
