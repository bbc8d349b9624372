"""Statements without a reporting verb, and what moves the topic between statements.

- Headlines «بوتين: سنشارك…»: a line whose part before the colon is exactly one speaker.
- A quotation attributed by a source phrase alone: «وناقش الوزيران «…»، وفق بيان الخارجية
  الروسية، «…»» — the statement's author speaks the long quotation next to the phrase (a
  short one, «في جو ودّي تقليدي», is a manner phrase, not a statement).
- A sentence that is a quotation, right after a statement: the same speaker goes on.
- Unmarked speech that goes on: after «وقال وانغ يي، إن …», the following sentences of the
  paragraph up to the last one in the first person (عملنا، ونحن…) are still his words.
- A narrative sentence whose subject is a person («ووصل لافروف إلى الصين») makes them the topic.
"""
from __future__ import annotations

from rag.arabic import normalize, tokenize

from .describe import unknown_speaker
from .content import classify, trim
from .cues import find_conduits, find_cues
from .document import Sentence
from .phrase import Subject
from .preverbal import sentence_subject
from .phrase import is_head
from .subjects import noun_phrase
from .statements import Context, Draft

_BULLETS = " \t\u00a0•·▪●-–—*"
_ANSWER_BULLETS = "••"
_MAX_HEADLINE_WORDS = 30
_MIN_HEADLINE_WORDS = 2
_MIN_SOURCE_QUOTE_WORDS = 5  # «في جو ودّي تقليدي» (4 words) is a manner phrase
_MIN_CONTINUED_QUOTE_WORDS = 3
_ADJACENT = set(" \t\u00a0،,")
_MAX_SOURCE_WORDS = 12  # «وطبقا للفاطمي التي تتحدر من المعلا …، فإن»


def headline_drafts(ctx: Context, title: str | None = None) -> list[Draft]:
    """«Name: claim» lines (the title's line and section headings), each distinct line once.
    The title's own line is taken whatever its length; other lines only when short."""
    drafts, seen = [], set()
    title_key = normalize(title).strip() if title else None
    for start, end in ctx.doc.paragraphs:
        key = normalize(ctx.doc.text[start:end]).strip()
        draft = _headline(ctx, start, end, any_length=key == title_key)
        if draft is not None and key not in seen:
            seen.add(key)
            drafts.append(draft)
    return drafts


def _headline(ctx: Context, start: int, end: int, *, any_length: bool) -> Draft | None:
    doc = ctx.doc
    colon = doc.text.find(":", start, end)
    if colon < 0 or not any_length and len(doc.token_range(start, end)) > _MAX_HEADLINE_WORDS:
        return None
    head_start = start
    while head_start < colon and doc.text[head_start] in _BULLETS:
        head_start += 1
    mentions = doc.mentions_in(head_start, colon)
    if len(mentions) != 1 or mentions[0].start != head_start or doc.text[mentions[0].end:colon].strip():
        return None
    body_start, body_end = trim(doc.text, colon + 1, end)  # a CRLF line ends in "\r"
    first = doc.next_token(body_start, body_end)
    if first is not None and first.norm in ctx.lexicon.cues and ctx.lexicon.cues[first.norm].tense == "past":
        return None  # «– ألمانيا: قال يواكيم لوف …»: a section label, the body has its own speaker
    if len(doc.token_range(body_start, body_end)) < _MIN_HEADLINE_WORDS:
        return None
    pair = doc.marks.top_in(body_start, body_start + 1)
    if pair and pair[0].close >= body_end - 1:
        body_start, body_end = pair[0].inner
    speaker = mentions[0].speaker
    return Draft(speaker, "headline", body_start, body_end, "direct", ":", colon, headline=True)


def source_lead_drafts(ctx: Context, sentence: Sentence) -> list[Draft]:
    """«وطبقا للفاطمي …، فإن المعلومات…»، «وبحسب الوزير، فإن…»: a sentence opening with a
    person as its source says what that person said, from «فإن» (or the comma) to the end."""
    doc, lexicon = ctx.doc, ctx.lexicon
    head = doc.next_token(sentence.start, sentence.end)
    if head is None or not (head.norm in lexicon.conduit_heads or head.bare in lexicon.conduit_heads):
        return []
    source = doc.next_token(head.end, sentence.end)
    speaker = _source_person(ctx, source) if source is not None else None
    if speaker is None and source is not None:  # «وبحسب الصندوق، فإن…»، «وبحسب مركز الإمارات …، فإن…»
        k = doc.token_index(source.start)
        if source.norm in lexicon.conduit_particles and k + 1 < len(doc.tokens):
            k += 1
        subject = noun_phrase(doc, lexicon, k, sentence.end, clitic=True)
        if subject is not None and _speaks(ctx, subject):
            speaker, _ = ctx.discourse.resolve(subject, subject.start)
            speaker = speaker or unknown_speaker(ctx.registry, subject.surface, subject.name)
    start = _after_fa_inna(ctx, source.end, sentence.end) if speaker is not None else None
    content = classify(doc, start, sentence.end) if start is not None else None
    if content is None:
        return []
    cue = doc.text[head.start:source.end]
    return [Draft(speaker, "source", content.start, content.end, content.kind, cue, head.start)]


