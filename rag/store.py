"""The Chroma layer: one place that knows how records are laid out in Chroma.

Three collections, all written with our own embeddings (Chroma's default embedding
function, which would download a model, is never used):

- ``chunks``: one record per passage of an article.
- ``quotes``: one record per attributed statement, with speaker metadata.
- ``articles``: one record per article: its full text as ingested and its metadata. It is
  written *last*, so its presence is the commit marker: an article whose ingest was
  interrupted has no ``articles`` record, is invisible to search, and is simply written
  again by the next ingest (record ids are deterministic, writes are upserts).

The same code runs on an embedded ``PersistentClient`` or, when a URL is given, on an
``HttpClient`` talking to a ``chroma run`` server.

Every failure reaches callers as ``IndexUnavailable`` with a message that names the cause when
it is known: a full disk or read-only folder (embedded), a server that is down or does not
answer within the timeout (server); a second writer of an embedded index waits for the first.
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from .errors import IndexLocked, IndexUnavailable
from .types import Article, Chunk, Quote

COLLECTIONS = ("articles", "chunks", "quotes")
RECORD_ARTICLE_FIELDS = ("article_id", "source", "date", "date_int")  # see _of_article
_PAGE = 1000  # records per get() when reading a whole collection: 5,000 tripled the memory peak
_LOCK_POLL = 0.2  # seconds between attempts to take the write lock
# Below this much free space a failed write is taken for a full disk: Chroma's own error
# ("Failed to apply logs to the metadata segment") does not say so.
_LOW_DISK_BYTES = 64 * 2**20

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Record:
    """A record as read back from Chroma (``embedding`` only when asked for)."""

    id: str
    document: str
    metadata: dict
    embedding: np.ndarray | None = field(default=None, compare=False, repr=False)


def article_metadata(article: Article, content_hash: str) -> dict:
    """Article fields as Chroma metadata (Chroma accepts no None values)."""
    meta = {
        "article_id": article.id,
        "title": article.title,
        "source": article.source,
        "date": article.date.isoformat() if article.date else None,
        "date_int": date_int(article.date),
        "url": article.url,
        "path": article.path,
        "author": article.author,
        "content_hash": content_hash,
    }
    return {k: v for k, v in meta.items() if v is not None}


def record_date(meta: dict) -> dt.date | None:
    """The article date stored in a record's metadata, or None when unknown."""
    return dt.date.fromisoformat(meta["date"]) if meta.get("date") else None


def article_from_record(record: Record) -> Article:
    meta = record.metadata
    return Article(
        id=record.id,
        text=record.document,
        title=meta.get("title"),
        source=meta.get("source"),
        date=record_date(meta),
        url=meta.get("url"),
        path=meta.get("path"),
        author=meta.get("author"),
    )


def chunk_record(chunk: Chunk, article_meta: dict) -> tuple[str, str, dict]:
    meta = {**_of_article(article_meta), "start": chunk.start, "end": chunk.end, "index": chunk.index}
    return f"{chunk.article_id}:c{chunk.index}", chunk.text, meta


def _of_article(article_meta: dict) -> dict:
    """What a chunk or quote record carries of its article: what search filters on. Titles, URLs
    and the rest are read from the article record for the few hits shown; written into every
    record they made the writes of an archive a fifth slower."""
    return {k: article_meta[k] for k in RECORD_ARTICLE_FIELDS if k in article_meta}


def quote_record(quote: Quote, index: int, article_meta: dict, context: str) -> tuple[str, str, dict]:
    """A quote as a Chroma record; ``context`` is the statement's sentence with its cue."""
    speaker = quote.speaker
    meta = {
        "context": context,
        **_of_article(article_meta),
        "start": quote.start,
        "end": quote.end,
        "index": index,
        "kind": quote.kind.value,
        "cue": quote.cue,
        "confidence": float(quote.confidence),
        "headline": quote.headline,
        "speaker_id": speaker.id,
        # Group speakers are stored under every member too: "|lavrov|wang-yi|".
        "speaker_ids": "|" + "|".join(speaker.ids) + "|",
        "speaker_json": json.dumps(_speaker_dict(speaker), ensure_ascii=False),
        "via": quote.via,
        "nested_in": quote.nested_in.id if quote.nested_in else None,
        "cue_start": quote.cue_start,
    }
    meta = {k: v for k, v in meta.items() if v is not None}
    return f"{meta['article_id']}:q{index}", quote.text, meta


def _speaker_dict(speaker) -> dict:
    return {
        "id": speaker.id,
        "name_en": speaker.name_en,
        "name_ar": speaker.name_ar,
        "kind": speaker.kind,
        "description": speaker.description,
        "members": [_speaker_dict(m) for m in speaker.members],
    }


