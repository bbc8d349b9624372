"""Benchmark (not a test): ingest throughput, and how much the pipeline costs over the model.

Ingests the seeds plus N SaudiNewsNet articles (default 2,000) into a fresh embedded index,
then, in the same process and on the same chunk and quote texts, times the raw
``SentenceTransformer.encode`` of the embedding model. The ratio of pipeline throughput to
raw model throughput shows the overhead of everything but the embedding (target >= 0.85).

Run: ``.venv/bin/python benchmarks/ingest.py [--articles 2000] [--keep PATH]``. Prints a table and saves
``benchmarks/results/ingest.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from rag import SEEDS_DIR, Qawl, Settings, iter_articles, shared_corpus_dir

RESULTS = Path(__file__).resolve().parent / "results" / "ingest.json"
DAYS = ("2015-07-21.zip", "2015-07-22.zip")  # days not used for annotation or tuning


def corpus_articles(limit: int):
    """The first ``limit`` good articles of the benchmark days, loaded up front so that
    reading the zips is not timed as ingest."""
    items = iter_articles([shared_corpus_dir() / day for day in DAYS], max_bytes=Settings.from_env().max_file_bytes)
    out = []
    for item in items:
        if not isinstance(item, Exception):
            out.append(item)
        if len(out) == limit:
            break
    return out


def run(limit: int, keep: Path | None = None) -> dict:
    articles = corpus_articles(limit)
    with tempfile.TemporaryDirectory(prefix="qawl-bench-") as tmp:
        qawl = Qawl(keep or Path(tmp) / "index")
        embedder = qawl.embedder
        embedder.embed_passages(["تحمية"])  # load the model before timing
        start = time.perf_counter()
        report = qawl.ingest_articles([*iter_articles([SEEDS_DIR], max_bytes=10**8), *articles])
        wall = time.perf_counter() - start
        texts = qawl.embedded_texts()
        unique = list(dict.fromkeys(texts))
        start = time.perf_counter()
        embedder.embed_passages(unique)
        model_seconds = time.perf_counter() - start
        size = qawl.stats().size_bytes
    pipeline_rate = len(unique) / wall
    model_rate = len(unique) / model_seconds
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "articles": report.added,
        "chunks": report.chunks,
        "quotes": report.quotes,
        "texts_embedded": len(unique),
        "wall_seconds": round(wall, 1),
        "articles_per_s": round(report.added / wall, 2),
        "chunks_per_s": round(report.chunks / wall, 2),
        "pipeline_texts_per_s": round(pipeline_rate, 2),
        "raw_model_texts_per_s": round(model_rate, 2),
        "pipeline_to_model_ratio": round(pipeline_rate / model_rate, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "index_mb": round(size / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="build the index here and keep it (e.g. for benchmarks/ask.py)")
    args = parser.parse_args()
    if not shared_corpus_dir().exists():
        raise SystemExit(f"SaudiNewsNet not found at {shared_corpus_dir()}")
    result = run(args.articles, args.keep)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
