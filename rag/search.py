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

from .columns import Parts, RecordTable, Strings, Vocabulary, permute_columns
from .lazy import Rebuilt
from .arabic import has_arabic, tokenize
from .store import ChromaStore, Record, date_int

RRF_K = 60
# What the chunk keyword index keeps of each record: enough to filter hits before reading them back.
KEYWORD_METADATA = ("article_id", "source", "date_int")


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
    """BM25 over the normalised tokens of a fixed list of records.

    ``keep_metadata`` names the metadata to keep of each record, its text not kept: at archive
    scale 100,000 chunk texts would be a good part of a serving process's memory, so chunk hits
    are read back by id (the records are kept as a ``RecordTable``); quotes pass the catalogue's
    own records (``records``: its table, shared). Each record's tokens become ids as it is read,
    so building never holds every token string of every record at once (0.6 GB for the chunks
    of SaudiNewsNet). bm25s computes the scores; they are kept as a sparse matrix (tokens ×
    records) with a sorted ``Vocabulary``, arrays that ``rag.derived`` saves and maps
    (``parts``, ``from_parts``)."""

    def __init__(self, records: Iterable[Record], keep_metadata: tuple[str, ...] | None = None,
                 *, table: Sequence[Record] | None = None):
        import bm25s

        kept: list[Record] = []
        vocabulary: dict[str, int] = {}
        corpus: list[list[int]] = []
        for record in records:
            # An empty token list breaks bm25s; a placeholder token never matches a query.
            tokens = tokenize(record.document) or ["\x00"]
            corpus.append([vocabulary.setdefault(t, len(vocabulary)) for t in tokens])
            if keep_metadata is not None:
                record = Record(record.id, "", {k: record.metadata[k] for k in keep_metadata if k in record.metadata})
            if table is None:
                kept.append(record)
        if table is None and keep_metadata is not None:
            table = RecordTable.build(kept, keep_metadata, keep_metadata, documents=False)
        self.records: Sequence[Record] = table if table is not None else kept
        if corpus:
            bm25 = bm25s.BM25()
            bm25.index((corpus, vocabulary), show_progress=False)
            del corpus
            scores = bm25.scores
            self.vocabulary, order = Vocabulary.sorted_from(bm25.vocab_dict, len(scores["indptr"]) - 1)
            self._indptr, self._indices, self._data = permute_columns(
                scores["indptr"], scores["indices"], scores["data"], order)
        else:
            self.vocabulary = Vocabulary(Strings.of([]))
            self._indptr, self._indices, self._data = np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32)

    def parts(self, records: bool = True) -> Parts:
        """The index as arrays; ``records=False`` leaves out its records (kept elsewhere: the catalogue's)."""
        parts = {**self.vocabulary.strings.parts("vocabulary"),
                 "indptr": self._indptr, "indices": self._indices, "data": self._data}
        if records and isinstance(self.records, RecordTable):
            parts |= {f"table.{k}": v for k, v in self.records.parts().items()}
        return parts

    def layout(self) -> dict | None:
        return self.records.layout if isinstance(self.records, RecordTable) else None

    @classmethod
    def from_parts(cls, parts: Parts, layout: dict | None = None, records: Sequence[Record] | None = None) -> KeywordIndex:
        """The index saved as ``parts``; its records are its own table (``layout``) or ``records``."""
        index = cls.__new__(cls)
        index.vocabulary = Vocabulary(Strings.from_parts(parts, "vocabulary"))
        index._indptr, index._indices, index._data = parts["indptr"], parts["indices"], parts["data"]
        if records is None:
            records = RecordTable({k[len("table."):]: v for k, v in parts.items() if k.startswith("table.")}, layout)
        index.records = records
        return index

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every record for the query ``tokens`` (a token met twice counts twice)."""
        scores = np.zeros(len(self.records), dtype=np.float32)
        for token in tokens:
            t = self.vocabulary.get(token)
            if t is not None:
                lo, hi = int(self._indptr[t]), int(self._indptr[t + 1])
                scores[self._indices[lo:hi]] += self._data[lo:hi]
        return scores

    def top(self, query: str, n: int, keep: Callable[[Record], bool] | None = None) -> list[tuple[Record, float]]:
        """The ``n`` best-scoring records that ``keep`` accepts; records with score 0 never count."""
        tokens = tokenize(query)
        if not len(self.records) or not tokens:
            return []
        scores = self.scores(tokens)
        hits = []
        for i in np.argsort(-scores):
            if scores[i] <= 0 or len(hits) == n:
                break
            record = self.records[i]
            if keep is None or keep(record):
                hits.append((record, float(scores[i])))
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


Dense = Callable[[np.ndarray, int, Filters, Callable[[Record], bool]], list[tuple[Record, float]]]


class HybridSearcher:
    """Searches one collection of a store; the keyword index is built on first use.

    By default the dense half asks Chroma and the keyword index reads the collection's records
    from the store, keeping their ``KEYWORD_METADATA`` only; ``dense`` and ``records`` let both
    use records already held in memory elsewhere (the quote catalogue), whose hits then need
    no reading back; ``keywords`` gives the keyword index built or loaded elsewhere."""

    def __init__(
        self,
        store: ChromaStore,
        collection: str,
        embed_query: Callable[[str], np.ndarray],
        records: Callable[[], Iterable[Record]] | None = None,
        dense: Dense | None = None,
        keywords: Callable[[], KeywordIndex] | None = None,
    ):
        self.store = store
        self.collection = collection
        self.embed_query = embed_query
        self._in_memory = records is not None
        self._records = records or (lambda: self.store.iter_records(collection))
        self._dense = dense or self._chroma_dense
        keep = None if self._in_memory else KEYWORD_METADATA
        # ``keywords``: the index as kept elsewhere (``rag.derived``), which also forgets it
        self._keywords = Rebuilt(keywords or (lambda: KeywordIndex(self._records(), keep)))

    def invalidate(self) -> None:
        """Forget the keyword index: the collection changed."""
        self._keywords.invalidate()

    @property
    def keywords(self) -> KeywordIndex:
        return self._keywords.get()

    def search(
        self,
        query: str,
        k: int,
        *,
        filters: Filters = Filters(),
        keep: Callable[[Record], bool] | None = None,
        keyword_query: str | None = None,
        fuse: bool | None = None,
    ) -> list[Hit]:
        """Top ``k`` records for ``query``, best first. ``keyword_query``: an Arabic keyword query to
        fuse in (e.g. an English query's translated terms); by default the query itself when
        it is in Arabic script, or whatever its script when ``fuse`` is True (False: dense only)."""
        depth = max(4 * k, 40)
        accept = keep or (lambda record: True)
        dense = self._dense(self.embed_query(query), depth, filters, accept)
        rankings = [[r.id for r, _ in dense]]
        by_id = {r.id: r for r, _ in dense}
        if fuse is None:
            fuse = bool(keyword_query) or has_arabic(query)
        keyword_query = (keyword_query or query) if fuse else None
        if keyword_query:
            sparse = self.keywords.top(keyword_query, depth, lambda r: filters.matches(r.metadata) and accept(r))
            rankings.append([r.id for r, _ in sparse])
            by_id = {r.id: r for r, _ in sparse} | by_id
        fused = reciprocal_rank_fusion(rankings)
        similarity = {r.id: s for r, s in dense}
        best = sorted(fused, key=lambda i: -fused[i])[:k]
        if not self._in_memory:  # what only the keyword index found is read back whole…
            whole = {r.id: r for r in self.store.get(self.collection, [i for i in best if i not in similarity])}
            best = [i for i in best if i in similarity or i in whole]  # …unless it has gone meanwhile
            by_id |= whole
        return [Hit(by_id[i], fused[i], similarity.get(i)) for i in best]

    def _chroma_dense(
        self, vector: np.ndarray, n: int, filters: Filters, keep: Callable[[Record], bool],
    ) -> list[tuple[Record, float]]:
        return [(r, s) for r, s in self.store.query(self.collection, vector, n, filters.where()) if keep(r)]
