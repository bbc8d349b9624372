"""The coverage audit of one article: reporting cues that yield no statement, and statements
whose speaker is a bare noun, a description resolved nowhere, or a pronoun.

A *cue sentence* is a sentence holding a reporting cue, read as speech, outside quotation marks: a verb form of
the audit's fixed inventory (``rag/resources/audit.yaml``: reporting.yaml's verbs before issue 12
and speech acts such as ندد، أدان، اتهم), a statement noun after في («في تصريح
لـ…»), or a relay or source phrase («نقلا عن…»، «على لسان…»، «بحسب…»). It is *uncovered* when no
statement of ``extract_quotes`` overlaps it. Each uncovered sentence gets a pattern: its cue's
lemma, the cue's tense, and the construction that follows it (``+that`` أن/إن، ``+colon``,
``+quote``, ``+relay`` عن، ``+pp`` a preposition, ``+object``), or what keeps the cue from
being a statement (``negated`` لم يقل، ``relative`` التي أعلنت، ``subjunctive`` أن يؤكد،
``impersonal`` يذكر أن، ``in_conduit`` وفق ما أعلنت: a sentence whose cues are all of these is no
cue sentence, it is counted apart), and ``pluperfect`` for background speech (وكانت الوزارة قد
أعلنت…).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from rag.arabic import normalize, tokenize
from rag.knowledge import load
from rag.speakers import SpeakerRegistry
from rag.types import Quote, Speaker

from . import extract_quotes
from .cues import opens_clause
from .document import Document, Sentence
from .lexicon import CueForm, Lexicon, _cue_forms, default_lexicon

_LOOKAHEAD = 20  # words after a cue in which its construction is looked for
_PREPOSITIONS = frozenset(normalize(w) for w in ("إلى", "على", "عن", "من", "في", "ب", "حول", "مع"))
_PP_WORDS = 3  # a preposition this close to the cue makes its content a prepositional phrase
_PAST_LEADS = frozenset(normalize(w) for w in ("كان", "كانت", "كانوا", "وكان", "وكانت", "وكانوا", "سبق", "وسبق"))
_SOURCE_WORDS = 4  # words after «بحسب» in which its source is named
_QUANTITIES = frozenset(normalize(w) for w in ("ألف", "آلاف", "مليون", "ملايين", "مئات", "عشرات", "كل", "أي", "بعض"))
_BARE_PREPOSITIONS = frozenset(normalize(w) for w in ("عن", "من", "في", "على", "إلى", "مع", "حول", "بين"))
_NOUN_LEADS = frozenset(normalize(w) for w in ("في", "وفي", "ففي"))
NOT_SPEECH = ("negated", "relative", "subjunctive", "impersonal", "in_conduit")


@dataclass(frozen=True)
class Inventory:
    cues: dict[str, CueForm]  # every verb form: reporting.yaml's and the audit's own
    extra: frozenset[str]  # lemmas the extractor does not have in reporting.yaml
    nouns: frozenset[str]
    pronouns: frozenset[str]
    generic: frozenset[str]  # one-word speakers that are a common noun (المصدر، الشركة)
    sources: frozenset[str]  # words that make «بحسب…» name a source (as tokenize gives them)


@dataclass(frozen=True)
class CueSentence:
    start: int  # the sentence
    end: int
    cue: str  # as written
    lemma: str
    tense: str  # past | present | participle | noun | phrase
    construction: str

    @property
    def pattern(self) -> str:
        return f"{self.lemma} {self.tense} {self.construction}"


@dataclass(frozen=True)
class SpeakerIssue:
    quote: Quote
    issue: str  # bare_noun | unresolved_description | pronoun | unregistered_name


@dataclass
class ArticleAudit:
    """What ``audit_article`` found in one article."""

    quotes: list[Quote]
    sentences: int = 0
    cue_sentences: int = 0
    uncovered: list[CueSentence] = field(default_factory=list)  # cue sentences without a statement
    not_speech: list[CueSentence] = field(default_factory=list)  # sentences whose only cues report nothing
    speakers: list[SpeakerIssue] = field(default_factory=list)


@lru_cache(maxsize=1)
def inventory() -> Inventory:
    """The audit's fixed inventory (``rag/resources/audit.yaml``): reporting.yaml's verbs before
    issue 12 and the speech acts it adds, whatever the extractor's lexicon holds now."""
    raw = load("audit")
    lexicon = default_lexicon()
    known = {form.verb.lemma for form in lexicon.cues.values()}
    extra = _cue_forms([{"content": [], **entry} for entry in raw["verbs"]])
    reporting = _cue_forms(raw["reporting_verbs"])  # fixed: the rate compares extractors on the same cues
    not_cues = {normalize(w) for w in raw["not_cues"]}
    cues = {form: cue for form, cue in {**extra, **reporting}.items() if form not in not_cues}
    nouns, pronouns, generic = (frozenset(normalize(w) for w in raw[key]) for key in ("nouns", "pronouns", "generic_nouns"))
    sources = lexicon.media | lexicon.statement_nouns | _stems(raw["generic_nouns"]) \
        | _stems(w.removeprefix("ال") for w in lexicon.speaker_heads) | _stems(raw["source_words"])
    return Inventory(cues, frozenset(f.verb.lemma for f in extra.values()) - known, nouns, pronouns, generic, sources)


