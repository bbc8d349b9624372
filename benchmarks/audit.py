"""Coverage audit of quote attribution over the whole SaudiNewsNet archive (not a test).

Run: ``.venv/bin/python benchmarks/audit.py [--workers 2] [--limit N] [--examples 3]``.
Every article of every zip in ``../shared/corpora/saudinewsnet`` goes through ``rag.audit_article``
(the test-split articles of ``rag/data/gold/draw.json`` are left out altogether). It counts the
sentences holding a reporting cue that yield no statement, grouped by pattern (the cue's lemma,
tense and construction), and the statements whose speaker is a bare noun, a description resolved
nowhere, a pronoun or a name the registry lacks. Prints a table and writes
``benchmarks/results/audit.json``; ``--baseline FILE`` adds the change against an earlier result.

Examples are shown only from the three annotation days (2015-07-25/26, 2015-08-02) and never from
a test-split article: the other days are read for counts alone.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import zipfile
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag import audit_article  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "audit.json"
DRAW = ROOT / "rag" / "data" / "gold" / "draw.json"
ANNOTATION_DAYS = ("2015-07-25.zip", "2015-07-26.zip", "2015-08-02.zip")
_EXAMPLE_CHARS = 220


def corpus_dir() -> Path:
    shared = Path(os.environ.get("QAWL_SHARED", ROOT.parent / "shared"))
    return shared / "corpora" / "saudinewsnet"


def test_articles() -> set[tuple[str, int]]:
    """The frozen test split's articles: never audited, never shown."""
    if not DRAW.exists():
        return set()
    return {(z, i) for z, i in json.loads(DRAW.read_text(encoding="utf-8")).get("test", [])}


def _date(row: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(row.get("date_extracted", ""))[:10])
    except ValueError:
        return None


def audit_zip(job: tuple[str, int | None, int]) -> dict:
    """Audit one day's zip: totals, patterns, speaker issues, and examples where allowed."""
    path, limit, n_examples = job
    name = Path(path).name
    with zipfile.ZipFile(path) as archive:
        rows = json.loads(archive.read(archive.namelist()[0]))
    excluded = test_articles()
    examples_allowed = name in ANNOTATION_DAYS
    out = {"zip": name, "articles": 0, "skipped_test": 0, "sentences": 0, "cue_sentences": 0, "uncovered": 0,
           "not_speech": 0, "statements": 0, "patterns": Counter(), "families": Counter(), "not_speech_kinds": Counter(),
           "speaker_issues": Counter(), "speaker_words": Counter(), "examples": defaultdict(list),
           "speaker_examples": defaultdict(list), "seconds": 0.0}
    started = time.perf_counter()
    for index, row in enumerate(rows[:limit] if limit else rows):
        if (name, index) in excluded:
            out["skipped_test"] += 1
            continue
        text = row.get("content") or ""
        audit = audit_article(text, title=row.get("title"), date=_date(row))
        out["articles"] += 1
        out["sentences"] += audit.sentences
        out["cue_sentences"] += audit.cue_sentences
        out["uncovered"] += len(audit.uncovered)
        out["not_speech"] += len(audit.not_speech)
        out["statements"] += len(audit.quotes)
        for cue in audit.not_speech:
            out["not_speech_kinds"][cue.construction] += 1
        for cue in audit.uncovered:
            out["patterns"][cue.pattern] += 1
            out["families"][f"{cue.tense} {cue.construction}"] += 1
            if examples_allowed and len(out["examples"][cue.pattern]) < n_examples:
                out["examples"][cue.pattern].append(
                    {"article": [name, index], "sentence": text[cue.start:cue.end][:_EXAMPLE_CHARS]})
        for issue in audit.speakers:
            out["speaker_issues"][issue.issue] += 1
            out["speaker_words"][f"{issue.issue}\t{issue.quote.speaker.name_ar}"] += 1
            key = issue.issue
            if examples_allowed and len(out["speaker_examples"][key]) < 4 * n_examples:
                q = issue.quote
                out["speaker_examples"][key].append(
                    {"article": [name, index], "speaker_ar": q.speaker.name_ar, "speaker": q.speaker.name_en,
                     "cue": q.cue, "text": q.text[:120]})
    out["seconds"] = time.perf_counter() - started
    return out


def merge(parts: list[dict]) -> dict:
    total = {"articles": 0, "skipped_test": 0, "sentences": 0, "cue_sentences": 0, "uncovered": 0,
             "not_speech": 0, "statements": 0}
    counters = {k: Counter() for k in ("patterns", "families", "not_speech_kinds", "speaker_issues", "speaker_words")}
    examples, speaker_examples = defaultdict(list), defaultdict(list)
    for part in sorted(parts, key=lambda p: p["zip"]):
        for key in total:
            total[key] += part[key]
        for key, counter in counters.items():
            counter.update(part[key])
        for key, items in part["examples"].items():
            examples[key].extend(items)
        for key, items in part["speaker_examples"].items():
            speaker_examples[key].extend(items)
    rate = total["uncovered"] / total["cue_sentences"] if total["cue_sentences"] else 0.0
    return {**total, "uncovered_cue_rate": round(rate, 4), **counters, "examples": examples,
            "speaker_examples": speaker_examples}


