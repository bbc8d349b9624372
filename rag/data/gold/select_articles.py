"""Draw the SaudiNewsNet articles to annotate for the attribution gold (reproducible).

Stratified random draw over the three annotation days (2015-07-25, 2015-07-26, 2015-08-02):
for each (day, outlet) the articles of 600 to 5,000 characters holding at least two
reporting-cue words, minus those already annotated; a fixed seed picks the same articles on
every run. The draw is split between the frozen test split and the dev split before anybody
reads an article, so nothing about the system's behaviour can steer which article lands where.

Run: ``python rag/data/gold/select_articles.py`` (standard library only) prints the draw as
JSON: ``{"test": [[zip, index], ...], "dev": [...]}``, recorded in ``draw.json``;
``--check`` exits non-zero unless ``draw.json`` is exactly that draw.
"""

from __future__ import annotations

import json
import random
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2].parent / "shared" / "corpora" / "saudinewsnet"
DAYS = ("2015-07-25.zip", "2015-07-26.zip", "2015-08-02.zip")
DRAW = HERE / "draw.json"  # the recorded draw; --check verifies it is what this script draws
SEED = 20261202
PER_OUTLET_DAY = 3  # 3 days x ~10 outlets x 3 = ~90 drawn
TEST_SHARE = 0.5
CUE = re.compile(
    r"(?:^|\s)و?(?:قال|قالت|أكد|أكدت|أوضح|أوضحت|أشار|أشارت|ذكر|ذكرت|أعلن|أعلنت|صرح|صرحت|"
    r"أضاف|أضافت|حذر|حذرت|دعا|دعت|طالب|طالبت|نفى|نفت|اعتبر|اعتبرت|لفت|لفتت|بين|بينت|شدد|شددت)\s"
)


def annotated_before_draw() -> set[tuple[str, int]]:
    """Articles annotated before the draw: every gold article that the recorded draw did not pick."""
    done = set()
    for path in HERE.glob("saudinewsnet_*.json"):
        for art in json.loads(path.read_text(encoding="utf-8"))["articles"]:
            done.add((art["zip"], art["index"]))
    if DRAW.exists():
        recorded = json.loads(DRAW.read_text(encoding="utf-8"))
        done -= {tuple(pair) for split in recorded.values() for pair in split}
    return done


def draw(exclude: set[tuple[str, int]]) -> dict[str, list[list]]:
    rng = random.Random(SEED)
    picked: list[list] = []
    for day in DAYS:
        with zipfile.ZipFile(CORPUS / day) as zf:
            rows = json.loads(zf.read(zf.namelist()[0]))
        by_outlet: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            text = row.get("content") or ""
            if (day, i) in exclude or not 600 <= len(text) <= 5000 or len(CUE.findall(text)) < 2:
                continue
            by_outlet.setdefault(row["source"], []).append(i)
        for outlet in sorted(by_outlet):
            for i in rng.sample(by_outlet[outlet], min(PER_OUTLET_DAY, len(by_outlet[outlet]))):
                picked.append([day, i])
    rng.shuffle(picked)
    cut = round(len(picked) * TEST_SHARE)
    return {"test": sorted(picked[:cut]), "dev": sorted(picked[cut:])}


if __name__ == "__main__":
    drawn = draw(annotated_before_draw())
    if "--check" in sys.argv:
        sys.exit(0 if drawn == json.loads(DRAW.read_text(encoding="utf-8")) else "draw.json differs")
    json.dump(drawn, sys.stdout, indent=1)
    print()
