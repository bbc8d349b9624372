"""Measured quality of quote attribution against hand-checked gold sets.

A predicted statement matches a gold one when it covers at least half of the gold
excerpt's tokens (the excerpt is located in the article: exact substring, else the same
normalised word sequence). Matching is one-to-one, best overlap first. Speakers are
compared by identity (``SpeakerRegistry.lookup`` of the gold's English names; a group
gold matches a group speaker with the same members), never by string.

Two gold formats are read (``load_gold_set``):
- the seeds list (``seeds_attributions.json``): one dict per statement with ``file``;
- the SaudiNewsNet sets (``saudinewsnet_*.json``, each with a ``split``: the frozen ``test``
  split, annotated by reading only and never tuned on, and ``dev``): ``articles`` with ``zip``/``index``
  and their ``statements``; articles without speech count too (every prediction there is
  a false positive). ``optional`` statements are neither required nor penalised, and
  ``title_statements`` (about the separate title field, not the text) are not scored.

Neutral predictions — neither true nor false positives — are those that match an optional
gold statement or another occurrence of a statement the article repeats (a headline
bullet repeated in the body).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rag.attribute.article import article_quotes
from rag.config import PROJECT_ROOT, SEEDS_DIR, package_data
from rag.arabic import WORD_AS_WRITTEN as _WORD
from rag.arabic import normalize, tokenize
from rag.speakers import SpeakerRegistry
from rag.types import Quote

GOLD_DIR = package_data("gold")  # every saudinewsnet_*.json there is read, by its "split"
SEEDS_GOLD = GOLD_DIR / "seeds_attributions.json"
SPLITS = ("test", "dev")  # a file's top-level "split"; files without one are dev


def corpus_gold_files(split: str) -> list[Path]:
    """The SaudiNewsNet gold files of one split (``saudinewsnet_*.json`` with that ``split``)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose from {', '.join(SPLITS)}")
    return [path for path in sorted(GOLD_DIR.glob("saudinewsnet_*.json"))
            if json.loads(path.read_text(encoding="utf-8")).get("split", "dev") == split]


def gold_sets() -> dict[str, list[Path]]:
    """Gold set name → its files: the seeds, and SaudiNewsNet per split (the test split is the
    frozen one: annotated by reading only, never tuned on)."""
    return {"seeds": [SEEDS_GOLD], **{f"saudinewsnet_{split}": corpus_gold_files(split) for split in SPLITS}}
_BANDS = (0.0, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0001)
_MIN_COVERAGE = 0.5
_GOVERNMENT = " (government)"


@dataclass
class AttributionScores:
    """Statement precision/recall/F1 and speaker accuracy on matched statements, for one set."""

    name: str
    gold: int = 0
    predicted: int = 0  # neutral predictions excluded
    matched: int = 0
    speaker_correct: int = 0
    missed: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)
    wrong_speaker: list[dict] = field(default_factory=list)
    scored: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, correct) per prediction

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_correct / self.matched if self.matched else 1.0

    def to_dict(self) -> dict:
        """The headline numbers, JSON-ready (for ``qawl eval attribution --json``)."""
        return {"set": self.name, "gold": self.gold, "predicted": self.predicted, "matched": self.matched,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "speaker_accuracy": round(self.speaker_accuracy, 4)}


@dataclass
class GoldSet:
    """A gold set flattened: statements (each with ``file`` = its article key), texts, dates."""

    name: str
    statements: list[dict]
    articles: dict[str, str]
    dates: dict[str, dt.date]


# --- loading -----------------------------------------------------------------------------


def load_gold_set(path: str | Path, *, seeds_dir: Path | None = None, corpus_dir: Path | None = None) -> GoldSet:
    """Read a gold file in either format (see the module docstring) with its article texts."""
    path = Path(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    name = path.stem.removesuffix("_attributions")
    if isinstance(raw, list):
        return _seeds_set(name, raw, seeds_dir or SEEDS_DIR)
    return _corpus_set(name, raw, corpus_dir or shared_corpus_dir())


def load_gold_files(paths: list[Path], name: str) -> GoldSet:
    """Several gold files of one format read as one set."""
    sets = [load_gold_set(path) for path in paths]
    return GoldSet(name, [st for g in sets for st in g.statements], {k: v for g in sets for k, v in g.articles.items()},
                   {k: v for g in sets for k, v in g.dates.items()})


def shared_corpus_dir() -> Path:
    """Where the SaudiNewsNet zips are: ``$QAWL_SHARED/corpora/saudinewsnet`` (default ../shared)."""
    shared = Path(os.environ.get("QAWL_SHARED", PROJECT_ROOT.parent / "shared"))
    return shared / "corpora" / "saudinewsnet"


def _seeds_set(name: str, statements: list[dict], seeds_dir: Path) -> GoldSet:
    files = sorted({s["file"] for s in statements} | {p.name for p in seeds_dir.glob("*.txt")})
    articles = {f: (seeds_dir / f).read_text(encoding="utf-8") for f in files}
    return GoldSet(name, list(statements), articles, {})


def _corpus_set(name: str, raw: dict, corpus_dir: Path) -> GoldSet:
    statements, articles, dates = [], {}, {}
    for art in raw["articles"]:
        key = f"{art['zip']}#{art['index']}"
        row = _zip_rows(str(corpus_dir / art["zip"]))[art["index"]]
        articles[key] = row["content"]
        dates[key] = dt.date.fromisoformat(art["date"]) if art.get("date") else None
        for st in art["statements"]:
            statements.append({**st, "file": key, "article_url": art["url"], "zip": art["zip"]})
    return GoldSet(name, statements, articles, dates)


@lru_cache(maxsize=8)
def _zip_rows(path: str) -> list[dict]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(archive.namelist()[0]))


