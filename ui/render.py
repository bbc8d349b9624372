"""HTML for the Gradio window: answers with their citations, ingest reports, index status.

Everything that comes from an article or a user (quotes, passages, titles, outlets, paths,
questions) is untrusted: it goes through ``html.escape`` before it meets any markup, and
only http(s) locations become links. Arabic and English share lines, so each line gets the
direction of its first strong letter and runs of the other script are isolated in ``<bdi>``:
punctuation and brackets then stay where the reader expects them.
"""
from __future__ import annotations

import re
from html import escape

from rag import Answer, Citation, IndexStats, IngestReport

_AR = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_LA = "A-Za-z\u00c0-\u024f"
_FIRST_STRONG = re.compile(rf"[{_AR}{_LA}]")
# A run of one script: from its first to its last letter, across spaces, digits and punctuation.
_RUNS = {
    "ltr": re.compile(rf"[{_AR}](?:[^{_AR}{_LA}\n]*[{_AR}])*"),  # Arabic inside an English line
    "rtl": re.compile(rf"[{_LA}](?:[^{_AR}{_LA}\n]*[{_LA}])*"),  # English inside an Arabic line
}
_MARKER = re.compile(r"\[(\d+)\]")
_TRAILING_QUOTE = re.compile(r"«(.*)»\s*$")


def direction(text: str) -> str:
    """``rtl`` or ``ltr`` after the first strong letter (as ``dir="auto"`` decides), ``auto`` when none."""
    first = _FIRST_STRONG.search(text or "")
    if first is None:
        return "auto"
    return "rtl" if re.match(rf"[{_AR}]", first.group()) else "ltr"


def isolate(text: str, base: str) -> str:
    """``text`` escaped, with runs of the script opposite to ``base`` wrapped in ``<bdi>``."""
    runs = _RUNS.get(base)
    if runs is None:
        return escape(text)
    out, last = [], 0
    for run in runs.finditer(text):
        out += [escape(text[last:run.start()]), f"<bdi>{escape(run.group())}</bdi>"]
        last = run.end()
    out.append(escape(text[last:]))
    return "".join(out)


def line_html(line: str, css: str = "") -> str:
    """One line of mixed text: its own direction, ``[n]`` markers as superscript references."""
    base = direction(line)
    parts = _MARKER.split(line)  # text, number, text, number, ...
    body = "".join(
        isolate(part, base) if i % 2 == 0 else f'<sup class="qawl-ref">[{part}]</sup>'
        for i, part in enumerate(parts)
    )
    attrs = f' class="{css}"' if css else ""
    return f'<p dir="{base}"{attrs}>{body}</p>'


def text_html(text: str) -> str:
    """Each non-blank line of ``text`` as a paragraph of its own direction."""
    return "".join(line_html(line) for line in text.splitlines() if line.strip())


def question_html(question: str, filters: dict[str, str]) -> str:
    """The user's message, with the filters it was asked under."""
    chips = "".join(
        f'<span class="qawl-chip">{escape(name)}: <bdi>{escape(value)}</bdi></span>'
        for name, value in filters.items() if value
    )
    return text_html(question) + (f'<div class="qawl-chips">{chips}</div>' if chips else "")


UNDERSTOOD = (("speakers", "speaker"), ("topic", "topic"), ("addressee", "to"), ("setting", "setting"),
              ("reporter", "according to"), ("source", "outlet"), ("date_from", "from"), ("date_to", "to date"))


def understood_html(parsed: dict) -> str:
    """What the question was read as — "Understood: speaker · topic · …" chips, a role kept from
    the question before marked as such, and the candidates when the speaker is ambiguous."""
    chips = []
    kept = set(parsed.get("kept") or ())
    for key, label in UNDERSTOOD:
        value = parsed.get(key)
        if key == "speakers":
            value = " · ".join(s.get("name_en") or s.get("name_ar") or "" for s in value or [])
            kept_mark = "speaker" in kept
        else:
            kept_mark = key in kept
        if value:
            css = "qawl-chip qawl-kept" if kept_mark else "qawl-chip"
            note = " (kept)" if kept_mark else ""
            chips.append(f'<span class="{css}">{escape(label)}: <bdi>{escape(str(value))}</bdi>{note}</span>')
    candidates = [c.get("name_en") or c.get("name_ar") for c in parsed.get("candidates") or []]
    if candidates:
        chips.append('<span class="qawl-chip">which speaker? ' +
                     " · ".join(f"<bdi>{escape(c)}</bdi>" for c in candidates if c) + "</span>")
    if not chips:
        return ""
    return f'<div class="qawl-chips qawl-understood"><span class="qawl-hint">Understood:</span> {"".join(chips)}</div>'


