"""Benchmark (not a test): the whole SaudiNewsNet corpus on one machine.

1. Ingest: ``qawl ingest <corpus> --index PATH`` in a child process (its wall time and peak RSS).
   The index is kept: re-running resumes an interrupted ingest, and a finished one costs only the
   check that everything is unchanged (the JSON then records that run, with ``resumed``).
2. Serve: a fresh child process opens the index, answers a first question (cold start), then
   asks at least 100 varied questions twice (English and Arabic; speaker-filtered, "who said"
   and open "who spoke about"), built from the speakers and quotes the index holds; p50/p95
   per kind and the serving process's peak RSS.

Run: ``.venv/bin/python benchmarks/scale.py [--index PATH] [--corpus DIR]``; prints a table and
saves ``benchmarks/results/scale.json``. Targets: p95 <= 150 ms warm, serving RSS <= 2 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "scale.json"
DEFAULT_INDEX = Path.home() / ".cache" / "qawl" / "scale-index"
TOPICS = [("Iran", "إيران"), ("Yemen", "اليمن"), ("oil", "النفط"), ("terrorism", "الإرهاب"), ("Syria", "سوريا")]
SPEAKERS_ASKED = 20
ROUNDS = 2


def ingest(corpus: Path, index: Path) -> dict:
    """Run the CLI ingest as a child process; its report, wall time and peak RSS."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "--index", str(index), "ingest", str(corpus), "--json"],
        stdout=subprocess.PIPE,
        text=True,
    )
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if not output.strip():
        raise SystemExit(f"qawl ingest failed (exit code {os.waitstatus_to_exitcode(status)}); see its messages above")
    report = json.loads(output)
    return {
        "added": report["added"],
        "unchanged": report["unchanged"],
        "duplicates": len(report["duplicates"]),
        "skipped": len(report["skipped"]),
        "failed": len(report["failed"]),
        "failures": report["failed"][:10],  # (item, reason): what could not be read or processed
        "resumed": report["unchanged"] > 0,
        "wall_seconds": round(wall, 1),
        "articles_per_s": round(report["added"] / wall, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "exit_code": os.waitstatus_to_exitcode(status),
    }


def questions(qawl) -> list[tuple[str, str]]:
    """(kind, question) pairs from what the index holds: its most quoted people asked about
    common topics in both languages, "who said" on their quotes, and open topic questions."""
    people = [c.speaker for c in qawl.speakers() if c.speaker.kind == "person"][:SPEAKERS_ASKED]
    asked = []
    for i, person in enumerate(people):
        (en, ar), (en2, ar2) = TOPICS[i % len(TOPICS)], TOPICS[(i + 2) % len(TOPICS)]
        asked += [
            ("speaker", f"What did {person.name_en} say about {en}?"),
            ("speaker", f"ماذا قال {person.name_ar} عن {ar}؟"),
            ("speaker", f"Did {person.name_en} mention {en2}?"),
            ("speaker", f"هل تحدث {person.name_ar} عن {ar2}؟"),
        ]
        quote = qawl.catalog().quotes_of([person.id])[0].document
        asked.append(("who said", f"من قال «{' '.join(quote.split()[:8])}»؟"))
    for en, ar in TOPICS:
        asked += [("open", f"Who spoke about {en}?"), ("open", f"من تحدث عن {ar}؟")]
    return asked


def serve(index: Path) -> dict:
    """In this (fresh) process: cold start to a first answer, then warm latencies."""
    start = time.perf_counter()
    from rag import Qawl

    qawl = Qawl(index)
    qawl.warm()  # as the app does before it opens
    qawl.ask(f"What did {qawl.speakers()[0].speaker.name_en} say?")
    cold = time.perf_counter() - start
    asked = questions(qawl)
    times: dict[str, list[float]] = {}
    for _ in range(ROUNDS):
        for kind, question in asked:
            start = time.perf_counter()
            qawl.ask(question)
            times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
    stats = qawl.stats()
    every = sorted(t for ts in times.values() for t in ts)
    return {
        "articles": stats.articles,
        "chunks": stats.chunks,
        "quotes": stats.quotes,
        "speakers": len(qawl.speakers()),
        "index_mb": round(stats.size_bytes / 1e6, 1),
        "cold_start_s": round(cold, 2),
        "questions": len(asked),
        "asked": len(every),
        "p50_ms": _percentile(every, 50),
        "p95_ms": _percentile(every, 95),
        "by_kind": {kind: {"n": len(ts), "p50_ms": _percentile(sorted(ts), 50), "p95_ms": _percentile(sorted(ts), 95)}
                    for kind, ts in times.items()},
        "serving_peak_rss_mb": round(_peak_rss_kb() / 1024, 1),
    }


def _percentile(sorted_values: list[float], p: int) -> float:
    return round(sorted_values[round(p / 100 * (len(sorted_values) - 1))], 1)


def _peak_rss_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--serve-only", action="store_true", help="measure serving an existing index")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.serve:
        print(json.dumps(serve(args.index)))
        return
    from rag import shared_corpus_dir

    result = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "index": str(args.index)}
    if not args.serve_only:
        result["ingest"] = ingest(args.corpus or shared_corpus_dir(), args.index)
    child = subprocess.run([sys.executable, __file__, "--serve", "--index", str(args.index)],
                           capture_output=True, text=True, check=True)
    result["serve"] = json.loads(child.stdout.strip().splitlines()[-1])
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if args.serve_only and "ingest" in previous:
        result["ingest"] = previous["ingest"]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))


def table(result: dict) -> str:
    rows = [(key, value) for part in ("ingest", "serve") for key, value in result.get(part, {}).items() if key != "by_kind"]
    rows += [(f"{kind} p50/p95 ms", f"{v['p50_ms']} / {v['p95_ms']} (n={v['n']})") for kind, v in result["serve"]["by_kind"].items()]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{key:<{width}}  {value}" for key, value in rows)


if __name__ == "__main__":
    main()