def _stems(words) -> frozenset[str]:
    return frozenset(t for w in words for t in tokenize(w))


def audit_article(text: str, *, title: str | None = None, date: dt.date | None = None,
                  registry: SpeakerRegistry | None = None) -> ArticleAudit:
    """Audit one article (see the module docstring): its statements, its cue sentences, the
    uncovered ones with their pattern, and the statements whose speaker is suspect."""
    registry = registry or SpeakerRegistry.default()
    quotes = extract_quotes(text, title=title, date=date, registry=registry)
    result = ArticleAudit(quotes)
    if not text or not text.strip():
        return result
    lexicon = default_lexicon()
    spans = sorted((q.start, q.end) for q in quotes if not q.headline)
    doc = Document(text, [])
    result.sentences = len(doc.sentences)
    for cue in sentence_cues(text, registry=registry, doc=doc):
        if cue.construction in NOT_SPEECH:
            result.not_speech.append(cue)  # لم يقل، التي أعلنت: not a cue sentence
            continue
        result.cue_sentences += 1
        if not any(s < cue.end and cue.start < e for s, e in spans):
            result.uncovered.append(cue)
    result.speakers = [SpeakerIssue(q, issue) for q in quotes
                       for issue in [speaker_issue(q, registry, lexicon)] if issue is not None]
    return result


def sentence_cues(text: str, *, registry: SpeakerRegistry | None = None, doc: Document | None = None
                  ) -> list[CueSentence]:
    """Every sentence of ``text`` holding a reporting cue, with its cue's pattern (see the module
    docstring), whether or not a statement covers it."""
    registry = registry or SpeakerRegistry.default()
    lexicon, inv = default_lexicon(), inventory()
    doc = doc or Document(text, [])
    return [cue for sentence in doc.sentences
            for cue in [_sentence_cue(doc, lexicon, inv, registry, sentence)] if cue is not None]


def _sentence_cue(doc: Document, lexicon: Lexicon, inv: Inventory, registry: SpeakerRegistry,
                  sentence: Sentence) -> CueSentence | None:
    """The sentence's first cue that reads as speech (else its first cue at all), classified."""
    found = []
    for i in doc.token_range(sentence.start, sentence.end):
        token = doc.tokens[i]
        if doc.marks.inside(token.start):
            continue
        form = inv.cues.get(token.norm) or inv.cues.get(token.bare)
        if form is None:
            continue
        if (form.tense == "participle" or form.verb.clause_initial) and not opens_clause(doc, lexicon, i, sentence):
            continue  # مؤكد، معبر، تابع: a participle or an ambiguous word counts only opening a clause
        if form.verb.needs_prep and not (i + 1 < len(doc.tokens) and doc.tokens[i + 1].norm == form.verb.prep):
            continue  # عبر without عن: "via", not "expressed"
        if form.tense != "participle" and _noun_reading(doc, i, sentence):
            continue  # «220 ألف طالب»، «عن رأي منشور»: a noun spelled like the verb
        cue = _classify(doc, lexicon, i, form, sentence)
        if form.verb.relay and cue.construction in ("+object", "+pp", "bare"):
            continue  # نقل without عن: conveyed (condolences), transported — no relay
        found.append(cue)
    for cue in found:
        if cue.construction not in NOT_SPEECH:
            return cue
    if found:
        return found[0]
    return _phrase_cue(doc, lexicon, inv, registry, sentence) or _noun_cue(doc, inv, sentence)


def _noun_reading(doc: Document, i: int, sentence: Sentence) -> bool:
    """A verb's spelling read as a noun: right after a number or a quantity word, or right after
    a preposition (a verb never follows one directly)."""
    if i == 0 or doc.tokens[i - 1].start < sentence.start:
        return False
    prev = doc.tokens[i - 1]
    if any(c in "،,.:;؛()«»“”\"" for c in doc.text[prev.end:doc.tokens[i].start]):
        return False
    return prev.norm.isdigit() or prev.norm in _QUANTITIES or prev.norm in _BARE_PREPOSITIONS


