"""Benchmark (not a test): latency of ``Qawl.ask``, warm, and cold start.

Answers every dev question (rag/data/qa_dev.json, English and Arabic) against an index,
after one warm-up question, and reports p50/p95; cold start is a new Python process from
launch to its first answer. Indexes: the seeds (built in a temporary folder) and, with
``--index PATH``, any existing index (e.g. one kept by ``benchmarks/ingest.py --keep PATH``).

Run: ``.venv/bin/python benchmarks/ask.py [--index PATH] [--rounds 2]``; saves
``benchmarks/results/ask.json``. Target: p95 <= 150 ms warm.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rag import SEEDS_DIR, Qawl, load_questions

RESULTS = Path(__file__).resolve().parent / "results" / "ask.json"
COLD = "import time,sys; t=time.perf_counter(); from rag import Qawl; q=Qawl(sys.argv[1]); q.warm(); q.ask(sys.argv[2]); print(time.perf_counter()-t)"


def latencies(index: Path, questions: list[str], rounds: int) -> dict:
    qawl = Qawl(index)
    qawl.warm()
    qawl.ask(questions[0])
    times = []
    for _ in range(rounds):
        for question in questions:
            start = time.perf_counter()
            qawl.ask(question)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    cold = subprocess.run([sys.executable, "-c", COLD, str(index), questions[0]], capture_output=True, text=True, check=True)
    return {
        "articles": qawl.stats().articles,
        "quotes": qawl.stats().quotes,
        "questions": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "max_ms": round(times[-1], 1),
        "cold_start_s": round(float(cold.stdout.strip().splitlines()[-1]), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="an existing index to measure as well")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    questions = [q["question"] for q in load_questions()]
    results = {}
    with tempfile.TemporaryDirectory(prefix="qawl-ask-") as tmp:
        seeds = Path(tmp) / "seeds-index"
        Qawl(seeds).ingest([SEEDS_DIR])
        results["seeds"] = latencies(seeds, questions, args.rounds)
    if args.index:
        results[str(args.index)] = latencies(args.index, questions, args.rounds)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("index                          articles  quotes  questions  p50 ms  p95 ms  max ms  cold start s")
    for name, r in results.items():
        print(f"{name[-30:]:<30} {r['articles']:>8} {r['quotes']:>7} {r['questions']:>10} {r['p50_ms']:>7} "
              f"{r['p95_ms']:>7} {r['max_ms']:>7} {r['cold_start_s']:>13}")


if __name__ == "__main__":
    main()
