"""A sentence-transformers model run by OpenVINO: exported once from the local folder, offline.

On this project's 2-core CPU OpenVINO embeds passages about twice as fast as PyTorch under
bfloat16 autocast (12,400 against 6,400 tokens/s on SaudiNewsNet chunks and quotes, cosine
0.99998 to float32; ``benchmarks/embedding_backends.py``), and a serving process needs no
torch at all. The whole sentence-transformers pipeline (transformer, pooling, normalisation)
is traced into one graph, so any model whose modules trace gets its own pooling; tokenization
is the folder's own ``tokenizer.json``, run by ``tokenizers`` (questions, of a Unigram
tokenizer, by ``rag.models.unigram``: the same ids in a fraction of the memory).
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..errors import ModelNotAvailable, first_line
from .build import build_once
from .unigram import query_tokenizer

GRAPH_FILE = "openvino_model.xml"
OUTPUT = "sentence_embedding"
# Texts per inference: 16 beat 32 and 64 on 2 cores (less padding, the same kernels).
BATCH_SIZE = 16
_PRECISION_HINTS = {"float32": "f32", "bfloat16": "bf16"}
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")

log = logging.getLogger(__name__)


def openvino_model(model_folder: Path, home: Path) -> Path:
    """The OpenVINO export of the sentence-transformers model in ``model_folder``, built once
    into ``home/openvino`` (needs torch, only that once); a changed model gets a new export."""
    return build_once(
        Path(home) / "openvino" / _fingerprint(model_folder),
        lambda out_dir: export(model_folder, out_dir),
        f"Exporting the embedding model {model_folder.name} to OpenVINO (one time, ~20 s)…",
    )


def export(model_folder: Path, out_dir: Path) -> Path:
    """Trace the folder's sentence-transformers pipeline into ``out_dir/openvino_model.xml``."""
    import openvino as ov
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    try:
        model = SentenceTransformer(str(model_folder), device="cpu", local_files_only=True)
    except (OSError, ValueError) as error:
        raise ModelNotAvailable(f"{model_folder} holds no loadable sentence-transformers model ({first_line(error)}).") from error

    class Pipeline(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model({"input_ids": input_ids, "attention_mask": attention_mask})[OUTPUT]

    example = torch.ones((2, 8), dtype=torch.long)
    try:
        # the tracer's notes are on shapes that are the same for every input of an encoder
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            graph = ov.convert_model(Pipeline().eval(), example_input={"input_ids": example, "attention_mask": example})
    except Exception as error:  # the converter raises many kinds; all mean "this model does not trace"
        raise ModelNotAvailable(
            f"The embedding model in {model_folder} cannot be exported to OpenVINO ({first_line(error)}); "
            f"set QAWL_EMBEDDING_BACKEND=torch."
        ) from error
    graph.outputs[0].get_tensor().set_names({OUTPUT})
    out_dir.mkdir(parents=True)
    # Weights stored in float16 (OpenVINO's default): a serving process then holds the 250k-token
    # embedding table in 0.19 GB rather than 0.38 GB, and vectors stay at cosine 0.99999 to float32.
    ov.save_model(graph, str(out_dir / GRAPH_FILE), compress_to_fp16=True)
    (out_dir / "source.json").write_text(json.dumps({"model": str(model_folder)}) + "\n", encoding="utf-8")
    return out_dir


def native_bfloat16() -> bool:
    """Whether OpenVINO computes bfloat16 natively on this CPU (AVX512-BF16 or AMX)."""
    import openvino as ov

    return "BF16" in ov.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")


class OpenVINOEncoder:
    """Texts -> vectors with an exported graph: tokenized with the model's own tokenizer, sorted
    by length into batches. Passages run on ``passage_threads`` threads, questions on one; each
    thread count gets its own compiled model (compiled on first use, so a serving process holds
    only the questions' one). Each batch gets an inference request of its own from a pool kept
    per calling thread (a request is not safe to share, and the app answers questions in parallel).
    Questions are tokenized by ``rag.models.unigram`` where the model's tokenizer is a plain
    Unigram one (the same ids in a tenth of the memory); ``tokenizers`` itself is loaded on the
    first passages, which a serving process never embeds."""

    def __init__(self, graph_folder: Path, model_folder: Path, precision: str, passage_threads: int):
        import openvino as ov

        self._core = ov.Core()
        self._graph_file = str(graph_folder / GRAPH_FILE)
        self._cache_dir = str(graph_folder / "compiled")
        self._hint = _PRECISION_HINTS[precision]
        self._compiled: dict[int, object] = {}
        self._compiling = threading.Lock()
        self._idle = threading.local()  # per thread: thread count -> idle inference requests
        self._model_folder = model_folder
        self._passage_tokenizer = None
        self._loading = threading.Lock()
        self._query_tokenizer = query_tokenizer(model_folder, _max_length(model_folder), _splits_special_tokens(model_folder))
        self.pad_id = _pad_id(model_folder)
        self.dim = self._compiled_for(1).outputs[0].get_partial_shape()[1].get_length()
        self._passage_threads = passage_threads

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if self._query_tokenizer is None:
            return self._start(self._passage_ids(texts), threads=1)()
        return self._start(self._query_tokenizer.encode_batch(texts), threads=1)()

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self.start_passages(texts)()

    def start_passages(self, texts: list[str]) -> Callable[[], np.ndarray]:
        """Queue every batch of ``texts``; the function returned waits for their vectors.
        OpenVINO runs the queue in its own threads without the GIL, so the caller's Python (an
        ingest writing the previous batch to Chroma) runs meanwhile."""
        return self._start(self._passage_ids(texts), threads=self._passage_threads)

    def _passage_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids by the model's own ``tokenizers`` tokenizer (fast on many texts), loaded on first use."""
        with self._loading:
            if self._passage_tokenizer is None:
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(self._model_folder / "tokenizer.json"))
                tokenizer.no_padding()
                tokenizer.enable_truncation(_max_length(self._model_folder))
                # "<s>" typed in an article is text, as sentence-transformers tokenizes it for this model
                tokenizer.encode_special_tokens = _splits_special_tokens(self._model_folder)
                self._passage_tokenizer = tokenizer
        return [encoding.ids for encoding in self._passage_tokenizer.encode_batch(texts, add_special_tokens=True)]

    def _start(self, token_ids: list[list[int]], *, threads: int) -> Callable[[], np.ndarray]:
        order = np.argsort([-len(ids) for ids in token_ids], kind="stable")
        idle = self._idle.__dict__.setdefault(threads, [])
        queued = []
        for lo in range(0, len(token_ids), BATCH_SIZE):
            rows = order[lo : lo + BATCH_SIZE]
            # kept for reuse: a request's first inference costs ~30 ms more than its later ones
            request = idle.pop() if idle else self._compiled_for(threads).create_infer_request()
            ids, mask = _padded([token_ids[i] for i in rows], self.pad_id)
            request.start_async({"input_ids": ids, "attention_mask": mask})
            queued.append((rows, request))

        def vectors() -> np.ndarray:
            out = np.zeros((len(token_ids), self.dim), dtype=np.float32)
            for rows, request in queued:
                request.wait()
                out[rows] = request.get_tensor(OUTPUT).data
                idle.append(request)
            queued.clear()
            return out

        return vectors

    def _compiled_for(self, threads: int):
        with self._compiling:
            if threads not in self._compiled:
                # compiled from the file each time: a model read and kept would hold a second copy
                # of the weights beside the compiled ones
                config = {
                    "INFERENCE_PRECISION_HINT": self._hint,
                    "INFERENCE_NUM_THREADS": threads,
                    "PERFORMANCE_HINT": "LATENCY",  # one stream: queued requests run one after another
                }
                # OpenVINO's own cache of compiled models, beside the export: a new process imports
                # it in 0.4 s instead of compiling for 1.4 s (a cold `qawl ask`), and maps it
                try:
                    self._compiled[threads] = self._core.compile_model(
                        self._graph_file, "CPU", {**config, "CACHE_DIR": self._cache_dir})
                except RuntimeError as error:  # an unwritable or damaged cache: compile as before
                    log.warning("OpenVINO's compiled-model cache in %s is not usable (%s)", self._cache_dir, first_line(error))
                    self._compiled[threads] = self._core.compile_model(self._graph_file, "CPU", config)
            return self._compiled[threads]


def _padded(rows: list[list[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


def _fingerprint(model_folder: Path) -> str:
    """A name for the export of the model in ``model_folder`` as it is now: the sizes and times of
    the files the graph is made of (configurations and weights, links followed). Prompts and
    tokenizer files are not in the graph: a copy that changes only those shares the export."""
    digest = hashlib.sha256()
    for path in sorted(p for p in model_folder.rglob("*") if _in_graph(p)):
        stat = path.stat()
        digest.update(f"{path.relative_to(model_folder)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return f"{model_folder.name}-{digest.hexdigest()[:12]}"


def _in_graph(path: Path) -> bool:
    return path.is_file() and (path.name in ("config.json", "modules.json") or path.suffix in _WEIGHT_SUFFIXES)


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _max_length(model_folder: Path) -> int:
    configured = _read_json(model_folder / "sentence_bert_config.json").get("max_seq_length")
    return int(configured or _read_json(model_folder / "config.json").get("max_position_embeddings", 512))


def _pad_id(model_folder: Path) -> int:
    return int(_read_json(model_folder / "config.json").get("pad_token_id") or 0)


def _splits_special_tokens(model_folder: Path) -> bool:
    return bool(_read_json(model_folder / "tokenizer_config.json").get("split_special_tokens", False))