def _classify(doc: Document, lexicon: Lexicon, i: int, form: CueForm, sentence: Sentence) -> CueSentence:
    token = doc.tokens[i]
    surface = doc.text[token.start:token.end]
    prev = doc.tokens[i - 1] if i > 0 and doc.tokens[i - 1].start >= sentence.start else None
    nxt = doc.tokens[i + 1] if i + 1 < len(doc.tokens) and doc.tokens[i + 1].start < sentence.end else None
    attached = prev is not None and not any(c in "،,;؛:.\n" for c in doc.text[prev.end:token.start])
    construction = None
    if attached and (prev.norm in lexicon.blockers or prev.bare in lexicon.blockers):
        construction = "negated"
    elif attached and prev.norm in lexicon.relatives:
        construction = "relative"
    elif attached and form.tense == "present" and prev.norm in lexicon.subjunctive:
        construction = "subjunctive"
    elif attached and (prev.norm in lexicon.conduit_heads or prev.bare in lexicon.conduit_heads
                       or prev.norm in lexicon.conduit_particles and i > 1
                       and doc.tokens[i - 2].bare in lexicon.conduit_heads):
        construction = "in_conduit"
    elif token.bare in lexicon.impersonal and nxt is not None and nxt.norm in lexicon.complementisers:
        construction = "impersonal"
    elif _pluperfect(doc, lexicon, i, sentence):
        construction = "pluperfect"
    else:
        construction = _construction(doc, lexicon, i, form, sentence)
    return CueSentence(sentence.start, sentence.end, surface, form.verb.lemma, form.tense, construction)


def _pluperfect(doc: Document, lexicon: Lexicon, i: int, sentence: Sentence) -> bool:
    """«وكانت الوزارة قد أعلنت…»، «وكان السفير صرح…»: كان opens the clause, the cue is past."""
    lo = doc.token_index(sentence.start)
    return any(doc.tokens[k].norm in _PAST_LEADS and (k == lo or opens_clause(doc, lexicon, k, sentence))
               for k in range(max(lo, i - 8), i))


def _construction(doc: Document, lexicon: Lexicon, i: int, form: CueForm, sentence: Sentence) -> str:
    """What follows the cue: +colon, +quote, +that, +relay, +pp, +object or bare."""
    verb = form.verb
    end = sentence.end
    k_end = min(i + 1 + _LOOKAHEAD, doc.token_index(end))
    prev_end = doc.tokens[i].end
    if i + 1 >= len(doc.tokens) or doc.tokens[i + 1].start >= end:
        gap = doc.text[prev_end:end]
        return "+quote" if any(c in "«“”\"" for c in gap) else "bare"
    for k in range(i + 1, k_end):
        token = doc.tokens[k]
        gap = doc.text[prev_end:token.start]
        if ":" in gap:
            return "+colon"
        if any(c in "«“”\"" for c in gap) and not doc.marks.inside(prev_end) and _quotation(doc, token.start):
            return "+quote"
        if token.norm in lexicon.complementisers and not doc.marks.inside(token.start):
            return "+that"
        if verb.relay and token.norm == verb.relay or token.norm in lexicon.saying_nouns:
            return "+relay"
        prev_end = token.end
    first = doc.tokens[i + 1]
    for k in range(i + 1, min(i + 1 + _PP_WORDS, k_end)):
        token = doc.tokens[k]
        clitic = verb.prep is not None and len(verb.prep) == 1 and token.norm.startswith(verb.prep) \
            and len(token.norm) > 3  # طالب بفتح…
        if token.norm in _PREPOSITIONS or token.norm == verb.prep or clitic \
                or (token.norm.startswith("ب") and token.norm[1:3] == "ال"):
            return "+pp"
    return "+object" if first is not None else "bare"


def _quotation(doc: Document, pos: int) -> bool:
    """A quotation of a few words (not a name in marks) opens at ``pos``."""
    pair = doc.marks.enclosing(pos)
    if pair is None:
        return doc.marks.first_unmatched_open(pos - 2, pos) is not None
    return len(doc.token_range(*pair.inner)) >= 4


def _phrase_cue(doc: Document, lexicon: Lexicon, inv: Inventory, registry: SpeakerRegistry,
                sentence: Sentence) -> CueSentence | None:
    """«نقلا عن…»، «على لسان…»، «بحسب…»، «وفق…»: a source phrase without a verb."""
    for i in doc.token_range(sentence.start, sentence.end):
        token = doc.tokens[i]
        if doc.marks.inside(token.start):
            continue
        words = tuple(t.norm for t in doc.tokens[i:i + 2])
        for phrase in lexicon.relay_phrases:
            if words[:len(phrase)] == phrase:
                return CueSentence(sentence.start, sentence.end, " ".join(phrase), " ".join(phrase), "phrase", "+relay")
        if token.norm in lexicon.conduit_heads or token.bare in lexicon.conduit_heads:
            nxt = doc.tokens[i + 1] if i + 1 < len(doc.tokens) else None
            relay = nxt is not None and nxt.norm == "عن"
            if not relay and not _names_source(doc, lexicon, inv, registry, i + 1, sentence):
                continue
            surface = doc.text[token.start:token.end]
            lemma = token.norm if token.norm in lexicon.conduit_heads else token.bare
            return CueSentence(sentence.start, sentence.end, surface, lemma, "phrase",
                                "+relay" if relay else "+source")
    return None


