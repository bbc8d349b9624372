"""Qawl: who said what in Arabic news — verbatim quotes with exact citations.

>>> from rag import Qawl, SEEDS_DIR
>>> qawl = Qawl()                      # the default index (see ``Settings``)
>>> qawl.ingest([SEEDS_DIR])   # the five seed articles shipped with Qawl
>>> qawl.search("حجم التبادل التجاري")
>>> from rag import ask
>>> ask("What did Wang Yi say about Ukraine?").text

Everything the command line (``rag/cli.py``), the window (``ui/``) and the benchmarks use is
exported here; the modules behind it may change.
"""
from .chunk import chunk_article
from .config import SEEDS_DIR, SETTINGS, EmbeddingBackend, Precision, Setting, Settings
from .embed import Embedder, load_embedder
from .errors import (
    IndexLocked, IndexUnavailable, LoadError, ModelNotAvailable, QawlError, QuestionError, SettingError,
)
from .eval_qa import build_index as build_eval_index
from .eval_qa import format_qa_table, load_questions, run_qa_eval
from .evaluate import format_table as format_attribution_table
from .evaluate import run_attribution_eval, shared_corpus_dir
from .export import QuoteRow, speaker_row, write_csv, write_json
from .ingest import quotes_in_files
from .load import count_items, iter_articles
from .models import ensure_default_model
from .arabic import normalize
from .qawl import IndexStats, Qawl
from .types import (
    Answer, Article, Chunk, Citation, IngestReport, Intent, Passage, Quote, QuoteKind, ReattributeReport, Speaker,
)

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
    # asking and indexing
    "ask",
    "Qawl",
    "IndexStats",
    "fit_topic_judge",
    "Answer",
    "Citation",
    "Passage",
    "IngestReport",
    "ReattributeReport",
    # the pipeline's stages and their data
    "iter_articles",
    "count_items",
    "chunk_article",
    "extract_quotes",
    "audit_article",
    "quotes_in_files",
    "normalize",
    "Article",
    "Chunk",
    "Quote",
    "QuoteKind",
    "Speaker",
    "Intent",
    # embedding
    "Embedder",
    "load_embedder",
    "ensure_default_model",
    # settings
    "SEEDS_DIR",
    "Settings",
    "Setting",
    "SETTINGS",
    "EmbeddingBackend",
    "Precision",
    # exports of quotes and speakers
    "QuoteRow",
    "speaker_row",
    "write_csv",
    "write_json",
    # measuring
    "run_attribution_eval",
    "format_attribution_table",
    "run_qa_eval",
    "format_qa_table",
    "load_questions",
    "build_eval_index",
    "shared_corpus_dir",
    # errors
    "QawlError",
    "SettingError",
    "IndexLocked",
    "IndexUnavailable",
    "LoadError",
    "ModelNotAvailable",
    "QuestionError",
]
