"""Confidence of a statement, from how its speaker was found and its kind.

The numbers live in ``reporting.yaml`` (``confidence:``) and are calibrated on the gold
sets: within each band, the share of statements that are in the gold with the right
speaker should match the band (measure it with ``rag.evaluate.calibration``).
"""
from __future__ import annotations

from .lexicon import Lexicon

_DEFAULT = 0.5


def confidence(lexicon: Lexicon, how: str, kind: str) -> float:
    """A 0–1 score for a statement whose speaker was found by ``how`` and of ``kind``."""
    base = lexicon.confidence.get(how, _DEFAULT)
    factor = lexicon.confidence.get(f"kind_{kind}", 1.0)
    return round(min(1.0, max(0.0, base * factor)), 3)
