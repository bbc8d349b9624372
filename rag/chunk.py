"""Split an article into retrievable chunks: paragraph-aware, sentence-aware, quote-aware.

Chunks are built from the paragraphs of the cleaned text, mapped back to the original:
paragraphs are packed together up to ``max_chars``; a paragraph longer than that is cut at
the best place the window offers — a sentence end outside quotation marks, else a
sentence end inside one, else a clause mark (، , : ;), else a space. So a quotation is
never cut while its paragraph fits, and a long paragraph is cut between quotations when it
can be. Two paragraphs join only when nothing but whitespace, with at most one blank line,
lies between them in the original (no removed boilerplate, no section break), so
``article.text[chunk.start:chunk.end] == chunk.text`` holds with no furniture inside.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from rag.arabic import CLAUSE_BREAK as _CLAUSE_END
from rag.arabic import SENTENCE_BREAK as _SENTENCE_END
from rag.clean import LINE_BREAK, clean_text, line_spans, strip_span
from rag.types import Article, Chunk, CleanText

Span = tuple[int, int]

# A sentence ends at a run of . ! ? ؟ ؛ … with any closing quotes or brackets after it,
# before whitespace: "13.8" is no end, nor the elision mark "(...)" / "(…)".
_SPACE = re.compile(r"\s+")


def chunk_article(article: Article, clean: CleanText | None = None, *, max_chars: int = 700) -> list[Chunk]:
    """The article's chunks, in order; offsets point into ``article.text``."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    text = article.text
    clean = clean if clean is not None else clean_text(text)
    pieces = [piece for para in _original_paragraphs(text, clean) for piece in _split_long(text, para, max_chars)]
    return [
        Chunk(article_id=article.id, index=i, start=start, end=end, text=text[start:end])
        for i, (start, end) in enumerate(_pack(text, pieces, max_chars))
    ]


def split_paragraphs(text: str) -> list[Span]:
    """``(start, end)`` of each non-blank line of ``text``, stripped of surrounding whitespace."""
    spans = (strip_span(text, start, end) for start, end in line_spans(text))
    return [(start, end) for start, end in spans if start < end]


def paragraph_around(text: str, start: int, end: int) -> Span:
    """The paragraph (line) of ``text`` holding ``[start, end)``, stripped; more lines if the span crosses a break."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span [{start}, {end}) is not within a text of {len(text)} characters")
    lines = line_spans(text)
    first = next(s for s, e in lines if start <= e)
    last = next((e for s, e in lines if max(start, end - 1) < e), len(text))
    para = strip_span(text, min(first, start), max(last, end))
    return para if para[0] < para[1] else (start, end)


def sentence_context(text: str, start: int, end: int) -> Span:
    """From the start of the sentence before the one holding ``start`` to ``end``: a
    statement with its cue, its speaker and what led to it («نددت الصين بالمقاطعة… وقال
    المتحدث إن…»), for judging what it is about."""
    window = max(0, start - 800)
    breaks = [m.end() for m in _SENTENCE_END.finditer(text, window, start)]
    breaks += [window + i + 1 for i, char in enumerate(text[window:start]) if char == "\n"]
    sentences: list[int] = []  # starts of sentences, one per run of breaks
    for b in sorted(set(breaks)):
        if text[b:start].strip() and not (sentences and not text[sentences[-1]:b].strip()):
            sentences.append(b)
        elif sentences and not text[sentences[-1]:b].strip():
            sentences[-1] = b
    context_start = sentences[-2] if len(sentences) >= 2 else window
    return strip_span(text, context_start, end)


def _original_paragraphs(text: str, clean: CleanText) -> list[Span]:
    """Cleaned paragraphs as spans of the original text, split where cleaning cut something out."""
    spans: list[Span] = []
    for cstart, cend in split_paragraphs(clean.text):
        for run_start, run_end in _contiguous_runs(clean.offsets, cstart, cend):
            span = strip_span(text, clean.offsets[run_start], clean.offsets[run_end - 1] + 1)
            if span[0] < span[1]:
                spans.append(span)
    return spans


def _contiguous_runs(offsets: tuple[int, ...], start: int, end: int) -> Iterator[Span]:
    """The runs of cleaned text in ``[start, end)`` whose characters are consecutive in the original."""
    if offsets[end - 1] - offsets[start] == end - 1 - start:  # the common case: nothing cut out
        yield start, end
        return
    run_start = start
    for i in range(start + 1, end):
        if offsets[i] != offsets[i - 1] + 1:
            yield run_start, i
            run_start = i
    yield run_start, end


def _split_long(text: str, span: Span, max_chars: int) -> list[Span]:
    """``span`` cut into pieces of at most ``max_chars``, each at the best cut its window offers."""
    start, end = span
    if end - start <= max_chars:
        return [span]
    levels = _cut_levels(text, start, end)
    pieces: list[Span] = []
    while end - start > max_chars:
        cut = _best_cut(levels, start, start + max_chars)
        pieces.append(strip_span(text, start, cut))
        start = strip_span(text, cut, end)[0]
    if start < end:
        pieces.append((start, end))
    return pieces


def _best_cut(levels: list[list[int]], start: int, limit: int) -> int:
    """The last cut in ``(start, limit]`` of the best kind there is, else ``limit`` itself."""
    for cuts in levels:
        within = [c for c in cuts if start < c <= limit]
        if within:
            return within[-1]
    return limit


def _cut_levels(text: str, start: int, end: int) -> list[list[int]]:
    """Candidate cut positions in ``[start, end)``, best kind first."""
    inside = _inside_quotes(text, start, end)
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text, start, end)]
    return [
        [c for c in sentence_ends if not inside[c - start]],
        [c for c in sentence_ends if inside[c - start]],
        [m.end() for m in _CLAUSE_END.finditer(text, start, end)],
        [m.start() for m in _SPACE.finditer(text, start, end)],
    ]


def _inside_quotes(text: str, start: int, end: int) -> bytearray:
    """``inside[k]`` is 1 when position ``start + k`` lies within an open quotation.

    « opens and » closes (a stray » is ignored); “ ” and " each close an open quotation
    of their kind or else open one, which also copes with reversed curly quotes.
    """
    inside = bytearray(end - start + 1)
    stack: list[str] = []
    for k, char in enumerate(text[start:end], start=1):
        kind = "“" if char in "“”" else char
        if kind == "«" or (kind in "“\"" and kind not in stack):
            stack.append(kind)
        elif kind in "»“\"" and ("«" if kind == "»" else kind) in stack:
            opener = "«" if kind == "»" else kind
            while stack.pop() != opener:
                pass
        inside[k] = 1 if stack else 0
    return inside


def _joinable(gap: str) -> bool:
    """Whitespace with at most one blank line: a longer run of blank lines separates sections."""
    return not gap.strip() and len(LINE_BREAK.findall(gap)) <= 2


def _pack(text: str, pieces: list[Span], max_chars: int) -> list[Span]:
    """Join consecutive pieces into chunks of at most ``max_chars`` where only whitespace separates them."""
    chunks: list[Span] = []
    for start, end in pieces:
        if chunks:
            last_start, last_end = chunks[-1]
            if end - last_start <= max_chars and _joinable(text[last_end:start]):
                chunks[-1] = (last_start, end)
                continue
        chunks.append((start, end))
    return chunks
