"""Qawl: who said what in Arabic news — verbatim quotes with exact citations.

>>> from rag import Qawl
>>> qawl = Qawl()                      # the default index in ./index
>>> qawl.ingest(["seeds/"])
>>> qawl.search("حجم التبادل التجاري")
>>> from rag import ask
>>> ask("What did Wang Yi say about Ukraine?").text
"""
from .config import Settings
from .embed import load_embedder
from .errors import IndexLocked, IndexUnavailable, LoadError, ModelNotAvailable, QawlError, QuestionError
from .qawl import IndexStats, Qawl
from .types import Answer, Article, Chunk, Citation, IngestReport, Passage, Quote, Speaker

_default: Qawl | None = None


def ask(question: str, **options) -> Answer:
    """Answer ``question`` from the default index (``QAWL_*`` settings), building it from the
    seed articles on first use. Options are those of ``Qawl.ask``."""
    global _default
    if _default is None:
        _default = Qawl()
        _default.ensure_seeded()
    return _default.ask(question, **options)


def fit_topic_judge(pairs_path, settings: Settings | None = None) -> dict:
    """Fit the topic judge on the dev split of labelled (topic, statement, on-topic?) pairs and
    score it on their test split; returns what ``resources/topic_judge.json`` holds (needs
    scikit-learn). See ``rag.topic_judge``."""
    from pathlib import Path

    from .topic_judge import fit_pairs

    return fit_pairs(Path(pairs_path), load_embedder(settings or Settings.from_env()))


def extract_quotes(text: str, **options) -> list[Quote]:
    """Every attributed statement in an article's text; see ``rag.attribute.extract_quotes``."""
    from .attribute import extract_quotes as extract

    return extract(text, **options)

def audit_article(text: str, **options):
    """The coverage audit of one article: its statements, the sentences holding a reporting cue
    that yield none (with their pattern), and statements whose speaker is a bare noun, an
    unresolved description or a pronoun; see ``rag.attribute.audit``."""
    from .attribute.audit import audit_article as audit

    return audit(text, **options)


__all__ = [
    "ask",
    "audit_article",
    "extract_quotes",
    "fit_topic_judge",
    "load_embedder",
    "Answer",
    "Article",
    "Chunk",
    "Citation",
    "IndexLocked",
    "IndexStats",
    "IndexUnavailable",
    "IngestReport",
    "LoadError",
    "ModelNotAvailable",
    "Passage",
    "Qawl",
    "QawlError",
    "QuestionError",
    "Quote",
    "Settings",
    "Speaker",
]
