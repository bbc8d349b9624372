"""Precision audit of quote attribution on articles nobody annotated (not a test).

A fixed random sample of extracted statements from the three annotation days
(2015-07-25/26, 2015-08-02), leaving out every article of a gold file, of the test draw and of
the other sample, and every copy of one of them (half or more of its 8-word runs in them; reported
sample only), is judged by reading the article: is the speaker right, is the span right? The verdicts live in
``tests/data/precision_audit.json``, keyed by article and the statement's exact span and
speaker, so that a statement the extractor still makes the same way keeps its verdict and a
changed one is judged again.

Two samples: ``precision_audit_dev.json`` (``--dev``), whose errors may be read to guide rule
work, and ``precision_audit.json``, a fresh sample from other articles that is only judged and
scored: the reported number.

Run:
  ``.venv/bin/python benchmarks/precision_audit.py sample [--n 300] [--dev]`` — extract, draw the sample
  (seeded), carry over verdicts of statements unchanged, write the file with the rest unjudged;
  ``.venv/bin/python benchmarks/precision_audit.py score`` — precision with a 95% Wilson interval
  (speaker and span both right; speaker right), written to ``benchmarks/results/precision_audit.json``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag import extract_quotes  # noqa: E402

AUDIT = ROOT / "tests" / "data" / "precision_audit.json"  # the reported sample, judged only
DEV_AUDIT = ROOT / "tests" / "data" / "precision_audit_dev.json"  # an earlier sample whose errors guided the rules
RESULTS = Path(__file__).resolve().parent / "results" / "precision_audit.json"
GOLD = ROOT / "rag" / "data" / "gold"
DAYS = ("2015-07-25.zip", "2015-07-26.zip", "2015-08-02.zip")
SEEDS = {AUDIT: 20261203, DEV_AUDIT: 20261202}
ARTICLES_DRAWN = 400  # articles drawn first, then statements from them


def corpus_dir() -> Path:
    shared = Path(os.environ.get("QAWL_SHARED", ROOT.parent / "shared"))
    return shared / "corpora" / "saudinewsnet"


def annotated(audit: Path) -> set[tuple[str, int]]:
    """Articles of every gold file, of the test draw and of the other audit sample: left out."""
    done = set()
    for other in (AUDIT, DEV_AUDIT):
        if other != audit and other.exists():
            done |= {(s["zip"], s["index"]) for s in json.loads(other.read_text(encoding="utf-8"))["statements"]}
    for path in GOLD.glob("saudinewsnet_*.json"):
        done |= {(a["zip"], a["index"]) for a in json.loads(path.read_text(encoding="utf-8"))["articles"]}
    draw = json.loads((GOLD / "draw.json").read_text(encoding="utf-8"))
    return done | {tuple(pair) for split in draw.values() for pair in split}


def shingles(text: str | None, width: int = 8) -> set[str]:
    words = (text or "").split()
    return {" ".join(words[k:k + width]) for k in range(len(words) - width + 1)}


def copied(runs: set[str], seen: set[str]) -> bool:
    return bool(runs) and len(runs & seen) >= len(runs) / 2


def key(item: dict) -> str:
    return f"{item['zip']}#{item['index']}:{item['start']}:{item['end']}:{item['speaker_ar']}"


def sample(n: int, audit: Path = AUDIT) -> None:
    rng = random.Random(SEEDS[audit])
    excluded = annotated(audit)
    rows = {}
    for day in DAYS:
        with zipfile.ZipFile(corpus_dir() / day) as archive:
            rows[day] = json.loads(archive.read(archive.namelist()[0]))
    # Outlets reprint the same agency copy: an article whose text is mostly (half or more of its
    # 8-word runs) in an article left out is a copy of it, and is left out too (reported sample
    # only: the dev sample stays the draw it was judged on).
    seen = set().union(*(shingles(rows[day][i]["content"]) for day, i in excluded if day in rows)) \
        if audit == AUDIT else set()
    pool = [(day, i) for day in DAYS for i in range(len(rows[day])) if (day, i) not in excluded
            and not copied(shingles(rows[day][i]["content"]), seen)]
    articles = rng.sample(pool, ARTICLES_DRAWN)
    statements = []
    for day, i in articles:
        row = rows[day][i]
        date = dt.date.fromisoformat(row["date_extracted"][:10])
        for q in extract_quotes(row["content"] or "", title=row.get("title"), date=date):
            statements.append({"zip": day, "index": i, "start": q.start, "end": q.end, "speaker": q.speaker.name_en,
                               "speaker_ar": q.speaker.name_ar, "kind": q.kind, "cue": q.cue, "text": q.text,
                               "nested_in": q.nested_in.name_en if q.nested_in else None})
    chosen = sorted(rng.sample(statements, min(n, len(statements))), key=lambda s: (s["zip"], s["index"], s["start"]))
    old = {}
    if audit.exists():
        old = {key(s): s for s in json.loads(audit.read_text(encoding="utf-8"))["statements"]}
    for s in chosen:
        verdict = old.get(key(s), {})
        s.update({k: verdict.get(k) for k in ("speaker_ok", "span_ok", "note")})
    data = {"description": "Precision audit: a seeded sample of extracted statements from articles of the three "
                           "annotation days that no gold file holds, each judged by reading the article.",
            "conventions": [
                "speaker_ok: the statement's speaker is who said it (a group: its members; an unnamed speaker: "
                "the description the article gives). For a nested statement, the inner speaker.",
                "span_ok: the span is the statement's content — it starts at the content (not inside the cue "
                "or the speaker's name) and does not run into another statement or the narrator's text; "
                "a span cut short but holding only the speaker's words is ok.",
                "A span that is no statement at all (narration, a headline label) is speaker_ok false, span_ok false.",
                "Verdicts are keyed by article, start, end and Arabic speaker: run `sample` again after a "
                "rule change and only changed statements are left to judge (null)."],
            "statements": chosen}
    audit.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    todo = sum(1 for s in chosen if s["speaker_ok"] is None)
    print(f"{len(chosen)} statements from {ARTICLES_DRAWN} articles; {todo} to judge; written to {audit}")


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion k/n."""
    if not n:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return round(centre - half, 4), round(centre + half, 4)


def score(audit: Path = AUDIT) -> dict:
    statements = json.loads(audit.read_text(encoding="utf-8"))["statements"]
    judged = [s for s in statements if s.get("speaker_ok") is not None and s.get("span_ok") is not None]
    both = sum(1 for s in judged if s["speaker_ok"] and s["span_ok"])
    speaker = sum(1 for s in judged if s["speaker_ok"])
    out = {"statements": len(statements), "judged": len(judged),
           "precision": round(both / len(judged), 4) if judged else None, "interval_95": wilson(both, len(judged)),
           "speaker_precision": round(speaker / len(judged), 4) if judged else None,
           "speaker_interval_95": wilson(speaker, len(judged))}
    if audit == AUDIT:
        RESULTS.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["sample", "score"])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--dev", action="store_true", help="the dev sample (its errors may guide rule work)")
    args = parser.parse_args()
    audit = DEV_AUDIT if args.dev else AUDIT
    sample(args.n, audit) if args.what == "sample" else score(audit)


if __name__ == "__main__":
    main()
