"""The Chroma layer on a real embedded Chroma, with hand-made vectors (no model needed)."""
import threading
import time

import numpy as np
import pytest

from rag.errors import IndexLocked, IndexUnavailable
from rag.store import ChromaStore


@pytest.fixture
def store(tmp_path):
    return ChromaStore(tmp_path / "index")


def unit(*xs):
    v = np.array(xs, np.float32)
    return v / np.linalg.norm(v)


def test_upsert_query_and_get(store):
    rows = [("a:c0", "نص أول", {"article_id": "a", "start": 0}), ("b:c0", "نص ثان", {"article_id": "b", "start": 5})]
    store.upsert("chunks", rows, np.stack([unit(1, 0, 0), unit(0, 1, 0)]))
    hits = store.query("chunks", unit(0.9, 0.1, 0), n=5)
    assert [r.id for r, _ in hits] == ["a:c0", "b:c0"]
    assert hits[0][1] > hits[1][1]
    assert store.get("chunks", ["b:c0"])[0].document == "نص ثان"
    # Upserting the same ids again does not duplicate.
    store.upsert("chunks", rows, np.stack([unit(1, 0, 0), unit(0, 1, 0)]))
    assert store.count("chunks") == 2


def test_query_on_empty_collection(store):
    assert store.query("chunks", unit(1, 0), n=3) == []


def test_upsert_respects_max_batch(store, monkeypatch):
    monkeypatch.setattr(store, "max_batch", 3)
    rows = [(f"x:c{i}", f"نص {i}", {"article_id": "x"}) for i in range(8)]
    store.upsert("chunks", rows, np.tile(unit(1, 2), (8, 1)))
    assert store.count("chunks") == 8
    assert len(list(store.iter_records("chunks"))) == 8


def test_delete_article_removes_every_derived_record(store):
    for name in ("chunks", "quotes", "articles"):
        store.upsert(name, [(f"a:{name}", "نص", {"article_id": "a"}), (f"b:{name}", "نص", {"article_id": "b"})],
                     np.stack([unit(1, 0), unit(0, 1)]))
    store.delete_article("a")
    assert [store.count(n) for n in ("chunks", "quotes", "articles")] == [1, 1, 1]
    assert store.get("articles", ["a:articles"]) == []


def test_write_lock_refuses_a_second_writer_process_after_the_lock_timeout(tmp_path, lock_holder):
    for timeout in (0, 0.5):
        with pytest.raises(IndexLocked, match=r"Another Qawl process .* did not finish within .* \(QAWL_LOCK_TIMEOUT\)"):
            with ChromaStore(tmp_path / "index", lock_timeout=timeout).write_lock():
                pass
    lock_holder.set()
    with ChromaStore(tmp_path / "index", lock_timeout=0).write_lock():  # free again once the holder is done
        pass


def test_a_writer_that_must_not_wait_is_refused_at_once(tmp_path, lock_holder, caplog):
    started = time.monotonic()
    with pytest.raises(IndexLocked, match=r"Another Qawl process is writing to .* right now; try again when it has"):
        with ChromaStore(tmp_path / "index", lock_timeout=30).write_lock(wait=False):
            pass
    assert time.monotonic() - started < 5 and caplog.records == []  # no "waiting for…": it did not wait


def test_a_second_writer_waits_for_the_first_and_says_so_once(tmp_path, lock_holder, caplog):
    threading.Timer(1.0, lock_holder.set).start()
    with ChromaStore(tmp_path / "index", lock_timeout=30).write_lock():
        pass
    assert [r.getMessage() for r in caplog.records] == [f"waiting for another Qawl process writing to {tmp_path / 'index'}…"]


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(IndexUnavailable, match="No Chroma server answers at http://127.0.0.1:9"):
        ChromaStore(chroma_url="http://127.0.0.1:9", timeout=2)


def test_malformed_server_url():
    with pytest.raises(IndexUnavailable, match="must look like http://host:port"):
        ChromaStore(chroma_url="not a url")