# --- scoring ------------------------------------------------------------------------------


def evaluate_attribution(gold: list[dict], articles: dict[str, str], dates: dict[str, dt.date] | None = None, *,
                         name: str = "gold", registry: SpeakerRegistry | None = None,
                         extract: Callable[..., list[Quote]] = article_quotes) -> AttributionScores:
    """Score ``extract`` on every article of ``articles`` (key → text) against ``gold``
    statements (each names its article in ``file``); ``dates`` resolve titles."""
    registry = registry or SpeakerRegistry.default()
    dates = dates or {}
    scores = AttributionScores(name)
    by_article: dict[str, list[dict]] = {key: [] for key in articles}
    for st in gold:
        by_article.setdefault(st["file"], []).append(st)
    for key, statements in by_article.items():
        text = articles.get(key, "")
        quotes = extract(text, date=dates.get(key), registry=registry) if text else []
        _add(scores, key, _match_article(text, statements, quotes, registry))
    return scores


def _add(scores: AttributionScores, key: str, outcome: _Outcome) -> None:
    scores.gold += outcome.required
    scores.predicted += len(outcome.counted)
    scores.matched += len(outcome.matches)
    scores.speaker_correct += sum(1 for m in outcome.matches if m.speaker_ok)
    scores.missed += [{"file": key, **g} for g in outcome.missed]
    scores.false_positives += [{"file": key, **_quote_dict(q)} for q in outcome.false_positives]
    scores.wrong_speaker += [{"file": key, "gold": m.gold["speaker"], **_quote_dict(m.quote)}
                             for m in outcome.matches if not m.speaker_ok]
    correct = {id(m.quote): m.speaker_ok for m in outcome.matches}
    scores.scored += [(q.confidence, correct.get(id(q), False)) for q in outcome.counted]


def _quote_dict(q: Quote) -> dict:
    return {"speaker": q.speaker.name_en, "speaker_ar": q.speaker.name_ar, "text": q.text, "kind": q.kind,
            "cue": q.cue, "start": q.start, "confidence": q.confidence}


# --- matching one article ------------------------------------------------------------------


@dataclass
class _Match:
    gold: dict
    quote: Quote
    speaker_ok: bool


@dataclass
class _Outcome:
    required: int
    matches: list[_Match]
    missed: list[dict]
    false_positives: list[Quote]
    counted: list[Quote]  # predictions that are true or false positives (not neutral)


def _match_article(text: str, statements: list[dict], quotes: list[Quote], registry) -> _Outcome:
    located = [(st, *_locate(text, st)) for st in statements]
    required = [(st, primary) for st, primary, _ in located if not st.get("optional")]
    pairs = sorted(((cov, qi, gi) for qi, q in enumerate(quotes) for gi, (_, primary) in enumerate(required)
                    for cov in [max((_coverage(q, occ) for occ in primary), default=0.0)] if cov >= _MIN_COVERAGE),
                   key=lambda p: (-p[0], p[1], p[2]))
    used_q, used_g, matches = set(), set(), []
    for _, qi, gi in pairs:
        if qi not in used_q and gi not in used_g:
            used_q.add(qi), used_g.add(gi)
            st = required[gi][0]
            matches.append(_Match(st, quotes[qi], _speaker_ok(st, quotes[qi].speaker, registry)))
    taken = [occ for m in matches for occ in _located_for(m.gold, located) if _coverage(m.quote, occ) >= _MIN_COVERAGE]
    neutral = [occ for _, _, occurrences in located for occ in occurrences if occ not in taken]
    rest = [q for i, q in enumerate(quotes) if i not in used_q]
    false_positives = [q for q in rest if not any(_coverage(q, occ) >= _MIN_COVERAGE for occ in neutral)]
    counted = [m.quote for m in matches] + false_positives
    missed = [st for gi, (st, _) in enumerate(required) if gi not in used_g]
    return _Outcome(len(required), matches, missed, false_positives, sorted(counted, key=lambda q: q.start))


