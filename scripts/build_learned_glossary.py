"""Build ``rag/resources/glossary_learned.tsv``: English words → Arabic words, learned from the
embedding model itself (the hand glossary ``glossary.yaml`` stays first and wins).

Each of the commonest English words and the commonest Arabic words (frequency lists of the
``wordfreq`` package) is embedded alone with Qawl's multilingual e5 model; an English word
gets the Arabic words nearest to it when the nearest is close enough (``MIN_SIMILARITY``) and
the others are within ``MARGIN`` of it — «violence» → «عنف العنف», but no entry for a word
whose neighbours are loose (the model does not know it well enough to translate it).
Deterministic for a given model and word lists.

Run: ``.venv/bin/python scripts/build_learned_glossary.py`` (needs ``pip install wordfreq``).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from rag import Settings, load_embedder

OUT = Path(__file__).resolve().parents[1] / "rag" / "resources" / "glossary_learned.tsv"
ENGLISH_WORDS = 25_000
ARABIC_WORDS = 40_000
MIN_SIMILARITY = 0.895
MARGIN = 0.015
MOST = 4


def main() -> None:
    import wordfreq

    english = [w for w in wordfreq.top_n_list("en", ENGLISH_WORDS * 2) if re.fullmatch(r"[a-z]{3,}", w)][:ENGLISH_WORDS]
    arabic = list(dict.fromkeys(w for w in wordfreq.top_n_list("ar", ARABIC_WORDS * 2)
                                if re.fullmatch(r"[\u0621-\u064A]{3,}", w)))[:ARABIC_WORDS]
    embedder = load_embedder(Settings.from_env())
    a = embedder.embed_queries(arabic)
    lines = [f"# English word\tArabic words nearest to it (scripts/build_learned_glossary.py; e5, "
             f"similarity >= {MIN_SIMILARITY}, within {MARGIN} of the nearest)"]
    for start in range(0, len(english), 1000):
        words = english[start:start + 1000]
        sims = embedder.embed_queries(words) @ a.T
        for word, row in zip(words, sims):
            order = np.argsort(-row)[:MOST]
            best = row[order[0]]
            if best >= MIN_SIMILARITY:
                chosen = [arabic[i] for i in order if row[i] >= best - MARGIN]
                lines.append(f"{word}\t{' '.join(chosen)}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} English words → Arabic, written to {OUT}")


if __name__ == "__main__":
    main()
