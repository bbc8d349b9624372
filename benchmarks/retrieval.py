"""Benchmark (not a test): passage retrieval quality, dense alone vs dense + BM25 fusion.

Queries are the answerable seed questions of tests/data/qa_dev.json; a passage is relevant
when it contains one of the question's expected verbatim fragments. Prints MRR@10 per query
language for dense-only and for hybrid (reciprocal-rank fusion with BM25), and saves
``benchmarks/results/retrieval.json``. This is what decides that BM25 is fused for
Arabic-script queries only.

Run: ``.venv/bin/python benchmarks/retrieval.py``
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from rag import Qawl
from rag.config import PROJECT_ROOT
from rag.eval_qa import load_questions
from rag.normalize import normalize
from rag.search import reciprocal_rank_fusion

RESULTS = Path(__file__).resolve().parent / "results" / "retrieval.json"
DEPTH = 40


def reciprocal_rank(ranked_texts: list[str], fragments: list[str]) -> float:
    wanted = [normalize(f) for f in fragments]
    for rank, text in enumerate(ranked_texts[:10], 1):
        if any(f in normalize(text) for f in wanted):
            return 1.0 / rank
    return 0.0


def main() -> None:
    questions = [q for q in load_questions() if q["corpus"] == "seeds" and q["expect"]["found"]]
    with tempfile.TemporaryDirectory(prefix="qawl-retrieval-") as tmp:
        qawl = Qawl(Path(tmp) / "index")
        qawl.ingest([PROJECT_ROOT / "seeds"])
        keywords = qawl._chunks.keywords
        scores: dict[str, dict[str, list[float]]] = {}
        for q in questions:
            dense = [r for r, _ in qawl.store.query("chunks", qawl.embedder.embed_queries([q["question"]])[0], DEPTH)]
            sparse = [r for r, _ in keywords.top(q["question"], DEPTH)]
            fused = reciprocal_rank_fusion([[r.id for r in dense], [r.id for r in sparse]])
            by_id = {r.id: r for r in dense + sparse}
            hybrid = [by_id[i].document for i in sorted(fused, key=lambda i: -fused[i])]
            fragments = q["expect"]["fragments"]
            row = scores.setdefault(q["lang"], {"dense": [], "hybrid": []})
            row["dense"].append(reciprocal_rank([r.document for r in dense], fragments))
            row["hybrid"].append(reciprocal_rank(hybrid, fragments))
    result = {
        lang: {"queries": len(row["dense"]), **{k: round(sum(v) / len(v), 3) for k, v in row.items()}}
        for lang, row in sorted(scores.items())
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("lang  queries  MRR@10 dense  MRR@10 dense+BM25")
    for lang, row in result.items():
        print(f"{lang:<5} {row['queries']:>7}  {row['dense']:>12.3f}  {row['hybrid']:>17.3f}")


if __name__ == "__main__":
    main()
