"""Faults and concurrency with real processes, file systems and servers: an ingest killed with
SIGKILL, two ingests at once with questions meanwhile, a read-only or full disk, and a Chroma
server that is down, silent or killed.

After every fault the index holds whole articles only (an article counts once its marker record
exists, and then all its chunks and quotes exist), answers keep working on what was committed,
and running the same ingest again completes the index with no duplicate and no missing record.
"""
from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import chromadb
import numpy as np
import pytest

import rag.ingest
from rag import Qawl
from rag.attribute import extract_quotes
from rag.chunk import chunk_article
from rag.cli import main
from rag.clean import clean_text
from rag.config import PROJECT_ROOT, SEEDS_DIR
from rag.errors import IndexUnavailable
from rag.load import iter_articles
from rag.store import COLLECTIONS, ChromaStore

ARTICLES = 60
BATCH = 4  # articles per write in the faulted ingests: many commit points to land between
HELD = 3 * BATCH  # committed articles at which a held writer stops (article 9 is in the third batch)
# `qawl ingest` as a process, with write batches smaller than this corpus (the default is larger).
# With HOLD_UNTIL=<file> it stops once HELD articles are committed, between two writes and holding
# the write lock, until <file> exists (it says so with <file>.held): a writer mid-ingest for as
# long as a test needs. (Not SIGSTOP: a writer stopped at an unlucky moment inside Chroma makes
# every other process hang opening the index, in chromadb's PersistentClient.)
INGEST = f"""
import os, sys, time
import rag.cli, rag.ingest, rag.store
rag.ingest.BATCH_ARTICLES = {BATCH}
release = os.environ.get("HOLD_UNTIL")
upsert = rag.store.ChromaStore.upsert

def upsert_then_hold(store, collection, rows, vectors):
    upsert(store, collection, rows, vectors)
    if release and collection == "articles" and store.count("articles") >= {HELD}:
        open(release + ".held", "w").close()
        while not os.path.exists(release):
            time.sleep(0.05)

rag.store.ChromaStore.upsert = upsert_then_hold
sys.exit(rag.cli.main(sys.argv[1:]))
"""
WAITING = "waiting for another Qawl process writing to"

