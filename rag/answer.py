"""Extractive answers: the asked speaker's own words, verbatim, each cited to its article.

Speaker-first: the question's speaker is resolved, their quotes come from the in-memory
catalogue, and the topic *ranks* them (dense + keyword, fused) and *gates* them: a quote is
cited only when the topic judge (``rag.topic_judge``, a calibrated model fitted on labelled
pairs) finds its own words on the topic — not merely the sentence around them. "Did X say
that <words>" and "who said <words>" match the words themselves (``CONTENT_*``). When
nothing qualifies the answer says so (``found=False``) and shows what is closest.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .catalog import QuoteCatalog, statement
from .chunk import paragraph_around
from .knowledge import load
from .arabic import has_arabic, name_key, tokenize
from .question import Asked, ParsedQuestion, outlet_spoken_to
from .search import Filters, HybridSearcher, reciprocal_rank_fusion
from .speakers import SpeakerRegistry
from .store import ChromaStore, Record, record_date
from .topic import Topic, arabic_keywords, coverage, parse_topic, weighted_coverages
from .topic_judge import TopicJudge, default_judge, rows
from .transliterate import names_match, sounds_alike
from .types import Answer, Citation, Speaker

CONTENT_COVERAGE = 0.6  # "who said <words>": share of the words' terms the quote must cover…
CONTENT_DENSE = 0.86  # …or this dense similarity
CONTENT_MARGIN = 0.1  # …and be within this of the best-matching statement
SAME_STATEMENT = 0.8  # keyword Jaccard above which two quotes are one statement
JUDGE_ALL_UP_TO = 200  # a speaker's quotes all judged on the topic up to this many; beyond, see _worth_judging
SAME_PERSON = 0.8  # an English name and Arabic words sounding this alike name one person
NEAREST_JUDGED = 200  # …and beyond, the quotes nearest in meaning judged besides those holding the topic's words
CONTEXT_COVERAGE = 0.6  # share of a setting's words an article must hold to be where a statement was made


@lru_cache(maxsize=1)
def _templates() -> dict:
    return load("answers")


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
        registry: SpeakerRegistry,
        judge: TopicJudge | None = None,
    ):
        self.registry = registry
        self.judge = judge or default_judge()
        self.store = store
        self.embed_query = embed_query
        self.catalog = catalog
        self.quotes = quotes
        self.chunks = chunks
        self.committed = committed

    def answer(self, parsed: ParsedQuestion, *, k: int = 5, filters: Filters = Filters()) -> Answer:
        words = _templates()[parsed.lang]
        catalog = self.catalog()  # one catalogue for the whole answer: an upload meanwhile may replace it
        if parsed.intent in ("who_said", "who_spoke"):
            return self._who(parsed, k, filters, words, catalog)
        if parsed.unresolved and not parsed.asked:
            return _abstain(parsed, words["no_speaker"].format(name=", ".join(parsed.unresolved)))
        if not parsed.asked and parsed.candidates:
            names = [_name(s, parsed.lang) for s in parsed.candidates]
            return _abstain(parsed, words["ambiguous"].format(names=" · ".join(names), first=names[0]))
        if not parsed.asked:
            return _abstain(parsed, words["no_speaker_in_question"])
        lines, citations, misses = [], [], []
        content = parsed.intent == "did_say"
        # "What did X tell Y?": with no topic, what X said to or about Y
        topic = parsed.topic or parsed.addressee
        for asked in parsed.asked:
            ranked = self.rank_quotes(asked, topic, filters, catalog, content=content)
            if not topic and parsed.setting:
                ranked = self._in_setting(ranked, parsed.setting)
            elif parsed.topic:
                ranked = self._in_context(ranked, parsed, catalog)
            chosen = [r for r in ranked if r.on_topic][:k]
            if chosen:
                lines += self._cite(chosen, parsed.lang, words, citations, catalog)
            else:
                misses.append(self._miss(asked, parsed, ranked, words, catalog))
        found = bool(citations)
        prefix = words["affirm"] if found and parsed.intent in ("did_mention", "did_say") else ""
        return Answer(parsed.question, found, prefix + "\n".join(lines + misses), citations, parsed.to_dict())

    def rank_quotes(
        self, asked: Asked, topic: str | None, filters: Filters, catalog: QuoteCatalog, *, content: bool = False,
    ) -> list[Ranked]:
        """The asked speaker's quotes, best first; ``on_topic`` says whether each answers ``topic``
        (``content``: whether each says the words ``topic`` holds)."""
        records = self._quotes_of(asked, filters, catalog)
        if not topic:
            records.sort(key=lambda r: (-r.metadata.get("confidence", 0), -r.metadata.get("date_int", 0)))
            return [Ranked(r, 0.0, None, True) for r in records]
        wanted = parse_topic(topic, self.registry, learned=not content)
        similarity = catalog.similarities(records, self.embed_query(topic))
        nearest = sorted(similarity, key=lambda i: -similarity[i])
        judged = _worth_judging(records, wanted, nearest, catalog)
        scores, weights = weighted_coverages(wanted, [statement(r) for r in judged], among=len(records))
        covers = {r.id: score for r, score in zip(judged, scores)}
        # Words in the quote itself say more than words in the sentence around it (and a quote
        # whose sentence covers nothing covers nothing itself).
        own = {r.id: coverage(wanted, r.document, weights) for r in judged if covers[r.id] > 0}
        rankings = [
            nearest,
            sorted((i for i in covers if covers[i] > 0), key=lambda i: (-own[i], -covers[i])),
        ]
        fused = reciprocal_rank_fusion(rankings)
        by_id = {r.id: r for r in records}
        if content:
            good = {i: covers.get(i, 0.0) >= CONTENT_COVERAGE for i in by_id}
            probability = {i: covers.get(i, 0.0) for i in by_id}
        else:
            probability = self._judge(wanted, judged, similarity)
            good = {i: bool(p >= threshold) for i, (p, threshold) in probability.items()}
            probability = {i: float(p) for i, (p, _) in probability.items()}
            if not any(good.values()):
                good.update(self._sentence_on_topic(wanted, judged, similarity))
        ranked = [Ranked(by_id[i], fused.get(i, 0.0), similarity.get(i), good.get(i, False)) for i in by_id]
        # On-topic quotes the judge is surest of first; then the rest by fused rank.
        return sorted(ranked, key=lambda r: (-r.on_topic, -probability.get(r.record.id, 0.0) if r.on_topic else 0.0,
                                             -r.score))

    def _in_setting(self, ranked: list[Ranked], setting: str) -> list[Ranked]:
        """"What did X say in Kuwait?": only statements whose sentence names the setting count."""
        place = parse_topic(setting, self.registry)
        if not place.terms:
            return ranked
        return [Ranked(r.record, r.score, r.similarity, r.on_topic and coverage(place, statement(r.record)) > 0)
                for r in ranked]

    def _in_context(self, ranked: list[Ranked], parsed: ParsedQuestion, catalog: QuoteCatalog) -> list[Ranked]:
        """"What did X tell Okaz about T?", "… about T at the Council on Foreign Relations?": of
        the statements on the topic, those made to that outlet (its articles) or in that setting
        (articles naming it) when there are any; all of them otherwise — the context narrows an
        answer, it never empties one."""
        on = [r for r in ranked if r.on_topic]
        outlet = outlet_spoken_to(parsed.addressee, catalog.sources)
        setting = parse_topic(parsed.setting, self.registry) if parsed.setting else None
        if len(on) < 2 or (outlet is None and not (setting and setting.terms)):
            return ranked
        texts = {}
        if setting and setting.terms:
            ids = sorted({r.record.metadata["article_id"] for r in on})
            texts = {a.id: a.document for a in self.store.get("articles", ids)}

        def fits(r: Ranked) -> bool:
            meta = r.record.metadata
            return (outlet is not None and meta.get("source") == outlet) or (
                bool(texts) and coverage(setting, texts.get(meta["article_id"], "")) >= CONTEXT_COVERAGE)

        fitting = {r.record.id for r in on if fits(r)}
        if not fitting:
            return ranked
        return [Ranked(r.record, r.score, r.similarity, r.on_topic and r.record.id in fitting) for r in ranked]

    def _sentence_on_topic(self, topic: Topic, records: list[Record], similarity: dict[str, float]) -> dict[str, bool]:
        """When no quote's own words are on the topic, the one statement whose whole sentence
        (cue and setting included: «… خلال لقائه نظيره المصري») the judge finds on it, if any."""
        if not records:
            return {}
        judged = rows(topic, [statement(r) for r in records], [similarity.get(r.id) for r in records])
        margin = self.judge.probability(judged) - self.judge.thresholds(judged)
        best = int(np.argmax(margin))
        return {records[best].id: True} if margin[best] >= 0 else {}

    def _judge(self, topic: Topic, records: list[Record], similarity: dict[str, float]) -> dict[str, tuple[float, float]]:
        """(probability on topic, threshold) of each record's own words, by the topic judge."""
        if not records:
            return {}
        judged = rows(topic, [r.document for r in records], [similarity.get(r.id) for r in records])
        return dict(zip((r.id for r in records), zip(self.judge.probability(judged), self.judge.thresholds(judged))))

    def _quotes_of(self, asked: Asked, filters: Filters, catalog: QuoteCatalog) -> list[Record]:
        """Quotes of the asked speaker(s) in committed articles, within the filters and, for a
        title, each holder's time in office."""
        committed = self.committed()
        chosen: dict[str, Record] = {}
        for speaker in asked.speakers:
            records = [r for r in catalog.quotes_of([speaker.id])
                       if r.metadata["article_id"] in committed and filters.matches(r.metadata)
                       and asked.allows(speaker.id, record_date(r.metadata))]
            name = asked.full_name_needed(speaker.id)
            if name is not None:
                records = self._in_articles_naming(records, name)
            chosen.update((r.id, r) for r in records)
        return list(chosen.values())

    def _in_articles_naming(self, records: list[Record], name: str) -> list[Record]:
        """The quotes whose article gives ``name`` (normalised words) in full: «الشيشكلي» is
        «أديب الشيشكلي» only where the article says so."""
        ids = sorted({r.metadata["article_id"] for r in records})
        naming = {a.id for a in self.store.get("articles", ids) if names_in(name, a.document)}
        return [r for r in records if r.metadata["article_id"] in naming]

    def _who(self, parsed: ParsedQuestion, k: int, filters: Filters, words: dict, catalog: QuoteCatalog) -> Answer:
        """Who said <words> / who spoke about <topic>: search all quotes, then name the speakers."""
        text = parsed.topic or ""
        if not text:
            return _abstain(parsed, words["who_said_none"])
        committed = self.committed()
        wanted = parse_topic(text, self.registry, learned=parsed.intent != "who_said")
        arabic_terms = arabic_keywords(text, self.registry)
        hits = self.quotes.search(text, 4 * k, filters=filters, keep=lambda r: r.metadata["article_id"] in committed and r.id in catalog.records,
                                  keyword_query=arabic_terms)
        is_content = parsed.intent == "who_said"
        if is_content:
            # The words someone said all matter alike.
            covers = {h.record.id: coverage(wanted, statement(h.record)) for h in hits}
            good = [Ranked(h.record, h.score, h.similarity, True) for h in hits
                    if _says(wanted, covers[h.record.id], h.similarity)]
        else:
            similarity = catalog.similarities([h.record for h in hits], self.embed_query(text))
            judged = self._judge(wanted, [h.record for h in hits], similarity)
            good = [Ranked(h.record, h.score, h.similarity, True) for h in hits
                    if judged[h.record.id][0] >= judged[h.record.id][1]]
        if is_content and good:
            # "Who said <words>" asks for whoever said those words: the best matches only.
            best = max(covers[r.record.id] for r in good)
            good = [r for r in good if covers[r.record.id] >= best - CONTENT_MARGIN]
        good = good[:k]
        if not good:
            about = words["about"].format(topic=text) if parsed.intent == "who_spoke" else ""
            none = words["nobody"].format(about=about) if parsed.intent == "who_spoke" else words["who_said_none"]
            return _abstain(parsed, none)
        citations: list[Citation] = []
        lines = self._cite(good, parsed.lang, words, citations, catalog)
        return Answer(parsed.question, True, "\n".join(lines), citations, parsed.to_dict())

    def _cite(
        self, chosen: list[Ranked], lang: str, words: dict, citations: list[Citation], catalog: QuoteCatalog,
    ) -> list[str]:
        """Answer lines for ``chosen`` quotes, appending their citations; one line per statement,
        however many outlets reported it."""
        lines = []
        for group in _same_statements(chosen, citations):
            first = group[0]
            citations.append(self._citation(first, group[1:], catalog))
            n = len(citations)
            template = words["said_direct" if first.record.metadata["kind"] != "indirect" else "said_indirect"]
            speaker = catalog.speaker_of(first.record)
            line = template.format(who=_who(speaker, lang), n=n, quote=first.record.document)
            outlets = sorted({g.record.metadata.get("source") or g.record.metadata["article_id"] for g in group[1:]})
            lines.append(line + (words["also_in"].format(outlets=", ".join(outlets)) if outlets else ""))
        return lines

    def _citation(self, ranked: Ranked, same: list[Ranked], catalog: QuoteCatalog) -> Citation:
        meta = ranked.record.metadata
        article = self.store.get("articles", [meta["article_id"]])[0]
        article_text, about = article.document, article.metadata  # the catalogue keeps no titles or URLs
        p_start, p_end = paragraph_around(article_text, meta["start"], meta["end"])
        speaker = catalog.speaker_of(ranked.record)
        return Citation(
            speaker=speaker.name_en,
            speaker_ar=speaker.name_ar,
            quote=ranked.record.document,
            kind=meta["kind"],
            article_id=meta["article_id"],
            title=about.get("title"),
            source=meta.get("source"),
            date=record_date(meta),
            url=about.get("url") or about.get("path"),
            start=meta["start"],
            end=meta["end"],
            passage=article_text[p_start:p_end],
            score=round(ranked.similarity if ranked.similarity is not None else ranked.score, 4),
            also_in=tuple(s.record.metadata["article_id"] for s in same),
            speaker_id=speaker.id,
            speaker_ids=speaker.ids,
        )

    def _miss(self, asked: Asked, parsed: ParsedQuestion, ranked: list[Ranked], words: dict, catalog: QuoteCatalog) -> str:
        """Why there is no answer for ``asked``, with the nearest quotes when there are some."""
        speaker = asked.speakers[0]
        name = _name(speaker, parsed.lang) if len(asked.speakers) == 1 else asked.label
        quoted_at_all = catalog.quotes_of([s.id for s in asked.speakers])
        if not ranked and not quoted_at_all:
            if any(self.chunks.keywords.top(s.name_ar, 1) for s in asked.speakers):
                return words["only_mentioned"].format(speaker=name)
            return words["no_quote"].format(speaker=name, about="")
        about = words["about"].format(topic=parsed.topic) if parsed.topic else ""
        if not ranked:  # quoted, but not within the asked outlet or dates
            return words["no_quote"].format(speaker=name, about=about) + words["within_limits"]
        items = " · ".join(f"«{_excerpt(r.record.document)}»" for r in ranked[:3])
        return words["no_quote"].format(speaker=name, about=about) + "\n" + words["nearest"].format(speaker=name, items=items)


