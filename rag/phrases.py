"""Find known phrases (names, titles) in text at word boundaries, Arabic proclitics allowed.

Matching runs on ``rag.arabic.normalize`` output (diacritics, hamza seats, ta marbuta, case
folded) and maps every hit back to exact offsets in the original text. A phrase is a
tuple of words; words of one phrase may be separated only by spaces or hyphens.
The first word may carry the proclitics Arabic writes attached to it: و ف (and, so),
ب ل ك (with, to, like) and their pairs (وب، ول…), with ل + ال written لل
(للرئاسة الروسية). The hit starts after the proclitic, so ``text[start:end]`` is the
name itself: والكرملين → الكرملين, للرئاسة → لرئاسة (the ل of the article).
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rag.arabic import DIACRITICS as _DIACRITICS
from rag.arabic import PROCLITICS as _PROCLITICS
from rag.arabic import WORD as _WORD
from rag.arabic import normalize, normalize_with_offsets

# Between two words of one phrase: spaces, hyphens, and the English article (dropped from keys).
_INNER_GAP = re.compile(r"(?:[\s\-]|\bthe\b)*")
_END = ""  # trie marker: a phrase ends at this node (no word is empty)
_STOP_WORDS = frozenset({"the"})  # English article: "the Kremlin" == "Kremlin"
_SPELLING_FOLD = str.maketrans({"ى": "ي", "ة": "ه"})
_INITIAL_HAMZA = re.compile(r"(?<!\S)[أإآ]")
_INNER_HAMZA = re.compile(r"\B[أإآئؤء]|[ئؤء]")


def phrase_key(text: str) -> tuple[str, ...]:
    """The normalised word tuple a phrase is indexed and looked up by."""
    return tuple(w for w in _WORD.findall(normalize(text)) if w not in _STOP_WORDS)


@dataclass(frozen=True)
class Hit:
    """One phrase found in a text: ``text[start:end]`` is the phrase as written."""

    start: int
    end: int
    key: tuple[str, ...]
    targets: tuple[Any, ...]


class PhraseIndex:
    """Phrases → targets, searchable in running text (longest match wins, no overlaps)."""

    def __init__(self) -> None:
        self._targets: dict[tuple[str, ...], list[Any]] = defaultdict(list)
        self._trie: dict[str, Any] = {}  # word → subtree; _END → the phrase key ending here
        self._spellings: dict[tuple[str, ...], set[str]] = defaultdict(set)

    def add(self, phrase: str, target: Any) -> None:
        """Index ``phrase`` (any spelling; it is normalised) as naming ``target``."""
        key = phrase_key(phrase)
        if not key:
            return
        if key not in self._targets:
            node = self._trie
            for word in key:
                node = node.setdefault(word, {})
            node[_END] = key
        if target not in self._targets[key]:
            self._targets[key].append(target)
        self._spellings[key].add(_spelling(phrase))

    def get(self, phrase: str) -> tuple[Any, ...]:
        """Targets of exactly this phrase (normalised), or ``()``."""
        return tuple(self._targets.get(phrase_key(phrase), ()))

    def keys(self) -> list[tuple[str, ...]]:
        """Every indexed phrase key."""
        return list(self._targets)

    def targets_of(self, key: tuple[str, ...]) -> tuple[Any, ...]:
        """Targets of an already normalised key."""
        return tuple(self._targets.get(key, ()))

    def scan(self, text: str) -> list[Hit]:
        """Every indexed phrase in ``text``, left to right, longest first, non-overlapping."""
        norm, offsets = normalize_with_offsets(text)
        words = [w for w in _WORD.finditer(norm) if w.group() not in _STOP_WORDS]
        hits: list[Hit] = []
        i = 0
        while i < len(words):
            found = self._longest_at(norm, words, i)
            if found is None:
                i += 1
                continue
            key, skip = found
            last = words[i + len(key) - 1]
            start, end = _original_span(text, offsets, words[i].start() + skip, last.end())
            if len(key) > 1 or self._spelled_alike(text[start:end], key):
                hits.append(Hit(start, end, key, tuple(self._targets[key])))
            i += len(key)
        return hits

    def _spelled_alike(self, surface: str, key: tuple[str, ...]) -> bool:
        """Whether a one-word hit is really the indexed word, not a look-alike once normalised.

        A hamza the text writes inside the word must be in a registered spelling (شئ "thing"
        is not شي Xi, ترأس "chaired" is not تراس Truss); an acronym must be in capitals
        ("Who" is not WHO).
        """
        spellings = self._spellings[key]
        if all(s.isascii() and s.isupper() for s in spellings):
            return surface.isupper()
        written = _spelling(surface)
        return not _INNER_HAMZA.search(written) or written in spellings

    def _longest_at(self, norm: str, words: list[re.Match], i: int) -> tuple[tuple[str, ...], int] | None:
        """The longest phrase starting at word ``i`` (with or without a proclitic), and the skip."""
        best: tuple[tuple[str, ...], int] | None = None
        for stem, skip in _stems(words[i].group()):
            key = self._walk(norm, words, i, self._trie.get(stem))
            if key is not None and (best is None or len(key) > len(best[0])):
                best = (key, skip)
        return best

    def _walk(self, norm: str, words: list[re.Match], i: int, node: dict | None) -> tuple[str, ...] | None:
        """Follow the trie along words i+1…, separated only by spaces or hyphens."""
        longest = None
        while node is not None:
            longest = node.get(_END, longest)
            i += 1
            if i >= len(words) or not _INNER_GAP.fullmatch(norm, words[i - 1].end(), words[i].start()):
                break
            node = node.get(words[i].group())
        return longest


def _spelling(word: str) -> str:
    """A word as written, minus diacritics and the variation that never tells words apart."""
    bare = _DIACRITICS.sub("", word).translate(_SPELLING_FOLD)
    return _INITIAL_HAMZA.sub("ا", bare)


def _stems(word: str) -> Iterator[tuple[str, int]]:
    """The word itself, then the word without each proclitic it may carry (with the skip length)."""
    yield word, 0
    for size in (1, 2):
        clitic, rest = word[:size], word[size:]
        if clitic in _PROCLITICS and len(rest) >= 2:
            yield rest, size
            if clitic[-1] == "ل" and rest[0] == "ل":
                yield "ا" + rest, size  # ل + الـ is written لل: للرئاسة = ل + الرئاسة


def _original_span(text: str, offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a normalised span back to the original, keeping the last letter's diacritics."""
    orig_start, orig_end = offsets[start], offsets[end - 1] + 1
    while orig_end < len(text) and (unicodedata.category(text[orig_end]) == "Mn" or text[orig_end] == "\u0640"):
        orig_end += 1
    return orig_start, orig_end
