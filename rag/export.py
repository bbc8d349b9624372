"""Speakers and their quotes as plain rows, and a speaker's quotes exported to CSV and JSON.

Used by the Gradio app's Speakers tab and its ``/speakers`` endpoint; the rows carry the
exact article offsets, so an exported quote can be checked against its article.
"""
from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from .catalog import QuoteCatalog, SpeakerCount
from .store import Record
from .types import Speaker

# A spreadsheet runs a cell that starts with one of these as a formula: article text is
# untrusted, so such cells get a leading apostrophe in CSV (JSON keeps the exact text).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class QuoteRow:
    """One attributed quote with its article: ``article.text[start:end] == quote``."""

    date: str | None  # ISO date of the article
    source: str | None
    title: str | None
    speaker: str
    speaker_ar: str
    quote: str
    kind: str
    cue: str
    location: str | None  # the article's URL, else its file path
    article_id: str
    start: int
    end: int


def speaker_row(count: SpeakerCount) -> dict:
    """A quoted speaker and their counts as a JSON-ready dict."""
    s = count.speaker
    return {
        "id": s.id, "name_en": s.name_en, "name_ar": s.name_ar, "kind": s.kind,
        "quotes": count.quotes, "articles": count.articles,
        "first": count.first.isoformat() if count.first else None,
        "last": count.last.isoformat() if count.last else None,
    }


def quote_rows(catalog: QuoteCatalog, records: list[Record], articles: dict[str, dict]) -> list[QuoteRow]:
    """``records`` (a speaker's quotes) as rows with their article's metadata (``articles``, by id),
    newest article first; undated articles last, quotes of one article in reading order."""
    rows = [_quote_row(record, catalog.speaker_of(record), articles.get(record.metadata["article_id"], {}))
            for record in records]
    rows.sort(key=lambda r: (r.article_id, r.start))
    rows.sort(key=lambda r: r.date or "", reverse=True)  # stable: keeps reading order within a date
    return rows


def write_json(rows: list[QuoteRow], path: str | Path) -> Path:
    """Write ``rows`` as a JSON array of objects (UTF-8, Arabic unescaped); returns the path."""
    path = Path(path)
    path.write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_csv(rows: list[QuoteRow], path: str | Path) -> Path:
    """Write ``rows`` as CSV with a header; UTF-8 with a byte-order mark so spreadsheets read Arabic."""
    path = Path(path)
    names = [f.name for f in fields(QuoteRow)]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in rows:
            writer.writerow([_spreadsheet_safe(getattr(row, name)) for name in names])
    return path


def _quote_row(record: Record, speaker: Speaker, article: dict) -> QuoteRow:
    meta = record.metadata
    return QuoteRow(
        date=meta.get("date"),
        source=meta.get("source"),
        title=article.get("title"),
        speaker=speaker.name_en,
        speaker_ar=speaker.name_ar,
        quote=record.document,
        kind=meta["kind"],
        cue=meta.get("cue", ""),
        location=article.get("url") or article.get("path"),
        article_id=meta["article_id"],
        start=meta["start"],
        end=meta["end"],
    )


def _spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
