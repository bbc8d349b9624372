"""Quote attribution: who said what in an Arabic news article, with exact spans.

>>> quotes = extract_quotes(article_text, title=title, date=date)
>>> q = quotes[0]; assert article_text[q.start:q.end] == q.text

The package reads as the pipeline it runs: ``document`` (tokens, quotation ``marks``,
sentences, registry mentions) → ``cues`` (reporting verbs, conduit phrases) →
``subjects``, ``preverbal``, ``names`` and ``phrase`` (who the verb's subject is, as
written) → ``coref`` (which speaker that is, tracking the discourse topic) → ``content``
(the span of what was said) → ``statements`` (one sentence at a time) and ``extras``
(headlines, source phrases, continuations) → ``confidence``. The knowledge (verbs,
particles, group nouns…) is in ``rag/resources/reporting.yaml``; the speakers are in the
registry (``rag.speakers``).
"""
from __future__ import annotations

import datetime as dt

from rag.speakers import SpeakerRegistry
from rag.types import Quote

from .confidence import confidence
from .content import not_said
from .coref import Discourse
from .document import Document
from .extras import (continued_quote, first_person_continuation, headline_drafts, interview_answer, narrative_topic,
                     source_drafts, source_lead_drafts, source_phrase_drafts)
from .lexicon import Lexicon, default_lexicon
from .phrase import first_name_ali, imam_words
from .statements import Context, Draft, cue_statements

_APPOSITION_WORDS = 5  # words after a name that still describe it («…، وزير الداخلية البحريني»)
# Not across these: «… الرئيس عبدربه منصور هادي.وقال شهود عيان:» — the witnesses are not Hadi
_SENTENCE_END = set(".:;؛\n!?؟")

__all__ = ["extract_quotes"]


def extract_quotes(text: str, *, title: str | None = None, date: dt.date | None = None,
                   registry: SpeakerRegistry | None = None) -> list[Quote]:
    """Every attributed statement in ``text``, sorted by start; ``text[q.start:q.end] == q.text``.

    Headlines «بوتين: سنشارك…» are quoted (``headline=True``) where their line is in
    ``text``: the ``title``'s line whatever its length, other heading lines when short; a
    title not in ``text`` gives nothing. ``date`` resolves titles (وزير الخارجية الصيني) to
    the person holding them that day.
    """
    if not text or not text.strip():
        return []
    registry = registry or SpeakerRegistry.default()
    lexicon = default_lexicon()
    doc = Document(text, registry.find_mentions(text, date=date))
    doc.mark_names(first_name_ali(doc, lexicon))  # «علي» (Ali) written with ي before a name: no preposition
    doc.mark_names(imam_words(doc))  # «إمام» (imam) written with إ: no preposition either
    ctx = Context(doc, lexicon, registry, Discourse(registry, _named(doc), date, lexicon))
    drafts = [d for d in headline_drafts(ctx, title) + _body_drafts(ctx) if not not_said(doc, lexicon, d)]
    return [_quote(doc.text, lexicon, d) for d in _without_overlaps(drafts)]


def _body_drafts(ctx: Context) -> list[Draft]:
    sentences, drafts = ctx.doc.sentences, []
    i, after_statement = 0, False
    while i < len(sentences):
        sentence = sentences[i]
        ctx.discourse.advance(sentence.start)
        answer = interview_answer(ctx, sentence)
        if answer is not None:  # «•• …»: the interviewee's answer, the whole paragraph
            drafts.append(answer)
            while i + 1 < len(sentences) and sentences[i + 1].paragraph == sentence.paragraph:
                i += 1
            i, after_statement = i + 1, True
            continue
        found = (source_lead_drafts(ctx, sentence) or cue_statements(ctx, sentence)
                 or source_drafts(ctx, sentence) or continued_quote(ctx, sentence, after_statement)
                 or source_phrase_drafts(ctx, sentence))
        if not found:
            narrative_topic(ctx, sentence)
        drafts.extend(found)
        skip = 0
        if found:
            same_paragraph = [s for s in sentences[i + 1:] if s.paragraph == sentence.paragraph]
            more, skip = first_person_continuation(ctx, found[-1], same_paragraph)
            drafts.extend([more] if more else [])
        after_statement = bool(found)
        i += 1 + skip
    return drafts


def _named(doc: Document) -> list:
    """Each registry mention with the words in apposition after it (up to the sentence's end) and
    the title before it, for descriptions to match."""
    named = []
    for m in doc.mentions:
        k = doc.token_index(m.end)
        end = m.end
        for j in range(k, min(k + _APPOSITION_WORDS, len(doc.tokens))):
            gap = doc.text[end:doc.tokens[j].start]
            if any(c in ".،,:;؛\n" for c in gap) and j > k or any(c in _SENTENCE_END for c in gap):
                break  # a comma may open the apposition («…، وزير الداخلية البحريني»), a sentence end not
            end = doc.tokens[j].end
        start = m.start  # and the title written before the name: «وزير النفط الإيراني بيجن زنغنه»
        i = doc.token_index(m.start)
        for j in range(i - 1, max(i - 1 - _APPOSITION_WORDS, -1), -1):
            if any(c in ".،,:;؛\n«»“”\"" for c in doc.text[doc.tokens[j].end:start]):
                break
            start = doc.tokens[j].start
        named.append((m.start, m.speaker, doc.text[start:end]))
    return named


def _without_overlaps(drafts: list[Draft]) -> list[Draft]:
    kept: list[Draft] = []
    nested = [d for d in drafts if d.inner]
    for draft in sorted((d for d in drafts if d not in nested), key=lambda d: (d.start, -d.end)):
        if kept and draft.start < kept[-1].end:
            continue
        kept.append(draft)
    # a nested statement lies inside its outer one: kept when that one is
    inside = [d for d in nested if any(k.start <= d.start and d.end <= k.end and k.speaker == d.nested_in for k in kept)]
    return sorted(kept + inside, key=lambda d: (d.start, -d.end))


def _quote(text: str, lexicon: Lexicon, d: Draft) -> Quote:
    return Quote(
        speaker=d.speaker, text=text[d.start:d.end], start=d.start, end=d.end, kind=d.kind, cue=d.cue,
        confidence=confidence(lexicon, d.how, d.kind), via=d.via, nested_in=d.nested_in,
        headline=d.headline, cue_start=d.cue_start,
    )
