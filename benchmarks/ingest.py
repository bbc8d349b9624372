"""Benchmark (not a test): ingest throughput, and how much the pipeline costs over the model.

Ingests the seeds plus N SaudiNewsNet articles (default 2,000) into a fresh embedded index,
then, in the same process and on the same chunk and quote texts, times the raw
``SentenceTransformer.encode`` of the embedding model. The ratio of pipeline throughput to
raw model throughput shows the overhead of everything but the embedding (target >= 0.85).

``--whole-corpus`` ingests every article of every day instead (about 40 minutes), and times the
raw model on a uniform random sample of the texts it embedded (``--raw-sample``, seeded), right
after: the whole archive's ratio, with the model measured in the same hour on the same texts.

Run: ``.venv/bin/python benchmarks/ingest.py [--articles 2000 | --whole-corpus] [--keep PATH]``.
Prints a table and saves ``benchmarks/results/ingest.json`` (``ingest-whole.json`` for the whole corpus).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import tempfile
import time
from pathlib import Path

from rag import SEEDS_DIR, Qawl, Settings, iter_articles, shared_corpus_dir

RESULTS = Path(__file__).resolve().parent / "results" / "ingest.json"
WHOLE_RESULTS = RESULTS.with_name("ingest-whole.json")
DAYS = ("2015-07-21.zip", "2015-07-22.zip")  # days not used for annotation or tuning


def corpus_articles(limit: int | None, days: list[Path] | None = None):
    """The first ``limit`` good articles of ``days`` (default: the benchmark days; ``limit`` None:
    all of them), loaded up front so that reading the zips is not timed as ingest."""
    days = days if days is not None else [shared_corpus_dir() / day for day in DAYS]
    items = iter_articles(days, max_bytes=Settings.from_env().max_file_bytes)
    out = []
    for item in items:
        if not isinstance(item, Exception):
            out.append(item)
        if len(out) == limit:
            break
    return out


def run(limit: int | None, keep: Path | None = None, days: list[Path] | None = None,
        raw_sample: int | None = None) -> dict:
    """Ingest, then time the raw model on the texts embedded (all, or ``raw_sample`` of them drawn at random)."""
    articles = corpus_articles(limit, days)
    with tempfile.TemporaryDirectory(prefix="qawl-bench-") as tmp:
        qawl = Qawl(keep or Path(tmp) / "index")
        embedder = qawl.embedder
        embedder.embed_passages(["تحمية"])  # load the model before timing
        start = time.perf_counter()
        report = qawl.ingest_articles([*iter_articles([SEEDS_DIR], max_bytes=10**8), *articles])
        wall = time.perf_counter() - start
        ingest_ended = time.strftime("%Y-%m-%d %H:%M:%S")
        texts = qawl.embedded_texts()
        unique = list(dict.fromkeys(texts))
        timed = unique if raw_sample is None or raw_sample >= len(unique) else random.Random(0).sample(unique, raw_sample)
        start = time.perf_counter()
        embedder.embed_passages(timed)
        model_seconds = time.perf_counter() - start
        size = qawl.stats().size_bytes
    pipeline_rate = len(unique) / wall
    model_rate = len(timed) / model_seconds
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "ingest_ended": ingest_ended,
        "raw_model_ended": time.strftime("%Y-%m-%d %H:%M:%S"),
        "articles": report.added,
        "chunks": report.chunks,
        "quotes": report.quotes,
        "texts_embedded": len(unique),
        "raw_model_texts_timed": len(timed),
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
    parser.add_argument("--whole-corpus", action="store_true", help="every article of every day (about 40 minutes)")
    parser.add_argument("--raw-sample", type=int, help="time the raw model on this many of the texts, drawn at random "
                        "(default: all of them; 30,000 with --whole-corpus)")
    parser.add_argument("--keep", type=Path, help="build the index here and keep it (e.g. for benchmarks/ask.py)")
    args = parser.parse_args()
    if not shared_corpus_dir().exists():
        raise SystemExit(f"SaudiNewsNet not found at {shared_corpus_dir()}")
    if args.whole_corpus:
        days = sorted(shared_corpus_dir().glob("*.zip"))
        result = run(None, args.keep, days, args.raw_sample or 30_000)
        out = WHOLE_RESULTS
    else:
        result = run(args.articles, args.keep, raw_sample=args.raw_sample)
        out = RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
