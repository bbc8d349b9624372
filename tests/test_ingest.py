"""Ingest and the write lock, on a real embedded Chroma with a fake embedder (no model needed)."""
import json
import time
import zlib

import numpy as np
import pytest

from rag import IndexLocked, Qawl, Settings
from rag.config import SEEDS_DIR

SEEDS = SEEDS_DIR


class FakeEmbedder:
    """An ``Embedder`` without a model: each text's vector is drawn from a seed made of the text."""

    dim = 8

    def start_passages(self, texts: list[str]):
        vectors = np.array([np.random.default_rng(zlib.crc32(t.encode())).normal(size=self.dim) for t in texts]).reshape(-1, self.dim)
        return lambda: (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def loads(monkeypatch) -> list:
    """Each time a Qawl loads its embedding model (a ``FakeEmbedder``), the settings it loads it with."""
    calls = []
    monkeypatch.setattr("rag.qawl.load_embedder", lambda settings: calls.append(settings) or FakeEmbedder())
    return calls


def open_index(tmp_path, **settings) -> Qawl:
    return Qawl(settings=Settings.from_env(index=tmp_path / "index", **settings))


@pytest.mark.parametrize("wait, lock_timeout, message", [
    (False, 30, "right now; try again when it has finished."),
    (True, 0, "and did not finish within 0 s (QAWL_LOCK_TIMEOUT); wait for it to finish and try again."),
])
def test_an_ingest_meets_another_writer_with_a_clear_error_before_loading_the_model(
    tmp_path, lock_holder, loads, wait, lock_timeout, message
):
    qawl = open_index(tmp_path, lock_timeout=lock_timeout)
    started = time.monotonic()
    with pytest.raises(IndexLocked) as error:
        qawl.ingest([SEEDS], wait=wait)
    assert str(error.value) == f"Another Qawl process is writing to {tmp_path / 'index'} {message}"
    assert time.monotonic() - started < 10  # wait=False does not wait for the 30 s timeout
    assert qawl.store.lock_timeout == lock_timeout and qawl.store.count("articles") == 0
    assert loads == []


def test_the_model_is_loaded_once_and_only_when_there_is_something_to_embed(tmp_path, loads):
    report = open_index(tmp_path).ingest([SEEDS])
    assert report.added == 5 and len(loads) == 1
    assert open_index(tmp_path).ingest([SEEDS]).unchanged == 5  # nothing new: no model needed
    assert len(loads) == 1


def _article(url: str, text: str):
    from rag.types import Article

    return Article(id=url, text=text, title="t", url=url)


@pytest.mark.parametrize("batch_articles, counts", [(1, (1, 1)), (128, (1, 0))])
def test_an_article_edited_within_one_ingest_keeps_only_its_last_version(tmp_path, loads, monkeypatch, batch_articles, counts):
    """With one article a batch the first version is still being embedded when the edit comes;
    with 128 both are in one batch (one upsert could not hold both versions' ids)."""
    import rag.ingest

    monkeypatch.setattr(rag.ingest, "BATCH_ARTICLES", batch_articles)
    # the first version has more statements: records the edit does not overwrite by id would be left behind
    first = "".join(f"قال وزير الخارجية عادل الجبير إن المملكة ترحب بالاتفاق رقم {n}.\n\n" for n in range(6))
    edited = "قال وزير الخارجية عادل الجبير إن المملكة لن تقبل بالاتفاق النووي.\n"
    qawl = open_index(tmp_path)
    report = qawl.ingest_articles([_article("http://e/1", first), _article("http://e/2", first + "."), _article("http://e/1", edited)])
    assert (report.added - 1, report.updated) == counts and report.ok
    quotes = [r.document for r in qawl.store.iter_records("quotes") if r.metadata["article_id"] == "http://e/1"]
    assert len(quotes) == 1 and "لن تقبل" in quotes[0]
    chunks = [r for r in qawl.store.iter_records("chunks") if r.metadata["article_id"] == "http://e/1"]
    assert chunks and all("لن تقبل" in r.document for r in chunks)
    assert qawl.store.count("articles") == 2


def test_an_edit_that_cannot_be_processed_still_removes_the_version_it_replaces(tmp_path, loads, monkeypatch):
    import rag.ingest

    qawl = open_index(tmp_path)
    qawl.ingest_articles([_article("http://e/1", "قال الوزير إن المملكة ترحب بالاتفاق.\n")])
    real_extract = rag.ingest.article_quotes

    def extract(text, **kwargs):
        if "معطوب" in text:
            raise RuntimeError("a defect in attribution")
        return real_extract(text, **kwargs)

    monkeypatch.setattr(rag.ingest, "article_quotes", extract)
    report = qawl.ingest_articles([_article("http://e/1", "نص معطوب.\n")])
    assert [reason for _, reason in report.failed] == ["could not process the article: RuntimeError('a defect in attribution')"]
    assert [qawl.store.count(c) for c in ("articles", "chunks", "quotes")] == [0, 0, 0]  # no stale version served


def test_a_batch_is_written_while_the_next_one_is_embedded(tmp_path, monkeypatch):
    """The model works through batch 2 while batch 1 goes to Chroma; each batch's rows are
    made while the batch before is being embedded."""
    import rag.ingest

    events = []

    class RecordingEmbedder(FakeEmbedder):
        def start_passages(self, texts):
            batch = len(events_of("start")) + 1
            events.append(("start", batch))
            pending = super().start_passages(texts)
            return lambda: events.append(("vectors", batch)) or pending()

    def events_of(kind):
        return [e for e in events if e[0] == kind]

    monkeypatch.setattr("rag.qawl.load_embedder", lambda settings: RecordingEmbedder())
    monkeypatch.setattr(rag.ingest, "BATCH_ARTICLES", 2)
    real_records = rag.ingest._records
    monkeypatch.setattr(rag.ingest, "_records", lambda batch, report: events.append(("rows", len(batch))) or real_records(batch, report))
    qawl = open_index(tmp_path)
    real_upsert = qawl.store.upsert
    monkeypatch.setattr(qawl.store, "upsert", lambda c, rows, v: events.append(("write", c)) or real_upsert(c, rows, v))
    assert qawl.ingest([SEEDS]).added == 5
    writes = [("write", "chunks"), ("write", "quotes"), ("write", "articles")]
    assert events == [
        ("rows", 2), ("start", 1),
        ("rows", 2), ("vectors", 1), ("start", 2), *writes,
        ("rows", 1), ("vectors", 2), ("start", 3), *writes,
        ("vectors", 3), *writes,
    ]


def test_a_failed_write_stops_the_ingest_with_its_error_and_marks_nothing_after_it(tmp_path, loads, monkeypatch):
    import rag.ingest
    from rag.errors import IndexUnavailable

    monkeypatch.setattr(rag.ingest, "BATCH_ARTICLES", 2)
    qawl = open_index(tmp_path)
    real_upsert, calls = qawl.store.upsert, []

    def upsert(collection, rows, embeddings):
        calls.append(collection)
        if calls.count("chunks") == 2:  # the second batch's first write
            raise IndexUnavailable("Chroma at the index failed: the disk is full")
        real_upsert(collection, rows, embeddings)

    monkeypatch.setattr(qawl.store, "upsert", upsert)
    with pytest.raises(IndexUnavailable, match="the disk is full"):
        qawl.ingest([SEEDS])
    assert qawl.store.count("articles") == 2  # the first batch, whole; nothing of the second marked


# -- re-attribution: the statements extracted again by changed rules ------------------------

def _rules_that(monkeypatch, change) -> None:
    """Attribution as if its rules had changed: ``change(text, quotes)`` gives an article's new statements."""
    from rag.attribute.article import article_quotes

    monkeypatch.setattr("rag.ingest.article_quotes", lambda text, **kw: change(text, article_quotes(text, **kw)))


def _statements(qawl: Qawl) -> dict:
    """Every stored statement: id → (text, metadata, vector)."""
    return {r.id: (r.document, r.metadata, r.embedding.round(6).tolist())
            for r in qawl.store.iter_records("quotes", embeddings=True)}


def _shortened(text: str, quotes: list) -> list:
    """The last statement of an article no longer found, the first one a word shorter."""
    from dataclasses import replace

    quotes = quotes[:-1]
    if quotes and " " in quotes[0].text:
        cut = quotes[0].text.rindex(" ")
        quotes[0] = replace(quotes[0], text=quotes[0].text[:cut], end=quotes[0].start + cut)
    return quotes


def test_reattributing_with_unchanged_rules_writes_nothing_and_loads_no_model(tmp_path, loads):
    open_index(tmp_path).ingest([SEEDS])
    qawl = open_index(tmp_path)
    before = _statements(qawl)
    report = qawl.reattribute()
    assert (report.articles, report.unchanged) == (5, len(before))
    assert report.changed == report.added == report.removed == report.embedded == 0 and report.ok
    assert len(loads) == 1  # the ingest's: nothing new to embed
    assert _statements(open_index(tmp_path)) == before


def test_reattributing_after_the_rules_changed_gives_the_index_a_fresh_ingest_would(tmp_path, loads, monkeypatch):
    open_index(tmp_path).ingest([SEEDS])
    before = _statements(open_index(tmp_path))
    _rules_that(monkeypatch, _shortened)
    report = open_index(tmp_path).reattribute()
    fresh = open_index(tmp_path / "fresh")
    fresh.ingest([SEEDS])
    after = _statements(open_index(tmp_path))
    assert after == _statements(fresh)
    articles = len({meta["article_id"] for _, meta, _ in before.values()})
    assert report.removed == articles and report.changed == report.embedded == articles
    assert report.unchanged == len(before) - 2 * articles and report.added == 0


def test_an_article_the_new_rules_cannot_process_keeps_its_statements(tmp_path, loads, monkeypatch):
    open_index(tmp_path).ingest([SEEDS])
    before = _statements(open_index(tmp_path))

    def change(text, quotes):
        if "لافروف" in text:
            raise RuntimeError("a defect")
        return quotes[:-1]

    _rules_that(monkeypatch, change)
    report = open_index(tmp_path).reattribute()
    after = _statements(open_index(tmp_path))
    failing = {r.id for r in open_index(tmp_path).store.iter_records("articles") if "لافروف" in r.document}
    assert failing and {article for article, _ in report.failed} == failing and not report.ok
    assert all("RuntimeError('a defect')" in reason for _, reason in report.failed)
    assert {i: s for i, s in before.items() if s[1]["article_id"] in failing} == \
        {i: s for i, s in after.items() if s[1]["article_id"] in failing}
    assert len(after) == len(before) - (5 - len(failing)) and report.removed == 5 - len(failing)


def test_qawl_reattribute_prints_its_report(tmp_path, loads, capsys):
    from rag.cli import main

    open_index(tmp_path).ingest([SEEDS])
    assert main(["--index", str(tmp_path / "index"), "reattribute", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["articles"] == 5 and printed["changed"] == printed["removed"] == 0 and printed["failed"] == []
