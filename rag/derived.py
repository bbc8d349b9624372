"""What a serving process derives from the index, kept on disk so that the next one maps it.

A ``Snapshot`` is everything answering needs besides Chroma and the model, derived from one
state of the index: the committed articles, the quote catalogue (compact records, vectors,
word forms, the speakers' names and their names' word forms), the chunk and quote keyword indexes. Building it reads
every quote, chunk and article from Chroma (a minute or more for SaudiNewsNet's 31,000
articles); loading it maps its arrays read-only (under a second), and the pages mapped are the
system's page cache, shared by every process serving the same index.

Where: ``QAWL_DERIVED`` (default ``QAWL_HOME/derived``), one folder per index, named after
its location (an embedded index's resolved path, or a server's URL and collections). Each
snapshot is a subfolder with ``manifest.json``: the format version, the embedding model, the
location, the *state* of the index it was built from, and each file's size and CRC-32. It is
used only when all of these match: the state is read afresh at each start (the collections'
counts and, embedded, the sequence numbers Chroma gives every write, from its SQLite file;
on a server, a digest of every article's id and content hash), so an index written since,
a snapshot of another index or model, an older format and a damaged file are each rebuilt —
with a message saying why — never trusted. Snapshots are written whole into a temporary
folder, then renamed into place; a reader never sees half of one.

Written by ``Qawl`` at the end of each ingest or re-attribution, and by a process that had to
build one. After a write, the snapshot is *updated* (``Snapshot.updated``) from the one of the
state the write began from, when it was saved: only the written articles' chunks and quotes are
read from Chroma and tokenised, the rest comes from the saved arrays (BM25 is computed again
from the token counts kept beside its scores), and the result is array for array what
``build`` gives — its record counts are checked against the index's, and a write by someone
else meanwhile makes it build instead.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import mmap
import os
import shutil
import sqlite3
import tempfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .catalog import QuoteCatalog
from .columns import Parts, RecordTable, RowPlan, Strings, id_order
from .search import KEYWORD_METADATA, KeywordIndex
from .speakers import SpeakerRegistry
from .store import COLLECTIONS, ChromaStore, Record, record_date
from .transliterate import NameIndex, _Keys

FORMAT = 3  # bump when what is saved, or how it is derived, changes: older snapshots are then rebuilt
MANIFEST = "manifest.json"
_CRC_BLOCK = 1 << 24
_READ_ARTICLES = 500  # articles whose records one read asks Chroma for
_ARTICLE_KEPT = ("source", "date")  # what the committed articles keep of each (``stats``)

log = logging.getLogger(__name__)


@dataclass
class Committed:
    """The fully indexed articles (those with an ``articles`` record), with what ``stats`` shows
    of them; ``table`` keeps each one's outlet and date (rows in id order), so that an update
    reads only the articles written."""

    table: RecordTable
    ids: frozenset[str] = frozenset()
    sources: dict[str, int] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def of(cls, records: Iterable[Record]) -> Committed:
        """From the ``articles`` records (their metadata is enough)."""
        kept = [Record(r.id, "", {k: r.metadata[k] for k in _ARTICLE_KEPT if r.metadata.get(k)}) for r in records]
        table = RecordTable.build([kept[i] for i in id_order([r.id for r in kept])], _ARTICLE_KEPT, _ARTICLE_KEPT,
                                  documents=False)
        return cls._of_table(table)

    @classmethod
    def _of_table(cls, table: RecordTable) -> Committed:
        sources = Counter(r.metadata.get("source") or "unknown" for r in table)
        dates = [day for r in table if (day := record_date(r.metadata))]
        return cls(table, frozenset(table.ids), dict(sources), min(dates, default=None), max(dates, default=None))

    @classmethod
    def read(cls, store: ChromaStore) -> Committed:
        return cls.of(store.iter_records("articles", documents=False))

    def updated(self, store: ChromaStore, articles: set[str]) -> Committed:
        """After ``articles`` were written (added, replaced or removed): only their records read."""
        touched = sorted(articles)
        keep = np.ones(len(self.table), dtype=bool)
        rows = self.table.rows_of(touched)
        keep[rows[rows >= 0]] = False
        new = [Record(r.id, "", {k: r.metadata[k] for k in _ARTICLE_KEPT if r.metadata.get(k)})
               for r in store.get("articles", touched, documents=False)]
        plan = RowPlan.of(self.table.ids, keep, [r.id for r in new])
        return self._of_table(RecordTable.build(plan.records(self.table, new), _ARTICLE_KEPT, _ARTICLE_KEPT,
                                                documents=False))

    def parts(self) -> Parts:
        return self.table.parts()

    def meta(self) -> dict:
        return {"layout": self.table.layout, "sources": self.sources,
                "date_from": _iso(self.date_from), "date_to": _iso(self.date_to)}

    @classmethod
    def from_parts(cls, parts: Parts, meta: dict) -> Committed:
        table = RecordTable(parts, meta["layout"])
        return cls(table, frozenset(table.ids), dict(meta["sources"]), _date(meta["date_from"]), _date(meta["date_to"]))


@dataclass
class Snapshot:
    """Everything derived from one state of the index (see the module's doc)."""

    state: dict
    committed: Committed
    catalog: QuoteCatalog
    chunk_keywords: KeywordIndex
    quote_keywords: KeywordIndex
    names: NameIndex | None = None  # the catalogue speakers' full names (``SpeakerRegistry.known_names``)
    loaded_from: Path | None = None

    @classmethod
    def build(cls, store: ChromaStore, registry: SpeakerRegistry, state: dict | None = None,
              between: Callable[[], None] = lambda: None) -> Snapshot:
        """Everything read from Chroma and built; ``between`` runs after each part (to give memory back)."""
        state = state or index_state(store)  # read first: what is read next may be newer, never older
        committed = Committed.read(store)
        between()
        chunk_keywords = KeywordIndex(store.iter_records("chunks"), KEYWORD_METADATA)
        between()
        catalog = QuoteCatalog(store.iter_records("quotes", embeddings=True))
        between()
        catalog.forms  # noqa: B018 (built now)
        between()
        names, _ = registry.known_names(catalog.known_speakers)
        between()
        quote_keywords = KeywordIndex(catalog.table, table=catalog.table)
        between()
        return cls(state, committed, catalog, chunk_keywords, quote_keywords, names)

    @classmethod
    def updated(cls, previous: Snapshot, store: ChromaStore, registry: SpeakerRegistry, state: dict,
                articles: set[str]) -> Snapshot | None:
        """The snapshot of ``state`` made from ``previous`` when only ``articles`` were written
        since (added, replaced, removed or re-attributed): their chunks and quotes read from
        Chroma, everything else reused — equal, array for array, to ``build``. None when the
        result does not have the record counts of ``state`` (something else was written too):
        then it must be built."""
        ids = sorted(articles)
        quotes = [r for lo in range(0, len(ids), _READ_ARTICLES)
                  for r in store.of_articles("quotes", ids[lo:lo + _READ_ARTICLES], embeddings=True)]
        chunks = [r for lo in range(0, len(ids), _READ_ARTICLES)
                  for r in store.of_articles("chunks", ids[lo:lo + _READ_ARTICLES])]
        committed = previous.committed.updated(store, articles)
        old = previous.catalog.table
        plan = RowPlan.of(old.ids, old.rows_not_in("article_id", articles), [r.id for r in quotes])
        catalog = previous.catalog.updated(plan, quotes)
        catalog.forms  # noqa: B018 (updated or built now)
        old_chunks = previous.chunk_keywords.records
        chunk_plan = RowPlan.of(old_chunks.ids, old_chunks.rows_not_in("article_id", articles), [r.id for r in chunks])
        chunk_keywords = previous.chunk_keywords.updated(chunk_plan, chunks, KEYWORD_METADATA)
        quote_keywords = previous.quote_keywords.updated(plan, quotes, table=catalog.table)
        counts = state.get("counts", {})
        found = {"articles": len(committed.ids), "chunks": len(chunk_keywords.records), "quotes": len(catalog.table)}
        if any(counts.get(name) != n for name, n in found.items()):
            log.info("the index holds %s records, the updated derived indexes %s: building them instead", counts, found)
            return None
        names, _ = registry.known_names(catalog.known_speakers)
        return cls(state, committed, catalog, chunk_keywords, quote_keywords, names)

    # -- on disk -------------------------------------------------------------------------

    def parts(self) -> tuple[Parts, dict]:
        """What is saved: every structure as named arrays and byte strings, and what describes them."""
        parts: Parts = {}
        parts |= _prefixed("committed", self.committed.parts())
        parts |= _prefixed("catalog", self.catalog.parts())
        parts |= _prefixed("chunk_keywords", self.chunk_keywords.parts())
        parts |= _prefixed("quote_keywords", self.quote_keywords.parts(records=False))
        if self.names is not None:
            parts |= _prefixed("names", name_parts(self.names))
        meta = {
            "committed": self.committed.meta(),
            "catalog": self.catalog.layout(),
            "chunk_keywords": self.chunk_keywords.layout(),
            "names": {"digest": names_digest(list(self.names.names))} if self.names is not None else None,
        }
        return parts, meta

    def save(self, folder: Path, identity: dict) -> Path:
        """Write this snapshot under ``folder`` (a new subfolder, renamed into place when whole)."""
        parts, meta = self.parts()
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / _state_name(self.state)
        if final.exists():
            try:
                manifest = json.loads((final / MANIFEST).read_text(encoding="utf-8"))
                if not _mismatch(manifest, identity, self.state):
                    _read_parts(final, manifest["files"])  # every file checked
                    return final  # saved meanwhile by another process
            except (OSError, ValueError, KeyError, Damaged):
                pass
            shutil.rmtree(final, ignore_errors=True)  # of another model or format, or damaged: replaced
        work = Path(tempfile.mkdtemp(prefix=".writing-", dir=folder))
        try:
            files = {}
            for name, value in parts.items():
                path = work / (name + (".npy" if isinstance(value, np.ndarray) else ".bin"))
                if isinstance(value, np.ndarray):
                    np.save(path, np.ascontiguousarray(value), allow_pickle=False)
                else:
                    path.write_bytes(value)
                files[path.name] = {"size": path.stat().st_size, "crc32": _crc32(path)}
            manifest = {"format": FORMAT, **identity, "state": self.state, "files": files, "meta": meta,
                        "written": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
            (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            try:
                os.rename(work, final)
            except OSError:  # another process wrote the same snapshot meanwhile: keep theirs
                if not (final / MANIFEST).exists():
                    raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
        for old in folder.iterdir():  # older states of this index; processes mapping them keep their pages
            if old != final and old.is_dir() and not old.name.startswith(".writing-"):
                shutil.rmtree(old, ignore_errors=True)
        prune_orphans(folder.parent)
        return final

    @classmethod
    def load(cls, folder: Path, identity: dict, state: dict, *, quiet: bool = False) -> Snapshot | None:
        """The snapshot of ``state`` saved under ``folder``, or None (with the reason logged) when
        there is none, or it is of another index, model, format or state, or a file is damaged.
        ``quiet``: those reasons logged as information only (a caller that builds nothing then)."""
        warn = log.info if quiet else log.warning
        path = folder / _state_name(state)
        manifest_path = path / MANIFEST
        if not manifest_path.exists():
            others = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")] if folder.exists() else []
            if others:
                warn("the derived indexes in %s are of an older state of the index (written since): "
                            "rebuilding them", folder)
            return None
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            warn("the derived indexes in %s are damaged (%s): rebuilding them", path, exc)
            return None
        mismatch = _mismatch(manifest, identity, state)
        if mismatch:
            warn("the derived indexes in %s are %s: rebuilding them", path, mismatch)
            return None
        try:
            parts = _read_parts(path, manifest["files"])
            meta = manifest["meta"]
            catalog = QuoteCatalog.from_parts(_unprefixed(parts, "catalog"), meta["catalog"])
            snapshot = cls(
                state=manifest["state"],
                committed=Committed.from_parts(_unprefixed(parts, "committed"), meta["committed"]),
                catalog=catalog,
                chunk_keywords=KeywordIndex.from_parts(_unprefixed(parts, "chunk_keywords"), meta["chunk_keywords"]),
                quote_keywords=KeywordIndex.from_parts(_unprefixed(parts, "quote_keywords"), records=catalog.table),
                names=names_from_parts(_unprefixed(parts, "names"), meta["names"]["digest"]) if meta.get("names") else None,
                loaded_from=path,
            )
        except Damaged as exc:
            warn("the derived indexes in %s are damaged (%s): rebuilding them", path, exc)
            return None
        except (KeyError, ValueError, TypeError) as exc:
            warn("the derived indexes in %s cannot be read (%s: %s): rebuilding them", path, type(exc).__name__, exc)
            return None
        return snapshot

    def attach_names(self, registry: SpeakerRegistry) -> None:
        """Give the catalogue's speakers the saved ``NameIndex``, when it is of exactly the names
        ``registry`` would index now (the registry may have changed since it was saved)."""
        known = self.catalog.known_speakers
        if self.names is None or known._names is not None or not hasattr(self.names, "digest"):
            return
        owners = [(form, speaker) for speaker in known.speakers for form in registry._full_forms(speaker)]
        if names_digest([form for form, _ in owners]) == self.names.digest:
            known._names = self.names, [speaker for _, speaker in owners]


def prune_orphans(root: Path) -> None:
    """Remove the derived indexes of embedded indexes that no longer exist (a test's or an
    evaluation's temporary index): nothing would ever read them again."""
    for folder in root.iterdir() if root.exists() else ():
        for snapshot in folder.iterdir() if folder.is_dir() else ():
            try:
                location = json.loads((snapshot / MANIFEST).read_text(encoding="utf-8")).get("location", "")
            except (OSError, ValueError):
                continue
            if location.startswith("embedded:") and not (Path(location.removeprefix("embedded:")) / "chroma.sqlite3").exists():
                shutil.rmtree(folder, ignore_errors=True)
            break


class Damaged(Exception):
    """A saved file is not what its manifest says."""


def identity_of(store: ChromaStore, embedding_model: str) -> dict:
    """What a snapshot must have been derived from, besides the index's state."""
    return {"location": location_of(store), "embedding_model": embedding_model}


def location_of(store: ChromaStore) -> str:
    if store.index_dir is not None:
        return "embedded:" + str(store.index_dir.resolve())
    return f"server:{store.chroma_url.rstrip('/')}#" + ",".join(COLLECTIONS)


def folder_for(root: Path, store: ChromaStore) -> Path:
    """The folder of one index's snapshots under ``root``: a readable name and a digest of the location."""
    location = location_of(store)
    tail = Path(store.index_dir).resolve().name if store.index_dir is not None else store.chroma_url.split("//")[-1]
    slug = "".join(c if c.isalnum() or c in "-_." else "_" for c in tail)[:40] or "index"
    return root / f"{slug}-{hashlib.sha256(location.encode()).hexdigest()[:16]}"


def index_state(store: ChromaStore) -> dict:
    """The index's state: it changes whenever anything is written to it.

    Embedded: each collection's count and the sequence number of the last write applied to
    its metadata (from Chroma's SQLite file, in milliseconds). On a server
    (or when that table cannot be read): the counts and a digest of every article's id and
    content hash — the chunks and quotes of an article are derived from its content."""
    embedded = _sqlite_state(store.index_dir) if store.index_dir is not None else None
    if embedded is not None:
        return embedded
    state = {"counts": {name: store.count(name) for name in COLLECTIONS}}
    if True:
        digest = hashlib.sha256()
        for record in store.iter_records("articles", documents=False):
            digest.update(f"{record.id}\t{record.metadata.get('content_hash', '')}\n".encode())
        state["articles"] = digest.hexdigest()
    return state


def change_marker(store: ChromaStore):
    """Something that changes whenever articles are committed, replaced or removed, read in
    milliseconds: an embedded index's write sequence of its articles (Chroma's own count would
    load the collection's vector index, a second at archive scale), else the number of articles
    (a server). Chunks and quotes written before their article count only once it is committed."""
    sequence = _articles_sequence(store.index_dir) if store.index_dir is not None else None
    return ("sequence", sequence) if sequence is not None else ("count", store.count("articles"))


def _articles_sequence(index_dir: Path) -> int | None:
    rows = _read_chroma_sqlite(index_dir, _ARTICLES_SEQUENCE)
    return None if rows is None else _seq(rows[0][0]) if rows else 0


_ARTICLES_SEQUENCE = (
    "SELECT m.seq_id FROM segments s JOIN collections c ON s.collection = c.id "
    "JOIN max_seq_id m ON m.segment_id = s.id WHERE s.scope = 'METADATA' AND c.name = 'articles'"
)
_SQLITE_STATE = (
    "SELECT c.name, m.seq_id, (SELECT count(*) FROM embeddings e WHERE e.segment_id = s.id) "
    "FROM segments s JOIN collections c ON s.collection = c.id LEFT JOIN max_seq_id m ON m.segment_id = s.id "
    "WHERE s.scope = 'METADATA'"
)


def _sqlite_state(index_dir: Path) -> dict | None:
    """An embedded index's state read from Chroma's SQLite file: each collection's number of
    records and the sequence number of the last write applied to them; None when it cannot be read."""
    rows = _read_chroma_sqlite(index_dir, _SQLITE_STATE)
    found = {name: (_seq(seq), count) for name, seq, count in rows or ()}
    if set(found) != set(COLLECTIONS):
        return None
    return {"counts": {name: found[name][1] for name in COLLECTIONS},
            "sequence": {name: found[name][0] for name in COLLECTIONS}}


def _read_chroma_sqlite(index_dir: Path, query: str) -> list | None:
    """The rows of ``query`` on an embedded index's SQLite file, opened read-only; None when it cannot be read."""
    path = Path(index_dir) / "chroma.sqlite3"
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute(query).fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        log.info("cannot read Chroma's SQLite file %s (%s): the state is read through Chroma", path, exc)
        return None


def _seq(value) -> int:
    if value is None:
        return 0
    return int.from_bytes(value, "big") if isinstance(value, bytes) else int(value)


def name_parts(index: NameIndex) -> Parts:
    parts: Parts = {**Strings.of(index.names).parts("names"), "masks": index._masks, "words": index._words}
    for words, keys in [("whole", index._whole), *((str(n), index._last_words(n)) for n in (1, 2, 3))]:
        parts |= {f"{words}.sizes": keys.sizes, f"{words}.codes": keys.codes, f"{words}.lengths": keys.lengths}
    return parts


def names_from_parts(parts: Parts, digest: str) -> NameIndex:
    index = NameIndex.__new__(NameIndex)
    index.names = Strings.from_parts(parts, "names")
    index._keys = _LazyKeys(index.names)  # only a name of four words or more needs them
    index._masks, index._words = parts["masks"], parts["words"]

    def keys(name: str) -> _Keys:
        loaded = _Keys.__new__(_Keys)
        loaded.sizes, loaded.codes, loaded.lengths = parts[f"{name}.sizes"], parts[f"{name}.codes"], parts[f"{name}.lengths"]
        return loaded

    index._whole = keys("whole")
    index._last = {n: keys(str(n)) for n in (1, 2, 3)}
    index.digest = digest
    return index


def names_digest(names: list[str]) -> str:
    return hashlib.sha256("\n".join(names).encode("utf-8", "surrogatepass")).hexdigest()


class _LazyKeys:
    def __init__(self, names):
        self.names = names

    def __iter__(self):
        from .transliterate import sound_key

        return (sound_key(name) for name in self.names)


def _mismatch(manifest: dict, identity: dict, state: dict) -> str | None:
    if manifest.get("format") != FORMAT:
        return f"of format {manifest.get('format')}, not {FORMAT}"
    if manifest.get("location") != identity["location"]:
        return f"of another index ({manifest.get('location')})"
    if manifest.get("embedding_model") != identity["embedding_model"]:
        return f"of another embedding model ({manifest.get('embedding_model')})"
    if manifest.get("state") != state:
        return "of another state of the index"
    return None


def _read_parts(path: Path, files: dict) -> Parts:
    parts: Parts = {}
    for name, expected in files.items():
        file = path / name
        try:
            size = file.stat().st_size
        except OSError as exc:
            raise Damaged(f"{name} is missing") from exc
        if size != expected["size"]:
            raise Damaged(f"{name} has {size} bytes, not {expected['size']}")
        if _crc32(file) != expected["crc32"]:
            raise Damaged(f"{name} does not have the checksum it was written with")
        key = name.removesuffix(".npy").removesuffix(".bin")
        if name.endswith(".npy"):
            # a plain read-only view of the map: numpy's memmap subclass costs microseconds per indexing
            parts[key] = np.load(file, mmap_mode="r", allow_pickle=False).view(np.ndarray) if size > 4096 \
                else np.load(file, allow_pickle=False)
        else:
            parts[key] = _map_bytes(file)
    return parts


def _map_bytes(file: Path):
    with open(file, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return b""
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _crc32(file: Path) -> int:
    crc = 0
    with open(file, "rb") as handle:
        while block := handle.read(_CRC_BLOCK):
            crc = zlib.crc32(block, crc)
    return crc


def _state_name(state: dict) -> str:
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:20]


def _prefixed(prefix: str, parts: Parts) -> Parts:
    return {f"{prefix}.{k}": v for k, v in parts.items()}


def _unprefixed(parts: Parts, prefix: str) -> Parts:
    cut = len(prefix) + 1
    return {k[cut:]: v for k, v in parts.items() if k.startswith(prefix + ".")}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