def date_int(date: dt.date | None) -> int | None:
    """A date as the integer YYYYMMDD, the form Chroma can compare in a range filter."""
    return date.year * 10000 + date.month * 100 + date.day if date else None


class ChromaStore:
    """Qawl's records in Chroma, embedded (``index_dir``) or on a server (``chroma_url``)."""

    def __init__(
        self,
        index_dir: Path | str | None = None,
        *,
        chroma_url: str | None = None,
        timeout: float = 30,
        lock_timeout: float = 600,
    ):
        self.index_dir = Path(index_dir) if index_dir else None
        self.chroma_url = chroma_url
        self.timeout = timeout
        self.lock_timeout = lock_timeout
        self.client, self.collections = self._open()
        self.max_batch = self.client.get_max_batch_size()
        self._reopened = 0  # times the embedded client was opened afresh (see _call)
        self._reopening = threading.Lock()

    def _open(self):
        client = _connect(self.index_dir, self.chroma_url, self.timeout)
        try:
            collections = {
                name: client.get_or_create_collection(
                    name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
                )
                for name in COLLECTIONS
            }
        except Exception as exc:  # chromadb raises many kinds; all mean the same to a user
            raise IndexUnavailable(self._explain(exc, f"Cannot open the Chroma collections at {self.where}")) from exc
        return client, collections

    @property
    def where(self) -> str:
        return self.chroma_url or str(self.index_dir)

    def count(self, collection: str) -> int:
        return self._call(collection, "count")

    def upsert(self, collection: str, rows: Sequence[tuple[str, str, dict]], embeddings: np.ndarray) -> None:
        """Write ``(id, document, metadata)`` rows with their embeddings, in Chroma-sized batches."""
        for lo in range(0, len(rows), self.max_batch):
            part = rows[lo : lo + self.max_batch]
            self._call(
                collection,
                "upsert",
                ids=[r[0] for r in part],
                documents=[r[1] for r in part],
                metadatas=[r[2] for r in part],
                embeddings=np.asarray(embeddings[lo : lo + self.max_batch], dtype=np.float32),
            )

    def delete_article(self, article_id: str) -> None:
        """Remove an article and everything derived from it (marker first, so it vanishes at once)."""
        for name in COLLECTIONS:
            self._call(name, "delete", where={"article_id": article_id})

    def get(self, collection: str, ids: Sequence[str], *, documents: bool = True) -> list[Record]:
        """The records of ``ids`` that exist, a page at a time."""
        ids, records = list(ids), []
        include = ["metadatas", *(["documents"] if documents else [])]
        for lo in range(0, len(ids), _PAGE):
            got = self._call(collection, "get", ids=ids[lo : lo + _PAGE], include=include)
            docs = got["documents"] if documents else [""] * len(got["ids"])
            records += [Record(i, d, m) for i, d, m in zip(got["ids"], docs, got["metadatas"])]
        return records

    def of_articles(self, collection: str, article_ids: Sequence[str], *, embeddings: bool = False) -> list[Record]:
        """The records of ``collection`` that belong to ``article_ids``."""
        if not article_ids:
            return []
        include = ["metadatas", "documents", *(["embeddings"] if embeddings else [])]
        got = self._call(collection, "get", where={"article_id": {"$in": list(article_ids)}}, include=include)
        vectors = np.asarray(got["embeddings"], dtype=np.float32) if embeddings else [None] * len(got["ids"])
        return [Record(*row) for row in zip(got["ids"], got["documents"], got["metadatas"], vectors)]

    def delete(self, collection: str, ids: Sequence[str]) -> None:
        """Remove the records ``ids`` (those that exist)."""
        for lo in range(0, len(ids), self.max_batch):
            self._call(collection, "delete", ids=list(ids[lo : lo + self.max_batch]))

    def query(self, collection: str, embedding: np.ndarray, n: int, where: dict | None = None) -> list[tuple[Record, float]]:
        """Nearest records to ``embedding`` with their cosine similarity."""
        size = self.count(collection)
        if size == 0:
            return []
        got = self._call(
            collection,
            "query",
            query_embeddings=np.asarray([embedding], dtype=np.float32),
            n_results=min(n, size),
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        return [
            (Record(i, d, m), 1.0 - dist)
            for i, d, m, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0])
        ]

    def iter_records(self, collection: str, *, documents: bool = True, embeddings: bool = False) -> Iterator[Record]:
        """Every record of a collection, page by page (memory stays bounded by the page size)."""
        include = ["metadatas", *(["documents"] if documents else []), *(["embeddings"] if embeddings else [])]
        offset = 0
        while True:
            got = self._call(collection, "get", include=include, limit=_PAGE, offset=offset)
            if not got["ids"]:
                return
            n = len(got["ids"])
            docs = got["documents"] if documents else [""] * n
            vectors = np.asarray(got["embeddings"], dtype=np.float32) if embeddings else [None] * n
            yield from (Record(*row) for row in zip(got["ids"], docs, got["metadatas"], vectors))
            offset += n

    @contextmanager
    def write_lock(self, *, wait: bool = True) -> Iterator[None]:
        """Serialise writers of one embedded index across processes (the server serialises itself).

        A second writer waits for the first, saying so once, up to ``lock_timeout`` seconds, then
        raises ``IndexLocked``; with ``wait=False`` it raises ``IndexLocked`` at once. Readers never
        take the lock."""
        if self.index_dir is None:
            yield
            return
        try:
            handle = open(self.index_dir / ".qawl-write.lock", "a+")
        except OSError as exc:
            raise IndexUnavailable(self._explain(exc, f"Cannot take the write lock of {self.index_dir}")) from exc
        with handle:
            self._take_lock(handle, wait)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _take_lock(self, handle, wait: bool) -> None:
        deadline = time.monotonic() + self.lock_timeout
        waiting = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if not wait:
                    raise IndexLocked(
                        f"Another Qawl process is writing to {self.index_dir} right now; "
                        f"try again when it has finished."
                    ) from None
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"Another Qawl process is writing to {self.index_dir} and did not finish within "
                        f"{self.lock_timeout:g} s (QAWL_LOCK_TIMEOUT); wait for it to finish and try again."
                    ) from None
                if not waiting:
                    log.warning("waiting for another Qawl process writing to %s…", self.index_dir)
                    waiting = True
                time.sleep(min(_LOCK_POLL, max(0.0, deadline - time.monotonic())))

    def close(self) -> None:
        """Release the Chroma client. An embedded client keeps the vectors it has loaded and does not
        see later writes of other processes; a store opened after ``close`` reads the folder afresh."""
        self.client.close()

    def size_on_disk(self) -> int | None:
        if self.index_dir is None:
            return None
        return sum(p.stat().st_size for p in self.index_dir.rglob("*") if p.is_file())

    def _call(self, collection: str, method: str, **kwargs):
        """``method`` of a collection, with Chroma's failures raised as ``IndexUnavailable``.

        An embedded client keeps the vectors it has loaded: when another process has written
        since, a read of the new records fails ("Error finding id"). The client is then opened
        afresh, once, and the call tried again. An embedded client that fails twice is closed:
        after a failed write (a full disk) it would hang the next calls; the next call opens a
        fresh one."""
        embedded = self.index_dir is not None
        for attempt in (1, 2):
            opened = self._reopened
            try:
                return getattr(self.collections[collection], method)(**kwargs)
            except (IndexUnavailable, ValueError, TypeError):
                raise
            except Exception as exc:
                if embedded and attempt == 1:
                    self._reopen(opened)
                    continue
                if embedded:
                    self.client.close()
                raise IndexUnavailable(self._explain(exc, f"Chroma at {self.where} failed")) from exc

    def _reopen(self, opened: int) -> None:
        """Open the embedded client afresh, unless another thread has done so since ``opened``.

        (Chroma shares one client state per folder within a process: it is fresh only when no
        other open store of this process reads the same folder; Qawl keeps one.)"""
        with self._reopening:
            if self._reopened == opened:
                self.client.close()
                self.client, self.collections = self._open()
                self._reopened += 1

    def _explain(self, exc: Exception, what: str) -> str:
        return _explain(exc, what, self.index_dir, self.chroma_url, self.timeout)


