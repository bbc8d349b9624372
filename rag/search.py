"""Hybrid retrieval: dense (e5 embeddings in Chroma) plus BM25 over Arabic-normalised tokens,
fused by reciprocal rank.

BM25 is fused only for queries written in Arabic script: on English queries over Arabic
text its matches are noise (measured in benchmarks/retrieval.py).
"""
from __future__ import annotations

import datetime as dt
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .columns import Parts, RecordTable, RowPlan, Strings, Vocabulary, id_order
from .lazy import Rebuilt
from .arabic import has_arabic, tokenize
from .store import ChromaStore, Record, date_int

RRF_K = 60
BM25_K1, BM25_B = 1.5, 0.75  # Lucene's defaults (and bm25s's)
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
    are read back by id (the records are kept as a ``RecordTable``, in id order); quotes pass
    the catalogue's own records (``records``: its table, shared). Each record's tokens become
    ids as it is read, so building never holds every token string of every record at once (0.6
    GB for the chunks of SaudiNewsNet).

    The scores are BM25 as Lucene computes it (bm25s's default: k1 1.5, b 0.75), kept as a
    sparse matrix (tokens × records) with a sorted ``Vocabulary`` — arrays that ``rag.derived``
    saves and maps (``parts``, ``from_parts``). Beside each score it keeps the token's count in
    the record, and each record's length: what ``updated`` needs to give the index of a few
    changed records without reading or tokenising the others again."""

    def __init__(self, records: Iterable[Record], keep_metadata: tuple[str, ...] | None = None,
                 *, table: Sequence[Record] | None = None):
        kept: list[Record] = []

        def texts():
            for record in records:
                if table is None:
                    kept.append(_kept(record, keep_metadata) if keep_metadata is not None else record)
                yield record.document

        vocabulary: dict[str, int] = {}
        counted = _Counted.of(texts(), vocabulary)
        if table is None:
            order = id_order([r.id for r in kept])  # rows in id order, as ``updated`` keeps them
            at = np.empty(len(order), dtype=np.int64)
            at[order] = np.arange(len(order))
            counted = counted.moved(at, len(order))
            kept = [kept[i] for i in order]
            if keep_metadata is not None:
                table = RecordTable.build(kept, keep_metadata, keep_metadata, documents=False)
        self.records: Sequence[Record] = table if table is not None else kept
        self._score(vocabulary, counted)

    def updated(self, plan: RowPlan, new: Sequence[Record], keep_metadata: tuple[str, ...] | None = None,
                *, table: Sequence[Record] | None = None) -> KeywordIndex:
        """This index with its rows laid out again by ``plan`` (some records left, ``new`` ones
        came): the kept records' token counts are reused, only ``new`` ones are tokenised, and
        the scores computed again (every score depends on how many records hold each token).
        Equal, array for array, to the index built from the merged records."""
        moved = plan.old_to_merged()
        tokens = np.repeat(np.arange(len(self._indptr) - 1, dtype=np.int64), np.diff(self._indptr))
        rows = moved[self._indices]
        stays = rows >= 0
        vocabulary = {word: i for i, word in enumerate(self.vocabulary)}
        counted = _Counted.of((r.document for r in new), vocabulary).moved(plan.new_to_merged(), len(plan))
        old = np.flatnonzero(moved >= 0)
        counted.lengths[moved[old]] = self._lengths[old]
        merged = _Counted(np.concatenate([tokens[stays], counted.tokens]), np.concatenate([rows[stays], counted.rows]),
                          np.concatenate([self._counts[stays], counted.counts]), counted.lengths)
        index = KeywordIndex.__new__(KeywordIndex)
        if table is None:
            kept = [_kept(r, keep_metadata) if keep_metadata is not None else r for r in new]
            records = plan.records(self.records, kept)
            table = RecordTable.build(records, keep_metadata, keep_metadata, documents=False) \
                if keep_metadata is not None else records
        index.records = table
        index._score(vocabulary, merged)
        return index

    def _score(self, vocabulary: dict[str, int], counted: _Counted) -> None:
        """Keep the tokens that occur (a sorted ``Vocabulary``) and the BM25 score of each (token, record)."""
        used = np.bincount(counted.tokens, minlength=len(vocabulary)) > 0
        self.vocabulary, order = Vocabulary.sorted_from(
            {word: i for word, i in vocabulary.items() if used[i]})
        new_id = np.full(len(vocabulary), -1, dtype=np.int64)
        new_id[order] = np.arange(len(order))
        tokens = new_id[counted.tokens]
        by_token = np.argsort((tokens << 32) | counted.rows)
        tokens, rows, counts = tokens[by_token], counted.rows[by_token], counted.counts[by_token]
        self._indptr = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(np.bincount(tokens, minlength=len(order)), out=self._indptr[1:])
        self._indices = rows.astype(np.int32)
        self._counts = counts.astype(np.int32)
        self._lengths = counted.lengths.astype(np.int32)
        self._data = bm25(tokens, rows, counts, counted.lengths, len(order))

    def parts(self, records: bool = True) -> Parts:
        """The index as arrays; ``records=False`` leaves out its records (kept elsewhere: the catalogue's)."""
        parts = {**self.vocabulary.strings.parts("vocabulary"), "indptr": self._indptr, "indices": self._indices,
                 "data": self._data, "counts": self._counts, "lengths": self._lengths}
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
        index._counts, index._lengths = parts["counts"], parts["lengths"]
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


def bm25(tokens: np.ndarray, rows: np.ndarray, counts: np.ndarray, lengths: np.ndarray, vocabulary: int) -> np.ndarray:
    """The BM25 score of each (token, record, count) entry, as Lucene (and bm25s, float32) computes
    it: idf = ln(1 + (N - df + 0.5) / (df + 0.5)), tf part = tf / (tf + k1 (1 - b + b len / avg len))."""
    if not len(lengths):
        return np.zeros(0, dtype=np.float32)
    n, average = len(lengths), lengths.astype(np.int64).mean()
    df = np.bincount(tokens, minlength=vocabulary)
    idf_of = {d: math.log(1 + (n - d + 0.5) / (d + 0.5)) for d in np.unique(df).tolist()}
    idf = np.array([idf_of[d] for d in df.tolist()], dtype=np.float32)
    norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths.astype(np.float64) / average)
    tf = counts.astype(np.float64)
    return (idf[tokens].astype(np.float64) * (tf / (norm[rows] + tf))).astype(np.float32)


@dataclass
class _Counted:
    """Token counts of records as entries (token id, row, count), and each record's length in tokens."""

    tokens: np.ndarray
    rows: np.ndarray
    counts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, texts: Iterable[str], vocabulary: dict[str, int]) -> _Counted:
        """The counts of ``texts``' tokens, one record each (new tokens get the next ids of ``vocabulary``)."""
        tokens, rows, counts, lengths = array("q"), array("q"), array("q"), array("q")
        for text in texts:
            # An empty record gets a placeholder token, which never matches a query.
            words = tokenize(text) or ["\x00"]
            found = Counter(vocabulary.setdefault(w, len(vocabulary)) for w in words)
            tokens.extend(found.keys())
            counts.extend(found.values())
            rows.extend([len(lengths)] * len(found))
            lengths.append(len(words))
        return cls(*(np.array(column, dtype=np.int64) for column in (tokens, rows, counts, lengths)))

    def moved(self, rows: np.ndarray, size: int) -> _Counted:
        """The same counts with row ``r`` become row ``rows[r]`` of ``size`` rows (lengths 0 elsewhere)."""
        lengths = np.zeros(size, dtype=np.int64)
        lengths[rows] = self.lengths
        return _Counted(self.tokens, rows[self.rows], self.counts, lengths)


def _kept(record: Record, keep_metadata: tuple[str, ...]) -> Record:
    return Record(record.id, "", {k: record.metadata[k] for k in keep_metadata if k in record.metadata})


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
