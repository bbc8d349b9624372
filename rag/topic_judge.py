"""Is this statement about the asked topic? A small calibrated model over weak signals.

Each (topic, statement) pair is described by a few features Qawl already computes — the e5
cosine between the topic (as a query) and the statement (as a passage), the share of the
topic's terms the statement's words cover (``rag.topic``: Arabic word forms, an English
topic's glossary and registry translations, names by sound), whether its numbers match, and
whether the topic is English (the embedding carries English topics onto Arabic statements
less far). A logistic regression turns them into a probability; the operating threshold is
the lowest at which held-out precision reaches ``TARGET_PRECISION`` on the dev pairs.

The weights are data (``resources/topic_judge.json``), fitted on the dev split of the
hand-labelled pairs in ``tests/data/topic_pairs.json`` by ``scripts/fit_topic_judge.py``
(deterministic); the test split of those pairs is only ever scored.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .arabic import has_arabic
from .errors import QawlError
from .knowledge import resource_path
from .speakers import SpeakerRegistry
from .topic import Topic, numbers_missing, parse_topic, terms_covered, weighted_coverages

WEIGHTS = resource_path("topic_judge.json")
FEATURES = ("dense", "dense_en", "coverage", "coverage_en", "weighted", "weighted_en", "any_term", "all_terms",
            "no_terms", "untranslated", "numbers_missing", "english")
TARGET_PRECISION = 0.95


def features(topic: Topic, text: str, similarity: float | None, weighted: float) -> np.ndarray:
    """The judge's features of one statement ``text`` for ``topic`` (in ``FEATURES`` order).
    ``weighted`` is its coverage with terms weighted by rarity among the statements it is
    judged with (``rag.topic.weighted_coverages``): «الصين» says little among a speaker's
    statements that all name China."""
    english = float(not has_arabic(topic.text))
    hits = terms_covered(topic, text)
    missing = numbers_missing(topic, text)
    share = 0.0 if missing or not hits else sum(hits) / len(hits)
    dense = similarity if similarity is not None else 0.0
    words = len(topic.terms) + len(topic.untranslated)
    return np.array([
        dense, dense * english, share, share * english, weighted, weighted * english, float(any(hits)),
        float(bool(hits) and all(hits)), float(not topic.terms), len(topic.untranslated) / words if words else 0.0,
        float(missing), english,
    ], dtype=np.float64)


def rows(topic: Topic, texts: list[str], similarities: list[float | None]) -> np.ndarray:
    """Feature rows of statements judged together (one speaker's, for one topic)."""
    weighted, _ = weighted_coverages(topic, texts, among=max(len(texts), 5))
    return np.stack([features(topic, t, s, w) for t, s, w in zip(texts, similarities, weighted)])


@dataclass(frozen=True)
class TopicJudge:
    """A fitted judge: standardisation, logistic weights and the operating threshold."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold_ar: float  # operating thresholds by topic language: the embedding carries
    threshold_en: float  # English topics onto Arabic statements less far

    @classmethod
    def from_dict(cls, data: dict, *, source: str = "topic judge") -> TopicJudge:
        if tuple(data.get("features", ())) != FEATURES:
            raise QawlError(f"{source}: its features {data.get('features')} are not {list(FEATURES)}; "
                            f"refit it with scripts/fit_topic_judge.py")
        try:
            arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "coef")]
            judge = cls(*arrays, float(data["intercept"]), float(data["thresholds"]["ar"]),
                        float(data["thresholds"]["en"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise QawlError(f"{source}: {exc!r}; refit it with scripts/fit_topic_judge.py") from exc
        if any(a.shape != (len(FEATURES),) for a in arrays) or not (0 < judge.threshold_ar < 1 and 0 < judge.threshold_en < 1):
            raise QawlError(f"{source}: malformed weights; refit it with scripts/fit_topic_judge.py")
        return judge

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """The probability that each row's statement is on the topic."""
        z = ((np.atleast_2d(rows) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def thresholds(self, rows: np.ndarray) -> np.ndarray:
        english = np.atleast_2d(rows)[:, FEATURES.index("english")] > 0.5
        return np.where(english, self.threshold_en, self.threshold_ar)

    def on_topic(self, rows: np.ndarray) -> np.ndarray:
        return self.probability(rows) >= self.thresholds(rows)


@lru_cache(maxsize=1)
def default_judge() -> TopicJudge:
    """The judge shipped in ``resources/topic_judge.json``."""
    return TopicJudge.from_dict(json.loads(WEIGHTS.read_text(encoding="utf-8")), source=str(WEIGHTS))


# --- fitting (scikit-learn, only when refitting) --------------------------------------------


def pair_features(pairs: list[dict], registry: SpeakerRegistry,
                  embed_queries: Callable[[list[str]], np.ndarray],
                  embed_passages: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """Feature rows for labelled pairs (``topic``, ``statement``), embeddings included. A pair's
    statement is judged together with the other statements of its speaker and of its article
    in the pairs (as an answer judges a speaker's statements together)."""
    topics = sorted({p["topic"] for p in pairs})
    texts = sorted({p["statement"] for p in pairs})
    q = dict(zip(topics, embed_queries(topics)))
    d = dict(zip(texts, embed_passages(texts)))
    parsed = {t: parse_topic(t, registry) for t in topics}
    out = []
    for p in pairs:
        together = sorted({o["statement"] for o in pairs if o["statement"] != p["statement"] and (
            o["speaker"] == p["speaker"] or (o["zip"], o["index"]) == (p["zip"], p["index"]))})
        texts_ = [p["statement"], *together]
        block = rows(parsed[p["topic"]], texts_, [float(q[p["topic"]] @ d[t]) for t in texts_])
        out.append(block[0])
    return np.stack(out)


def fit_pairs(pairs_path: Path, embedder, registry: SpeakerRegistry | None = None, *,
              precision: float = TARGET_PRECISION) -> dict:
    """Fit on the dev pairs of a pairs file and score on its test pairs: the weights file's content."""
    registry = registry or SpeakerRegistry.default()
    pairs = json.loads(Path(pairs_path).read_text(encoding="utf-8"))["pairs"]
    x = pair_features(pairs, registry, embedder.embed_queries, embedder.embed_passages)
    y = np.array([int(p["label"]) for p in pairs])
    dev = np.array([p["split"] == "dev" for p in pairs])
    english = np.array([p["topic_lang"] == "en" for p in pairs])
    weights = fit(x[dev], y[dev], [f"{p['zip']}#{p['index']}" for p, d in zip(pairs, dev) if d], precision=precision)
    judge = TopicJudge.from_dict(weights)
    test = ~dev
    weights["fitted_on"] = {"pairs": str(pairs_path.name), "dev_pairs": int(dev.sum()), "test_pairs": int(test.sum())}
    chosen = judge.on_topic(x[test])
    weights["test"] = {
        "judge": scores(judge.probability(x[test]), y[test], chosen),
        "judge_en": scores(judge.probability(x[test & english]), y[test & english], chosen[english[test]]),
        "judge_ar": scores(judge.probability(x[test & ~english]), y[test & ~english], chosen[~english[test]]),
        # how far the embedding alone carries a topic onto statements, per topic language
        "dense_auc_en": round(_auc(x[test & english, 0], y[test & english]), 4),
        "dense_auc_ar": round(_auc(x[test & ~english, 0], y[test & ~english]), 4),
    }
    return weights


def fit(x: np.ndarray, y: np.ndarray, groups: Iterable, *, precision: float = TARGET_PRECISION) -> dict:
    """Fit the judge on (x, y); the threshold from held-out predictions (5 folds by article)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    held_out = cross_val_predict(model, x, y, groups=list(groups), cv=GroupKFold(5), method="predict_proba")[:, 1]
    english = x[:, FEATURES.index("english")] > 0.5
    thresholds = {"ar": operating_threshold(held_out[~english], y[~english], precision),
                  "en": operating_threshold(held_out[english], y[english], precision)}
    model.fit(x, y)
    scaler, logistic = model[0], model[1]
    return {"features": list(FEATURES), "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
            "coef": logistic.coef_[0].tolist(), "intercept": float(logistic.intercept_[0]),
            "thresholds": thresholds}


def operating_threshold(probabilities: np.ndarray, labels: np.ndarray, precision: float) -> float:
    """The lowest threshold at which the share of true pairs among those above it reaches
    ``precision`` (most recall at that precision)."""
    order = np.argsort(-probabilities)
    hits = np.cumsum(labels[order])
    shown = np.arange(1, len(order) + 1)
    ok = np.nonzero(hits / shown >= precision)[0]
    if not len(ok):
        return 0.99
    return round(float(probabilities[order][ok[-1]]), 4)


def scores(probabilities: np.ndarray, labels: np.ndarray, chosen: np.ndarray) -> dict:
    """Precision and recall of the pairs ``chosen`` as on topic; calibration (Brier) and AUC."""
    tp = int((chosen & (labels == 1)).sum())
    return {"pairs": int(len(labels)), "precision": round(tp / max(int(chosen.sum()), 1), 4),
            "recall": round(tp / max(int(labels.sum()), 1), 4),
            "brier": round(float(np.mean((probabilities - labels) ** 2)), 4),
            "auc": round(_auc(probabilities, labels), 4)}


def _auc(p: np.ndarray, y: np.ndarray) -> float:
    pos, neg = p[y == 1], p[y == 0]
    if not len(pos) or not len(neg):
        return math.nan
    ranks = np.argsort(np.argsort(np.concatenate([pos, neg]))) + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))
