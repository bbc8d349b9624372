"""LangChain integration: a Qawl index as a retriever of quote ``Document``s, as an LCEL
``Runnable`` from a question to its ``Answer``, and as a plain ``langchain-chroma`` vector
store over its chunks or quotes (similarity search, not speaker-aware).

>>> docs = QawlRetriever(qawl=qawl, speaker="Wang Yi").invoke("Ukraine")
>>> answer_chain(qawl).invoke({"question": "What did Wang Yi say about Ukraine?"}).found
True
"""
from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any, Protocol, runtime_checkable

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import ConfigDict

from .errors import QuestionError
from .llm import phrase_answer
from .types import Answer

ASK_OPTIONS = ("speaker", "source", "date_from", "date_to", "k")  # what a chain input may hold besides "question"


@runtime_checkable
class Asker(Protocol):
    """What the LangChain wrappers need of an index: ``Qawl.ask``. A protocol, not ``Qawl``
    itself, so that this module does not import ``rag.qawl`` (which imports it)."""

    def ask(self, question: str, **options) -> Answer: ...


class QawlRetriever(BaseRetriever):
    """The asked speaker's cited quotes as ``Document``s: ``page_content`` is the verbatim quote,
    ``metadata`` the citation (``Citation.to_dict()``) plus ``found``.

    The query is a question as ``Qawl.ask`` takes it; ``speaker`` (a name, spelling variant or
    title), ``source`` and the dates override what the question says.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    qawl: Asker
    speaker: str | None = None
    k: int = 5
    source: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        answer = self.qawl.ask(
            query, speaker=self.speaker, source=self.source, date_from=self.date_from, date_to=self.date_to, k=self.k,
            phrase=False,  # documents carry the citations; no model call needed
        )
        return [Document(page_content=c.quote, metadata={**c.to_dict(), "found": answer.found}) for c in answer.citations]


def answer_chain(qawl: Asker, *, llm: Runnable | None = None) -> Runnable:
    """An LCEL ``Runnable`` from ``{"question": ..., "speaker"?, "source"?, "date_from"?,
    "date_to"?, "k"?}`` (or the question alone) to its ``Answer``, phrased by ``llm`` when given
    (see ``rag.llm.phrase_answer``: the LLM's text is used only when its quotations verify)."""
    chain = RunnableLambda(partial(_ask, qawl), name="qawl_ask")
    if llm is None:
        return chain
    return chain | RunnableLambda(partial(phrase_answer, model=llm), name="qawl_phrase")


class QawlEmbeddings(Embeddings):
    """Qawl's embedding model as LangChain ``Embeddings``: documents get the model's passage
    prompt, queries its query prompt, as Qawl embeds them."""

    def __init__(self, embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_queries([text])[0].tolist()


def vectorstore(client, collection: str, embedder):
    """The ``langchain_chroma.Chroma`` store of one of an index's collections (``chunks`` or
    ``quotes``), searched with Qawl's embedder. For reading: what is added through it is not
    attributed, deduplicated or counted as Qawl's ``ingest`` does."""
    from langchain_chroma import Chroma

    if collection not in ("chunks", "quotes"):
        raise QuestionError(f"A Qawl vector store searches 'chunks' or 'quotes', not {collection!r}.")
    return Chroma(client=client, collection_name=collection, embedding_function=QawlEmbeddings(embedder),
                  create_collection_if_not_exists=False)


def _ask(qawl: Asker, request: dict[str, Any] | str) -> Answer:
    if isinstance(request, str):
        request = {"question": request}
    unknown = sorted(set(request) - {"question", *ASK_OPTIONS})
    if "question" not in request or unknown:
        raise QuestionError(
            f"A Qawl chain takes {{'question': ...}} and optionally {', '.join(ASK_OPTIONS)}; got {sorted(request)}."
        )
    options = {name: _date(value) if name.startswith("date_") else value for name, value in request.items()}
    return qawl.ask(options.pop("question"), **options)


def _date(value: dt.date | str | None) -> dt.date | None:
    """Dates may arrive as ISO strings (JSON inputs, LangServe)."""
    if not isinstance(value, str):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise QuestionError(f"{value!r} is not a date: write it as YYYY-MM-DD.") from error