def _connect(index_dir: Path | None, chroma_url: str | None, timeout: float):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if chroma_url:
            return _http_client(chroma_url, timeout, chroma_settings)
        index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(index_dir), settings=chroma_settings)
    except IndexUnavailable:
        raise
    except Exception as exc:
        what = f"Cannot open the Chroma index at {chroma_url or index_dir}"
        raise IndexUnavailable(_explain(exc, what, index_dir, chroma_url, timeout)) from exc


def _http_client(chroma_url: str, timeout: float, chroma_settings):
    """An ``HttpClient`` of the server at ``chroma_url``, made within ``timeout`` seconds, whose
    every later request gives up after ``timeout`` seconds too.

    Creating a chromadb client asks the server for its tenant and database, with no timeout and
    before one can be set (chromadb 1.x has no setting for it): a server that accepts connections
    but does not answer would hang Qawl there. So the heartbeat and the creation run in a worker
    thread that is waited for ``timeout`` seconds and then left to finish on its own."""
    import chromadb

    url = urlparse(chroma_url)
    if not url.hostname:
        raise IndexUnavailable(f"QAWL_CHROMA_URL must look like http://host:port, not {chroma_url!r}")

    def create():
        _check_heartbeat(chroma_url, timeout)
        return chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )

    try:
        client = _within(timeout, create, discard=lambda late: late.close())
    except TimeoutError:
        what = f"Cannot open the Chroma index at {chroma_url}"
        raise IndexUnavailable(f"{what}: {_no_answer(chroma_url, timeout)}") from None
    _set_http_timeout(client, timeout)
    return client


