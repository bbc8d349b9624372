"""A real `chroma run` server for tests, on a free localhost port; a fake one that stalls."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def chroma_server(path: Path, timeout: float = 60):
    """Start ``chroma run`` on 127.0.0.1, wait for its heartbeat, yield its URL, stop it."""
    with chroma_process(path, timeout) as (_, url):
        yield url


@contextmanager
def chroma_process(path: Path, timeout: float = 60):
    """Like ``chroma_server``, yielding ``(process, url)`` for tests that kill the server."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    if chroma is None:
        raise RuntimeError("the `chroma` command of the installed chromadb is missing")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(path.parent / f"chroma-{port}.log", "wb")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma run did not start: see {log.name}")
                time.sleep(0.2)
        yield proc, url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def stalling_server():
    """The URL of an HTTP server that answers Chroma's heartbeat and nothing else: every other
    request is read and left unanswered (until the server stops), like a server whose heartbeat
    still answers while its database is stuck."""
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if not self.path.endswith("/heartbeat"):
                stop.wait()
                return
            body = b'{"nanosecond heartbeat": 1}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