def _source_person(ctx: Context, token):
    """The person a source phrase names: a registry name, or someone named before (للفاطمي)."""
    mention = ctx.doc.mention_at(token)
    if mention is not None:
        return mention.speaker if mention.speaker.kind == "person" else None
    name = "ال" + token.norm[2:] if token.norm.startswith("لل") else token.norm  # للفاطمي → الفاطمي
    return ctx.discourse.named_before(Subject("unknown", token.start, token.end, name), token.start)


def _after_fa_inna(ctx: Context, start: int, end: int) -> int | None:
    """Where the content begins after a leading source: after «فإن» within a few words."""
    for k in ctx.doc.token_range(start, end):
        token = ctx.doc.tokens[k]
        if token.norm in ("فان", "فانه", "فانها"):
            return token.end
        if k > ctx.doc.token_index(start) + _MAX_SOURCE_WORDS:
            break
    return None


def source_phrase_drafts(ctx: Context, sentence: Sentence) -> list[Draft]:
    """A sentence attributed by a source phrase alone, the source being someone who speaks (a
    speaker's noun, a registry name that is no outlet): «وبحسب مصادر محلية، فإن الطريق مغلق»
    (what follows the phrase), «وأغلق الطريق أمس، بحسب المصدر نفسه» (what comes before it). A
    news outlet («بحسب رويترز») relays a narrated fact: no statement."""
    doc, lexicon = ctx.doc, ctx.lexicon
    for conduit in find_conduits(doc, lexicon, sentence):
        k = doc.token_index(conduit.start) + 1
        while k < len(doc.tokens) and doc.tokens[k].start < conduit.end and doc.tokens[k].norm in lexicon.conduit_particles:
            k += 1
        if k < len(doc.tokens) and doc.tokens[k].norm in lexicon.relay_verbs:
            continue  # «وفق ما نقلت الخارجية…»: as reported, a narrated fact relayed
        if k >= len(doc.tokens) or doc.tokens[k].start >= conduit.end:
            continue
        subject = noun_phrase(doc, lexicon, k, conduit.end, clitic=True)
        if subject is None or not _speaks(ctx, subject):
            continue
        lead = not doc.text[sentence.start:conduit.start].strip(" \t،,")
        tail = not doc.text[conduit.end:sentence.end].strip(" \t.،,")
        if lead:
            start = _after_fa_inna(ctx, conduit.end, sentence.end) or conduit.end
            content = classify(doc, start, sentence.end)
        elif tail:
            content = classify(doc, sentence.start, conduit.start)
        else:
            continue
        if content is None or len(doc.token_range(content.start, content.end)) < _MIN_SOURCE_QUOTE_WORDS:
            continue
        speaker, how = ctx.discourse.resolve(subject, subject.start)
        speaker = speaker or unknown_speaker(ctx.registry, subject.surface, subject.name)
        cue = doc.text[conduit.start:doc.tokens[k].start].strip()
        return [Draft(speaker, "source", content.start, content.end, content.kind, cue, conduit.start)]
    return []


def _speaks(ctx: Context, subject: Subject) -> bool:
    """A source that speaks: a registry speaker that is no outlet, a description that points back,
    or a phrase headed by a speaker's noun (مصادر، المسؤول، الوزارة) that is no news medium."""
    if subject.how == "mention":
        return not ctx.registry.is_conduit(subject.mention.speaker) and subject.mention.speaker.kind != "country"
    words = tokenize(subject.surface)
    lexicon = ctx.lexicon
    outlet = words and words[0] in lexicon.media and not is_head(lexicon, ctx.doc.tokens[ctx.doc.token_index(subject.start)])
    if not words or outlet or words[0] in lexicon.statement_nouns:
        return False  # «بحسب رويترز»، «وفق بيان…»: a medium or a document, no one speaking
    return subject.how in ("anaphor", "group") or subject.how == "unknown" and subject.headed


