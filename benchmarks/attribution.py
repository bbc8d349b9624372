"""Benchmark (not a test): quote extraction speed on typical ~2 KB SaudiNewsNet articles, one core.

Run: ``.venv/bin/python benchmarks/attribution.py [--articles N]``. Prints the numbers and
saves them to ``benchmarks/results/attribution.json``. Target: >= 200 articles/s.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import zipfile
from pathlib import Path

from rag import extract_quotes, shared_corpus_dir

RESULTS = Path(__file__).resolve().parent / "results" / "attribution.json"
DAY = "2015-07-21.zip"  # a day not used for annotation or tuning
TYPICAL_CHARS = (1500, 2500)  # "typical 2 KB" articles


def typical_articles(limit: int) -> list[str]:
    """Up to ``limit`` article texts of about 2 KB, in corpus order."""
    path = shared_corpus_dir() / DAY
    with zipfile.ZipFile(path) as archive:
        rows = json.loads(archive.read(archive.namelist()[0]))
    texts = [r["content"] for r in rows if TYPICAL_CHARS[0] <= len(r["content"]) <= TYPICAL_CHARS[1]]
    return texts[:limit]


def measure(texts: list[str]) -> dict:
    """Articles per second (best of three passes, after a warm-up that loads the registry)."""
    extract_quotes(texts[0])
    best, quotes = float("inf"), 0
    for _ in range(3):
        started = time.perf_counter()
        quotes = sum(len(extract_quotes(t)) for t in texts)
        best = min(best, time.perf_counter() - started)
    return {
        "articles": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "quotes": quotes,
        "seconds": round(best, 3),
        "articles_per_second": round(len(texts) / best, 1),
        "ms_per_article": round(1000 * best / len(texts), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    if not (shared_corpus_dir() / DAY).exists():
        print(f"SaudiNewsNet corpus not found in {shared_corpus_dir()}; nothing to measure.")
        return 0
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    result = {**measure(typical_articles(args.articles)), "corpus_day": DAY, "python": sys.version.split()[0],
              "machine": platform.machine(), "target_articles_per_second": 200}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
