"""Remove page boilerplate from article text, keeping a map back to the original offsets.

Cleaning works line by line: furniture lines (share buttons, photo captions, credit
widgets) are dropped, furniture pieces (breadcrumb trails, base64 tracking strings,
footers) are cut out of their line, a line repeating an earlier one near the top (the
headline printed twice) is dropped, and runs of blank lines collapse. Kept lines are
joined by ``"\\n"``, or ``"\\n\\n"`` where the original had blank or dropped lines between
them, so later stages still see paragraphs. Every kept character is the original
character (joiners map to original line breaks), and ``CleanText.offsets`` says where
each one came from. Patterns live in ``resources/boilerplate.yaml``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from rag.knowledge import load
from rag.types import CleanText

_RULES = load("boilerplate")
_DROP_LINE = re.compile("|".join(f"(?:{p})" for p in _RULES["drop_lines"]))
_REMOVE = [re.compile(p) for p in _RULES["remove"]]
_HEADLINE_WINDOW = _RULES["repeated_headline_window"]
LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x85\x0b\x0c]")
# Invisible characters that make a line look non-empty: zero-width space/joiners, BOM.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

Span = tuple[int, int]


def clean_text(text: str) -> CleanText:
    """``text`` without page boilerplate, with each kept character's original offset."""
    lines = line_spans(text)
    out: list[str] = []
    offsets: list[int] = []
    previous = None
    for number, runs in _kept_lines(text, lines):
        if previous is not None:
            # Joiners map to real line breaks: the one ending the previous kept line and,
            # when lines were dropped in between, the one just before this line.
            out.append("\n" if number == previous + 1 else "\n\n")
            offsets.append(lines[previous][1])
            if number != previous + 1:
                offsets.append(lines[number - 1][1])
        for start, end in runs:
            out.append(text[start:end])
            offsets.extend(range(start, end))
        previous = number
    offsets.append(offsets[-1] + 1 if offsets else 0)
    return CleanText("".join(out), tuple(offsets))


def line_spans(text: str) -> list[Span]:
    """``(start, end)`` of every line of ``text``; ``end`` is where its line break starts."""
    spans, start = [], 0
    for match in LINE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def strip_span(text: str, start: int, end: int) -> Span:
    """Narrow ``[start, end)`` past whitespace and invisible characters at both ends."""
    while start < end and is_blank(text[start]):
        start += 1
    while end > start and is_blank(text[end - 1]):
        end -= 1
    return start, end


def is_blank(char: str) -> bool:
    """Whitespace, or an invisible character (zero-width space or joiner, BOM)."""
    return char.isspace() or char in _INVISIBLE


def _kept_lines(text: str, lines: list[Span]) -> Iterator[tuple[int, list[Span]]]:
    """``(line number, kept runs)`` for each line that survives cleaning, in order."""
    seen_near_top: set[str] = set()
    for number, (start, end) in enumerate(lines):
        runs = _line_runs(text, start, end)
        if not runs:
            continue
        if len(seen_near_top) < _HEADLINE_WINDOW:
            content = " ".join("".join(text[s:e] for s, e in runs).split())
            if content in seen_near_top:
                continue  # the headline printed twice: page title, then article title
            seen_near_top.add(content)
        yield number, runs


def _line_runs(text: str, start: int, end: int) -> list[Span]:
    """The runs of one line that are article text: none if the whole line is furniture."""
    start, end = strip_span(text, start, end)
    if start == end or _DROP_LINE.fullmatch(text, start, end):
        return []
    runs = [(start, end)]
    for pattern in _REMOVE:
        runs = [piece for run in runs for piece in _cut(text, run, pattern)]
    # Keep the spaces around a cut-out piece, so the words on either side stay apart.
    runs = [(s, e) for s, e in runs if strip_span(text, s, e)[0] < e]
    if not runs:
        return []
    runs[0] = strip_span(text, *runs[0])[0], runs[0][1]
    runs[-1] = runs[-1][0], strip_span(text, *runs[-1])[1]
    if _DROP_LINE.fullmatch("".join(text[s:e] for s, e in runs)):
        return []  # furniture once the breadcrumb or tracking string is cut away
    return runs


def _cut(text: str, run: Span, pattern: re.Pattern[str]) -> Iterator[Span]:
    """The pieces of ``run`` left when every match of ``pattern`` is cut out."""
    start, end = run
    line = text[start:end]
    position = 0
    for match in pattern.finditer(line):
        if match.start() > position:
            yield start + position, start + match.start()
        position = max(position, match.end())
    if position < len(line):
        yield start + position, end