def answer_html(answer: Answer) -> str:
    """An answer: what the question was understood as, its text with ``[n]`` markers and a card
    per citation; a line that ends by quoting citation ``n`` verbatim is shown as its lead-in
    followed by that card (the quote is not printed twice). An abstention is shown as such,
    with the alternatives it names."""
    understood = understood_html(answer.parsed or {})
    if not answer.found:
        return (
            f'<div class="qawl-abstain">{understood}<div class="qawl-badge">No matching statement</div>'
            f"{text_html(answer.text)}</div>"
        )
    parts, placed = [], set()
    for line in filter(str.strip, answer.text.splitlines()):
        cited = _cited_line(line, answer.citations)
        if cited is None:
            parts.append(line_html(line))
        else:
            lead, n = cited
            parts += [line_html(lead, css="qawl-lead"), citation_html(n, answer.citations[n - 1])]
            placed.add(n)
    rest = [citation_html(n, c) for n, c in enumerate(answer.citations, 1) if n not in placed]
    if rest:
        parts.append('<div class="qawl-label">Sources</div>' + "".join(rest))
    return f'<div class="qawl-answer">{understood}{"".join(parts)}</div>'


def _cited_line(line: str, citations: list[Citation]) -> tuple[str, int] | None:
    """``(lead-in, n)`` for a line «… [n]: «quote»» that quotes citation ``n`` exactly, else None."""
    markers = _MARKER.findall(line)
    quoted = _TRAILING_QUOTE.search(line)
    if len(markers) != 1 or quoted is None or not 1 <= int(markers[0]) <= len(citations):
        return None
    n = int(markers[0])
    if quoted.group(1) != citations[n - 1].quote:
        return None
    return line[:quoted.start()].rstrip(), n


def citation_html(n: int, c: Citation) -> str:
    """A citation card: speaker (English and Arabic), the verbatim quote right-to-left, then
    title, outlet and date, which expand to the surrounding passage and the article's location."""
    quote_dir = "rtl" if direction(c.quote) == "rtl" else "auto"
    return (
        f'<div class="qawl-cite" data-n="{n}">'
        f'<div class="qawl-cite-head"><span class="qawl-num">{n}</span>'
        f'<span class="qawl-speaker">{escape(c.speaker)}</span>'
        f'<bdi class="qawl-speaker-ar" dir="rtl" lang="ar">{escape(c.speaker_ar)}</bdi>'
        f'<span class="qawl-kind">{escape(c.kind)}</span></div>'
        f'<blockquote class="qawl-quote" dir="{quote_dir}" lang="ar">{escape(c.quote)}</blockquote>'
        f'<details class="qawl-source"><summary class="qawl-meta">{_meta(c)}'
        f'<span class="qawl-more">Source passage</span></summary>{_source(c)}</details></div>'
    )


