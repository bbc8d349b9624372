"""A model folder's Unigram tokenizer (``tokenizer.json``) for questions, in a fraction of the memory.

Hugging Face ``tokenizers`` keeps a Unigram vocabulary in a byte trie of hash maps: XLM-R's
250,000 pieces take 0.27 GB of a serving process (a quarter of it), which only ever
tokenizes one short question at a time. ``QueryTokenizer`` keeps the pieces in one dict and
runs the same Viterbi in Python — a question takes well under a millisecond — while the
folder's own normaliser and pre-tokeniser, run by ``tokenizers`` on a vocabulary of a few
pieces, split the text as they always do. Its ids are those of ``Tokenizer.encode`` with
special tokens added (``tokenizers``' ``Unigram.encode_optimized``: the best path of summed
piece scores, a later candidate replacing an earlier one only when strictly better, a character
no single piece covers scoring the lowest piece score minus 10 as ``<unk>``, runs of ``<unk>``
fused); ``query_tokenizer`` returns None for a folder whose tokenizer is of another kind, or
uses what this does not mirror, and the caller keeps ``tokenizers``' own.
"""
from __future__ import annotations

import json
from array import array
from pathlib import Path

UNK_PENALTY = 10.0  # tokenizers' K_UNK_PENALTY


class QueryTokenizer:
    """Text → token ids, as the folder's ``tokenizer.json`` encodes it (see the module's doc)."""

    def __init__(self, config: dict, max_length: int):
        from tokenizers import Tokenizer

        model = config["model"]
        pieces = model["vocab"]
        self._ids = {piece: i for i, (piece, _) in enumerate(pieces)}  # a repeated piece: its last id, as there
        self._scores = array("d", (score for _, score in pieces))
        self._unk = int(model["unk_id"])
        self._unk_score = min(self._scores) - UNK_PENALTY
        self._longest = max(len(piece) for piece, _ in pieces)
        # the folder's normaliser and pre-tokeniser, on a vocabulary of one piece
        small = {**config, "model": {**model, "vocab": [pieces[self._unk]], "unk_id": 0}, "added_tokens": []}
        self._splitter = Tokenizer.from_str(json.dumps(small))
        self._bos, self._eos = _template_ends(config["post_processor"])
        self._max_length = max_length

    def encode(self, text: str) -> list[int]:
        """``<s> pieces </s>``, the pieces cut to fit ``max_length`` with the ends."""
        normalizer, pre_tokenizer = self._splitter.normalizer, self._splitter.pre_tokenizer
        normalized = normalizer.normalize_str(text) if normalizer is not None else text
        words = [word for word, _ in pre_tokenizer.pre_tokenize_str(normalized)] if pre_tokenizer is not None else [normalized]
        ids = [i for word in words for i in self._word_ids(word)]
        return [*self._bos, *ids[: max(self._max_length - len(self._bos) - len(self._eos), 0)], *self._eos]

    def encode_batch(self, texts: list[str]) -> list[list[int]]:
        return [self.encode(text) for text in texts]

    def _word_ids(self, word: str) -> list[int]:
        """The ids of one pre-tokenised word's best path of pieces."""
        n = len(word)
        score = [0.0] * (n + 1)
        start: list[int | None] = [None] * (n + 1)
        piece: list[int] = [0] * (n + 1)
        ids, scores = self._ids, self._scores
        for i in range(n):  # every position is reached: a piece or <unk> covers each character
            here = score[i]
            single = False
            for j in range(i + 1, min(n, i + self._longest) + 1):
                found = ids.get(word[i:j])
                if found is None:
                    continue
                candidate = scores[found] + here
                if start[j] is None or candidate > score[j]:
                    score[j], start[j], piece[j] = candidate, i, found
                single = single or j == i + 1
            if not single:
                candidate = self._unk_score + here
                if start[i + 1] is None or candidate > score[i + 1]:
                    score[i + 1], start[i + 1], piece[i + 1] = candidate, i, self._unk
        out: list[int] = []
        end = n
        while end > 0:
            begin = start[end]
            if not (piece[end] == self._unk and out and out[-1] == self._unk):  # a run of <unk> is one
                out.append(piece[end])
            end = begin
        out.reverse()
        return out


def query_tokenizer(model_folder: Path, max_length: int, splits_special_tokens: bool) -> QueryTokenizer | None:
    """The lean tokenizer of ``model_folder``, or None when its ``tokenizer.json`` is not a plain
    Unigram one (byte fallback, added tokens matched in the text, another post-processor)."""
    path = Path(model_folder) / "tokenizer.json"
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    model = config.get("model") or {}
    if model.get("type") != "Unigram" or model.get("byte_fallback") or model.get("unk_id") is None:
        return None
    if not splits_special_tokens and config.get("added_tokens"):
        return None  # added tokens would be cut out of the text before the model: not mirrored here
    if (config.get("post_processor") or {}).get("type") != "TemplateProcessing" or config.get("truncation") or config.get("padding"):
        return None
    try:
        _template_ends(config["post_processor"])
    except (KeyError, ValueError):
        return None
    return QueryTokenizer(config, max_length)


def _template_ends(template: dict) -> tuple[list[int], list[int]]:
    """The ids a single-sequence template puts before and after the text (``<s>`` … ``</s>``)."""
    single, specials = template["single"], template["special_tokens"]
    sequence = [i for i, item in enumerate(single) if "Sequence" in item]
    if len(sequence) != 1:
        raise ValueError("a template of one sequence is expected")

    def ids(items: list[dict]) -> list[int]:
        return [i for item in items for i in specials[item["SpecialToken"]["id"]]["ids"]]

    return ids(single[: sequence[0]]), ids(single[sequence[0] + 1:])
