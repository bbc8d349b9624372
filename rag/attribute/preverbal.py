"""Subjects written before the verb: «والجانبان يؤكدان»، «لكن طهران تقول»، «وسبق للرئاسة
الروسية أن أكدت»، «وكان دميتري بيسكوف …، قد صرح» — and the subject of a sentence's main
verb, which a participle or a later subject-less verb speaks for («وأشاد بوتين…، واصفاً…»).
"""
from __future__ import annotations

from dataclasses import replace

from .cues import Cue, cue_form
from .document import Document, Sentence
from .lexicon import Lexicon
from .names import name_run
from .phrase import CLOSING_MARKS, STOP_PUNCT, Subject, is_head, not_a_subject, phrase_end, text_between
from .subjects import coordinated, noun_phrase

_CONDITIONALS = frozenset({"اذا", "لو", "لولا"})
_PHRASE_WORDS = 12  # «رئيس فرقة الفنون الشعبية بمحافظة المندق عبدالرحمن الشدوي قال»


def subject_before(doc: Document, lexicon: Lexicon, cue: Cue, sentence: Sentence) -> Subject | None:
    """The subject before the cue (SV): «والجانبان يؤكدان»، «لكن طهران تقول»،
    «وسبق للرئاسة الروسية أن أكدت»، «وكان دميتري بيسكوف …، قد صرح»."""
    subject = _right_before(doc, lexicon, cue, sentence) or _phrase_to_the_verb(doc, lexicon, cue, sentence)
    if subject is not None:
        return subject
    for first in reversed(_clause_starts(doc, sentence, cue.index)):
        lead = doc.tokens[first]
        if lead.bare in lexicon.subject_lead and lead.bare not in lexicon.clause_openers:
            return _leading_subject(doc, lexicon, first, cue.index)
    return None


def _clause_starts(doc: Document, sentence: Sentence, hi: int) -> list[int]:
    """Token indexes that open the sentence or follow a comma in it, before token ``hi``."""
    first = doc.token_index(sentence.start)
    return [first] + [k for k in range(first + 1, hi)
                      if any(c in "،,;؛" for c in text_between(doc, doc.tokens[k - 1].end, doc.tokens[k].start))]


def _right_before(doc: Document, lexicon: Lexicon, cue: Cue, sentence: Sentence) -> Subject | None:
    """A subject ending right before the verb (particles قد، أن between allowed), itself
    opening a clause (after punctuation, a connector, a و, or the sentence start)."""
    k = cue.index
    while k > 0 and doc.tokens[k - 1].start >= sentence.start and doc.tokens[k - 1].norm in lexicon.subject_lead \
            and doc.tokens[k - 1].norm not in ("كان", "كانت"):
        k -= 1
    for start_k in range(k - 1, max(k - 7, -1), -1):
        if start_k < 0 or doc.tokens[start_k].start < sentence.start:
            return None
        subject = noun_phrase(doc, lexicon, start_k, doc.tokens[k].start, clitic=True)
        if subject is not None and subject.how != "unknown" and doc.token_index(subject.end) == k \
                and _opens_clause(doc, lexicon, start_k, sentence, subject):
            return subject
    return None


def _phrase_to_the_verb(doc: Document, lexicon: Lexicon, cue: Cue, sentence: Sentence) -> Subject | None:
    """A speaker's phrase that opens the sentence (after «لكن»، «و») and runs to the verb:
    «مصادر أردنية مقربة من دوائر صنع القرار قالت لـ«عكاظ» إن…»، «لكن وزير الداخلية الليبي قال
    في تصريحات…»، «هشام مروة، نائب رئيس «الائتلاف الوطني السوري» المعارض قال…». A head noun
    first, or a name, a comma and a title; between it and the verb no other punctuation, no
    relative («الوزير الذي قال…» is a relative clause), no complementiser, no other verb of saying."""
    k = doc.token_index(sentence.start)
    while k < cue.index and (doc.tokens[k].bare in lexicon.subject_lead or doc.tokens[k].bare in lexicon.clause_openers):
        k += 1
    if not 1 <= cue.index - k <= _PHRASE_WORDS or cue.participle:
        return None
    comma = None  # a name, then a comma and its title
    if not is_head(lexicon, doc.tokens[k]):
        run = name_run(doc, lexicon, k, cue.token.start)
        nxt = run[-1] + 1 if len(run) >= 2 else None
        if nxt is None or nxt >= cue.index or not is_head(lexicon, doc.tokens[nxt]) \
                or text_between(doc, doc.tokens[nxt - 1].end, doc.tokens[nxt].start).strip() not in ("،", ","):
            return None
        comma = nxt
    for j in range(k + 1, cue.index + 1):
        token, gap = doc.tokens[j], text_between(doc, doc.tokens[j - 1].end, doc.tokens[j].start)
        if j != comma and any(c in STOP_PUNCT for c in gap):
            return None
        if j < cue.index and (token.norm in lexicon.relatives or token.norm in lexicon.complementisers
                              or token.bare in lexicon.clause_openers or token.bare in lexicon.subordinators
                              or token.norm in _CONDITIONALS or cue_form(lexicon, token) is not None):
            return None  # «وجامعة تبوك إذا توضح…»: a clause of its own before the verb
    if comma is not None:  # the name is the speaker; its title, the description
        start, end = doc.tokens[k].start, doc.tokens[cue.index - 1].end
        name = doc.text[start:doc.tokens[comma - 1].end]
        return Subject("unknown", start, end, doc.text[start:end], headed=True, name=name)
    subject = noun_phrase(doc, lexicon, k, cue.token.start)  # «لكن المسؤول الإيطالي أكد»: a description points back
    if subject is None or subject.how != "unknown":
        return subject
    if subject.name is None and doc.tokens[k].bare.startswith("ال"):
        return None  # «لكن المسؤول الإيطالي أكد…»: the one just spoken of, the topic
    return replace(subject, headed=True)