def highlight(passage: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``passage`` (its first occurrence), None when it is not there."""
    at = passage.find(quote) if quote else -1
    return None if at < 0 else (at, at + len(quote))


def passage_html(c: Citation) -> str:
    """The passage around a citation, the quoted words in ``<mark>``."""
    span = highlight(c.passage, c.quote)
    if span is None:
        body = escape(c.passage)
    else:
        start, end = span
        body = f"{escape(c.passage[:start])}<mark>{escape(c.passage[start:end])}</mark>{escape(c.passage[end:])}"
    return f'<p class="qawl-passage" dir="{direction(c.passage)}" lang="ar">{body}</p>'


def location_html(location: str | None) -> str:
    """A link for an http(s) URL; anything else (a file path, a ``javascript:`` URL) as plain text."""
    if not location:
        return '<span class="qawl-muted">location unknown</span>'
    if re.match(r"https?://", location, re.IGNORECASE):
        return f'<a href="{escape(location, quote=True)}" target="_blank" rel="noopener noreferrer">{escape(location)}</a>'
    return f"<code>{escape(location)}</code>"


def _meta(c: Citation) -> str:
    title = escape(c.title or c.article_id)
    outlet = escape(c.source) if c.source else '<span class="qawl-muted">outlet unknown</span>'
    date = c.date.isoformat() if c.date else '<span class="qawl-muted">date unknown</span>'
    return (f'<bdi class="qawl-title">{title}</bdi><span class="qawl-sep">·</span>'
            f"<bdi>{outlet}</bdi><span class=\"qawl-sep\">·</span>{date}")


def _source(c: Citation) -> str:
    also = ""
    if c.also_in:
        also = f'<div class="qawl-loc">Also reported in: {", ".join(escape(a) for a in c.also_in)}</div>'
    return (
        f'<div class="qawl-source-body">{passage_html(c)}'
        f'<div class="qawl-loc">Article: {location_html(c.url)}'
        f'<span class="qawl-sep">·</span>characters {c.start}–{c.end}</div>{also}</div>'
    )


def cell_html(text: str | None) -> str:
    """A table cell's text, escaped, in the direction of its own first letter."""
    return f'<div dir="{direction(text or "")}">{escape(text or "")}</div>'


def speaker_cell_html(name_en: str, name_ar: str) -> str:
    """A speaker's English name over their Arabic name, for a table cell."""
    return f'<div dir="ltr">{escape(name_en)}</div><div dir="rtl" class="qawl-name-ar">{escape(name_ar)}</div>'


def error_html(message: str) -> str:
    return f'<div class="qawl-error">{text_html(message)}</div>'


def report_html(report: IngestReport) -> str:
    """An ingest report: the counts, then every duplicate, skipped and failed file with its reason."""
    counts = [("added", report.added), ("updated", report.updated), ("unchanged", report.unchanged),
              ("duplicates", len(report.duplicates)), ("skipped", len(report.skipped)),
              ("failed", len(report.failed)), ("quotes", report.quotes)]
    tiles = "".join(
        f'<div class="qawl-tile{" qawl-bad" if name == "failed" and n else ""}"><b>{n}</b><span>{name}</span></div>'
        for name, n in counts
    )
    lists = (
        _report_list("Failed", report.failed, "qawl-bad")
        + _report_list("Skipped", report.skipped)
        + _report_list("Duplicates (same text as an indexed article)", report.duplicates)
    )
    return f'<div class="qawl-report"><div class="qawl-tiles">{tiles}</div>{lists}</div>'


def _report_list(title: str, items: list[tuple[str, str]], css: str = "") -> str:
    if not items:
        return ""
    rows = "".join(f"<li><code>{escape(where)}</code> — <bdi>{escape(why)}</bdi></li>" for where, why in items)
    return f'<div class="qawl-list {css}"><div class="qawl-label">{escape(title)}</div><ul>{rows}</ul></div>'


def stats_html(stats: IndexStats, speakers: int) -> str:
    """What the index holds: counts, date range, outlets, size, model and location."""
    dates = f"{stats.date_from or '?'} → {stats.date_to or '?'}" if stats.date_from or stats.date_to else "no dates"
    tiles = [("articles", stats.articles), ("quotes", stats.quotes), ("speakers", speakers), ("passages", stats.chunks)]
    tile_html = "".join(f'<div class="qawl-tile"><b>{n:,}</b><span>{name}</span></div>' for name, n in tiles)
    outlets = "".join(
        f'<li>{_outlet(name)} <span class="qawl-muted">{n}</span></li>' for name, n in stats.sources.items()
    )
    size = "n/a (Chroma server)" if stats.size_bytes is None else f"{stats.size_bytes / 1e6:.1f} MB"
    rows = [("Dates", escape(dates)), ("Outlets", f'<ul class="qawl-inline">{outlets}</ul>'),
            ("Embedding model", f"<code>{escape(stats.embedding_model)}</code>"),
            ("Index", f"<code>{escape(stats.location)}</code>"), ("Size on disk", size)]
    table = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
    return f'<div class="qawl-stats"><div class="qawl-tiles">{tile_html}</div><table>{table}</table></div>'


def _outlet(name: str) -> str:
    return '<span class="qawl-muted">outlet unknown</span>' if name == "unknown" else f"<bdi>{escape(name)}</bdi>"


def header_html(stats: IndexStats, speakers: int) -> str:
    """The window's title, and a one-line summary of the index."""
    return (
        '<div class="qawl-header"><span class="qawl-logo">Qawl<bdi dir="rtl" lang="ar">قول</bdi></span>'
        '<span class="qawl-tagline">Who said what in Arabic news — verbatim, with exact citations</span>'
        f'<span class="qawl-status">{stats.articles:,} articles · {stats.quotes:,} quotes · {speakers:,} speakers · '
        f"<code>{escape(stats.embedding_model)}</code></span></div>"
    )