def _worth_judging(records: list[Record], topic: Topic, nearest: list[str], catalog: QuoteCatalog) -> list[Record]:
    """The quotes whose coverage of ``topic`` is worth working out: all of them, or — for a
    speaker quoted more than ``JUDGE_ALL_UP_TO`` times (a king, a minister: thousands of quotes
    at archive scale) — those holding every word of one of the topic's phrases (the catalogue's
    word forms), and the ``NEAREST_JUDGED`` nearest in meaning (``nearest``: ids, best first),
    where names spelt another way are matched by sound. The rest count as off the topic: for
    such a speaker, a name matched only by sound is looked for among the nearest quotes only."""
    if len(records) <= JUDGE_ALL_UP_TO or not topic.terms:
        return records
    ids = catalog.may_cover(topic, records) | set(nearest[:NEAREST_JUDGED])
    return [r for r in records if r.id in ids]


def names_in(name: str, text: str) -> bool:
    """Whether ``text`` gives ``name`` in full: an Arabic name word for word (``name_key``), an
    English one by sound in any two or three words of the text ("Atheel al-Nujaifi" in «… أثيل
    النجيفي …»)."""
    words = name_key(text).split()
    if has_arabic(name):
        return f" {name_key(name)} " in f" {' '.join(words)} "
    n = len(name.split())
    return any(names_match(name, " ".join(words[i:i + n])) >= SAME_PERSON for i in range(len(words) - n + 1)
               if sounds_alike(name.split()[-1], words[i + n - 1], SAME_PERSON))


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


def _says(topic: Topic, covered: float, similarity: float | None) -> bool:
    """"Who said <words>": the quote holds enough of the words, or — for words with no known
    keyword — means the same."""
    if topic.terms:
        return covered >= CONTENT_COVERAGE
    return not topic.numbers and similarity is not None and similarity >= CONTENT_DENSE


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
