"""Extractive answers: the asked speaker's own words, verbatim, each cited to its article.

Speaker-first: the question's speaker is resolved, their quotes come from the in-memory
catalogue, and the topic only *ranks* them (dense + Arabic BM25, fused). A quote is on
topic when its dense similarity reaches ``TOPIC_MIN`` or it shares Arabic keywords with
the topic; the thresholds are measured on the dev questions (``qawl eval qa``).
When nothing qualifies the answer says so (``found=False``) and shows what is closest.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from .catalog import QuoteCatalog
from .chunk import paragraph_around
from .normalize import has_arabic, tokenize
from .question import ParsedQuestion
from .search import Filters, HybridSearcher, KeywordIndex, reciprocal_rank_fusion
from .store import ChromaStore, Record
from .types import Answer, Citation, Speaker

TOPIC_MIN = 0.80  # dense cosine (e5, query vs passage) at which a quote counts as on topic
CONTENT_MIN = 0.86  # "who said <words>": the words must match a quote this closely…
CONTENT_OVERLAP = 0.6  # …or share this share of their keywords with it
SAME_STATEMENT = 0.8  # keyword Jaccard above which two quotes are one statement


@lru_cache(maxsize=1)
def _templates() -> dict:
    return yaml.safe_load((Path(__file__).parent / "resources" / "answers.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Ranked:
    record: Record
    score: float
    similarity: float | None
    on_topic: bool


class Answerer:
    """Turns a parsed question into an ``Answer`` over one index."""

    def __init__(
        self,
        *,
        store: ChromaStore,
        embed_query: Callable[[str], np.ndarray],
        catalog: Callable[[], QuoteCatalog],
        quotes: HybridSearcher,
        chunks: HybridSearcher,
        committed: Callable[[], frozenset[str]],
    ):
        self.store = store
        self.embed_query = embed_query
        self.catalog = catalog
        self.quotes = quotes
        self.chunks = chunks
        self.committed = committed

    def answer(self, parsed: ParsedQuestion, *, k: int = 5, filters: Filters = Filters()) -> Answer:
        words = _templates()[parsed.lang]
        if parsed.intent in ("who_said", "who_spoke"):
            return self._who(parsed, k, filters, words)
        if parsed.unresolved and not parsed.speakers:
            return _abstain(parsed, words["no_speaker"].format(name=", ".join(parsed.unresolved)))
        if not parsed.speakers:
            return _abstain(parsed, words["no_speaker_in_question"])
        lines, citations, misses = [], [], []
        for speaker in parsed.speakers:
            ranked = self.rank_quotes(speaker, parsed.topic, filters)
            chosen = [r for r in ranked if r.on_topic][:k]
            if chosen:
                lines += self._cite(chosen, speaker, parsed.lang, words, citations)
            else:
                misses.append(self._miss(speaker, parsed, ranked, words))
        found = bool(citations)
        prefix = words["yes"] if found and parsed.intent == "did_mention" else ""
        return Answer(parsed.question, found, prefix + "\n".join(lines + misses), citations, parsed.to_dict())

    def rank_quotes(self, speaker: Speaker, topic: str | None, filters: Filters) -> list[Ranked]:
        """The speaker's quotes, best first; ``on_topic`` says whether each one answers ``topic``."""
        committed = self.committed()
        records = [
            r for r in self.catalog().quotes_of([speaker.id])
            if r.metadata["article_id"] in committed and filters.matches(r.metadata)
        ]
        if not topic:
            records.sort(key=lambda r: (-r.metadata.get("confidence", 0), r.metadata.get("date_int", 0) * -1))
            return [Ranked(r, 0.0, None, True) for r in records]
        vectors = self.store.embeddings("quotes", [r.id for r in records])
        query = self.embed_query(topic)
        similarity = {r.id: float(vectors[r.id] @ query) for r in records if r.id in vectors}
        rankings = [sorted(similarity, key=lambda i: -similarity[i])]
        keyword_ids: set[str] = set()
        if has_arabic(topic):
            hits = KeywordIndex(records).top(topic, len(records))
            keyword_ids = {r.id for r, _ in hits}
            rankings.append([r.id for r, _ in hits])
        fused = reciprocal_rank_fusion(rankings)
        by_id = {r.id: r for r in records}
        return [
            Ranked(by_id[i], fused[i], similarity.get(i), similarity.get(i, 0) >= TOPIC_MIN or i in keyword_ids)
            for i in sorted(fused, key=lambda i: -fused[i])
        ]

    def _who(self, parsed: ParsedQuestion, k: int, filters: Filters, words: dict) -> Answer:
        """Who said <words> / who spoke about <topic>: search all quotes, then name the speakers."""
        text = parsed.topic or ""
        if not text:
            return _abstain(parsed, words["who_said_none"])
        committed = self.committed()
        hits = self.quotes.search(text, 4 * k, filters=filters, keep=lambda r: r.metadata["article_id"] in committed)
        minimum = CONTENT_MIN if parsed.intent == "who_said" else TOPIC_MIN
        good = [
            Ranked(h.record, h.score, h.similarity, True)
            for h in hits
            if (h.similarity or 0) >= minimum or _overlap(text, h.record.document) >= CONTENT_OVERLAP
        ][:k]
        if not good:
            about = words["about"].format(topic=text) if parsed.intent == "who_spoke" else ""
            none = words["nobody"].format(about=about) if parsed.intent == "who_spoke" else words["who_said_none"]
            return _abstain(parsed, none)
        catalog = self.catalog()
        citations: list[Citation] = []
        lines = []
        for ranked in good:
            speaker = catalog.speaker_of(ranked.record)
            lines += self._cite([ranked], speaker, parsed.lang, words, citations)
        return Answer(parsed.question, True, "\n".join(lines), citations, parsed.to_dict())

    def _cite(self, chosen: list[Ranked], speaker: Speaker, lang: str, words: dict, citations: list[Citation]) -> list[str]:
        """Answer lines for ``chosen`` quotes, appending their citations; one line per statement,
        however many outlets reported it."""
        lines = []
        for group in _same_statements(chosen, citations):
            first = group[0]
            citations.append(self._citation(first, group[1:]))
            n = len(citations)
            template = words["said_direct" if first.record.metadata["kind"] != "indirect" else "said_indirect"]
            line = template.format(who=_who(speaker, lang), n=n, quote=first.record.document)
            outlets = sorted({g.record.metadata.get("source") or g.record.metadata["article_id"] for g in group[1:]})
            lines.append(line + (words["also_in"].format(outlets=", ".join(outlets)) if outlets else ""))
        return lines

    def _citation(self, ranked: Ranked, same: list[Ranked]) -> Citation:
        meta = ranked.record.metadata
        article_text = self.store.get("articles", [meta["article_id"]])[0].document
        p_start, p_end = paragraph_around(article_text, meta["start"], meta["end"])
        speaker = self.catalog().speaker_of(ranked.record)
        return Citation(
            speaker=speaker.name_en,
            speaker_ar=speaker.name_ar,
            quote=ranked.record.document,
            kind=meta["kind"],
            article_id=meta["article_id"],
            title=meta.get("title"),
            source=meta.get("source"),
            date=dt.date.fromisoformat(meta["date"]) if meta.get("date") else None,
            url=meta.get("url") or meta.get("path"),
            start=meta["start"],
            end=meta["end"],
            passage=article_text[p_start:p_end],
            score=round(ranked.similarity if ranked.similarity is not None else ranked.score, 4),
            also_in=tuple(s.record.metadata["article_id"] for s in same),
            speaker_id=speaker.id,
            speaker_ids=speaker.ids,
        )

    def _miss(self, speaker: Speaker, parsed: ParsedQuestion, ranked: list[Ranked], words: dict) -> str:
        """Why there is no answer for ``speaker``, with the nearest quotes when there are some."""
        name = _name(speaker, parsed.lang)
        if not ranked:
            if self.chunks.keywords.top(speaker.name_ar, 1):
                return words["only_mentioned"].format(speaker=name)
            return words["no_quote"].format(speaker=name, about="")
        about = words["about"].format(topic=parsed.topic) if parsed.topic else ""
        items = " · ".join(f"«{_excerpt(r.record.document)}»" for r in ranked[:3])
        return words["no_quote"].format(speaker=name, about=about) + "\n" + words["nearest"].format(speaker=name, items=items)


