"""Derived indexes kept on disk (``rag.derived``): reused by a new process, rebuilt when stale or
damaged (saying why), and answering exactly as the ones built in memory."""
from __future__ import annotations

import json
import logging
import shutil

import numpy as np
import pytest

import rag.derived
from rag import Qawl
from rag.columns import RecordTable, Strings, Vocabulary, permute_columns
from rag.config import SEEDS_DIR, Settings
from rag.derived import Snapshot
from rag.store import Record

SEEDS = SEEDS_DIR
QUESTIONS = [
    "What did Wang Yi say about Ukraine?",
    "ماذا قال بوتين عن التجارة مع الصين؟",
    "هل تحدث شي جينبينغ عن حلف الناتو؟",
    "Who spoke about trade?",
    "من قال «الصين ستدعم التنمية المستقرة في روسيا»؟",
    "What did Biden say about Ukraine?",
    "What did Smithers-Pemberton say about Ukraine?",
]


def _qawl(index, derived, embedder, **settings) -> Qawl:
    qawl = Qawl(settings=Settings.from_env(index=index, derived=str(derived), **settings))
    qawl.embedder = embedder  # the session's model, loaded once
    return qawl


def _everything(qawl: Qawl) -> list:
    """What a user can read of an index: answers, passages, speakers, statistics."""
    answers = [qawl.ask(q).to_dict() for q in QUESTIONS]
    passages = [p.__dict__ for p in qawl.search("حجم التبادل التجاري", k=5)]
    speakers = [(c.speaker, c.quotes, c.articles, c.first, c.last) for c in qawl.speakers()]
    return [answers, passages, speakers, qawl.stats(), qawl.quote_rows("wang-yi")]


@pytest.fixture(scope="module")
def saved(tmp_path_factory, embedder):
    """The seeds indexed with derived indexes saved (as every ingest saves them)."""
    root = tmp_path_factory.mktemp("derived")
    index, derived = root / "index", root / "derived"
    qawl = _qawl(index, derived, embedder)
    assert qawl.ingest([SEEDS]).added == 5
    return index, derived


