"""One article prepared for attribution: tokens, quotation marks, paragraphs, sentences, mentions.

Everything keeps offsets into the text as given, so every span found later is exact.
Tokens carry their ``rag.arabic.normalize`` form (for lexicon lookups) and the same form without
a leading conjunction و/ف (``bare``: وأضاف → اضاف).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from rag.arabic import CONJUNCTIONS as _CONJUNCTIONS
from rag.arabic import SENTENCE_END as _SENTENCE_END
from rag.arabic import WORD_AS_WRITTEN as _WORD
from rag.arabic import normalize

from .marks import Marks, find_marks



@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    norm: str
    bare: str  # norm without a leading و/ف (when what is left is still a word)
    name: bool = False  # a name or title although its normal form is a particle's: «علي» (Ali), not على; «إمام», not أمام


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index into Document.paragraphs


@lru_cache(maxsize=1 << 16)
def _normalized(word: str) -> str:
    return normalize(word)  # words repeat across articles: normalise each spelling once


def _token(match: re.Match) -> Token:
    norm = _normalized(match.group())
    bare = norm[1:] if norm[:1] in _CONJUNCTIONS and len(norm) > 2 else norm
    return Token(match.start(), match.end(), norm, bare)


class Document:
    """The text with its tokens, marks, paragraphs (lines), sentences and registry mentions."""

    def __init__(self, text: str, mentions: list) -> None:
        self.text = text
        self.tokens = [_token(m) for m in _WORD.finditer(text)]
        self._token_starts = [t.start for t in self.tokens]
        self.marks: Marks = find_marks(text)
        self.paragraphs = _paragraphs(text)
        self.sentences = [s for i, p in enumerate(self.paragraphs) for s in self._split(i, *p)]
        self._sentence_starts = [s.start for s in self.sentences]
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self._mention_starts = [m.start for m in self.mentions]

    # --- tokens ------------------------------------------------------------------------

    def token_index(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        return bisect.bisect_left(self._token_starts, pos)

    def token_range(self, start: int, end: int) -> range:
        """Indexes of the tokens that start in ``[start, end)``."""
        return range(self.token_index(start), self.token_index(end))

    def next_token(self, pos: int, end: int) -> Token | None:
        """The first token starting in ``[pos, end)``, or None."""
        i = self.token_index(pos)
        return self.tokens[i] if i < len(self.tokens) and self.tokens[i].start < end else None

    def mark_names(self, indexes) -> None:
        """Mark the tokens at ``indexes`` as names (see ``Token.name``)."""
        for i in indexes:
            t = self.tokens[i]
            self.tokens[i] = Token(t.start, t.end, t.norm, t.bare, name=True)

    # --- mentions ----------------------------------------------------------------------

    def mention_at(self, token: Token):
        """The registry mention that starts within ``token`` (after a proclitic), or None."""
        i = bisect.bisect_left(self._mention_starts, token.start)
        if i < len(self.mentions) and self.mentions[i].start < token.end:
            return self.mentions[i]
        return None

    def mentions_in(self, start: int, end: int) -> list:
        """The registry mentions that start in ``[start, end)``."""
        lo = bisect.bisect_left(self._mention_starts, start)
        hi = bisect.bisect_left(self._mention_starts, end)
        return self.mentions[lo:hi]

    # --- structure ----------------------------------------------------------------------

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence holding ``pos``."""
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        return self.sentences[i].start if i >= 0 else 0

    def _split(self, index: int, start: int, end: int) -> list[Sentence]:
        """Sentences of one paragraph: ends at . ! ? … followed by a space, never inside a quote."""
        sentences, begin = [], start
        for match in _SENTENCE_END.finditer(self.text, start, end):
            stop = match.end()
            if stop < end and not self.text[stop].isspace():
                continue
            if self.marks.inside(match.start()) or _abbreviation(self.text, match.start()):
                continue
            sentences.append(Sentence(begin, stop, index))
            begin = stop
        sentences.append(Sentence(begin, end, index))
        return [s for s in (_strip(self.text, s) for s in sentences) if s is not None]


def _abbreviation(text: str, dot: int) -> bool:
    """«د. موفق أبو طالب»، «م. عدنان»: a period after a one-letter word ends no sentence."""
    return text[dot:dot + 1] == "." and dot >= 1 and text[dot - 1].isalpha() \
        and (dot < 2 or not text[dot - 2].isalnum())


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, begin = [], 0
    for match in re.finditer(r"\n", text):
        spans.append((begin, match.start()))
        begin = match.end()
    spans.append((begin, len(text)))
    return spans


def _strip(text: str, sentence: Sentence) -> Sentence | None:
    start, end = sentence.start, sentence.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, sentence.paragraph) if start < end else None
