"""Benchmark (not a test): passage retrieval quality, dense alone vs dense + BM25 fusion.

Queries are the answerable questions of rag/data/qa_dev.json, each asked of an index of its
corpus (the seeds, or the annotated SaudiNewsNet articles); a passage is relevant when it
contains one of the question's expected verbatim fragments. Prints MRR@10 per query language
for dense-only and for hybrid (reciprocal-rank fusion with BM25), and saves
``benchmarks/results/retrieval-<backend>-<precision>.json``. This is what decides that BM25 is
fused for Arabic-script queries only, and that a faster embedding (bfloat16, OpenVINO) loses
nothing: at most 0.01 MRR allowed, over all queries as in each row.

Run: ``.venv/bin/python benchmarks/retrieval.py [--backend openvino|torch] [--precision float32|bfloat16]``
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from rag import EmbeddingBackend, Precision, Qawl, Settings, build_eval_index, load_questions, normalize

RESULTS = Path(__file__).resolve().parent / "results"
TOP = 10  # MRR@10; Qawl.search looks 40 deep in each half before fusing


def reciprocal_rank(ranked_texts: list[str], fragments: list[str]) -> float:
    wanted = [normalize(f) for f in fragments]
    for rank, text in enumerate(ranked_texts[:TOP], 1):
        if any(f in normalize(text) for f in wanted):
            return 1.0 / rank
    return 0.0


def corpus_scores(qawl: Qawl, questions: list[dict]) -> dict[str, dict[str, list[float]]]:
    """Reciprocal ranks per query language over ``qawl``'s chunks: dense search alone, and fused
    with BM25 whatever the query's script (``Qawl.search`` fuses it for Arabic queries only)."""
    scores: dict[str, dict[str, list[float]]] = {}
    for q in questions:
        dense = qawl.search(q["question"], TOP, keywords=False)
        hybrid = qawl.search(q["question"], TOP, keywords=True)
        fragments = q["expect"]["fragments"]
        row = scores.setdefault(q["lang"], {"dense": [], "hybrid": []})
        row["dense"].append(reciprocal_rank([p.text for p in dense], fragments))
        row["hybrid"].append(reciprocal_rank([p.text for p in hybrid], fragments))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=[b.value for b in EmbeddingBackend if b != "auto"], default="torch")
    parser.add_argument("--precision", choices=[p.value for p in Precision if p != "auto"], default="float32")
    args = parser.parse_args()
    settings = Settings.from_env(embedding_backend=args.backend, embedding_precision=args.precision)
    answerable = [q for q in load_questions() if q["expect"]["found"]]
    result, every = {}, {"dense": [], "hybrid": []}
    with tempfile.TemporaryDirectory(prefix="qawl-retrieval-") as tmp:
        for corpus in sorted({q["corpus"] for q in answerable}):
            qawl = build_eval_index(corpus, Path(tmp), settings)
            scores = corpus_scores(qawl, [q for q in answerable if q["corpus"] == corpus])
            for lang, row in sorted(scores.items()):
                result[f"{corpus}/{lang}"] = {"queries": len(row["dense"]), **{k: _mean(v) for k, v in row.items()}}
                for kind, values in row.items():
                    every[kind] += values
    result["all"] = {"queries": len(every["dense"]), **{k: _mean(v) for k, v in every.items()}}
    path = RESULTS / f"retrieval-{args.backend}-{args.precision}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"backend": args.backend, "precision": args.precision, "mrr_at_10": result}
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"embedding backend {args.backend}, precision {args.precision}")
    print(f"{'corpus/lang':<16} queries  MRR@10 dense  MRR@10 dense+BM25")
    for key, row in result.items():
        print(f"{key:<16} {row['queries']:>7}  {row['dense']:>12.3f}  {row['hybrid']:>17.3f}")


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 3)


if __name__ == "__main__":
    main()
