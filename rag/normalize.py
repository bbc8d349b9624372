"""Normalisation lives in ``rag.arabic``; this name is kept for code written against ``rag.normalize``."""
from .arabic import has_arabic, normalize, normalize_with_offsets, tokenize

__all__ = ["has_arabic", "normalize", "normalize_with_offsets", "tokenize"]