# Gold from reading the corpus below: article 9 is Lavrov on a security dialogue for Eurasia,
# article 45 is the spokesman Wang Wenbin on the diplomatic boycott of the Beijing Olympics.
LAVROV_QUESTION = "ماذا قال لافروف عن الحوار بشأن أمن أوراسيا؟"
WENBIN_QUESTION = "ماذا قال وانغ وينبن عن المقاطعة الدبلوماسية للألعاب الأولمبية؟"
WENBIN_WORDS = "تلك الدول التي سترسل رياضيين إلى الألعاب الأولمبية"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """60 small articles, one seed paragraph each, a/000-029 and b/030-059 (short paragraphs
    embed fast; the first seed's breadcrumb and title lines are left out)."""
    paragraphs = dict.fromkeys(  # distinct paragraphs, in order
        line
        for seed in sorted(SEEDS_DIR.glob("*.txt"))
        for line in seed.read_text(encoding="utf-8").splitlines()
        if 60 <= len(line) < 400
    )
    root = tmp_path_factory.mktemp("news")
    for k, paragraph in enumerate(list(paragraphs)[2 : 2 + ARTICLES]):
        folder = root / ("a" if k < ARTICLES // 2 else "b")
        folder.mkdir(exist_ok=True)
        (folder / f"{k:03d}.txt").write_text(paragraph + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def expected(corpus) -> dict[str, tuple[int, int]]:
    """(chunks, quotes) per article id as the pipeline makes them: what a complete index holds."""
    counts = {}
    for article in iter_articles([corpus], max_bytes=10**7):
        chunks = chunk_article(article, clean_text(article.text))
        quotes = extract_quotes(article.text, title=article.title, date=article.date)
        counts[article.id] = (len(chunks), len(quotes))
    assert len(counts) == ARTICLES  # distinct files are distinct articles
    return counts


def assert_whole_articles(store: ChromaStore, expected: dict, *, complete: bool) -> set[str]:
    """Check the index holds whole articles and no duplicate; return the committed article ids.

    Every marker's article has exactly its chunks and quotes; with ``complete``, every expected
    article is committed and no record is left over. The vector index holds every record too."""
    markers = [r.id for r in store.iter_records("articles", documents=False)]
    per_article = {name: _records_per_article(store, name) for name in ("chunks", "quotes")}
    assert len(markers) == len(set(markers))
    for article_id in markers:
        assert (per_article["chunks"][article_id], per_article["quotes"][article_id]) == expected[article_id]
    if complete:
        assert sorted(markers) == sorted(expected)
        assert set(per_article["chunks"]) | set(per_article["quotes"]) <= set(markers)
    if markers:
        probe = np.ones_like(next(store.iter_records("articles", documents=False, embeddings=True)).embedding)
        for name in COLLECTIONS:
            assert len(store.query(name, probe, n=store.count(name))) == store.count(name), name
    return set(markers)


def _ids_under(*paths: Path) -> set[str]:
    return {article.id for article in iter_articles(paths, max_bytes=10**7)}


def _records_per_article(store: ChromaStore, collection: str) -> Counter:
    records = list(store.iter_records(collection, documents=False))
    assert len({r.id for r in records}) == len(records)
    return Counter(r.metadata["article_id"] for r in records)


def assert_answers_from(qawl: Qawl, committed: set[str]) -> None:
    """Search and ask work, cite committed articles only, verbatim."""
    passages = qawl.search("حوار بشأن الأمن في منطقة أوراسيا", k=3)
    assert passages
    for p in passages:
        assert p.article_id in committed
        assert qawl.article(p.article_id).text[p.start:p.end] == p.text
    answer = qawl.ask(LAVROV_QUESTION)
    assert answer.found
    for c in answer.citations:
        assert c.article_id in committed and c.speaker_id == "sergei-lavrov"
        assert qawl.article(c.article_id).text[c.start:c.end] == c.quote


# -- processes -------------------------------------------------------------------------------


@pytest.fixture
def start_ingest():
    """Start ``qawl --index INDEX ingest PATHS --json`` in its own process (stdout to ``log``.out,
    stderr to ``log``.err); whatever is still running when the test ends is killed."""
    started: list[subprocess.Popen] = []

    def start(index: Path, *paths: Path, log: Path, **env: str) -> subprocess.Popen:
        with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
            started.append(subprocess.Popen(
                [sys.executable, "-X", "faulthandler", "-c", INGEST, "--index", str(index), "ingest", *map(str, paths), "--json"],
                stdout=out, stderr=err, cwd=PROJECT_ROOT, env={**os.environ, **env},
            ))
        return started[-1]

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def committed_count(index: Path) -> int:
    """Committed articles as a fresh reader sees them now (its client closed at once, so that
    later readers in this process read the folder afresh too)."""
    if not (index / ".qawl-write.lock").exists():  # the writer has not created its collections yet
        return 0
    client = chromadb.PersistentClient(path=str(index), settings=chromadb.Settings(anonymized_telemetry=False))
    try:
        return client.get_collection("articles").count()
    finally:
        client.close()


def wait_until(condition, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the process ended (exit {process.returncode}) before the awaited moment"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def exit_code(process: subprocess.Popen, log: Path, timeout: float = 120) -> int:
    """The process's exit code; if it hangs, the failure shows where (its threads' stacks)."""
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # -X faulthandler: every thread's stack to stderr
        process.wait()
        pytest.fail(f"{log.name} still running after {timeout} s:\n" + log.with_suffix(".err").read_text()[-6000:])


def within(seconds: float, call):
    """``call()``'s result or exception, failing the test instead of hanging it past ``seconds``."""
    outcome = {}

    def run():
        try:
            outcome["value"] = call()
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def ingest_output(log: Path) -> tuple[dict, str]:
    return json.loads(log.with_suffix(".out").read_text(encoding="utf-8")), log.with_suffix(".err").read_text()


# -- kill -9 and concurrent writers ----------------------------------------------------------------


def test_kill_9_mid_ingest_leaves_whole_articles_and_a_rerun_completes_the_index(
    corpus, expected, tmp_path, embedder, start_ingest
):
    index = tmp_path / "index"
    writer = start_ingest(index, corpus, log=tmp_path / "writer")
    wait_until(lambda: committed_count(index) >= HELD, writer)
    writer.send_signal(signal.SIGKILL)
    assert writer.wait(30) == -signal.SIGKILL

    qawl = Qawl(index)
    committed = assert_whole_articles(qawl.store, expected, complete=False)
    assert HELD <= len(committed) < ARTICLES
    assert qawl.stats().articles == len(committed)
    assert_answers_from(qawl, committed)

    report = qawl.ingest([corpus])
    assert report.ok and (report.unchanged, report.added, report.updated) == (len(committed), ARTICLES - len(committed), 0)
    assert_whole_articles(qawl.store, expected, complete=True)
    qawl.store.close()


def test_two_ingests_at_once_and_questions_meanwhile(corpus, expected, tmp_path, embedder, start_ingest):
    """The first writer ingests a/; the second a/ again, a copy of one of its articles under another
    name, and the Wang Wenbin article of b/."""
    index = tmp_path / "index"
    wenbin_article = corpus / "b" / "045.txt"
    copy = tmp_path / "copy-of-009.txt"
    copy.write_bytes((corpus / "a" / "009.txt").read_bytes())
    expected = {i: n for i, n in expected.items() if i in _ids_under(corpus / "a", wenbin_article)}
    release = tmp_path / "release"
    first = start_ingest(index, corpus / "a", log=tmp_path / "first", HOLD_UNTIL=str(release))
    wait_until(lambda: Path(f"{release}.held").exists(), first)  # mid-ingest, holding the write lock
    try:
        second = start_ingest(index, corpus / "a", copy, wenbin_article, log=tmp_path / "second")
        # A writer that will not wait fails at once, clearly.
        impatient = start_ingest(index, corpus / "b", log=tmp_path / "impatient", QAWL_LOCK_TIMEOUT="0")
        assert exit_code(impatient, tmp_path / "impatient") == 2
        assert (tmp_path / "impatient.err").read_text().endswith(
            f"qawl: error: Another Qawl process is writing to {index} and did not finish within 0 s "
            f"(QAWL_LOCK_TIMEOUT); wait for it to finish and try again.\n"
        )
        wait_until(lambda: WAITING in (tmp_path / "second.err").read_text(), second)

        reader = Qawl(index)  # readers take no lock
        during = assert_whole_articles(reader.store, expected, complete=False)
        assert_answers_from(reader, during)
    finally:
        release.touch()
    assert exit_code(first, tmp_path / "first") == 0 and exit_code(second, tmp_path / "second") == 0

    first_report, _ = ingest_output(tmp_path / "first")
    second_report, second_err = ingest_output(tmp_path / "second")
    assert first_report["added"] == ARTICLES // 2
    assert (second_report["added"], second_report["unchanged"]) == (1, ARTICLES // 2)
    assert [location for location, _ in second_report["duplicates"]] == [str(copy)]
    assert second_err.count(WAITING) == 1

    # A reader opened mid-ingest answers like a fresh one, from the articles the writers added since.
    assert_answers_from(reader, set(expected))
    wenbin = reader.ask(WENBIN_QUESTION)
    reader.store.close()
    fresh = Qawl(index)
    assert_whole_articles(fresh.store, expected, complete=True)
    assert fresh.ask(WENBIN_QUESTION).to_dict() == wenbin.to_dict()
    assert [c.speaker_id for c in wenbin.citations][:1] == ["wang-wenbin"]
    assert WENBIN_WORDS in wenbin.citations[0].quote
    fresh.store.close()


# -- read-only folder, full disk -------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A real 16 MB file system (tmpfs) mounted for the test; skipped where mounting is not allowed."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"mounting a small file system needs root with CAP_SYS_ADMIN: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


def index_of(folder: Path, files: list[Path], expected: dict) -> tuple[Path, set[str]]:
    """An embedded index in ``folder`` holding ``files``, its client closed; and the ids indexed."""
    qawl = Qawl(folder / "index")
    assert qawl.ingest(files).added == len(files)
    committed = assert_whole_articles(qawl.store, expected, complete=False)
    qawl.store.close()
    return folder / "index", committed


def set_writable(how: str, index: Path, writable: bool) -> None:
    if how == "read-only mount":  # retried: Chroma closes its files a moment after its client is closed
        remount = ["mount", "-o", "remount," + ("rw" if writable else "ro"), str(index.parent)]
        deadline = time.monotonic() + 10
        while subprocess.run(remount, capture_output=True).returncode != 0:
            assert time.monotonic() < deadline, f"cannot {' '.join(remount)}"
            time.sleep(0.2)
        return
    for path in (index, *index.rglob("*")):
        path.chmod((0o700 if path.is_dir() else 0o600) if writable else (0o500 if path.is_dir() else 0o400))


@pytest.mark.parametrize("how", ["chmod", "read-only mount"])
def test_a_read_only_index_is_a_clear_error_and_loses_nothing(how, corpus, expected, tmp_path, embedder, capsys, request):
    if how == "chmod" and os.geteuid() == 0:
        pytest.skip("root writes through file permissions (the read-only mount case runs instead)")
    folder = request.getfixturevalue("small_disk") if how == "read-only mount" else tmp_path
    index, committed = index_of(folder, sorted((corpus / "a").glob("*.txt"))[:2], expected)
    set_writable(how, index, False)
    try:
        for command in (["ask", LAVROV_QUESTION], ["ingest", str(corpus / "a")]):
            assert main(["--index", str(index), *command]) == 2
            err = capsys.readouterr().err
            assert err.startswith(f"qawl: error: Cannot open the Chroma index at {index}: the folder ")
            assert "is read-only" in err
    finally:
        set_writable(how, index, True)
    qawl = Qawl(index)
    assert assert_whole_articles(qawl.store, expected, complete=False) == committed
    qawl.store.close()


def test_a_full_disk_is_a_clear_error_and_a_rerun_with_space_completes_the_index(
    small_disk, corpus, expected, embedder, monkeypatch, capsys
):
    files = sorted((corpus / "a").glob("*.txt"))
    expected = {i: n for i, n in expected.items() if i in _ids_under(*files)}
    index, before = index_of(small_disk, files[:2], expected)
    ballast = small_disk / "ballast"
    disk = os.statvfs(small_disk)
    ballast.write_bytes(b"\0" * (disk.f_bavail * disk.f_frsize - 200_000))  # leave ~200 KB
    monkeypatch.setattr(rag.ingest, "BATCH_ARTICLES", BATCH)

    assert main(["--index", str(index), "ingest", str(corpus / "a")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qawl: error: ") and f"the disk holding {index} is full" in err

    ballast.unlink()
    qawl = within(60, lambda: Qawl(index))  # the failed client of this process does not hang a new one
    committed = assert_whole_articles(qawl.store, expected, complete=False)
    assert before <= committed < set(expected)
    report = qawl.ingest([corpus / "a"])
    assert report.ok and (report.unchanged, report.added) == (len(committed), len(files) - len(committed))
    assert_whole_articles(qawl.store, expected, complete=True)
    qawl.store.close()


def test_no_space_left_on_a_write_says_the_disk_is_full_and_keeps_whole_articles(
    corpus, expected, tmp_path, embedder, monkeypatch
):
    """Where no small file system can be mounted: the disk fills up at the fifth write to Chroma,
    the second batch's quotes, after its chunks and before its markers."""
    from chromadb.api.models.Collection import Collection

    qawl = Qawl(tmp_path / "index")
    monkeypatch.setattr(rag.ingest, "BATCH_ARTICLES", BATCH)
    writes = []
    real_upsert = Collection.upsert

    def upsert(collection, **records):
        writes.append(collection.name)
        if len(writes) >= 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_upsert(collection, **records)

    monkeypatch.setattr(Collection, "upsert", upsert)
    with pytest.raises(IndexUnavailable, match=f"the disk holding {tmp_path / 'index'} is full"):
        qawl.ingest([corpus / "a"])
    monkeypatch.setattr(Collection, "upsert", real_upsert)
    assert writes[:5] == ["chunks", "quotes", "articles", "chunks", "quotes"]
    first_batch = _ids_under(*sorted((corpus / "a").glob("*.txt"))[:BATCH])
    assert assert_whole_articles(qawl.store, expected, complete=False) == first_batch
    qawl.store.close()


# -- Chroma server down, silent, killed ----------------------------------------------------------------


@pytest.fixture
def silent_server() -> str:
    """The URL of a port that accepts connections and never answers."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def assert_no_answer_within_the_timeout(url: str, capsys, monkeypatch) -> None:
    """Opening the server at ``url`` fails within seconds with a timeout of 1 s, library and CLI alike."""
    started = time.monotonic()
    with pytest.raises(IndexUnavailable) as error:
        within(20, lambda: ChromaStore(chroma_url=url, timeout=1))
    assert time.monotonic() - started < 5
    assert str(error.value) == (f"Cannot open the Chroma index at {url}: the Chroma server at {url} did not "
                                f"answer within 1 s (QAWL_CHROMA_TIMEOUT): it is stuck or overloaded.")
    monkeypatch.setenv("QAWL_CHROMA_TIMEOUT", "1")
    assert within(20, lambda: main(["--chroma-url", url, "stats"])) == 2
    assert capsys.readouterr().err == f"qawl: error: {error.value}\n"


def test_a_server_that_never_answers_fails_within_the_timeout(silent_server, monkeypatch, capsys):
    assert_no_answer_within_the_timeout(silent_server, capsys, monkeypatch)


def test_a_server_that_stops_answering_after_its_heartbeat_fails_within_the_timeout(capsys, monkeypatch):
    """chromadb's client asks the server for its tenant and database while it is created: bounded too."""
    from servers import stalling_server

    with stalling_server() as url:
        assert_no_answer_within_the_timeout(url, capsys, monkeypatch)


class FreezingProxy:
    """A TCP proxy to a Chroma server that can stop passing bytes on, like a server that hangs."""

    def __init__(self, target_url: str):
        self.target = urlparse(target_url).port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.frozen = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.frozen.is_set():
                    time.sleep(0.05)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()

    def close(self) -> None:
        self.frozen.clear()
        self.listener.close()


@pytest.mark.server
def test_a_server_that_stops_answering_mid_session_fails_within_the_timeout(chroma_url):
    proxy = FreezingProxy(chroma_url)
    try:
        store = ChromaStore(chroma_url=proxy.url, timeout=1)
        store.count("articles")
        proxy.frozen.set()
        started = time.monotonic()
        with pytest.raises(IndexUnavailable, match=rf"{proxy.url} did not answer within 1 s \(QAWL_CHROMA_TIMEOUT\)"):
            within(20, lambda: store.count("articles"))
        assert time.monotonic() - started < 5
    finally:
        proxy.close()


@pytest.mark.server
def test_a_server_killed_mid_ingest_is_a_clear_error_and_a_rerun_completes_the_index(
    corpus, expected, tmp_path, embedder, monkeypatch
):
    from servers import chroma_process

    files = sorted((corpus / "a").glob("*.txt"))[: 2 * BATCH]
    expected = {i: n for i, n in expected.items() if i in _ids_under(*files)}
    monkeypatch.setattr(rag.ingest, "BATCH_ARTICLES", BATCH)
    data = tmp_path / "chroma-data"
    with chroma_process(data) as (server, url):
        qawl = Qawl(chroma_url=url)
        writes = []
        real_upsert = qawl.store.upsert

        def upsert(collection, rows, vectors):
            writes.append(collection)
            if len(writes) == 5:  # the second batch's quotes: its chunks are written, its markers not
                server.kill()
                server.wait()
            real_upsert(collection, rows, vectors)

        monkeypatch.setattr(qawl.store, "upsert", upsert)
        lost = f"lost the Chroma server at {url}: is `chroma run` still running there\\?"
        with pytest.raises(IndexUnavailable, match=lost):
            qawl.ingest(files)
        with pytest.raises(IndexUnavailable, match=lost):
            qawl.ask(LAVROV_QUESTION)

    with chroma_process(data) as (_, url):  # started again on the same data
        qawl = Qawl(chroma_url=url)
        committed = assert_whole_articles(qawl.store, expected, complete=False)
        assert committed == _ids_under(*files[:BATCH])
        report = qawl.ingest(files)
        assert report.ok and (report.unchanged, report.added) == (BATCH, BATCH)
        assert_whole_articles(qawl.store, expected, complete=True)