def _abstain(parsed: ParsedQuestion, text: str) -> Answer:
    return Answer(parsed.question, False, text, [], parsed.to_dict())


def _name(speaker: Speaker, lang: str) -> str:
    return speaker.name_ar if lang == "ar" else speaker.name_en


def _who(speaker: Speaker, lang: str) -> str:
    name = _name(speaker, lang)
    return f"{name} ({speaker.description})" if lang == "en" and speaker.description else name


def _excerpt(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _overlap(query: str, text: str) -> float:
    wanted = set(tokenize(query))
    return len(wanted & set(tokenize(text))) / len(wanted) if wanted else 0.0


def _jaccard(a: str, b: str) -> float:
    x, y = set(tokenize(a)), set(tokenize(b))
    return len(x & y) / len(x | y) if x | y else 0.0


def _same_statements(chosen: list[Ranked], already: list[Citation]) -> list[list[Ranked]]:
    """Group quotes that are one statement reported several times (across outlets or within
    an article); statements already cited are dropped."""
    groups: list[list[Ranked]] = []
    for ranked in chosen:
        text = ranked.record.document
        if any(_jaccard(text, c.quote) >= SAME_STATEMENT for c in already):
            continue
        for group in groups:
            if _jaccard(text, group[0].record.document) >= SAME_STATEMENT:
                group.append(ranked)
                break
        else:
            groups.append([ranked])
    return groups
