"""Quotation marks: which « » “ ” " pair up, and which are left open or closed without opening.

Pairs are found paragraph by paragraph (a quote never runs past a line break in news
text as scraped) with a stack, so nesting («… "…" …») and 10,000 nested marks cost
linear time. Directional marks (« » “ ”) say which side they are; a straight " is an
opener when it follows a space, a line start or an attached prefix letter (بـ"…"، لـ"…")
and a closer when it is followed by a space or punctuation. Marks that find no partner
are kept apart: an unmatched closer («أنه خلال الزيارة… والعالمية»، مشيراً) tells the
extractor that a quote began without its opening mark.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rag.arabic import QUOTE_PREFIX_LETTERS as _PREFIX_LETTERS

_OPENERS = {"«": "»", "“": "”\"", "„": "”\""}  # opener → the closers it accepts
_CLOSERS = {"»": "«", "”": "“"}
_STRAIGHT = '"'
_SEARCH_DEPTH = 8
_MARK_OR_BREAK = re.compile('[«»“”„"\n]')
_AFTER_CLOSE = set(" \t\n\r\u00a0.,،:;؛!?؟)]}…-–—/")


@dataclass(frozen=True)
class QuotePair:
    """A balanced pair: ``open`` and ``close`` are the indexes of the two marks."""

    open: int
    close: int

    @property
    def inner(self) -> tuple[int, int]:
        """The span between the marks."""
        return self.open + 1, self.close


class Marks:
    """All quotation marks of a text, paired."""

    def __init__(self, pairs: list[QuotePair], unmatched_open: list[int], unmatched_close: list[int]):
        self.pairs = sorted(pairs, key=lambda p: p.open)
        self.top = _top_level(self.pairs)
        self._top_opens = [p.open for p in self.top]
        self.unmatched_open = sorted(unmatched_open)
        self.unmatched_close = sorted(unmatched_close)

    def enclosing(self, pos: int) -> QuotePair | None:
        """The top-level pair whose marks enclose ``pos`` (strictly inside), or None."""
        i = bisect.bisect_right(self._top_opens, pos) - 1
        if i >= 0 and self.top[i].open < pos < self.top[i].close:
            return self.top[i]
        return None

    def inside(self, pos: int) -> bool:
        """Whether ``pos`` is inside a balanced quotation."""
        return self.enclosing(pos) is not None

    def top_in(self, start: int, end: int) -> list[QuotePair]:
        """Top-level pairs that open in ``[start, end)``."""
        lo = bisect.bisect_left(self._top_opens, start)
        hi = bisect.bisect_left(self._top_opens, end)
        return self.top[lo:hi]

    def first_unmatched_close(self, start: int, end: int) -> int | None:
        """The first closing mark without an opening one in ``[start, end)``, or None."""
        i = bisect.bisect_left(self.unmatched_close, start)
        return self.unmatched_close[i] if i < len(self.unmatched_close) and self.unmatched_close[i] < end else None

    def first_unmatched_open(self, start: int, end: int) -> int | None:
        """The first opening mark never closed in ``[start, end)``, or None."""
        i = bisect.bisect_left(self.unmatched_open, start)
        return self.unmatched_open[i] if i < len(self.unmatched_open) and self.unmatched_open[i] < end else None


def find_marks(text: str) -> Marks:
    """Pair every quotation mark of ``text`` (see the module docstring)."""
    pairs: list[QuotePair] = []
    unmatched_open: list[int] = []
    unmatched_close: list[int] = []
    stack: list[tuple[int, str]] = []  # (index, the closers it accepts)
    closers = [m.start() for m in re.finditer("”", text)]
    for match in _MARK_OR_BREAK.finditer(text):
        i, char = match.start(), match.group()
        if char == "\n":
            unmatched_open.extend(pos for pos, _ in stack)
            stack.clear()
            continue
        side = _side(text, i, char, stack, closers)
        if side == "open":
            stack.append((i, _OPENERS.get(char, '"”')))
        elif side == "close":
            _close(i, char, stack, pairs, unmatched_open, unmatched_close)
    unmatched_open.extend(pos for pos, _ in stack)
    return Marks(pairs, unmatched_open, unmatched_close)


def _side(text: str, i: int, char: str, stack: list[tuple[int, str]], closers: list[int]) -> str | None:
    if char in _OPENERS:
        return "open"
    if char in _CLOSERS:
        if char == "”" and not any("”" in accepted for _, accepted in stack[-_SEARCH_DEPTH:]) \
                and _opens_here(text, i, closers):
            return "open"  # ”…”: the closing mark used to open, as many Arabic sites write
        return "close"
    if char != _STRAIGHT:
        return None
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    can_close = after in _AFTER_CLOSE
    can_open = before.isspace() or before in "([{«“:،," or before in _PREFIX_LETTERS and _word_start(text, i - 1)
    if can_open != can_close:
        return "open" if can_open else "close"
    # both or neither (:" وفقا…): close the straight quote that is open, else open one
    return "close" if stack and _STRAIGHT in stack[-1][1] else "open"


def _opens_here(text: str, i: int, closers: list[int]) -> bool:
    """A ” after a space, a colon or a line start, right before a word (after a colon, also with a
    space between: «الطب: ” الناس…”»), with another ” later on its line (``closers``: the
    positions of every ”): it opens."""
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else " "
    if after in " \t\u00a0" and text[max(0, i - 3):i].strip()[-1:] == ":":
        after = text[i + 1:i + 4].lstrip()[:1] or " "  # «: ” الناس»: a colon opens what was said
    if not ((before.isspace() or before in ":،,(") and (after.isalnum() or after in "\u064b\u0640")):
        return False
    k = bisect.bisect_right(closers, i)
    return k < len(closers) and "\n" not in text[i:closers[k]]


def _word_start(text: str, i: int) -> bool:
    """True when ``text[i]`` starts a word or is a tatweel after a one-letter prefix (بـ)."""
    j = i - 1 if text[i] == "ـ" else i
    return j <= 0 or not text[j - 1].isalpha()


def _close(i, char, stack, pairs, unmatched_open, unmatched_close) -> None:
    """Pair the closer at ``i`` with a near opener expecting it; openers skipped stay unmatched.

    Only the top few openers are tried, so adversarial input stays linear.
    """
    for depth in range(len(stack) - 1, max(len(stack) - _SEARCH_DEPTH, 0) - 1, -1):
        if char in stack[depth][1]:
            pairs.append(QuotePair(stack[depth][0], i))
            unmatched_open.extend(pos for pos, _ in stack[depth + 1:])
            del stack[depth:]
            return
    unmatched_close.append(i)


def _top_level(pairs: list[QuotePair]) -> list[QuotePair]:
    top: list[QuotePair] = []
    for pair in pairs:  # sorted by open
        if not top or pair.open > top[-1].close:
            top.append(pair)
    return top
