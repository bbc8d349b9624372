"""Hybrid retrieval: dense (e5 embeddings in Chroma) plus BM25 over Arabic-normalised tokens,
fused by reciprocal rank.

BM25 is fused only for queries written in Arabic script: on English queries over Arabic
text its matches are noise (measured in benchmarks/retrieval.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .normalize import has_arabic, tokenize
from .store import ChromaStore, Record, date_int

RRF_K = 60


@dataclass(frozen=True)
class Filters:
    """Outlet and date limits, usable both as a Chroma ``where`` and as a Python predicate."""

    source: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def where(self) -> dict | None:
        clauses = []
        if self.source:
            clauses.append({"source": self.source})
        if self.date_from:
            clauses.append({"date_int": {"$gte": date_int(self.date_from)}})
        if self.date_to:
            clauses.append({"date_int": {"$lte": date_int(self.date_to)}})
        if len(clauses) > 1:
            return {"$and": clauses}
        return clauses[0] if clauses else None

    def matches(self, meta: dict) -> bool:
        if self.source and meta.get("source") != self.source:
            return False
        day = meta.get("date_int")
        if self.date_from and (day is None or day < date_int(self.date_from)):
            return False
        if self.date_to and (day is None or day > date_int(self.date_to)):
            return False
        return True


class KeywordIndex:
    """BM25 over the normalised tokens of a fixed list of records."""

    def __init__(self, records: Sequence[Record]):
        import bm25s

        self.records = list(records)
        self._bm25 = bm25s.BM25()
        if self.records:
            # An empty token list breaks bm25s; a placeholder token never matches a query.
            corpus = [tokenize(r.document) or ["\x00"] for r in self.records]
            self._bm25.index(corpus, show_progress=False)

    def top(self, query: str, n: int, keep: Callable[[Record], bool] | None = None) -> list[tuple[Record, float]]:
        """The ``n`` best-scoring records that ``keep`` accepts; records with score 0 never count."""
        tokens = tokenize(query)
        if not self.records or not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        hits = []
        for i in np.argsort(-scores):
            if scores[i] <= 0 or len(hits) == n:
                break
            if keep is None or keep(self.records[i]):
                hits.append((self.records[i], float(scores[i])))
        return hits


def reciprocal_rank_fusion(rankings: Iterable[Sequence[str]], k: int = RRF_K) -> dict[str, float]:
    """Fuse ranked id lists: each id scores the sum of 1 / (k + rank) over the lists it is in."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, record_id in enumerate(ranking, start=1):
            fused[record_id] = fused.get(record_id, 0.0) + 1.0 / (k + rank)
    return fused


@dataclass(frozen=True)
class Hit:
    """A search result: the record, its fused rank score, and its dense cosine similarity
    to the query (None when only keyword search found it)."""

    record: Record
    score: float
    similarity: float | None


class HybridSearcher:
    """Searches one collection of a store; the keyword index is built on first use."""

    def __init__(
        self,
        store: ChromaStore,
        collection: str,
        embed_query: Callable[[str], np.ndarray],
        records: Callable[[], Iterable[Record]] | None = None,
    ):
        """``records``: where the keyword index gets the collection's records (default: read
        them from the store); lets it share records already held in memory elsewhere."""
        self.store = store
        self.collection = collection
        self.embed_query = embed_query
        self._records = records or (lambda: self.store.iter_records(collection))
        self._keywords: KeywordIndex | None = None

    def invalidate(self) -> None:
        """Forget the keyword index: the collection changed."""
        self._keywords = None

    @property
    def keywords(self) -> KeywordIndex:
        keywords = self._keywords  # read once: another thread may reset it meanwhile
        if keywords is None:
            keywords = self._keywords = KeywordIndex(list(self._records()))
        return keywords

    def search(
        self,
        query: str,
        k: int,
        *,
        filters: Filters = Filters(),
        keep: Callable[[Record], bool] | None = None,
        keyword_query: str | None = None,
    ) -> list[Hit]:
        """Top ``k`` records for ``query``, best first. ``keyword_query``: an Arabic keyword query to
        fuse in (e.g. an English query's translated terms); by default the query itself when
        it is in Arabic script."""
        depth = max(4 * k, 40)
        dense = [
            (r, s)
            for r, s in self.store.query(self.collection, self.embed_query(query), depth, filters.where())
            if keep is None or keep(r)
        ]
        rankings = [[r.id for r, _ in dense]]
        by_id = {r.id: r for r, _ in dense}
        keyword_query = keyword_query or (query if has_arabic(query) else None)
        if keyword_query:
            sparse = self.keywords.top(keyword_query, depth, lambda r: filters.matches(r.metadata) and (keep is None or keep(r)))
            rankings.append([r.id for r, _ in sparse])
            by_id.update({r.id: r for r, _ in sparse})
        fused = reciprocal_rank_fusion(rankings)
        similarity = {r.id: s for r, s in dense}
        best = sorted(fused, key=lambda i: -fused[i])[:k]
        return [Hit(by_id[i], fused[i], similarity.get(i)) for i in best]
