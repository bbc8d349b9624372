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
import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .arabic import has_arabic, without_invisible
from .columns import Parts, RecordMap, RecordTable, RowPlan, Strings, Vocabulary, id_order, permute_columns
from .speakers import KnownSpeakers
from .store import Record, record_date
from .topic import FormIndex, Topic, described_near, only_topic_words, terms_covered
from .types import Speaker

# What answering reads of a quote record; the rest of its metadata stays in Chroma.
KEPT_METADATA = (
    "article_id", "source", "date", "date_int", "start", "end", "kind", "cue", "confidence", "context",
    "speaker_id", "speaker_ids",
)
# Values many quotes share (an article's, a speaker's, an outlet's): one string for all of them.
# An article describes the speaker it names next to the name: the description's words and at
# most this many more between them and the name («كشف المستشار القانوني وعضو شرف الأهلي خالد أبو راشد»);
# sentences read per description, at most.
DESCRIBED_SLACK = 4
DESCRIBED_READ = 20_000
# A description of this many words may differ from the article's in one of them
# («المبعوث الأمريكي لشؤون الطاقة» where the article writes «ومنسق شئون الطاقة»)
DESCRIBED_ALL_BUT_ONE = 4
_SHARED = ("article_id", "source", "date", "kind", "cue", "speaker_id", "speaker_ids")


