"""``Qawl``: the one object the CLI, the Gradio app and Python users talk to."""
from __future__ import annotations

import ctypes
import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

from .answer import Answerer
from .arabic import normalize
from .catalog import QuoteCatalog, SpeakerCount
from .config import Settings
from .embed import Embedder, load_embedder
from .export import QuoteRow, quote_rows
from .errors import LoadError, QawlError, QuestionError
from .ingest import Progress, Written, ingest_items, reattribute_index
from .derived import Snapshot, change_marker, folder_for, identity_of, index_state
from .lazy import Rebuilt
from .load import iter_articles
from .question import ParsedQuestion, check_question, parse_question, restore_parsed, with_described, with_speaker
from .search import Filters, HybridSearcher
from .speakers import SpeakerRegistry
from .topic import arabic_keywords
from .store import ChromaStore, Record, article_from_record, record_date
from .types import Answer, Article, IngestReport, Passage, ReattributeReport, Speaker, _jsonable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexStats:
    """What an index holds."""

    articles: int
    chunks: int
    quotes: int
    sources: dict[str, int]
    date_from: dt.date | None
    date_to: dt.date | None
    size_bytes: int | None
    location: str
    embedding_model: str

    def to_dict(self) -> dict:
        return _jsonable(asdict(self))


class Qawl:
    """A Qawl index: ingest articles, search them, ask who said what.

    >>> qawl = Qawl("index")                       # embedded Chroma in ./index
    >>> qawl.ingest([SEEDS_DIR]).added
    5
    >>> qawl.search("حجم التبادل التجاري", k=1)[0].title
    """

    ingested = False  # whether any ingest ran in this process (the CLI exits at once when none did)

    def __init__(
        self,
        index_dir: str | Path | None = None,
        *,
        chroma_url: str | None = None,
        embedding_model: str | None = None,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
    ):
        """``settings`` (default: ``Settings.from_env`` with the arguments given) say which index
        and model; ``embedder``, an already loaded model, is used instead of loading the
        settings' one (to compare embedders on the same index code)."""
        self.settings = settings or Settings.from_env(
            index=index_dir, chroma_url=chroma_url, embedding_model=embedding_model
        )
        if embedder is not None:
            self.__dict__["embedder"] = embedder  # what the cached property would have loaded
        s = self.settings
        self.store = ChromaStore(
            None if s.chroma_url else s.index,
            chroma_url=s.chroma_url,
            timeout=s.chroma_timeout,
            lock_timeout=s.lock_timeout,
        )
        self.registry = SpeakerRegistry.default()
        self._chunks = HybridSearcher(self.store, "chunks", self._embed_query,
                                      keywords=lambda: self.snapshot().chunk_keywords)
        # the quote catalogue already holds every quote record and vector: one copy in memory, not two
        self._quotes = HybridSearcher(
            self.store, "quotes", self._embed_query,
            records=lambda: self.catalog().records.values(),
            dense=lambda vector, n, filters, keep: self.catalog().nearest(
                vector, n, lambda r: filters.matches(r.metadata) and keep(r)),
            keywords=lambda: self.snapshot().quote_keywords,
        )
        self._marker = None  # the index's ``change_marker`` when last looked
        self._preloading: threading.Thread | None = None
        self._snapshot = Rebuilt(self._open_snapshot)
        self._answerer = Answerer(
            store=self.store,
            embed_query=self._embed_query,
            catalog=self.catalog,
            quotes=self._quotes,
            chunks=self._chunks,
            committed=self.committed_articles,
            registry=self.registry,
        )

    @cached_property
    def embedder(self) -> Embedder:
        return load_embedder(self.settings)

    def preload(self) -> None:
        """Start loading the embedding model in the background (seconds: the tokenizer and the
        compiled model), while the derived indexes are mapped; the first question's embedding
        waits for it. Does nothing when it is loaded or loading."""
        if "embedder" in self.__dict__ or self._preloading is not None:
            return

        def load():
            try:
                self.embedder  # noqa: B018
            except Exception:  # noqa: BLE001 - raised again, in the caller's thread, by its own access
                pass

        self._preloading = threading.Thread(target=load, name="qawl-preload", daemon=True)
        self._preloading.start()

    # -- writing ---------------------------------------------------------------------------

    def ingest(
        self, paths: Iterable[str | Path], *, progress: Progress | None = None, wait: bool = True
    ) -> IngestReport:
        """Index the articles in ``paths`` (files or folders, recursively); see ``IngestReport``.

        When another process is writing to the same embedded index, the ingest waits for it up to
        ``QAWL_LOCK_TIMEOUT`` seconds; with ``wait=False`` it raises ``IndexLocked`` at once."""
        if isinstance(paths, (str, Path)):
            paths = [paths]
        items = iter_articles(paths, max_bytes=self.settings.max_file_bytes)
        return self.ingest_articles(items, progress=progress, wait=wait)

    def ingest_articles(
        self, items: Iterable[Article | LoadError], *, progress: Progress | None = None, wait: bool = True
    ) -> IngestReport:
        """Index already-loaded articles (``LoadError`` items are reported as failures); ``wait`` as in ``ingest``."""
        Qawl.ingested = True
        written = Written(lambda: index_state(self.store))
        report = ingest_items(
            items, store=self.store, get_embedder=lambda: self.embedder, progress=progress, wait=wait, written=written
        )
        self._written(written)
        return report

    def reattribute(
        self, *, progress: Callable[[ReattributeReport, str], None] | None = None, wait: bool = True
    ) -> ReattributeReport:
        """Extract the statements of every indexed article again with this version's rules (after
        an upgrade), embedding only wordings that are new; see ``ReattributeReport``. Chunks,
        articles and their vectors are kept. ``wait`` as in ``ingest``."""
        Qawl.ingested = True
        written = Written(lambda: index_state(self.store))
        report = reattribute_index(store=self.store, get_embedder=lambda: self.embedder, progress=progress, wait=wait,
                                   written=written)
        self._written(written)
        return report

    def _written(self, written: Written) -> None:
        """After this process wrote to the index: what was derived from it is dropped, and derived
        again now and saved, so that the next process maps it — updated from the snapshot of
        the state the write began from, when there is one, for the articles written (reading
        only their records), else built."""
        self._forget()
        root = self.settings.derived_root
        if root is None:
            return
        if written.articles and written.before != written.after:
            self._update_snapshot(root, written)
        self.snapshot()

    def _update_snapshot(self, root: Path, written: Written) -> None:
        folder, identity = folder_for(root, self.store), identity_of(self.store, self.settings.embedding_model)
        previous = Snapshot.load(folder, identity, written.before, quiet=True)
        if previous is None or len(written.articles) > len(previous.committed.ids):
            return  # nothing to update, or more changed than stayed: built whole
        updated = Snapshot.updated(previous, self.store, self.registry, written.after, written.articles)
        del previous
        if updated is not None:
            try:
                updated.save(folder, identity)
            except OSError as exc:
                log.warning("cannot save the derived indexes in %s (%s)", folder, exc)
        _return_freed_memory()

    def ensure_seeded(self) -> IngestReport | None:
        """Index the seed articles when the index is empty (first run); None when nothing was needed."""
        if self.committed_articles():  # what the first question maps anyway (a count may load a vector index)
            return None
        return self.ingest([self.settings.seeds])

    # -- reading ---------------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        source: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        keywords: bool | None = None,
    ) -> list[Passage]:
        """The ``k`` passages that best match ``query``: dense search fused with BM25 keyword
        search. ``keywords`` says whether to fuse the keyword half: by default for a query in
        Arabic script, or an English one with Arabic terms for its words (English words over
        Arabic text match noise); True or False to force it."""
        query = check_question(query)
        committed = self.committed_articles()
        hits = self._chunks.search(
            query,
            k,
            filters=Filters(source, date_from, date_to),
            keep=lambda r: r.metadata["article_id"] in committed,
            # an English query reaches the Arabic text's words through its translated terms and numbers
            keyword_query=arabic_keywords(query, self.registry),
            fuse=keywords,
        )
        # titles and locations are the articles' own (chunk records do not repeat them)
        articles = {a.id: a.metadata for a in self.store.get(
            "articles", list(dict.fromkeys(h.record.metadata["article_id"] for h in hits)), documents=False)}
        return [_passage(hit.record, hit.score, articles.get(hit.record.metadata["article_id"], {})) for hit in hits]

    def article(self, article_id: str) -> Article:
        records = self.store.get("articles", [article_id])
        if not records:
            raise QawlError(f"No article {article_id!r} in the index at {self.location}.")
        return article_from_record(records[0])

    @property
    def location(self) -> str:
        """Where the index is: its folder, or the Chroma server's URL."""
        return self.store.where

    def embedded_texts(self) -> list[str]:
        """Every chunk and quote text the index holds, as ingest embedded them (chunks first)."""
        return [r.document for collection in ("chunks", "quotes") for r in self.store.iter_records(collection)]

    def committed_articles(self) -> frozenset[str]:
        """Ids of fully indexed articles; re-read only when the index changed (other writers too):
        an embedded index's write sequence, a server's number of articles (``change_marker``)."""
        marker = change_marker(self.store)
        if marker != self._marker:
            self._marker = marker
            self._forget()
        return self.snapshot().committed.ids

    def snapshot(self) -> Snapshot:
        """What is derived from the index as it is now (see ``rag.derived``): mapped from the files
        saved for this state of the index, else built from it and saved."""
        return self._snapshot.get()

    def warm(self) -> None:
        """Load now what the first question would otherwise wait for: the embedding model and
        everything derived from the index (``snapshot``) — mapped from disk when it was saved for
        the index as it is, else built (a minute for SaudiNewsNet's 31,000 articles) and saved."""
        self.preload()
        self.committed_articles()
        self.registry.known_names(self.catalog().askable(self._is_name))  # for a name the registry lacks
        self._embed_query("warm-up")

    def _open_snapshot(self) -> Snapshot:
        root = self.settings.derived_root
        state = index_state(self.store)
        if root is None:
            return Snapshot.build(self.store, self.registry, state, between=_return_freed_memory)
        folder, identity = folder_for(root, self.store), identity_of(self.store, self.settings.embedding_model)
        snapshot = Snapshot.load(folder, identity, state)
        if snapshot is None:
            built = Snapshot.build(self.store, self.registry, state, between=_return_freed_memory)
            try:
                built.save(folder, identity)
            except OSError as exc:
                log.warning("cannot save the derived indexes in %s (%s): they are kept in memory only", folder, exc)
                return built
            del built  # mapped from the files instead: pages shared with other processes, not this one's heap
            _return_freed_memory()
            snapshot = Snapshot.load(folder, identity, state)
            if snapshot is None:
                raise QawlError(f"The derived indexes just written in {folder} cannot be read back.")
        snapshot.attach_names(self.registry)
        return snapshot

    def _forget(self) -> None:
        """Drop what is derived from the index: it changed (here or in another process)."""
        self._chunks.invalidate()
        self._quotes.invalidate()
        self._snapshot.invalidate()

    def catalog(self) -> QuoteCatalog:
        """The speaker → quotes lookup of the committed index (rebuilt when the index changes)."""
        self.committed_articles()
        return self.snapshot().catalog

    # -- asking ----------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        *,
        speaker: str | None = None,
        source: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        k: int = 5,
        phrase: bool = True,
        previous: Answer | dict | None = None,
    ) -> Answer:
        """Answer ``question`` (English or Arabic) with the asked speaker's verbatim, cited words.

        ``speaker`` (a name, spelling variant or title) overrides the speaker in the question;
        ``source``, ``date_from`` and ``date_to`` override limits written in the question.
        ``previous`` is the answer to the question before in the same conversation (an
        ``Answer`` or its ``to_dict()``): a follow-up that leaves out the speaker or the topic
        ("And about Iran?", «وماذا عن إيران؟») keeps it from there; ``Answer.parsed["kept"]``
        says what was kept.
        With ``QAWL_LLM`` set, a chat model rephrases the answer (``phrase=False`` skips it);
        its quotations are checked verbatim against the sources (see ``rag.llm``).
        """
        self.preload()
        catalog = self.catalog()
        known = catalog.askable(self._is_name)
        parsed = parse_question(
            question,
            registry=self.registry,
            sources=self.stats_sources(),
            known_speakers=known,
            previous=self._previous(previous, catalog),
        )
        # the names askable() judged once, not again for every sentence a description is looked for in
        parsed = with_described(parsed, lambda description: catalog.described(
            description, is_name=lambda s: s.id not in known.hidden, keep=self.registry.names_a_country,
            is_body=self._is_body), self.registry)
        if speaker:
            parsed = with_speaker(parsed, speaker, self.registry, known)
        filters = Filters(source or parsed.source, date_from or parsed.date_from, date_to or parsed.date_to)
        answer = self._answerer.answer(parsed, k=k, filters=filters)
        if self.llm is None or not phrase:
            return answer
        from .llm import phrase_answer

        return phrase_answer(answer, self.llm)

    def _is_name(self, speaker: Speaker) -> bool:
        """Whether an index speaker's name is a person's name, not a noun an attribution took for one."""
        from .attribute.audit import name_issue

        return name_issue(speaker, self.registry) in (None, "unregistered_name")

    def _is_body(self, speaker: Speaker) -> bool:
        """Whether a speaker is a body (a ministry, a council, a club), by kind or by its name's head noun."""
        from .attribute.lexicon import default_lexicon

        words = normalize(speaker.name_ar).split()
        head = words[0].removeprefix("ال") if words else ""
        return speaker.kind in ("institution", "country") or head in default_lexicon().office_nouns

    def _previous(self, previous: Answer | dict | None, catalog: QuoteCatalog) -> ParsedQuestion | None:
        if previous is None:
            return None
        parsed = previous.parsed if isinstance(previous, Answer) else previous.get("parsed", previous)
        if not isinstance(parsed, dict):
            raise QuestionError("previous must be the Answer to the question before (or its to_dict()).")
        return restore_parsed(parsed, registry=self.registry, known_speakers=catalog.known_speakers)

    @cached_property
    def llm(self):
        """The chat model that phrases answers (``QAWL_LLM``), or None for extractive answers only."""
        if not self.settings.llm:
            return None
        from .llm import chat_model_from_setting

        return chat_model_from_setting(self.settings.llm)

    def as_retriever(self, **options):
        """This index as a LangChain retriever of quote ``Document``s (speaker, k, source, date_from, date_to)."""
        from .lc import QawlRetriever  # imported on use: LangChain is slow to import

        return QawlRetriever(qawl=self, **options)

    def as_chain(self, llm=None):
        """This index as an LCEL ``Runnable`` from ``{"question": ...}`` to its ``Answer``."""
        from .lc import answer_chain  # imported on use: LangChain is slow to import

        return answer_chain(self, llm=llm)

    def as_vectorstore(self, collection: str = "chunks"):
        """This index's ``chunks`` (or ``quotes``) as a ``langchain_chroma.Chroma`` vector store,
        for plain LangChain similarity search; who said what is ``ask`` / ``as_retriever``."""
        from .lc import vectorstore  # imported on use: LangChain is slow to import

        return vectorstore(self.store.client, collection, self.embedder)

    def speakers(self) -> list[SpeakerCount]:
        """Every quoted speaker with quote and article counts, most quoted first."""
        return self.catalog().counts()

    def quote_rows(self, speaker_id: str) -> list[QuoteRow]:
        """Every quote of ``speaker_id`` with its article, newest first (the Speakers tab and its exports)."""
        catalog, committed = self.catalog(), self.committed_articles()
        records = [r for r in catalog.quotes_of([speaker_id]) if r.metadata["article_id"] in committed]
        articles = self.store.get("articles", list(dict.fromkeys(r.metadata["article_id"] for r in records)), documents=False)
        return quote_rows(catalog, records, {a.id: a.metadata for a in articles})

    def stats_sources(self) -> list[str]:
        return self.catalog().sources

    def stats(self) -> IndexStats:
        self.committed_articles()
        committed = self.snapshot().committed
        # as the snapshot's state read them: Chroma's own count loads a collection's vector index
        # (0.4 GB for SaudiNewsNet's chunks and quotes), which nothing else here needs
        counts = self.snapshot().state["counts"]
        return IndexStats(
            articles=len(committed.ids),
            chunks=counts["chunks"],
            quotes=counts["quotes"],
            sources=dict(sorted(committed.sources.items(), key=lambda kv: -kv[1])),
            date_from=committed.date_from,
            date_to=committed.date_to,
            size_bytes=self.store.size_on_disk(),
            location=self.location,
            embedding_model=self.settings.embedding_model,
        )

    def _embed_query(self, query: str):
        if self._preloading is not None:
            self._preloading.join()
        return self.embedder.embed_queries([query])[0]


def _return_freed_memory() -> None:
    """Hand the C heap's free pages back to the system: glibc keeps them after a large build
    (0.1-0.2 GB after reading an archive's chunks), and they would count as the server's memory."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim, or nothing that can
        pass


def _passage(record: Record, score: float, article: dict) -> Passage:
    meta = record.metadata
    return Passage(
        article_id=meta["article_id"],
        title=article.get("title"),
        source=meta.get("source"),
        date=record_date(meta),
        url=article.get("url"),
        path=article.get("path"),
        start=meta["start"],
        end=meta["end"],
        text=record.document,
        score=score,
    )