def _no_build(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("rebuilt from Chroma, where the saved derived indexes should have been used")

    monkeypatch.setattr(Snapshot, "build", fail)


def test_an_ingest_saves_them_and_a_new_process_maps_them_without_rebuilding(saved, embedder, monkeypatch):
    index, derived = saved
    [folder] = [p for p in derived.iterdir()]
    [snapshot] = [p for p in folder.iterdir()]
    manifest = json.loads((snapshot / "manifest.json").read_text())
    assert manifest["format"] == rag.derived.FORMAT and manifest["location"].endswith(str(index.resolve()))
    _no_build(monkeypatch)
    fresh = _qawl(index, derived, embedder)
    fresh.warm()
    loaded = fresh.snapshot()
    assert loaded.loaded_from == snapshot
    vectors = loaded.catalog.vectors  # mapped, not read into this process
    assert isinstance(vectors.base, np.memmap) and not vectors.flags.writeable
    assert fresh.catalog().known_speakers._names is not None  # the saved name index, not rebuilt
    assert fresh.ask("What did Wang Yi say about Ukraine?").found


def test_answers_are_identical_with_and_without_saved_indexes(saved, embedder, monkeypatch):
    index, derived = saved
    in_memory = _everything(_qawl(index, "off", embedder))
    _no_build(monkeypatch)
    assert _everything(_qawl(index, derived, embedder)) == in_memory


def test_a_changed_index_is_rebuilt_and_the_old_snapshot_dropped(tmp_path, embedder, caplog):
    index, derived = tmp_path / "index", tmp_path / "derived"
    writer = _qawl(index, derived, embedder)
    writer.ingest([SEEDS / "000_8d73a7c772314bd9.txt"])
    reader = _qawl(index, derived, embedder)
    before = reader.snapshot()
    # another process adds an article: the state it was saved for is gone; that writer saves anew
    other = _qawl(index, derived, embedder)
    other.ingest([SEEDS / "001_8bb1481c41d16441.txt"])
    after = _qawl(index, derived, embedder).snapshot()
    assert after.loaded_from != before.loaded_from and len(after.committed.ids) == 2
    assert [p.name for p in after.loaded_from.parent.iterdir()] == [after.loaded_from.name]
    # a process holding the old snapshot sees the change at its next question
    assert reader.ask("What did Wang Yi say about Ukraine?").found and len(reader.committed_articles()) == 2
    # and an index changed by a writer that saved nothing (an older Qawl) is rebuilt, saying why
    stale = Snapshot.load(after.loaded_from.parent, rag.derived.identity_of(writer.store, writer.settings.embedding_model),
                          {**after.state, "counts": {**after.state["counts"], "articles": 3}})
    assert stale is None and "older state of the index" in caplog.text


@pytest.mark.parametrize("change", ["model", "format", "foreign"])
def test_derived_indexes_of_another_model_format_or_index_are_rebuilt(saved, embedder, monkeypatch, tmp_path, caplog, change):
    index, derived = saved
    qawl = _qawl(index, derived, embedder)
    identity = rag.derived.identity_of(qawl.store, qawl.settings.embedding_model)
    state = rag.derived.index_state(qawl.store)
    folder = rag.derived.folder_for(derived, qawl.store)
    assert Snapshot.load(folder, identity, state) is not None
    if change == "model":
        identity = {**identity, "embedding_model": "another-model"}
        reason = "another embedding model"
    elif change == "format":
        monkeypatch.setattr(rag.derived, "FORMAT", rag.derived.FORMAT + 1)
        reason = "of format"
    else:  # the files of another index, copied where this one's are looked for
        identity = {**identity, "location": "embedded:/elsewhere/index"}
        reason = "of another index"
    with caplog.at_level(logging.WARNING, logger="rag.derived"):
        assert Snapshot.load(folder, identity, state) is None
    assert reason in caplog.text and "rebuilding" in caplog.text


def test_a_qawl_of_another_model_rebuilds_them(saved, embedder, caplog, tmp_path):
    index, derived = saved[0], tmp_path / "derived"
    shutil.copytree(saved[1], derived)
    other = _qawl(index, derived, embedder, embedding_model="another-model")
    with caplog.at_level(logging.WARNING, logger="rag.derived"):
        snapshot = other.snapshot()
    assert "another embedding model" in caplog.text and "rebuilding" in caplog.text
    manifest = json.loads((snapshot.loaded_from / "manifest.json").read_text())
    assert manifest["embedding_model"] == "another-model"  # replaced by this model's


@pytest.mark.parametrize("damage", ["truncated", "flipped", "missing", "manifest"])
def test_a_damaged_file_is_detected_and_rebuilt_with_a_message(tmp_path, saved, embedder, caplog, damage):
    index, derived = saved
    copy = tmp_path / "derived"
    shutil.copytree(derived, copy)
    [folder] = list(copy.iterdir())
    [snapshot] = list(folder.iterdir())
    vectors = snapshot / "catalog.vectors.npy"
    if damage == "truncated":
        vectors.write_bytes(vectors.read_bytes()[:-100])
    elif damage == "flipped":
        data = bytearray(vectors.read_bytes())
        data[-5] ^= 0xFF
        vectors.write_bytes(bytes(data))
    elif damage == "missing":
        (snapshot / "chunk_keywords.indptr.npy").unlink()
    else:
        (snapshot / "manifest.json").write_text("{not json")
    qawl = _qawl(index, copy, embedder)
    with caplog.at_level(logging.WARNING, logger="rag.derived"):
        rebuilt = qawl.snapshot()
    assert "damaged" in caplog.text and "rebuilding" in caplog.text
    assert rebuilt.loaded_from == snapshot  # written again, whole
    assert Snapshot.load(folder, rag.derived.identity_of(qawl.store, qawl.settings.embedding_model), rebuilt.state)
    assert _everything(qawl) == _everything(_qawl(index, "off", embedder))


def test_a_chroma_server_index_keeps_its_own_derived_indexes(seeded, embedder, monkeypatch):
    if seeded.store.chroma_url is None:
        pytest.skip("the server case")
    first = Qawl(settings=seeded.settings)
    first.embedder = embedder
    saved = first.snapshot()
    assert saved.loaded_from is not None and "articles" in saved.state  # a digest of the articles, read from the server
    assert rag.derived.location_of(first.store).startswith("server:" + seeded.store.chroma_url)
    _no_build(monkeypatch)
    second = Qawl(settings=seeded.settings)
    second.embedder = embedder
    assert second.snapshot().loaded_from == saved.loaded_from
    assert second.ask("What did Wang Yi say about Ukraine?").found


def _same_arrays(snapshot: Snapshot, built: Snapshot) -> None:
    """Every saved array and byte string of ``snapshot`` is that of ``built``, and so is what describes them."""
    (parts, meta), (expected, expected_meta) = snapshot.parts(), built.parts()
    assert parts.keys() == expected.keys() and meta == expected_meta
    for name, value in expected.items():
        got = parts[name]
        same = np.array_equal(got, value) if isinstance(value, np.ndarray) else bytes(got) == bytes(value)
        assert same, name


def _reads_only_articles(monkeypatch, qawl: Qawl) -> None:
    """From now on, reading every chunk or quote of the index fails: an update reads the written articles' only."""
    read_all = qawl.store.iter_records

    def iter_records(collection, **options):
        assert collection == "articles", f"read every record of {collection!r} to update the derived indexes"
        return read_all(collection, **options)

    monkeypatch.setattr(qawl.store, "iter_records", iter_records)


def _seed_copies(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return sorted(folder.glob("*.txt"))


def test_an_ingest_updates_the_saved_indexes_from_the_articles_it_wrote(tmp_path, embedder, monkeypatch):
    """Added articles, then a changed one: the derived indexes are updated from the snapshot
    the ingest began from, reading only the written articles' records, and are array for
    array those built from the whole index."""
    index, derived = tmp_path / "index", tmp_path / "derived"
    files = _seed_copies(tmp_path)
    _qawl(index, derived, embedder).ingest(files[:3])
    writer = _qawl(index, derived, embedder)
    build = Snapshot.build
    _no_build(monkeypatch)
    _reads_only_articles(monkeypatch, writer)
    assert writer.ingest(files[3:]).added == 2
    files[1].write_text(files[1].read_text(encoding="utf-8") + "\n\nوقال المتحدث إن الاجتماع المقبل سيعقد في الرياض.\n",
                        encoding="utf-8")
    assert writer.ingest([files[1]]).updated == 1
    monkeypatch.undo()
    updated = _qawl(index, derived, embedder).snapshot()
    assert updated.loaded_from is not None and len(updated.committed.ids) == 5
    _same_arrays(updated, build(writer.store, writer.registry))
    assert _everything(_qawl(index, derived, embedder)) == _everything(_qawl(index, "off", embedder))


def test_a_reattribution_updates_the_saved_indexes(tmp_path, embedder, monkeypatch):
    """Rules that drop each article's first statement: only the quotes change, and the update
    equals the build."""
    import rag.ingest
    from rag.attribute.article import article_quotes

    index, derived = tmp_path / "index", tmp_path / "derived"
    _qawl(index, derived, embedder).ingest([SEEDS])
    writer = _qawl(index, derived, embedder)
    build = Snapshot.build
    _no_build(monkeypatch)
    _reads_only_articles(monkeypatch, writer)
    monkeypatch.setattr(rag.ingest, "article_quotes", lambda text, **kw: article_quotes(text, **kw)[1:])
    report = writer.reattribute()
    assert report.removed + report.changed > 0
    monkeypatch.undo()
    updated = _qawl(index, derived, embedder).snapshot()
    assert updated.loaded_from is not None
    _same_arrays(updated, build(writer.store, writer.registry))


def test_an_update_missing_another_writers_articles_is_refused(tmp_path, embedder):
    """Told of only some of the articles written since, the record counts disagree with the
    index's: no update (the caller builds instead)."""
    index, derived = tmp_path / "index", tmp_path / "derived"
    qawl = _qawl(index, derived, embedder)
    qawl.ingest([SEEDS / "000_8d73a7c772314bd9.txt"])
    before = qawl.snapshot()
    qawl.ingest([SEEDS / "001_8bb1481c41d16441.txt", SEEDS / "002_4c19ce5fe45cd86e.txt"])
    state = rag.derived.index_state(qawl.store)
    [one, _] = sorted(set(qawl.committed_articles()) - before.committed.ids)
    assert Snapshot.updated(before, qawl.store, qawl.registry, state, {one}) is None
    assert Snapshot.updated(before, qawl.store, qawl.registry, state, set(qawl.committed_articles()) - before.committed.ids)


def test_a_chroma_server_index_is_updated_the_same_way(tmp_path, embedder, monkeypatch):
    from servers import chroma_process

    with chroma_process(tmp_path / "chroma-data") as (_, url):
        settings = Settings.from_env(chroma_url=url, derived=str(tmp_path / "derived"))
        first = Qawl(settings=settings)
        first.embedder = embedder
        first.ingest([SEEDS / "000_8d73a7c772314bd9.txt", SEEDS / "002_4c19ce5fe45cd86e.txt", SEEDS / "003_7885229fa645d1c2.txt"])
        writer = Qawl(settings=settings)
        writer.embedder = embedder
        build = Snapshot.build
        _no_build(monkeypatch)
        _reads_only_articles(monkeypatch, writer)
        assert writer.ingest([SEEDS]).added == 2
        monkeypatch.undo()
        updated = Qawl(settings=settings).snapshot()
        assert updated.loaded_from is not None and "articles" in updated.state
        _same_arrays(updated, build(writer.store, writer.registry))


# -- the columns they are made of ------------------------------------------------------------


def test_a_record_table_gives_back_the_records_it_was_built_from():
    records = [
        Record("a:q0", "نص أول", {"article_id": "a", "source": "sabq", "start": 3, "end": 9, "confidence": 0.9, "context": "سياق"}),
        Record("a:q1", "", {"article_id": "a", "start": 0, "end": 0, "confidence": 1, "context": ""}),  # no source
        Record("b:q0", "ثالث", {"article_id": "b", "source": "spa", "end": 4, "confidence": 0.5}),  # no start, no context
    ]
    keys = ("article_id", "source", "start", "end", "confidence", "context", "never")
    table = RecordTable.build(records, keys, ("article_id", "source"))
    assert list(table) == records
    assert table[0].metadata["article_id"] is table[1].metadata["article_id"]  # one string for all its records
    assert table.rows_of(["b:q0", "zz", "a:q0"]).tolist() == [2, -1, 0] and table.row_of("a:q1") == 1
    again = RecordTable(table.parts(), table.layout)
    assert list(again) == records
    assert list(RecordTable.build([], keys)) == [] and RecordTable.build([], keys).rows_of(["a"]).tolist() == [-1]


def test_a_vocabulary_is_a_sorted_dict_and_columns_follow_it():
    words = {"الصين": 0, "b": 1, "a": 2, "": 3, "روسيا": 4}
    vocabulary, order = Vocabulary.sorted_from(words, size=4)  # ids from 4 on have no column
    assert list(vocabulary) == sorted(["الصين", "b", "a", ""], key=lambda w: w.encode())
    assert all(words[w] == order[vocabulary[w]] for w in vocabulary)
    assert "روسيا" not in vocabulary and vocabulary.get("x") is None and 3 not in vocabulary
    indptr, indices = np.array([0, 2, 3, 3, 5]), np.array([7, 8, 9, 5, 6])
    new_indptr, new_indices, _ = permute_columns(indptr, indices, None, np.array([3, 0, 2, 1]))
    assert new_indptr.tolist() == [0, 2, 4, 4, 5] and new_indices.tolist() == [5, 6, 7, 8, 9]
    assert list(Strings.of(["", "س", "abc"])) == ["", "س", "abc"]


def test_qawl_ask_from_the_shell_maps_them_and_prints_its_whole_answer(saved):
    """`qawl ask` as a program: the saved indexes are used as they are, and its answer is written
    out whole before it exits (it skips the interpreter's teardown after a read-only command)."""
    import os
    import subprocess
    import sys

    index, derived = saved
    [snapshot] = [p for folder in derived.iterdir() for p in folder.iterdir()]
    written = (snapshot / "manifest.json").stat().st_mtime_ns
    child = subprocess.run(
        [sys.executable, "-m", "rag.cli", "--index", str(index), "ask", "What did Wang Yi say about Ukraine?", "--json"],
        capture_output=True, text=True, env={**os.environ, "QAWL_DERIVED": str(derived)}, timeout=300,
    )
    assert child.returncode == 0, child.stderr
    answer = json.loads(child.stdout)
    assert answer["found"] and answer["citations"][0]["speaker_id"] == "wang-yi"
    assert "rebuilding" not in child.stderr and (snapshot / "manifest.json").stat().st_mtime_ns == written


def test_the_derived_indexes_of_a_deleted_index_are_pruned(tmp_path, embedder):
    derived = tmp_path / "derived"
    gone = _qawl(tmp_path / "gone", derived, embedder)
    gone.ingest([SEEDS / "000_8d73a7c772314bd9.txt"])
    [orphan] = list(derived.iterdir())
    shutil.rmtree(tmp_path / "gone")
    kept = _qawl(tmp_path / "kept", derived, embedder)
    kept.ingest([SEEDS / "000_8d73a7c772314bd9.txt"])
    assert not orphan.exists() and [p.name for p in derived.iterdir()] == [kept.snapshot().loaded_from.parent.name]


def test_the_speaker_name_forms_are_saved_and_equal_those_built_on_use(saved, embedder, monkeypatch):
    """A description is looked up in the saved forms of the speakers' names, row for row the
    dict a catalogue built in memory makes on first use (``rag.question._speaker_words``)."""
    from rag.question import _speaker_words
    from rag.speakers import KnownSpeakers
    from rag.topic import FormIndex

    index, derived = saved
    _no_build(monkeypatch)
    known = _qawl(index, derived, embedder).catalog().known_speakers
    assert isinstance(known.words, FormIndex)
    built = _speaker_words(KnownSpeakers(known.speakers))
    assert built and all(sorted(known.words.get(form)) == sorted(rows) for form, rows in built.items())
    assert known.words.get("لا-كلمة-كهذه", ()) == ()


def test_a_snapshot_of_the_previous_format_is_rebuilt_with_the_speaker_forms(saved, embedder, tmp_path, caplog):
    index, derived = saved[0], tmp_path / "derived"
    shutil.copytree(saved[1], derived)
    [manifest_path] = derived.glob("*/*/manifest.json")
    manifest = json.loads(manifest_path.read_text())
    manifest["format"] = rag.derived.FORMAT - 1
    manifest_path.write_text(json.dumps(manifest))
    with caplog.at_level(logging.WARNING, logger="rag.derived"):
        snapshot = _qawl(index, derived, embedder).snapshot()
    assert f"of format {rag.derived.FORMAT - 1}, not {rag.derived.FORMAT}" in caplog.text
    rebuilt = json.loads((snapshot.loaded_from / "manifest.json").read_text())
    assert rebuilt["format"] == rag.derived.FORMAT
    assert any(name.startswith("catalog.speaker_forms.") for name in rebuilt["files"])
