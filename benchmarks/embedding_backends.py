"""Benchmark (not a test): which embedding backend is fastest without losing retrieval quality?

Compares the default model run by PyTorch (float32, bfloat16 autocast), by OpenVINO (float32,
bfloat16) and as an int8 ONNX model (weights quantised per output channel by onnxruntime) on
1,000 SaudiNewsNet texts of a day nobody annotated, mixed as ingest embeds them (56% chunks, 44%
quotes): texts/s, tokens/s, cosine to PyTorch float32, and retrieval MRR@10 over the dev
questions (``benchmarks/retrieval.py``'s measure, each corpus indexed with that embedder). Qawl
accepts a faster embedding only when it loses at most 0.01 MRR: OpenVINO bfloat16 passed and is
the default; int8 did not (see ``results/embedding_backends.json``).

Run: ``.venv/bin/python benchmarks/embedding_backends.py`` (the int8 model needs ``pip install onnx``; ~5 min).
"""
from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from rag import (
    Settings, build_eval_index, chunk_article, ensure_default_model, extract_quotes, iter_articles, load_embedder,
    load_questions, shared_corpus_dir,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from retrieval import corpus_scores  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "embedding_backends.json"


GRAPH_FILE = "model.onnx"


def export_onnx_int8(model_dir: Path, out_dir: Path) -> Path:
    """Write ``out_dir/model.onnx`` (token ids and mask in, unit vectors out) and the tokenizer files."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    out_dir.mkdir(parents=True)
    graph = _pooled_encoder(AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval())
    float_graph = out_dir / "float.onnx"
    ids = torch.ones((2, 8), dtype=torch.long)
    batch_and_tokens = {0: "batch", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes on shapes that are constant for an encoder
        torch.onnx.export(
            graph,
            (ids, torch.ones_like(ids)),
            str(float_graph),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": batch_and_tokens, "attention_mask": batch_and_tokens, "embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,  # the TorchScript exporter needs no onnxscript
        )
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))  # quantiser's advice on pre-processing
    quantize_dynamic(
        str(float_graph),
        str(out_dir / GRAPH_FILE),
        weight_type=QuantType.QInt8,
        per_channel=True,
        extra_options={"DefaultTensorType": 1},  # float32, for shapes the exporter left untyped
    )
    float_graph.unlink()
    shutil.copy(model_dir / "tokenizer.json", out_dir / "tokenizer.json")
    return out_dir


class OnnxEmbedder:
    """Qawl's ``Embedder`` interface over onnxruntime: e5 prompts, texts sorted by length into batches."""

    def __init__(self, folder: Path, threads: int, batch_size: int = 32):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(folder / GRAPH_FILE), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(512)
        self.name, self.dim, self.batch_size = "multilingual-e5-small (onnx int8)", 384, batch_size

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(["query: " + t for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(["passage: " + t for t in texts])

    def _encode(self, texts: list[str]) -> np.ndarray:
        token_ids = [encoding.ids for encoding in self._tokenizer.encode_batch(texts)]
        order = np.argsort([len(ids) for ids in token_ids], kind="stable")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for lo in range(0, len(texts), self.batch_size):
            rows = order[lo : lo + self.batch_size]
            ids, mask = _padded([token_ids[i] for i in rows])
            out[rows] = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out


def _pooled_encoder(transformer):
    """Transformer, mean pooling over real tokens, L2 normalisation: one traceable torch module."""
    import torch

    class PooledEncoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask):
            hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    return PooledEncoder()


def _padded(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(r) for r in rows)
    ids = np.zeros((len(rows), width), dtype=np.int64)  # padding is masked out, its id never read
    mask = np.zeros_like(ids)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


def passages(limit: int = 1000, chunk_share: float = 0.56) -> list[str]:
    """``limit`` distinct chunk and quote texts of a benchmark day (not an annotated one), in
    the proportion the whole corpus has them (103k chunks, 80k quotes)."""
    chunks, quotes = {}, {}
    for article in iter_articles([shared_corpus_dir() / "2015-07-21.zip"], max_bytes=10**9):
        if not isinstance(article, Exception):
            chunks.update(dict.fromkeys(chunk.text for chunk in chunk_article(article)))
            quotes.update(dict.fromkeys(q.text for q in extract_quotes(article.text, title=article.title, date=article.date)))
        if len(chunks) >= limit * chunk_share and len(quotes) >= limit * (1 - chunk_share):
            break
    wanted = round(limit * chunk_share)
    return [*list(chunks)[:wanted], *list(quotes)[: limit - wanted]]


def speed_and_agreement(embedder, texts: list[str], tokens: int, reference: np.ndarray | None) -> dict:
    start = time.perf_counter()
    vectors = embedder.embed_passages(texts)
    seconds = time.perf_counter() - start
    row = {"texts_per_s": round(len(texts) / seconds, 1), "tokens_per_s": round(tokens / seconds)}
    if reference is not None:
        cosine = (vectors * reference).sum(axis=1)
        row |= {"cosine_to_float32_mean": round(float(cosine.mean()), 4), "cosine_to_float32_min": round(float(cosine.min()), 4)}
    return row, vectors


def mrr(embedder) -> dict:
    """MRR@10 (dense, and dense+BM25) over every answerable dev question, indexes built by ``embedder``."""
    answerable = [q for q in load_questions() if q["expect"]["found"]]
    totals: dict[str, list[float]] = {"dense": [], "hybrid": []}
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in sorted({q["corpus"] for q in answerable}):
            qawl = build_eval_index(corpus, Path(tmp), Settings.from_env(), embedder=embedder)
            for row in corpus_scores(qawl, [q for q in answerable if q["corpus"] == corpus]).values():
                for key in totals:
                    totals[key] += row[key]
    return {f"mrr_{key}": round(sum(v) / len(v), 3) for key, v in totals.items()}


def main() -> None:
    from tokenizers import Tokenizer

    texts = passages()
    settings = Settings.from_env()
    model_dir = ensure_default_model(settings.home)
    tokens = sum(len(e.ids) for e in Tokenizer.from_file(str(model_dir / "tokenizer.json")).encode_batch(["passage: " + t for t in texts]))
    with tempfile.TemporaryDirectory() as tmp:
        embedders = {
            f"{backend}-{precision}": load_embedder(Settings.from_env(embedding_backend=backend, embedding_precision=precision))
            for backend in ("torch", "openvino") for precision in ("float32", "bfloat16")
        }
        try:
            embedders["onnx-int8"] = OnnxEmbedder(export_onnx_int8(model_dir, Path(tmp) / "onnx"), len(os.sched_getaffinity(0)))
        except ImportError as error:
            print(f"onnx-int8 skipped: {error}")
        result, reference = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "texts": len(texts), "tokens": tokens}, None
        for name, embedder in embedders.items():
            embedder.embed_passages(texts[:8])  # warm-up
            result[name], vectors = speed_and_agreement(embedder, texts, tokens, reference)
            reference = vectors if reference is None else reference
            result[name] |= mrr(embedder)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{len(texts)} texts, {tokens} tokens")
    print(f"{'embedding':<17} {'texts/s':>8} {'tokens/s':>9} {'cos mean':>9} {'cos min':>8} {'MRR dense':>10} {'MRR hybrid':>11}")
    for name, r in result.items():
        if isinstance(r, dict):
            print(f"{name:<17} {r['texts_per_s']:>8} {r['tokens_per_s']:>9} {r.get('cosine_to_float32_mean', 1.0):>9} "
                  f"{r.get('cosine_to_float32_min', 1.0):>8} {r['mrr_dense']:>10} {r['mrr_hybrid']:>11}")


if __name__ == "__main__":
    main()