def _opens_clause(doc: Document, lexicon: Lexicon, k: int, sentence: Sentence, subject: Subject) -> bool:
    token = doc.tokens[k]
    conjunction = token.norm[:1] in ("و", "ف") and (
        subject.start > token.start if subject.how == "mention"
        else token.norm not in lexicon.groups and token.norm not in lexicon.anaphors)
    if k == 0 or doc.tokens[k - 1].end <= sentence.start or conjunction:
        return True  # sentence start, or the subject carries و/ف: «والجانبان» (not واشنطن)
    prev = doc.tokens[k - 1]
    gap = text_between(doc, prev.end, token.start)
    return any(c in STOP_PUNCT or c in CLOSING_MARKS for c in gap) or prev.bare in lexicon.clause_openers \
        or prev.bare in lexicon.subject_lead


def _leading_subject(doc: Document, lexicon: Lexicon, lo: int, hi: int) -> Subject | None:
    """«وكان X … قد صرح»، «وسبق لـX أن أكدت»: the subject right after the leading verb."""
    while lo < hi and doc.tokens[lo].bare in lexicon.subject_lead:
        lo += 1
    if lo >= hi:
        return None
    subject = noun_phrase(doc, lexicon, lo, doc.tokens[hi].start, clitic=True)
    if subject is None:
        return None
    between = [t.norm for t in doc.tokens[doc.token_index(subject.end):hi]]
    # «وكان ماركيوني قد ذكر…»: a name right before the verb (only قد between) is its subject
    return subject if subject.how != "unknown" or subject.headed or all(w in ("قد",) for w in between) else None


def sentence_subject(doc: Document, lexicon: Lexicon, sentence: Sentence, *, for_clause: bool = False) -> Subject | None:
    """The subject of a sentence's main verb: «وأشاد بوتين…»، «وكانت الصين نددت…»، «الرئيس الصيني».
    ``for_clause``: for a subject-less «وقال:» / participle later in the sentence, also a verb of
    saying that opened no statement of its own and a title or description after the verb
    («عبر رئيس النادي عن سعادته…، وقال:»، «وتحدث الوزير عن…، قائلاً:»)."""
    i, end = doc.token_index(sentence.start), sentence.end
    i = phrase_end(doc, i, lexicon.aside_phrases) or i  # «من جهته، عبر رئيس النادي…»: the narrator's aside
    while i < len(doc.tokens) and doc.tokens[i].start < end and \
            (doc.tokens[i].bare in lexicon.subject_lead or doc.tokens[i].bare in lexicon.blockers):
        i += 1  # connectors, and negation before the verb (ولم يوفد…)
    if i >= len(doc.tokens) or doc.tokens[i].start >= end:
        return None
    first = noun_phrase(doc, lexicon, i, end)
    if first is not None and first.how in ("mention", "group"):
        return coordinated(doc, lexicon, first, end) if first.how == "mention" else first
    # «وتحدث الوزير عن…، قائلاً:»: a verb first, then its subject; for a later «وقال:» also a verb
    # of saying whose own statement was not found («عبر اللاعب … عن سعادته…، وقال:»), when its
    # subject is a name or a title (رئيس نادي…), not any headed phrase
    saying = for_clause and not_a_subject(lexicon, doc.tokens[i]) and cue_form(lexicon, doc.tokens[i]) is not None
    verb_first = (first is None or first.how == "unknown") and (not not_a_subject(lexicon, doc.tokens[i]) or saying)
    if verb_first and i + 1 < len(doc.tokens) and doc.tokens[i + 1].start < end \
            and not text_between(doc, doc.tokens[i].end, doc.tokens[i + 1].start).strip():
        second = noun_phrase(doc, lexicon, i + 1, end)
        if second is not None and second.how == "mention":
            return coordinated(doc, lexicon, second, end)
        if second is not None and (second.how == "unknown" and second.headed
                                   and (not saying or is_head(lexicon, doc.tokens[i + 1]))
                                   or for_clause and second.how == "anaphor"):
            return second
    return None
