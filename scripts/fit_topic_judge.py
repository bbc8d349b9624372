"""Refit the topic judge (``rag/resources/topic_judge.json``) from the labelled pairs.

Fits on the dev split of ``tests/data/topic_pairs.json``, picks the threshold for 0.95
held-out precision, scores the frozen test split, and writes the weights with those scores.
Deterministic: the same pairs and model give the same file.

Run: ``.venv/bin/python scripts/fit_topic_judge.py [--pairs PATH] [--out PATH]``
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from rag import fit_topic_judge

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=ROOT / "tests" / "data" / "topic_pairs.json")
    parser.add_argument("--out", type=Path, default=ROOT / "rag" / "resources" / "topic_judge.json")
    args = parser.parse_args()
    weights = fit_topic_judge(args.pairs)
    args.out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(weights["test"], indent=1))


if __name__ == "__main__":
    main()
