"""LangChain integration over a real index of the seeds: the retriever and the answer chain in LCEL pipelines.

Answer ranking is still being tuned: these tests check structure, verbatim spans and speaker
identity, not which quote comes first.
"""
from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.runnables import RunnableLambda

from rag.errors import QuestionError
from rag.lc import QawlRetriever, answer_chain

QUESTION = "What did Wang Yi say about Ukraine?"


@pytest.mark.parametrize("speaker", ["Wang Yi", "وانغ يي"])
def test_the_retriever_returns_only_the_speakers_verbatim_quotes(seeded, speaker):
    retriever = QawlRetriever(qawl=seeded, speaker=speaker, k=3)
    cited = (retriever | RunnableLambda(lambda docs: [(d.page_content, d.metadata) for d in docs])).invoke("Ukraine")
    assert 1 <= len(cited) <= 3
    for quote, meta in cited:
        assert "wang-yi" in meta["speaker_ids"] and meta["found"] is True
        assert quote == meta["quote"] == seeded.article(meta["article_id"]).text[meta["start"]:meta["end"]]
        assert meta["passage"] and quote in meta["passage"]


def test_the_retriever_finds_nothing_for_a_speaker_never_quoted(seeded):
    assert QawlRetriever(qawl=seeded, speaker="Joe Biden").invoke("Ukraine") == []


def test_the_chain_answers_a_batch_of_questions(seeded):
    answers = answer_chain(seeded).batch([
        {"question": QUESTION},
        {"question": "What did he say about Eurasia?", "speaker": "Sergei Lavrov"},
        "ماذا قال بايدن؟",  # mentioned in the seeds, never quoted
        {"question": QUESTION, "date_from": "2030-01-01"},  # an ISO date string reaches the filter
    ])
    wang, lavrov, biden, future = answers
    assert wang.found and {c.speaker_id for c in wang.citations} == {"wang-yi"}
    assert lavrov.found and {c.speaker_id for c in lavrov.citations} == {"sergei-lavrov"}
    assert not biden.found and biden.citations == [] and biden.parsed["lang"] == "ar"
    assert not future.found and future.citations == []


def test_the_chain_uses_a_model_only_when_its_quotes_verify(seeded):
    extractive = seeded.ask(QUESTION)
    quote = extractive.citations[0].quote
    faithful = f"Wang Yi said [1]: «{quote}»"
    inventing = "Wang Yi said [1]: «الصين سترسل قوات إلى أوكرانيا»"
    used = answer_chain(seeded, llm=FakeListChatModel(responses=[faithful])).invoke({"question": QUESTION})
    refused = answer_chain(seeded, llm=FakeListChatModel(responses=[inventing])).invoke({"question": QUESTION})
    assert used.text == faithful and used.parsed["llm"]["used"] is True
    assert refused.text == extractive.text and refused.parsed["llm"]["used"] is False
    assert [c.quote for c in used.citations] == [c.quote for c in refused.citations] == [c.quote for c in extractive.citations]


@pytest.mark.parametrize("request_", [
    {"questoin": QUESTION},
    {"question": QUESTION, "author": "Reuters"},
    {"question": QUESTION, "date_to": "2024-13-01"},
])
def test_a_malformed_chain_input_is_refused_before_asking(request_):
    index = object()  # never reached: the input is checked first
    with pytest.raises(QuestionError):
        answer_chain(index).invoke(request_)


def test_the_vector_store_searches_the_indexs_chunks_with_qawls_embedder(seeded):
    store = seeded.as_vectorstore()
    [(doc, score)] = store.similarity_search_with_score("حجم التبادل التجاري بين الصين وروسيا", k=1)
    article = seeded.article(doc.metadata["article_id"])
    assert article.text[doc.metadata["start"]:doc.metadata["end"]] == doc.page_content
    expected = seeded.search("حجم التبادل التجاري بين الصين وروسيا", k=1, keywords=False)[0]
    assert (doc.metadata["start"], doc.metadata["article_id"]) == (expected.start, expected.article_id)
    quotes = seeded.as_vectorstore("quotes").similarity_search("العلاقات الروسية الصينية", k=2)
    assert len(quotes) == 2 and all(d.metadata["speaker_id"] for d in quotes)


def test_the_vector_store_is_only_for_chunks_and_quotes(seeded):
    with pytest.raises(QuestionError, match="'chunks' or 'quotes', not 'articles'"):
        seeded.as_vectorstore("articles")