def _within(seconds: float, make: Callable, *, discard: Callable):
    """``make()``'s result, or ``TimeoutError`` once it has taken ``seconds``. It runs in a daemon
    thread, which does not keep the process alive; what it makes after the caller gave up is
    handed to ``discard``."""
    outcome = {}
    decided = threading.Lock()  # the result arrives or the caller gives up, never both

    def run():
        try:
            result = {"value": make()}
        except BaseException as exc:  # raised in the caller's thread instead
            result = {"error": exc}
        with decided:
            if "gave up" not in outcome:
                outcome.update(result)
            elif "value" in result:
                discard(result["value"])

    worker = threading.Thread(target=run, name="qawl-within", daemon=True)
    worker.start()
    worker.join(seconds)
    with decided:
        if not outcome:
            outcome["gave up"] = True
            raise TimeoutError(f"no result within {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _explain(exc: Exception, what: str, index_dir: Path | None, chroma_url: str | None, timeout: float) -> str:
    """``what`` failed because of ``exc``: the cause a user can act on when it is known, else Chroma's words."""
    if chroma_url:
        problem = _server_problem(exc, chroma_url, timeout)
    else:
        problem = _storage_problem(exc, index_dir) if index_dir else None
    return f"{what}: {problem} (Chroma said: {exc})" if problem else f"{what}: {exc}"


def _set_http_timeout(client, timeout: float) -> None:
    """Make every request of an ``HttpClient`` give up after ``timeout`` seconds.

    chromadb 1.x creates its httpx session with ``timeout=None`` and has no setting for it, so a
    server that accepts connections but never answers would hang Qawl forever."""
    client._server._session.timeout = timeout


def _server_problem(exc: Exception, chroma_url: str, timeout: float) -> str | None:
    """A clear sentence for a Chroma server that is down or does not answer, or None."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return _no_answer(chroma_url, timeout)
    if isinstance(exc, httpx.TransportError):
        return f"lost the Chroma server at {chroma_url}: is `chroma run` still running there?"
    return None


def _no_answer(chroma_url: str, timeout: float) -> str:
    return (f"the Chroma server at {chroma_url} did not answer within {timeout:g} s (QAWL_CHROMA_TIMEOUT): "
            f"it is stuck or overloaded.")


def _storage_problem(exc: Exception, index_dir: Path) -> str | None:
    """Why the embedded index cannot be written, when the cause is a read-only folder or a full disk."""
    folder = next((p for p in (index_dir, *index_dir.parents) if p.exists()), index_dir)
    try:
        disk = os.statvfs(folder)
    except OSError:
        return None
    if disk.f_flag & os.ST_RDONLY or not os.access(folder, os.W_OK):
        return (f"the folder {folder} is read-only, and Chroma writes to its index folder even to read it: "
                f"make it writable, or copy the index to a writable folder and point --index (QAWL_INDEX) there.")
    free = disk.f_bavail * disk.f_frsize
    if free < _LOW_DISK_BYTES or getattr(exc, "errno", None) == errno.ENOSPC:
        return (f"the disk holding {index_dir} is full: free some space and run the same command again; "
                f"what was fully indexed stays indexed.")
    return None


def _check_heartbeat(chroma_url: str, timeout: float) -> None:
    """Fail fast, with a clear message, when no Chroma server answers at ``chroma_url``;
    ``TimeoutError`` when one accepts the connection but does not answer in time."""
    import urllib.request

    try:
        with urllib.request.urlopen(chroma_url.rstrip("/") + "/api/v2/heartbeat", timeout=timeout):
            pass
    except TimeoutError:
        raise
    except Exception as exc:
        raise IndexUnavailable(
            f"No Chroma server answers at {chroma_url} ({exc}). Start one with "
            f"`chroma run --path <folder> --port <port>`, or unset QAWL_CHROMA_URL to use the embedded index."
        ) from exc