def speaker_from_json(data: dict) -> Speaker:
    return Speaker(
        id=data["id"],
        name_en=data["name_en"],
        name_ar=without_invisible(data["name_ar"]),  # indexes built before names lost them
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
    with its vector (``records`` read from the store with their embeddings).

    Built from records, or from the parts it was saved as (``parts``, ``from_parts``): arrays
    that ``rag.derived`` maps from disk, so that a new process serves at once and processes
    serving one index share one copy. ``records`` maps an id to its ``Record``, made when read."""

    def __init__(self, records: Iterable[Record]):
        records = list(records)
        self._from_rows(records[i] for i in id_order([r.id for r in records]))  # rows in id order (``updated``)

    def _from_rows(self, records: Iterable[Record]) -> None:
        """Set up from ``records`` in row order, each with its ``embedding``."""
        kept: list[Record] = []
        vectors: list[np.ndarray | None] = []
        speaker_jsons: dict[str, int] = {}  # in the order first met
        json_rows = array("i")
        for record in records:
            json_rows.append(speaker_jsons.setdefault(record.metadata["speaker_json"], len(speaker_jsons)))
            kept.append(_compact(record))
            vectors.append(record.embedding)
        has_vector = np.array([v is not None for v in vectors], dtype=bool)
        dim = next((len(v) for v in vectors if v is not None), 0)
        missing = np.zeros(dim, np.float32)
        matrix = np.vstack([missing if v is None else v for v in vectors], dtype=np.float32) \
            if vectors else np.zeros((0, dim), np.float32)
        del vectors
        table = RecordTable.build(kept, KEPT_METADATA, _SHARED)
        del kept
        self._setup(table, matrix, has_vector, Strings.of(speaker_jsons), np.array(json_rows, dtype=np.int32), None, None)

    def updated(self, plan: RowPlan, new: list[Record]) -> QuoteCatalog:
        """The catalogue of its records laid out again by ``plan`` (``rag.columns``: some left,
        ``new`` ones came, read with their embeddings): row for row the catalogue built from
        the merged records, its word forms updated rather than made again."""
        def old(row: int) -> Record:
            record = self.table[row]
            return Record(record.id, record.document,
                          record.metadata | {"speaker_json": self._speaker_jsons[self._json_rows[row]]},
                          self.vectors[row] if self._has_vector[row] else None)

        catalog = QuoteCatalog.__new__(QuoteCatalog)
        catalog._from_rows(old(o) if o >= 0 else new[n] for o, n in zip(plan.old.tolist(), plan.new.tolist()))
        if self._forms is not None:
            catalog._forms = self._forms.updated(plan, [statement(_compact(r)) for r in new])
        return catalog

    def _setup(self, table: RecordTable, vectors: np.ndarray, has_vector: np.ndarray, speaker_jsons: Strings,
               json_rows: np.ndarray, by_speaker: dict[str, np.ndarray] | None, forms: FormIndex | None) -> None:
        self.table = table
        self.records = RecordMap(table)
        self.vectors = vectors
        self._has_vector = has_vector
        self._speaker_jsons = speaker_jsons
        self._json_rows = json_rows  # each row's speaker, as its record wrote them
        self.speakers: dict[str, Speaker] = {}
        for speaker in map(speaker_from_json, map(json.loads, speaker_jsons)):
            self.speakers.setdefault(speaker.id, speaker)
            for member in speaker.members:
                self.speakers.setdefault(member.id, member)
        self._by_speaker = by_speaker if by_speaker is not None else _rows_by_speaker(table)
        self._forms = forms
        self._indexing = threading.Lock()
        self.sources = sorted(set(table.shared_values("source")) if "source" in table.layout["shared"] else ())
        self.known_speakers = KnownSpeakers(self.speakers.values())
        self._hid_non_names = False

    # -- saved as arrays -----------------------------------------------------------------

    def parts(self) -> Parts:
        """The catalogue as arrays and byte strings (its word forms included: they are built here)."""
        speakers = Strings.of(self._by_speaker)
        rows = list(self._by_speaker.values())
        starts = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=starts[1:])
        return {
            **{f"table.{k}": v for k, v in self.table.parts().items()},
            "vectors": self.vectors, "has_vector": self._has_vector,
            **self._speaker_jsons.parts("speaker_json"), "speaker_json.rows": self._json_rows,
            **speakers.parts("by_speaker.ids"), "by_speaker.starts": starts,
            "by_speaker.rows": np.concatenate(rows).astype(np.int32) if rows else np.zeros(0, np.int32),
            **{f"forms.{k}": v for k, v in form_parts(self.forms).items()},
            **{f"speaker_forms.{k}": v for k, v in form_parts(self.speaker_forms()).items()},
        }

    def layout(self) -> dict:
        return self.table.layout

    @classmethod
    def from_parts(cls, parts: Parts, layout: dict) -> QuoteCatalog:
        catalog = cls.__new__(cls)
        table = RecordTable({k[len("table."):]: v for k, v in parts.items() if k.startswith("table.")}, layout)
        starts, rows = parts["by_speaker.starts"], parts["by_speaker.rows"]
        by_speaker = {speaker: rows[starts[i]:starts[i + 1]]
                      for i, speaker in enumerate(Strings.from_parts(parts, "by_speaker.ids"))}
        forms = forms_from_parts({k[len("forms."):]: v for k, v in parts.items() if k.startswith("forms.")})
        catalog._setup(table, parts["vectors"], parts["has_vector"], Strings.from_parts(parts, "speaker_json"),
                       parts["speaker_json.rows"], by_speaker, forms)
        catalog.known_speakers.words = forms_from_parts(
            {k[len("speaker_forms."):]: v for k, v in parts.items() if k.startswith("speaker_forms.")})
        return catalog

    # -- reading -------------------------------------------------------------------------

    @property
    def by_speaker(self) -> dict[str, list[str]]:
        """Speaker id → the ids of their quotes (made on each call: for tests and tools)."""
        return {s: [self.table.ids[r] for r in rows] for s, rows in self._by_speaker.items()}

    def speaker_of(self, record: Record) -> Speaker:
        return self.speakers[record.metadata["speaker_id"]]

    def quotes_of(self, speaker_ids: Iterable[str]) -> list[Record]:
        found = [self._by_speaker[s] for s in speaker_ids if s in self._by_speaker]
        if not found:
            return []
        rows = found[0].tolist() if len(found) == 1 else list(dict.fromkeys(r for rows in found for r in rows.tolist()))
        return [self.table[r] for r in rows]

    def similarities(self, records: list[Record], query: np.ndarray) -> dict[str, float]:
        """Cosine similarity of each record that has a vector to the unit vector ``query``."""
        # a record of a catalogue since replaced (an upload meanwhile) has no row here
        ids = [r.id for r in records]
        rows = self.table.rows_of(ids)
        keep = rows >= 0
        keep[keep] = self._has_vector[rows[keep]]
        if not keep.any():
            return {}
        scores = self.vectors[rows[keep]] @ query
        return {i: float(score) for i, score in zip((i for i, k in zip(ids, keep) if k), scores)}

    def may_cover(self, topic: Topic, records: list[Record]) -> set[str]:
        """Ids of ``records`` whose statements hold every word of one of ``topic``'s phrases (the
        catalogue's ``FormIndex``): the only ones whose words, as opposed to their sound, can cover it."""
        rows = self.table.rows_of([r.id for r in records])
        mine = rows[rows >= 0].astype(np.int32)
        found = [np.intersect1d(self.forms.rows_for(term), mine) for term in topic.terms]
        return {self.table.ids[row] for rows in found for row in rows}

    @property
    def forms(self) -> FormIndex:
        """The word forms of every statement (``statement``), indexed on first use (seconds at archive scale)."""
        with self._indexing:
            if self._forms is None:
                self._forms = FormIndex(statement(record) for record in self.table)
            return self._forms

    def speaker_forms(self) -> FormIndex:
        """The word forms of every known speaker's Arabic name, rows in ``known_speakers.speakers``
        order: what ``rag.question`` looks a description up in (``KnownSpeakers.words``), saved
        with the catalogue because building it takes a second at archive scale."""
        return FormIndex(speaker.name_ar for speaker in self.known_speakers.speakers)

    def nearest(self, query: np.ndarray, n: int, keep: Callable[[Record], bool]) -> list[tuple[Record, float]]:
        """The ``n`` records ``keep`` accepts that are most similar to ``query``, best first (exact search)."""
        if not self._has_vector.any():
            return []
        scores = np.where(self._has_vector, self.vectors @ query, -np.inf)
        order = np.argsort(-scores)[: int(self._has_vector.sum())]
        hits: list[tuple[Record, float]] = []
        # best first, stopping at n: a filter that turns most records away costs more of them, not all
        for row in order:
            record = self.table[row]
            if keep(record):
                hits.append((record, float(scores[row])))
                if len(hits) == n:
                    break
        return hits

    def askable(self, is_name: Callable[[Speaker], bool]) -> KnownSpeakers:
        """``known_speakers`` with the persons whose name ``is_name`` says is no name hidden from
        questions (a noun an attribution took for one: «لجنة», «المنظمة»), which would otherwise
        answer "the head of the organisation" or "… of the committee"; with quote counts."""
        known = self.known_speakers
        with self._indexing:
            if not self._hid_non_names:
                known.hide(s.id for s in known.speakers if s.kind == "person" and not is_name(s))
                known.quotes = {sid: len(rows) for sid, rows in self._by_speaker.items()}
                self._hid_non_names = True
        return known

    def described(
        self, description: Topic, is_name: Callable[[Speaker], bool] = lambda speaker: True,
        keep: Callable[[str], bool] = lambda label: False, is_body: Callable[[Speaker], bool] = lambda speaker: False,
    ) -> list[tuple[Speaker, int]]:
        """The speakers the articles describe by the terms of ``description`` next to their name
        («المستشار القانوني لنادي الأهلي» → خالد أبو راشد), with how many of their statements'
        sentences do so, most first.

        Only a person is described by words next to their name: an unnamed speaker («المتحدث
        الرسمي») is many people across the archive, a body named inside the description is not
        described by it («المتحدث باسم وزارة الداخلية» is not the ministry), and ``is_name`` turns
        away names an attribution made of nouns («المديرية العامة»). A speaker whose own name holds
        the whole description fits too: a body (``is_body``) alone, beating the people described
        by it («وزارة العمل», not its spokesman); an office left unnamed («وزير الداخلية اليمني»)
        only when nobody is described by it. ``keep``: words of the description that may never be
        missing (a country's: «الإيراني»)."""
        rows, least, needed = self._described_rows(description, keep)
        window = len(description.terms) + DESCRIBED_SLACK
        people: dict[str, int] = defaultdict(int)
        named: dict[str, int] = defaultdict(int)
        fit: dict[str, str | None] = {}  # speaker id → how the description may fit them, decided once
        for row in rows[:DESCRIBED_READ]:
            record = self.table[int(row)]
            speaker = self.speaker_of(record)
            if speaker.id not in fit:
                fit[speaker.id] = _how_described(description, speaker, is_name)
            if fit[speaker.id] == "named":
                named[speaker.id] += 1
            elif fit[speaker.id] == "near":
                around = record.metadata.get("context", "").replace(record.document, " ")
                people[speaker.id] += described_near(description, around, speaker.name_ar, window, least, needed)
        people = {i: n for i, n in people.items() if n}
        bodies = {i: n for i, n in named.items() if is_body(self.speakers[i])}
        found = bodies or people or named
        return [(self.speakers[i], n) for i, n in sorted(found.items(), key=lambda kv: -kv[1])]

    def _described_rows(self, description: Topic, keep: Callable[[str], bool]) -> tuple[np.ndarray, int, set[int]]:
        """The rows whose statement or sentence may hold ``description``, how many of its terms
        must stand by the name, and which terms must: a long description may differ from the
        article's in one word, never in its rarest, a name asked in English (matched by sound,
        not looked up), a word ``keep`` keeps, or the head of an Arabic one (the office: مدير)."""
        terms = description.terms
        found = {i: self.forms.rows_for(term) for i, term in enumerate(terms) if term.alternatives}
        if not found:
            return np.zeros(0, np.int32), len(terms), set()
        least = len(terms) - (len(terms) >= DESCRIBED_ALL_BUT_ONE)
        needed = {min(found, key=lambda i: len(found[i]))} | {i for i in range(len(terms)) if i not in found}
        needed |= {i for i, term in enumerate(terms) if keep(term.label)}
        if has_arabic(description.text):
            needed.add(0)
        rows, hits = np.unique(np.concatenate(list(found.values())), return_counts=True)
        rows = rows[hits >= least - (len(terms) - len(found))]
        for i in needed & found.keys():
            rows = np.intersect1d(rows, found[i], assume_unique=True)
        return rows, least, needed

    def counts(self) -> list[SpeakerCount]:
        """Every speaker with their number of quotes (their own and as a group member), most quoted first."""
        articles = self.table.shared_codes("article_id")
        has_date = "date" in self.table.layout["shared"]
        dates = self.table.shared_codes("date") if has_date else None
        day_of = [record_date({"date": d}) for d in self.table.shared_values("date")] if has_date else []
        rows = []
        for speaker_id, mine in self._by_speaker.items():
            days = sorted({day_of[c] for c in dates[mine].tolist() if c >= 0} - {None}) if has_date else []
            rows.append(SpeakerCount(
                speaker=self.speakers[speaker_id],
                quotes=len(mine),
                articles=len(np.unique(articles[mine])),
                first=days[0] if days else None,
                last=days[-1] if days else None,
            ))
        return sorted(rows, key=lambda r: (-r.quotes, r.speaker.name_en))


def _how_described(description: Topic, speaker: Speaker, is_name: Callable[[Speaker], bool]) -> str | None:
    """"named" when the speaker's own name holds the whole description, "near" when it is a
    person's name the description may stand next to (see ``QuoteCatalog.described``), else None."""
    if speaker.kind == "group" or not speaker.name_ar.strip():
        return None
    if all(terms_covered(description, speaker.name_ar)):
        return "named"
    if speaker.kind == "person" and not only_topic_words(description, speaker.name_ar) and is_name(speaker):
        return "near"
    return None


def _rows_by_speaker(table: RecordTable) -> dict[str, np.ndarray]:
    """Speaker id → rows of their quotes, in row order (a group's quotes under each member too)."""
    by_speaker: dict[str, list[int]] = defaultdict(list)
    values = table.shared_values("speaker_ids") if len(table) else []
    members = [value.strip("|").split("|") for value in values]
    for row, code in enumerate(table.shared_codes("speaker_ids").tolist() if len(table) else ()):
        for speaker_id in members[code]:
            by_speaker[speaker_id].append(row)
    return {s: np.array(rows, dtype=np.int32) for s, rows in by_speaker.items()}


def form_parts(forms: FormIndex) -> Parts:
    """A ``FormIndex`` as arrays: its forms sorted (a ``Vocabulary``), the rows holding each."""
    if isinstance(forms._ids, Vocabulary):
        return {**forms._ids.strings.parts("vocabulary"), "start": forms._start, "rows": forms._rows}
    vocabulary, order = Vocabulary.sorted_from(forms._ids)
    start, rows, _ = permute_columns(forms._start, forms._rows, None, order)
    return {**vocabulary.strings.parts("vocabulary"), "start": start, "rows": rows}


def forms_from_parts(parts: Parts) -> FormIndex:
    forms = FormIndex.__new__(FormIndex)
    forms._ids = Vocabulary(Strings.from_parts(parts, "vocabulary"))
    forms._start, forms._rows = parts["start"], parts["rows"]
    return forms


def statement(record: Record) -> str:
    """What a quote is judged on: its words and the sentence that introduces them."""
    return record.document + "\n" + record.metadata.get("context", "")


def _compact(record: Record) -> Record:
    """The record with the metadata answers use only and no vector (the catalogue keeps vectors
    in one matrix)."""
    return Record(record.id, record.document, {k: record.metadata[k] for k in KEPT_METADATA if k in record.metadata})
