"""The speaker → quotes lookup, kept in memory so that speaker-first retrieval never costs a
filtered scan of the whole quotes collection (Chroma's ``where`` is a scan).

It holds every committed quote compactly, because at archive scale (88,000 quotes for the
31,000 SaudiNewsNet articles) it is most of a serving process's memory: each record keeps only
the metadata answers filter and rank on (titles, URLs and speaker names are read from the
article and the speaker when a quote is cited), with repeated values stored once, and the
vectors sit in one float32 matrix, searched there rather than in Chroma's HNSW index (an exact
search over a speaker's quotes, or over all of them, is a few milliseconds of numpy).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .speakers import KnownSpeakers
from .store import Record, record_date
from .topic import FormIndex, Topic
from .types import Speaker

# What answering reads of a quote record; the rest of its metadata stays in Chroma.
KEPT_METADATA = (
    "article_id", "source", "date", "date_int", "start", "end", "kind", "cue", "confidence", "context",
    "speaker_id", "speaker_ids",
)
# Values many quotes share (an article's, a speaker's, an outlet's): one string for all of them.
_SHARED = ("article_id", "source", "date", "kind", "cue", "speaker_id", "speaker_ids")


def speaker_from_json(data: dict) -> Speaker:
    return Speaker(
        id=data["id"],
        name_en=data["name_en"],
        name_ar=data["name_ar"],
        kind=data.get("kind", "person"),
        members=tuple(speaker_from_json(m) for m in data.get("members", ())),
        description=data.get("description"),
    )


@dataclass(frozen=True)
class SpeakerCount:
    speaker: Speaker
    quotes: int
    articles: int
    first: dt.date | None
    last: dt.date | None


class QuoteCatalog:
    """Every indexed quote record, by id and by speaker (group quotes under each member too),
    with its vector (``records`` read from the store with their embeddings)."""

    def __init__(self, records: Iterable[Record]):
        self.records: dict[str, Record] = {}
        self.by_speaker: dict[str, list[str]] = defaultdict(list)
        self.speakers: dict[str, Speaker] = {}
        self._row: dict[str, int] = {}  # id → row of ``vectors``
        self._ids: list[str] = []  # row → id
        vectors: list[np.ndarray] = []
        self._forms: FormIndex | None = None
        self._indexing = threading.Lock()
        parsed: dict[str, Speaker] = {}  # speaker_json → Speaker: one parse per speaker, not per quote
        for record in records:
            speaker_json = record.metadata["speaker_json"]
            if speaker_json not in parsed:
                parsed[speaker_json] = speaker_from_json(json.loads(speaker_json))
            speaker = parsed[speaker_json]
            self.speakers.setdefault(speaker.id, speaker)
            for member in speaker.members:
                self.speakers.setdefault(member.id, member)
            kept = _compact(record)
            self.records[kept.id] = kept
            self._row[kept.id] = len(self._ids)
            self._ids.append(kept.id)
            vectors.append(record.embedding)
            for speaker_id in kept.metadata["speaker_ids"].strip("|").split("|"):
                self.by_speaker[speaker_id].append(kept.id)
        self._has_vector = np.array([v is not None for v in vectors], dtype=bool)
        dim = next((len(v) for v in vectors if v is not None), 0)
        missing = np.zeros(dim, np.float32)
        self.vectors = np.vstack([missing if v is None else v for v in vectors], dtype=np.float32) \
            if vectors else np.zeros((0, dim), np.float32)
        self.sources = sorted({r.metadata.get("source") for r in self.records.values()} - {None})
        self.known_speakers = KnownSpeakers(self.speakers.values())

    def speaker_of(self, record: Record) -> Speaker:
        return self.speakers[record.metadata["speaker_id"]]

    def quotes_of(self, speaker_ids: Iterable[str]) -> list[Record]:
        ids = dict.fromkeys(i for s in speaker_ids for i in self.by_speaker.get(s, ()))
        return [self.records[i] for i in ids]

    def similarities(self, records: list[Record], query: np.ndarray) -> dict[str, float]:
        """Cosine similarity of each record that has a vector to the unit vector ``query``."""
        # a record of a catalogue since replaced (an upload meanwhile) has no row here
        rows = np.array([self._row[r.id] for r in records if r.id in self._row], dtype=np.int64)
        rows = rows[self._has_vector[rows]] if len(rows) else rows
        if not len(rows):
            return {}
        scores = self.vectors[rows] @ query
        return {self._ids[row]: float(score) for row, score in zip(rows, scores)}

    def may_cover(self, topic: Topic, records: list[Record]) -> set[str]:
        """Ids of ``records`` whose statements hold every word of one of ``topic``'s phrases (the
        catalogue's ``FormIndex``): the only ones whose words, as opposed to their sound, can cover it."""
        mine = np.array([self._row[r.id] for r in records if r.id in self._row], dtype=np.int32)
        found = [np.intersect1d(self.forms.rows_for(term), mine) for term in topic.terms]
        return {self._ids[row] for rows in found for row in rows}

    @property
    def forms(self) -> FormIndex:
        """The word forms of every statement (``statement``), indexed on first use (seconds at archive scale)."""
        with self._indexing:
            if self._forms is None:
                self._forms = FormIndex(statement(self.records[i]) for i in self._ids)
            return self._forms

    def nearest(self, query: np.ndarray, n: int, keep: Callable[[Record], bool]) -> list[tuple[Record, float]]:
        """The ``n`` records ``keep`` accepts that are most similar to ``query``, best first (exact search)."""
        if not self._has_vector.any():
            return []
        scores = np.where(self._has_vector, self.vectors @ query, -np.inf)
        order = np.argsort(-scores)[: int(self._has_vector.sum())]
        hits: list[tuple[Record, float]] = []
        # best first, stopping at n: a filter that turns most records away costs more of them, not all
        for row in order:
            record = self.records[self._ids[row]]
            if keep(record):
                hits.append((record, float(scores[row])))
                if len(hits) == n:
                    break
        return hits

    def counts(self) -> list[SpeakerCount]:
        """Every speaker with their number of quotes (their own and as a group member), most quoted first."""
        rows = []
        for speaker_id, ids in self.by_speaker.items():
            metas = [self.records[i].metadata for i in ids]
            dates = [d for d in map(record_date, metas) if d]
            rows.append(SpeakerCount(
                speaker=self.speakers[speaker_id],
                quotes=len(ids),
                articles=len({m["article_id"] for m in metas}),
                first=min(dates, default=None),
                last=max(dates, default=None),
            ))
        return sorted(rows, key=lambda r: (-r.quotes, r.speaker.name_en))


def statement(record: Record) -> str:
    """What a quote is judged on: its words and the sentence that introduces them."""
    return record.document + "\n" + record.metadata.get("context", "")


def _compact(record: Record) -> Record:
    """The record with the metadata answers use only, repeated strings shared, and no vector
    (the catalogue keeps vectors in one matrix)."""
    meta = {k: record.metadata[k] for k in KEPT_METADATA if k in record.metadata}
    for key in _SHARED:
        if key in meta:
            meta[key] = sys.intern(meta[key])
    return Record(record.id, record.document, meta)
