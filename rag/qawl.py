"""``Qawl``: the one object the CLI, the Gradio app and Python users talk to."""
from __future__ import annotations

import ctypes
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from .answer import Answerer
from .catalog import QuoteCatalog, SpeakerCount
from .config import Settings
from .embed import Embedder, load_embedder
from .export import QuoteRow, quote_rows
from .errors import LoadError, QawlError, QuestionError
from .ingest import Progress, ingest_items
from .lazy import Rebuilt
from .load import iter_articles
from .question import ParsedQuestion, check_question, parse_question, restore_parsed, with_speaker
from .search import Filters, HybridSearcher
from .speakers import SpeakerRegistry
from .store import ChromaStore, Record, article_from_record, record_date
from .types import Answer, Article, IngestReport, Passage, _jsonable


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
        self._chunks = HybridSearcher(self.store, "chunks", self._embed_query)
        # the quote catalogue already holds every quote record and vector: one copy in memory, not two
        self._quotes = HybridSearcher(
            self.store, "quotes", self._embed_query,
            records=lambda: self.catalog().records.values(),
            dense=lambda vector, n, filters, keep: self.catalog().nearest(
                vector, n, lambda r: filters.matches(r.metadata) and keep(r)),
        )
        self._committed = _Committed(count=-1)
        self._catalog = Rebuilt(lambda: QuoteCatalog(self.store.iter_records("quotes", embeddings=True)))
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
        report = ingest_items(
            items, store=self.store, get_embedder=lambda: self.embedder, progress=progress, wait=wait
        )
        self._forget()
        return report

    def ensure_seeded(self) -> IngestReport | None:
        """Index the seed articles when the index is empty (first run); None when nothing was needed."""
        if self.store.count("articles"):
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
        search. ``keywords`` says whether to fuse the keyword half: by default only for a query
        in Arabic script (English words over Arabic text match noise); True or False to force it."""
        query = check_question(query)
        committed = self.committed_articles()
        hits = self._chunks.search(
            query,
            k,
            filters=Filters(source, date_from, date_to),
            keep=lambda r: r.metadata["article_id"] in committed,
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
        """Ids of fully indexed articles; re-read only when the count changes (other writers too)."""
        count = self.store.count("articles")
        if count != self._committed.count:
            self._committed = _Committed.read(self.store, count)
            self._forget()
        return self._committed.ids

    def warm(self) -> None:
        """Load now what the first question would otherwise wait for: the embedding model, both
        keyword indexes and the speaker → quotes catalogue with its word forms and the sounds of
        its speakers' names (a minute for SaudiNewsNet's 31,000 articles). The chunks go first:
        what their reading leaves behind is reused by the catalogue. What each build leaves
        free is given back to the system before the next one starts, so that their leftovers
        do not add up (0.13 GB less at the peak for SaudiNewsNet)."""
        self.embedder.embed_queries(["warm-up"])
        self.committed_articles()  # first: its first reading drops whatever was built before it
        builds = (
            lambda: self._chunks.keywords,
            self.catalog,
            lambda: self.catalog().forms,
            lambda: self.registry.known_names(self.catalog().known_speakers),  # for a name the registry lacks
            lambda: self._quotes.keywords,
        )
        for build in builds:
            build()
            _return_freed_memory()

    def _forget(self) -> None:
        """Drop what is cached from the index: it changed (here or in another process)."""
        self._chunks.invalidate()
        self._quotes.invalidate()
        self._catalog.invalidate()

    def catalog(self) -> QuoteCatalog:
        """The speaker → quotes lookup of the committed index (rebuilt when the index changes)."""
        self.committed_articles()
        return self._catalog.get()

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
        catalog = self.catalog()
        parsed = parse_question(
            question,
            registry=self.registry,
            sources=self.stats_sources(),
            known_speakers=catalog.known_speakers,
            previous=self._previous(previous, catalog),
        )
        if speaker:
            parsed = with_speaker(parsed, speaker, self.registry, catalog.known_speakers)
        filters = Filters(source or parsed.source, date_from or parsed.date_from, date_to or parsed.date_to)
        answer = self._answerer.answer(parsed, k=k, filters=filters)
        if self.llm is None or not phrase:
            return answer
        from .llm import phrase_answer

        return phrase_answer(answer, self.llm)

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
        committed = self._committed
        return IndexStats(
            articles=len(committed.ids),
            chunks=self.store.count("chunks"),
            quotes=self.store.count("quotes"),
            sources=dict(sorted(committed.sources.items(), key=lambda kv: -kv[1])),
            date_from=committed.date_from,
            date_to=committed.date_to,
            size_bytes=self.store.size_on_disk(),
            location=self.location,
            embedding_model=self.settings.embedding_model,
        )

    def _embed_query(self, query: str):
        return self.embedder.embed_queries([query])[0]


@dataclass
class _Committed:
    """The fully indexed articles as last read (``count`` of them), with what ``stats`` shows of
    them: read together, once per change (reading 30,000 article records takes 8 s)."""

    count: int
    ids: frozenset[str] = frozenset()
    sources: dict[str, int] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def read(cls, store: ChromaStore, count: int) -> _Committed:
        ids, sources, dates = [], Counter(), []
        for record in store.iter_records("articles", documents=False):
            ids.append(record.id)
            sources[record.metadata.get("source") or "unknown"] += 1
            if day := record_date(record.metadata):
                dates.append(day)
        return cls(count, frozenset(ids), dict(sources), min(dates, default=None), max(dates, default=None))


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