def _located_for(st: dict, located: list) -> list:
    return next(occurrences for gold, _, occurrences in located if gold is st)


def _locate(text: str, st: dict) -> tuple[list[list[tuple[int, int]]], list[list[tuple[int, int]]]]:
    """Where a gold excerpt is: (its occurrence(s) to match, every occurrence), each as the
    token spans it covers. Exact substring first, else the same normalised word sequence."""
    spans = _exact_spans(text, st["quote"]) or _normalised_spans(text, st["quote"])
    occurrences = [[(m.start() + s, m.end() + s) for m in _WORD.finditer(text[s:e])] for s, e in spans]
    nth = st.get("occurrence")
    primary = occurrences[nth - 1:nth] if nth and nth <= len(occurrences) else occurrences
    return primary, occurrences


def _exact_spans(text: str, excerpt: str) -> list[tuple[int, int]]:
    spans, pos = [], text.find(excerpt) if excerpt else -1
    while pos >= 0:
        spans.append((pos, pos + len(excerpt)))
        pos = text.find(excerpt, pos + 1)
    return spans


def _normalised_spans(text: str, excerpt: str) -> list[tuple[int, int]]:
    words = [(m.start(), m.end(), normalize(m.group())) for m in _WORD.finditer(text)]
    wanted = [normalize(w) for w in _WORD.findall(excerpt)]
    n = len(wanted)
    if not n:
        return []
    return [(words[i][0], words[i + n - 1][1]) for i in range(len(words) - n + 1)
            if [w[2] for w in words[i:i + n]] == wanted]


def _coverage(quote: Quote, tokens: list[tuple[int, int]]) -> float:
    if not tokens:
        return 0.0
    return sum(1 for s, e in tokens if quote.start <= s and e <= quote.end) / len(tokens)


def _speaker_ok(st: dict, speaker, registry) -> bool:
    """Same identity: the gold names resolve to the predicted speaker (a group: its members)."""
    predicted = {m.id for m in speaker.members} if speaker.members else {speaker.id}
    expected = {_gold_identity(name, registry) for name in st["speakers"]}
    if None not in expected:
        return expected == predicted
    # a speaker not in the registry («unnamed officials»): compare the Arabic names
    shared = set(tokenize(st.get("speaker_ar", ""))) & set(tokenize(speaker.name_ar))
    return registry.get(speaker.id) is None and bool(shared)


def _gold_identity(name: str, registry) -> str | None:
    """The registry id a gold name spells, only when the whole name is a registry name
    («Khamenei supporters (crowd)» is not Khamenei)."""
    bare = name.removesuffix(_GOVERNMENT).strip()
    mentions = registry.find_mentions(bare)
    if len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(bare):
        return mentions[0].speaker.id
    return None


def run_attribution_eval(sets: list[str] | None = None) -> dict[str, AttributionScores]:
    """Score the extractor on the named gold sets (default: all present, the frozen test split
    first); sets whose files or corpus are missing are skipped."""
    available = gold_sets()
    results = {}
    for name in sets or ["saudinewsnet_test", "saudinewsnet_dev", "seeds"]:
        paths = available.get(name)
        if paths is None:
            raise ValueError(f"unknown gold set {name!r}; choose from {', '.join(available)}")
        paths = [p for p in paths if p.exists()]
        if not paths:
            continue
        try:
            gold = load_gold_files(paths, name)
        except FileNotFoundError:
            continue  # the SaudiNewsNet corpus is not on this machine
        results[name] = evaluate_attribution(gold.statements, gold.articles, gold.dates, name=name)
    return results


def calibration(scores: Iterable[AttributionScores]) -> list[dict]:
    """Accuracy by confidence band: the share of predictions that are right (in the gold,
    with the right speaker) among those whose confidence falls in the band."""
    pairs = [p for s in scores for p in s.scored]
    bands = []
    for low, high in zip(_BANDS, _BANDS[1:]):
        inside = [ok for conf, ok in pairs if low <= conf < high]
        if inside:
            mean = sum(conf for conf, _ in pairs if low <= conf < high) / len(inside)
            bands.append({"band": f"{low:.2f}–{min(high, 1):.2f}", "n": len(inside),
                          "mean_confidence": round(mean, 3), "accuracy": round(sum(inside) / len(inside), 3)})
    return bands


def format_table(scores: dict[str, AttributionScores] | Iterable[AttributionScores]) -> str:
    """A plain-text table of the scores, one row per set."""
    rows = list(scores.values()) if isinstance(scores, dict) else list(scores)
    header = f"{'set':<18} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6} {'spk acc':>8}"
    lines = [header, "-" * len(header)]
    for s in rows:
        lines.append(f"{s.name:<18} {s.gold:>5} {s.predicted:>5} {s.matched:>5} {s.precision:>6.3f} "
                     f"{s.recall:>6.3f} {s.f1:>6.3f} {s.speaker_accuracy:>8.3f}")
    return "\n".join(lines)