def _names_source(doc: Document, lexicon: Lexicon, inv: Inventory, registry: SpeakerRegistry, k: int,
                  sentence: Sentence) -> bool:
    """Whether the words after a source head («بحسب ما ذكرت وكالة…»، «وفقا للمصدر») name a source:
    a relay verb, a media or statement noun, a speaker's head noun, or a registry speaker."""
    end = min(k + _SOURCE_WORDS, doc.token_index(sentence.end))
    if k >= end:
        return False
    for j in range(k, end):
        token = doc.tokens[j]
        if token.norm in lexicon.relay_verbs:
            return True
        word = token.norm[2:] if token.norm.startswith("لل") else token.norm[1:] if token.norm.startswith("ل") else token.norm
        if set(tokenize(word)) & inv.sources or set(tokenize(token.norm)) & inv.sources:
            return True
    span = doc.text[doc.tokens[k].start:doc.tokens[end - 1].end]
    return bool(registry.find_mentions(span))


def _noun_cue(doc: Document, inv: Inventory, sentence: Sentence) -> CueSentence | None:
    """«في تصريح لـ…»، «وفي بيان…»: a statement noun right after في."""
    for i in doc.token_range(sentence.start, sentence.end):
        token = doc.tokens[i]
        if i == 0 or token.norm not in inv.nouns or doc.marks.inside(token.start):
            continue
        if doc.tokens[i - 1].norm in _NOUN_LEADS and doc.tokens[i - 1].start >= sentence.start:
            nxt = doc.tokens[i + 1] if i + 1 < len(doc.tokens) and doc.tokens[i + 1].start < sentence.end else None
            construction = "+that" if any(doc.tokens[k].norm in default_lexicon().complementisers
                                          for k in range(i + 1, min(i + _LOOKAHEAD, doc.token_index(sentence.end)))) \
                else "+of" if nxt is not None and nxt.norm.startswith("ل") else "+other"
            return CueSentence(sentence.start, sentence.end, doc.text[token.start:token.end], token.norm, "noun",
                                construction)
    return None


def speaker_issue(quote: Quote, registry: SpeakerRegistry, lexicon: Lexicon | None = None,
                  inv: Inventory | None = None) -> str | None:
    """Why a statement's speaker is suspect, or None: a pronoun, a bare noun (صحيفة، المصدر), a
    description that resolved to nobody (المتحدث باسم وزارة الداخلية), a name the registry lacks."""
    return name_issue(quote.speaker, registry, lexicon, inv)


def name_issue(speaker: Speaker, registry: SpeakerRegistry, lexicon: Lexicon | None = None,
               inv: Inventory | None = None) -> str | None:
    """``speaker_issue`` of a speaker: None for a group or a registry speaker, else "pronoun",
    "bare_noun", "unresolved_description" or "unregistered_name" (a name, only not the registry's)."""
    if speaker.kind == "group" or registry.get(speaker.id) is not None:
        return None
    lexicon, inv = lexicon or default_lexicon(), inv or inventory()
    words = [normalize(w) for w in speaker.name_ar.split() if normalize(w)]
    if not words:
        return "pronoun"
    first = words[0][1:] if words[0][:1] in ("و", "ف") and words[0][1:] in inv.pronouns else words[0]
    if first in inv.pronouns:
        return "pronoun"
    heads = _heads(lexicon, registry)
    head = first.removeprefix("ال")
    if len(words) == 1:
        generic = head in inv.generic or first in heads or head in heads or first in lexicon.honorifics
        return "bare_noun" if generic else "unregistered_name"
    if first in lexicon.honorifics:
        return "unregistered_name"  # الشيخ خميس الخنجر: a name the registry lacks
    if first in heads or head in heads or ("ال" + head) in heads or head in inv.generic:
        return "unresolved_description"
    return "unregistered_name"


_HEADS: dict[int, frozenset[str]] = {}


def _heads(lexicon: Lexicon, registry: SpeakerRegistry) -> frozenset[str]:
    """Nouns a speaker's phrase may start with: the lexicon's speaker heads, outlets, media
    words, and the registry's unnamed heads (مصدر، مسؤولون…)."""
    key = id(registry)
    if key not in _HEADS:
        data = getattr(registry, "_data", None)
        unnamed = frozenset(normalize(w) for w in getattr(data, "unnamed_heads", ()))
        _HEADS[key] = lexicon.speaker_heads | lexicon.named_in_marks | lexicon.media | unnamed
    return _HEADS[key]
