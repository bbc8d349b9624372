"""Benchmark (not a test): what an ingest of a few new articles costs a large index's derived files.

After an ingest, the files a serving process maps (``rag.derived``: the quote catalogue, its
vectors and word forms, the keyword indexes, the name index) must describe the index as it now
is. They are updated from the snapshot the ingest began from, reading only the written articles'
records, when that snapshot exists; otherwise built from every record of the index. On a copy
of a large index (``--index``, copied to ``--work``):

1. the derived files built from scratch (a fresh process's ``warm``; ``rebuild_s``);
2. ``--articles`` new articles ingested with derived files off (the write alone: ``write_s``);
3. the derived files built again (``rebuild_s`` at the new state), then as many other new
   articles ingested with them on (``ingest_s``): the update costs ``ingest_s - write_s``.

New articles are SaudiNewsNet articles of one day (``--day``) with a sentence added and their own
URL, so that the index does not take them for copies. Run: ``.venv/bin/python
benchmarks/derived_update.py --index $QAWL_HOME/full-reattr [--articles 100] [--work DIR]``;
prints a table and saves ``benchmarks/results/derived_update.json``.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

from rag import Qawl, Settings, iter_articles, shared_corpus_dir

RESULTS = Path(__file__).resolve().parent / "results" / "derived_update.json"


def new_articles(day: str, n: int, skip: int) -> list:
    """``n`` articles of ``day`` (after the first ``skip``) made new: their own id, URL and a last sentence."""
    found = []
    for item in iter_articles([shared_corpus_dir() / day], max_bytes=10**8):
        if isinstance(item, Exception):
            continue
        if skip:
            skip -= 1
            continue
        marker = f"update-benchmark-{len(found)}"
        found.append(dataclasses.replace(item, id=f"{item.id}-{marker}", url=f"{item.url or item.id}#{marker}",
                                         text=item.text + f"\n\nوقال المحرر إن هذا نص جديد رقم {len(found)}."))
        if len(found) == n:
            break
    return found


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return round(time.perf_counter() - start, 1), value


def run(index: Path, work: Path, n: int, day: str) -> dict:
    copy = work / "index"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(index, copy)
    derived = work / "derived"
    shutil.rmtree(derived, ignore_errors=True)

    def qawl(derived_root: str) -> Qawl:
        return Qawl(settings=Settings.from_env(index=str(copy), derived=derived_root))

    first = qawl(str(derived))
    first.embedder.embed_passages(["تحمية"])  # the model loaded before anything is timed
    rebuild_before, _ = timed(first.committed_articles)
    articles = first.stats().articles
    plain = qawl("off")
    plain.embedder = first.embedder
    write, report = timed(lambda: plain.ingest_articles(new_articles(day, n, 0)))
    assert report.added == n, report
    again = qawl(str(derived))
    again.embedder = first.embedder
    rebuild_after, _ = timed(again.committed_articles)
    writer = qawl(str(derived))
    writer.embedder = first.embedder
    ingest, report = timed(lambda: writer.ingest_articles(new_articles(day, n, n)))
    assert report.added == n, report
    reader = qawl(str(derived))
    mapped, committed = timed(reader.committed_articles)  # the updated files, mapped by a new process
    assert len(committed) == articles + 2 * n
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "index": str(index),
        "articles_in_index": articles,
        "new_articles": n,
        "rebuild_s": [rebuild_before, rebuild_after],
        "write_s": write,
        "ingest_with_update_s": ingest,
        "update_s": round(ingest - write, 1),
        "mapped_after_update_s": mapped,
        "load_average": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="a large embedded index (copied, never written)")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--day", default="2015-08-10.zip", help="the SaudiNewsNet day the new articles come from")
    parser.add_argument("--work", type=Path, help="where the copy is made (default: a temporary folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="qawl-update-"))
    try:
        result = run(args.index, work, args.articles, args.day)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
