"""Benchmark (not a test): the whole SaudiNewsNet corpus on one machine.

1. Ingest: ``qawl ingest <corpus> --index PATH`` in a child process (its wall time and peak RSS).
   The index is kept: re-running resumes an interrupted ingest, and a finished one costs only the
   check that everything is unchanged (the JSON then records that run, with ``resumed``).
2. Serve: a fresh child process opens the index, answers a first question (cold start), then
   asks at least 100 varied questions twice (English and Arabic; speaker-filtered, "who said"
   and open "who spoke about"), built from the speakers and quotes the index holds; p50/p95
   per kind and the serving process's RSS and peak RSS.
3. Before that, the derived indexes (``rag.derived``) are saved if they were not (timed: ``derive_s``); two
   serving processes start one after the other (each one's cold start, from the interpreter's
   start to its first answer), the first answers the questions, and the RSS and PSS of both are
   read while both are alive (what they share — the mapped derived indexes, the model's
   compiled blob — counts half to each in PSS). Then ``qawl ask`` from the shell, end to end.
4. ``--replicate N…``: an index of N copies of the index (``replicate``: every record again under
   distinct ids with its own embedding, nothing embedded again; each grown from the largest one
   built before, with Chroma's write rate against the records already in it), all built first,
   then each measured the same way.

Run: ``.venv/bin/python benchmarks/scale.py [--index PATH] [--corpus DIR] [--serve-only]
[--replicate 2 4]``; prints a table and saves ``benchmarks/results/scale.json``. Targets: cold
start <= 5 s, p95 <= 150 ms warm, serving RSS <= 1 GB at 31,000 articles.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

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


def replicate(source: Path, target: Path, copies: int, grow_from: tuple[Path, int] | None = None) -> dict:
    """An index of ``copies`` copies of the index at ``source``, written to ``target``: every
    record again under distinct ids (``r<k>-`` before the article id) with its own embedding
    read back, so nothing is embedded again. ``grow_from`` — (folder, n): an index of the first
    n copies already built — is copied file by file first and only the missing copies are
    written (copy 0 is ``source`` itself, copied the same way). Chunks and quotes first,
    articles (the commit markers) last, as an ingest writes them. Reports the write rate per
    ``_RATE_STEP`` records against the records already in the index: whether Chroma's writes
    slow down as it grows."""
    import shutil

    from rag import Qawl

    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} is not empty: give a new folder to --replicate-into")
    start = time.perf_counter()
    base, have = grow_from or (source, 1)
    shutil.copytree(base, target, dirs_exist_ok=True)
    copied_s = time.perf_counter() - start
    src, out = Qawl(source).store, Qawl(target).store
    in_index = sum(out.count(c) for c in ("chunks", "quotes", "articles"))
    written, rates = {}, []
    step = {"records_before": in_index, "records": 0, "started": time.perf_counter()}

    def close_step() -> dict:
        elapsed = time.perf_counter() - step.pop("started")
        rates.append({**step, "records_per_s": round(step["records"] / max(elapsed, 1e-9), 1)})
        return {"records_before": step["records_before"] + step["records"], "records": 0, "started": time.perf_counter()}

    for collection in ("chunks", "quotes", "articles"):
        written[collection] = 0
        for page in _pages(src.iter_records(collection, embeddings=True), _RATE_PAGE):
            n = _write_copies(out, collection, page, range(have, copies))
            written[collection] += n
            step["records"] += n
            if step["records"] >= _RATE_STEP:
                step = close_step()
    close_step()
    wall = time.perf_counter() - start
    return {"copies": copies, "source": str(source), "grown_from": [str(base), have],
            "copied_s": round(copied_s, 1), "records_written": written, "write_seconds": round(wall - copied_s, 1),
            "records_per_s": round(sum(written.values()) / max(wall - copied_s, 1e-9), 1),
            "rates": rates, "index_mb": round(out.size_on_disk() / 1e6, 1)}


_RATE_PAGE = 1000  # records read from the source at a time
_RATE_STEP = 50_000  # records written per point of the write-rate curve


def _pages(records, size: int):
    """``records`` in lists of ``size`` (the last one shorter)."""
    records = iter(records)
    while page := list(itertools.islice(records, size)):
        yield page


def _write_copies(out, collection: str, page: list, ks: range) -> int:
    """Copies ``ks`` of a page of records; how many rows were written."""
    vectors = np.stack([r.embedding for r in page]).astype(np.float32)
    for k in ks:
        out.upsert(collection, [_replica(k, r.id, r.document, r.metadata, collection) for r in page], vectors)
    return len(page) * len(ks)


def _replica(k: int, record_id: str, document: str, meta: dict, collection: str) -> tuple[str, str, dict]:
    """Copy ``k`` of a record (copy 0 is the record itself)."""
    if k == 0:
        return record_id, document, meta
    meta = dict(meta)
    meta["article_id"] = f"r{k}-{meta['article_id']}"
    if collection == "articles":
        meta["content_hash"] = f"{meta.get('content_hash', '')}#r{k}"
        for key in ("url", "path"):
            if key in meta:
                meta[key] = f"{meta[key]}#r{k}"
    return f"r{k}-{record_id}", document, meta


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


def serve(index: Path, hold: bool) -> None:
    """The serving child: as a new process would, from its first line (``spawned``, the parent's
    clock at its start, makes the interpreter's own start count): open the index, answer a
    first question (cold start), then ask the questions ``ROUNDS`` times. Prints one JSON line;
    with ``hold``, then waits for a line on stdin, so that the parent can measure the memory of
    two such processes at once."""
    from rag import Qawl

    qawl = Qawl(index)
    first = qawl.ask(f"What did {COLD_SPEAKER} say about Iran?")
    cold = time.time() - float(os.environ["SCALE_SPAWNED"])
    asked = questions(qawl)
    times: dict[str, list[float]] = {}
    for _ in range(ROUNDS):
        for kind, question in asked:
            start = time.perf_counter()
            qawl.ask(question)
            times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
    stats = qawl.stats()
    every = sorted(t for ts in times.values() for t in ts)
    snapshot = qawl.snapshot()
    result = {
        "articles": stats.articles,
        "chunks": stats.chunks,
        "quotes": stats.quotes,
        "speakers": len(qawl.speakers()),
        "index_mb": round(stats.size_bytes / 1e6, 1),
        "derived_mb": round(sum(f.stat().st_size for f in snapshot.loaded_from.iterdir()) / 1e6, 1)
        if snapshot.loaded_from else None,
        "cold_start_s": round(cold, 2),
        "cold_found": first.found,
        "questions": len(asked),
        "asked": len(every),
        "p50_ms": _percentile(every, 50),
        "p95_ms": _percentile(every, 95),
        "by_kind": {kind: {"n": len(ts), "p50_ms": _percentile(sorted(ts), 50), "p95_ms": _percentile(sorted(ts), 95)}
                    for kind, ts in times.items()},
        "rss_mb": round(_memory(os.getpid())["Rss"] / 1024, 1),
        "serving_peak_rss_mb": round(_peak_rss_kb() / 1024, 1),
    }
    print(json.dumps(result), flush=True)
    if hold:
        sys.stdin.readline()


COLD_SPEAKER = "Adel al-Jubeir"  # SaudiNewsNet's foreign minister: quoted in every part of the corpus


def derive(index: Path) -> dict:
    """Make sure the derived indexes of ``index`` are saved (as the end of an ingest does), timing
    how long deriving them takes when they were not."""
    code = ("import time, json; from rag import Qawl; q = Qawl(%r); t = time.perf_counter(); s = q.snapshot(); "
            "print(json.dumps({'derive_s': round(time.perf_counter() - t, 1), 'was_saved': s.loaded_from is not None}))")
    child = subprocess.run([sys.executable, "-c", code % str(index)], capture_output=True, text=True, check=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


def serve_two(index: Path) -> dict:
    """Two serving processes on one index, one after the other and then both alive: the first's
    cold start and latencies, the second's cold start, and the RSS and PSS of each while both run
    (PSS counts a page mapped by both processes half to each: what they share shows there)."""
    children, results = [], []
    for _ in range(2):
        env = {**os.environ, "SCALE_SPAWNED": repr(time.time())}
        child = subprocess.Popen([sys.executable, __file__, "--serve", "--hold", "--index", str(index)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        line = child.stdout.readline()
        if not line:
            raise SystemExit("the serving process failed; see its messages above")
        children.append(child)
        results.append(json.loads(line))
    memory = [_memory(child.pid) for child in children]
    for child in children:
        child.stdin.write("\n")
        child.stdin.flush()
        child.wait()
    result = results[0]
    result["second_process_cold_start_s"] = results[1]["cold_start_s"]
    result["two_processes"] = [{"rss_mb": round(m["Rss"] / 1024, 1), "pss_mb": round(m["Pss"] / 1024, 1),
                                "shared_mb": round((m.get("Shared_Clean", 0) + m.get("Shared_Dirty", 0)) / 1024, 1)}
                               for m in memory]
    return result


def shell_ask(index: Path, runs: int = 3) -> dict:
    """``qawl ask`` from the shell, end to end (a new interpreter, the answer printed, the exit)."""
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rag.cli", "--index", str(index), "ask",
                        f"What did {COLD_SPEAKER} say about Iran?"], capture_output=True, check=True)
        walls.append(round(time.perf_counter() - start, 2))
    return {"shell_ask_s": sorted(walls)[len(walls) // 2], "shell_ask_runs_s": walls}


def _memory(pid: int) -> dict[str, int]:
    """``/proc/<pid>/smaps_rollup`` in kB (Linux)."""
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        out[key] = int(value.split()[0])
    return out


def _percentile(sorted_values: list[float], p: int) -> float:
    return round(sorted_values[round(p / 100 * (len(sorted_values) - 1))], 1)


def _peak_rss_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(index: Path) -> dict:
    """Everything about serving ``index``: deriving, cold starts, latencies, memory, the shell."""
    result = derive(index)
    result |= serve_two(index)
    result |= shell_ask(index)
    result["load_average"] = round(os.getloadavg()[0], 2)  # others' work on this machine meanwhile
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--serve-only", action="store_true", help="measure serving an existing index")
    parser.add_argument("--replicate", type=int, nargs="+", metavar="N",
                        help="also measure indexes of N copies of --index (each built once, into --replicate-into/N)")
    parser.add_argument("--replicate-into", type=Path, help="folder of the replicated indexes")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--hold", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.index, args.hold)
        return
    from rag import shared_corpus_dir

    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    result = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "date": time.strftime("%Y-%m-%d"), "index": str(args.index)}
    if not args.serve_only:
        result["ingest"] = ingest(args.corpus or shared_corpus_dir(), args.index)
    elif "ingest" in previous:
        result["ingest"] = previous["ingest"]
    result["serve"] = measure(args.index)
    if args.replicate:
        result["replicated"] = replicated(args.index, args.replicate_into or args.index.parent / (args.index.name + "-replicated"),
                                          sorted(set(args.replicate)))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))


def replicated(index: Path, folder: Path, sizes: list[int]) -> list[dict]:
    """Build the indexes of ``sizes`` copies not built yet, each grown from the largest smaller
    one (each build's report kept beside it, ``<N>.build.json``), then measure serving each —
    after all the building, so that the serving figures share one quiet stretch of the machine."""
    built, previous = [], None
    for copies in sizes:
        report = folder / f"{copies}.build.json"  # written once the index of ``copies`` is complete
        if not report.exists():
            grow_from = (folder / str(previous), previous) if previous else None
            report.write_text(json.dumps(replicate(index, folder / str(copies), copies, grow_from), indent=2) + "\n")
        built.append(json.loads(report.read_text()))
        previous = copies
    return [{**b, "serve": measure(folder / str(b["copies"]))} for b in built]


def table(result: dict) -> str:
    lines = [_rows(result.get("ingest", {}), result["serve"])]
    for replica in result.get("replicated", []):
        lines.append(f"\n-- {replica['copies']} copies --\n" + _rows({k: v for k, v in replica.items() if k != "serve"}, replica["serve"]))
    return "\n".join(lines)


def _rows(ingested: dict, served: dict) -> str:
    rows = [(key, value) for part in (ingested, served) for key, value in part.items() if key != "by_kind"]
    rows += [(f"{kind} p50/p95 ms", f"{v['p50_ms']} / {v['p95_ms']} (n={v['n']})") for kind, v in served["by_kind"].items()]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{key:<{width}}  {value}" for key, value in rows)


if __name__ == "__main__":
    main()
