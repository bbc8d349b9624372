"""Arabic normalisation for *matching only*: text shown to users is never normalised.

``normalize`` folds the spelling variation that does not change a word (diacritics,
tatweel, alef/ya/ta-marbuta/hamza-seat forms, invisible characters, presentation forms,
case); ``normalize_with_offsets`` also returns, for every normalised character, the index
of the original character it came from, so a match found in normalised text maps back to
exact original offsets.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DROP = set(
    [chr(c) for c in range(0x064B, 0x0660)]  # harakat, shadda, sukun, madda/hamza marks
    + ["\u0670", "\u0640"]  # superscript alef, tatweel
    + [chr(c) for c in range(0x06D6, 0x06EE)]  # Quranic annotation marks
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad"]  # zero-width, marks
    + [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]  # bidi controls
)
_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ئ": "ي", "ی": "ي", "ة": "ه", "ؤ": "و", "ک": "ك",
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u3000": " ",
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _DROP:
        return ""
    if char in _FOLD:
        return _FOLD[char]
    if char.isascii():
        return char.lower()
    # Compatibility forms: Arabic presentation forms, full-width Latin, ligatures such as ﻻ.
    folded = unicodedata.normalize("NFKC", char)
    return "".join(_FOLD.get(c, c) for c in folded if c not in _DROP).lower()


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise ``text``; ``offsets[i]`` is the original index of normalised character ``i``.

    ``offsets`` has one extra final entry, ``len(text)``, so a normalised span
    ``[s, e)`` maps back to ``[offsets[s], offsets[e - 1] + 1)``.
    """
    out: list[str] = []
    offsets: list[int] = []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        offsets.extend([i] * len(folded))
    offsets.append(len(text))
    return "".join(out), offsets


class _FoldTable(dict):
    """``_fold_char`` as a ``str.translate`` table, filled in as characters are met: normalising
    every chunk of a large index at start-up is then five times faster than a character loop."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def normalize(text: str) -> str:
    """Normalise ``text`` for matching (see the module docstring)."""
    return text.translate(_FOLD_TABLE)


_TOKEN = re.compile(r"\w+")
# Attached article and prepositions: a matching token drops them so والصين, بالصين, الصين → صين.
_PREFIX = re.compile(r"^(?:وال|فال|بال|كال|لل|ال)(?=\w{2,})")


def tokenize(text: str) -> list[str]:
    """Word tokens for keyword search (BM25): normalised, with the definite article stripped."""
    return [_PREFIX.sub("", t) for t in _TOKEN.findall(normalize(text))]


def has_arabic(text: str) -> bool:
    """True when ``text`` contains at least one Arabic letter."""
    return any("\u0621" <= c <= "\u064a" or "\u0671" <= c <= "\u06d3" for c in text)