def source_drafts(ctx: Context, sentence: Sentence) -> list[Draft]:
    """A long quotation next to a phrase naming its author's statement (see the module docstring)."""
    doc = ctx.doc
    for conduit in find_conduits(doc, ctx.lexicon, sentence):
        authors = [m.speaker for m in conduit.mentions if not ctx.registry.is_conduit(m.speaker)]
        if not authors:
            continue
        pair = _adjacent_quote(ctx, sentence, conduit.start, conduit.end)
        if pair is not None:
            start, end = pair.inner
            cue = doc.text[conduit.start:conduit.end]
            return [Draft(authors[0], "source", start, end, "direct", cue, conduit.start)]
    return []


def _adjacent_quote(ctx: Context, sentence: Sentence, start: int, end: int):
    """The long quotation right after the phrase, else right before it."""
    doc = ctx.doc
    after = [p for p in doc.marks.top_in(end, sentence.end) if not doc.text[end:p.open].strip(" \t\u00a0،,")]
    before = [p for p in doc.marks.top_in(sentence.start, start) if p.close < start
              and all(c in _ADJACENT for c in doc.text[p.close + 1:start])]
    for pair in after[:1] + before[-1:]:
        if len(doc.token_range(*pair.inner)) >= _MIN_SOURCE_QUOTE_WORDS:
            return pair
    return None


def interview_answer(ctx: Context, sentence: Sentence) -> Draft | None:
    """An interview as newspapers print it: «• question» and «•• answer» paragraphs. An answer
    paragraph is the words of the one interviewed — the person the article is about (the
    topic) — from after the bullets to the paragraph's end."""
    doc = ctx.doc
    start, end = doc.paragraphs[sentence.paragraph]
    lead = end - len(doc.text[start:end].lstrip())  # the paragraph's first character
    if sentence.start != lead or doc.text[lead:lead + len(_ANSWER_BULLETS)] != _ANSWER_BULLETS:
        return None
    speaker = ctx.discourse.topic_for("m") or ctx.discourse.topic
    body_start, body_end = trim(doc.text, sentence.start + len(_ANSWER_BULLETS), end)
    while body_start < body_end and doc.text[body_start] in _BULLETS:
        body_start += 1
    if speaker is None or len(doc.token_range(body_start, body_end)) < _MIN_CONTINUED_QUOTE_WORDS:
        return None
    return Draft(speaker, "continued", body_start, body_end, "direct", "", None)


def continued_quote(ctx: Context, sentence: Sentence, after_statement: bool) -> list[Draft]:
    """A sentence that is itself a quotation, right after a statement: the topic goes on."""
    doc, topic = ctx.doc, ctx.discourse.topic
    if not after_statement or topic is None:
        return []
    first = doc.marks.top_in(sentence.start, sentence.start + 2)
    if not first or len(doc.token_range(*first[0].inner)) < _MIN_CONTINUED_QUOTE_WORDS:
        return []
    start, end = first[0].inner
    return [Draft(topic, "continued", start, end, "direct", "", None)]


def first_person_continuation(ctx: Context, last: Draft, following: list[Sentence]) -> tuple[Draft | None, int]:
    """Unmarked speech going on after ``last`` (see the module docstring) and how many of
    ``following`` (the rest of the paragraph) it covers."""
    if last.kind == "direct" or last.headline:
        return None, 0
    doc, lexicon = ctx.doc, ctx.lexicon
    run, covered = [], 0
    for sentence in following:
        cued = any(not c.relative for c in find_cues(doc, lexicon, sentence))
        if cued or doc.marks.top_in(sentence.start, sentence.end):
            break
        run.append(sentence)
        if any(doc.tokens[k].norm in lexicon.first_person for k in doc.token_range(sentence.start, sentence.end)):
            covered = len(run)
    if not covered:
        return None, 0
    start, end = run[0].start, run[covered - 1].end
    while end > start and doc.text[end - 1] in " .":
        end -= 1
    return Draft(last.speaker, "first_person", start, end, "indirect", last.cue, None, via=last.via), covered


def narrative_topic(ctx: Context, sentence: Sentence) -> None:
    """«ووصل لافروف إلى الصين…»: a sentence about a named person makes them the topic."""
    subject = sentence_subject(ctx.doc, ctx.lexicon, sentence)
    if subject is not None and subject.how == "mention" and subject.mention.speaker.kind in ("person", "institution"):
        ctx.discourse.set_topic(subject.mention.speaker, narrative=True)
    elif subject is not None and subject.how == "unknown" and subject.headed:
        # «صدقت جهات رقابية أوروبية على…»: who the next «وقالت إن…» is, when nobody spoke before
        speaker, _ = ctx.discourse.resolve(subject, subject.start)
        if ctx.discourse.topic is None:
            ctx.discourse.set_topic(speaker, narrative=True)