def report(result: dict, top: int, n_examples: int) -> dict:
    """The JSON written to results (patterns sorted by count, examples of the top ones)."""
    patterns = result["patterns"].most_common()
    speaker_words = defaultdict(list)
    for key, n in result["speaker_words"].most_common():
        issue, word = key.split("\t", 1)
        if len(speaker_words[issue]) < top:
            speaker_words[issue].append([word, n])
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "articles": result["articles"], "test_articles_left_out": result["skipped_test"],
        "sentences": result["sentences"], "statements": result["statements"],
        "cue_sentences": result["cue_sentences"], "uncovered_cue_sentences": result["uncovered"],
        "uncovered_cue_rate": result["uncovered_cue_rate"],
        "not_speech_sentences": result["not_speech"], "not_speech": dict(result["not_speech_kinds"].most_common()),
        "families": dict(result["families"].most_common()),
        "patterns": [{"pattern": p, "count": n, "examples": result["examples"].get(p, [])[:n_examples]}
                     for p, n in patterns[:top]],
        "patterns_all": dict(patterns),
        "speaker_issues": dict(result["speaker_issues"].most_common()),
        "speaker_issue_rate": round(sum(result["speaker_issues"].values()) / max(1, result["statements"]), 4),
        "speaker_issue_words": dict(speaker_words),
        "speaker_examples": {k: v[:4 * n_examples] for k, v in result["speaker_examples"].items()},
    }


def table(out: dict, baseline: dict | None, top: int) -> str:
    lines = [f"articles {out['articles']:,} (test split left out: {out['test_articles_left_out']}), "
             f"sentences {out['sentences']:,}, statements {out['statements']:,}",
             f"cue sentences {out['cue_sentences']:,}, uncovered {out['uncovered_cue_sentences']:,}: "
             f"uncovered-cue rate {out['uncovered_cue_rate']:.3f}"
             + (f" (baseline {baseline['uncovered_cue_rate']:.3f}, "
                f"{(1 - out['uncovered_cue_rate'] / baseline['uncovered_cue_rate']) * 100:+.0f}% reduction)"
                if baseline and baseline.get("uncovered_cue_rate") else ""),
             f"not-speech cue sentences (left out): {out['not_speech_sentences']:,} {out['not_speech']}", "",
             f"{'family (tense construction)':<32} {'uncovered':>9}" + ("  baseline" if baseline else "")]
    for family, n in out["families"].items():
        before = baseline.get("families", {}).get(family, 0) if baseline else None
        lines.append(f"{family:<32} {n:>9,}" + (f"  {before:>8,}" if baseline else ""))
    lines += ["", f"{'pattern (lemma tense construction)':<40} {'uncovered':>9}" + ("  baseline" if baseline else "")]
    for item in out["patterns"][:top]:
        before = baseline.get("patterns_all", {}).get(item["pattern"], 0) if baseline else None
        lines.append(f"{item['pattern']:<40} {item['count']:>9,}" + (f"  {before:>8,}" if baseline else ""))
    lines += ["", f"speaker issues (of {out['statements']:,} statements, rate {out['speaker_issue_rate']:.3f}):"]
    for issue, n in out["speaker_issues"].items():
        before = baseline.get("speaker_issues", {}).get(issue) if baseline else None
        words = ", ".join(f"{w} ({c})" for w, c in out["speaker_issue_words"].get(issue, [])[:8])
        lines.append(f"  {issue:<24} {n:>7,}" + (f" (baseline {before:,})" if before is not None else "") + f"  {words}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="articles per zip (default: all)")
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--baseline", type=Path, default=None, help="an earlier audit.json to compare with")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    zips = sorted(corpus_dir().glob("*.zip"))
    if not zips:
        print(f"SaudiNewsNet corpus not found in {corpus_dir()}; nothing to audit.")
        return 0
    started = time.perf_counter()
    jobs = [(str(z), args.limit, args.examples) for z in sorted(zips, key=lambda z: -z.stat().st_size)]
    with ProcessPoolExecutor(max_workers=max(1, min(args.workers, 2))) as pool:
        parts = list(pool.map(audit_zip, jobs))
    out = report(merge(parts), args.top, args.examples)
    out["seconds"] = round(time.perf_counter() - started, 1)
    out["workers"] = max(1, min(args.workers, 2))
    baseline = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline else None
    if baseline:
        out["baseline"] = {k: baseline.get(k) for k in ("date", "uncovered_cue_rate", "cue_sentences",
                                                          "uncovered_cue_sentences", "speaker_issues", "families")}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(out, baseline, args.top))
    print(f"\n{out['articles']:,} articles in {out['seconds']} s with {out['workers']} workers -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
