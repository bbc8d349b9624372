"""Attribution as ingest runs it: on the article's cleaned text, with spans mapped back.

Page furniture (share and link lines, captions, credit widgets, a headline printed twice) is
cleaned away first (``rag.clean``), so it is never attributed; each statement found in the
cleaned text is mapped through the cleaning's offset map, so its span, and its text, are the
original article's: ``text[q.start:q.end] == q.text``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rag.clean import clean_text
from rag.speakers import SpeakerRegistry
from rag.types import CleanText, Quote

from . import extract_quotes


def article_quotes(text: str, *, title: str | None = None, date: dt.date | None = None,
                   registry: SpeakerRegistry | None = None, clean: CleanText | None = None) -> list[Quote]:
    """Every attributed statement of an article's text, boilerplate skipped (see the module
    docstring); ``clean``: the text's cleaning when already made; the other options are those
    of ``extract_quotes``."""
    clean = clean or clean_text(text)
    return [_in_original(text, clean, q) for q in extract_quotes(clean.text, title=title, date=date, registry=registry)]


def _in_original(text: str, clean: CleanText, quote: Quote) -> Quote:
    start, end = clean.to_original(quote.start, quote.end)
    cue_start = None if quote.cue_start is None else clean.offsets[quote.cue_start]
    return replace(quote, text=text[start:end], start=start, end=end, cue_start=cue_start)
