"""Speakers outside the registry, as written: a noun phrase up to where it must stop, the
name in apposition to a title («بن رودس نائب مستشار الأمن القومي»), or the registry name
inside it («المتحدث باسم التحالف العميد أحمد عسيري» is Asiri).
"""
from __future__ import annotations

from .cues import cue_form
from .document import Document, Token
from .lexicon import Lexicon
from .phrase import (OPENING_MARKS, STOP_PUNCT, Subject, addressee, breaks_phrase, continues_phrase, is_adjective,
                     is_head, not_a_subject, stops_phrase, text_between)

_MAX_NP_WORDS = 8
_MARKED_NAME_WORDS = 4  # a longer text in marks after «صحيفة» is what was said, not a name
_NAME_LOOKAHEAD = 6  # words after a title phrase in which its name may still come
_PREPOSITIONS = ("مع", "عن", "الي", "من", "علي", "بين", "في", "لدي", "مثل")


def unknown_phrase(doc: Document, lexicon: Lexicon, i: int, limit: int) -> Subject | None:
    """A noun phrase up to punctuation, a complementiser, a preposition or a quotation; a
    name in apposition to a title is the speaker's name («بن رودس نائب مستشار الأمن القومي»،
    «كبير المفاوضين … عباس عراقجي»), a registry name inside it decides who it is
    («المتحدث باسم التحالف العميد أحمد عسيري»)."""
    marked = _name_in_marks(doc, lexicon, i, limit)
    if marked is not None:
        return marked
    title = _title_after_name(doc, lexicon, i, limit)
    first = title if title is not None else i
    last = first
    for k in range(first, min(first + _MAX_NP_WORDS, len(doc.tokens))):
        token = doc.tokens[k]
        if token.start >= limit:
            break
        if k > first and breaks_phrase(doc, lexicon, k):
            break
        named = _named_person(doc, token)
        if named is not None and k > i:
            return Subject("mention", doc.tokens[i].start, named.end, named.surface, mention=named)
        if k > first and (stops_phrase(doc, lexicon, k) or not continues_phrase(doc, lexicon, k)):
            break
        last = k
    headed = title is not None or is_head(lexicon, doc.tokens[i])
    start, end = doc.tokens[i].start, doc.tokens[last].end
    later = _name_after(doc, lexicon, last + 1, limit) if title is None else None
    if later is not None:
        return Subject("mention", start, later.end, later.surface, mention=later)
    name = doc.text[start:doc.tokens[title - 1].end] if title is not None else None
    trailing = _trailing_name(doc, lexicon, last + 1, limit) if headed and title is None else None
    if trailing is not None:  # «عضو مؤتمر الرياض … الدكتورة ياسمين الفاطمي»
        name, end = doc.text[trailing[0]:trailing[1]], trailing[1]
    return Subject("unknown", start, end, doc.text[start:end], headed=headed, name=name)


def _name_in_marks(doc: Document, lexicon: Lexicon, i: int, limit: int) -> Subject | None:
    """«صحيفة “نيويورك تايمز”»، «شركة «إيني» الإيطالية»: a noun of ``named_in_marks`` and the
    short name in marks right after it (with its nisba adjectives) are one speaker."""
    head = doc.tokens[i]
    if not (head.norm in lexicon.named_in_marks or head.bare in lexicon.named_in_marks) or i + 1 >= len(doc.tokens):
        return None
    name = doc.tokens[i + 1]
    pair = doc.marks.enclosing(name.start)
    if pair is None or not head.end <= pair.open < name.start or pair.close >= limit \
            or text_between(doc, head.end, pair.open).strip():
        return None
    words = [t for t in doc.tokens[i + 1:i + 1 + _MARKED_NAME_WORDS + 1] if t.end <= pair.close]
    if len(words) > _MARKED_NAME_WORDS or words[0].norm in lexicon.complementisers:
        return None  # a quotation, not a name
    end = pair.close + 1
    for k in range(i + 1 + len(words), min(i + 3 + len(words), len(doc.tokens))):  # الإيطالية، الأميركية
        token = doc.tokens[k]
        if token.start >= limit or not is_adjective(token) or not_a_subject(lexicon, token) \
                or token.norm in lexicon.relatives or text_between(doc, end, token.start).strip():  # إلى، الذي
            break
        end = token.end
    mention = doc.mention_at(name)
    # «حركة «حماس»» is Hamas; «صحيفة «واشنطن بوست»» is not Washington
    if mention is not None and (mention.start, mention.end) == (words[0].start, words[-1].end):
        return Subject("mention", head.start, end, mention.surface, mention=mention)
    return Subject("unknown", head.start, end, doc.text[head.start:end], headed=True)


def _title_after_name(doc: Document, lexicon: Lexicon, i: int, limit: int) -> int | None:
    """Index of a title word right after a short name (بن رودس نائب…), or None."""
    if is_head(lexicon, doc.tokens[i]) or doc.tokens[i].norm.startswith("ال"):
        return None
    for k in range(i + 1, min(i + 4, len(doc.tokens))):
        token = doc.tokens[k]
        if token.start >= limit or stops_phrase(doc, lexicon, k):
            return None
        if is_head(lexicon, token):
            return k
    return None


def _trailing_name(doc: Document, lexicon: Lexicon, k: int, limit: int) -> tuple[int, int] | None:
    """A name after a title phrase: after an honorific (الدكتورة ياسمين الفاطمي), its next two
    words; else 2–3 words, the first without ال, up to where the phrase must stop."""
    honorific = k < len(doc.tokens) and doc.tokens[k].start < limit and doc.tokens[k].bare in lexicon.honorifics
    k += 1 if honorific else 0
    words = []
    for j in range(k, min(k + (2 if honorific else 4), len(doc.tokens))):
        if doc.tokens[j].start >= limit or stops_phrase(doc, lexicon, j) or addressee(lexicon, doc.tokens[j]):
            break
        words.append(j)
    if not (1 if honorific else 2) <= len(words) <= 3 or doc.tokens[words[0]].norm.startswith("ال"):
        return None  # one bare word is no name («مسؤولون أميركيون تقريرا لصحيفة…»)
    nxt = words[-1] + 1
    if not honorific and nxt < len(doc.tokens) and doc.tokens[nxt].start < limit \
            and not stops_phrase(doc, lexicon, nxt) and not addressee(lexicon, doc.tokens[nxt]):
        return None  # the phrase goes on: not a name but the rest of the clause
    return doc.tokens[words[0]].start, doc.tokens[words[-1]].end


def _named_person(doc: Document, token: Token):
    mention = doc.mention_at(token)
    if mention is not None and mention.start == token.start and not mention.by_title \
            and mention.speaker.kind == "person":
        return mention
    return None


def _name_after(doc: Document, lexicon: Lexicon, k: int, limit: int):
    """A person named a few words after a title phrase, not as a preposition's object."""
    for j in range(k, min(k + _NAME_LOOKAHEAD, len(doc.tokens))):
        token = doc.tokens[j]
        if token.start >= limit or _stops_name_search(doc, lexicon, j):
            return None
        named = _named_person(doc, token)
        if named is not None:
            prev = doc.tokens[j - 1]
            return None if prev.norm in _PREPOSITIONS or prev.bare in _PREPOSITIONS else named
    return None


def _stops_name_search(doc: Document, lexicon: Lexicon, j: int) -> bool:
    token = doc.tokens[j]
    gap = text_between(doc, doc.tokens[j - 1].end, token.start)
    return any(c in STOP_PUNCT or c in OPENING_MARKS for c in gap) or token.norm in lexicon.complementisers \
        or token.norm in lexicon.relatives or cue_form(lexicon, token) is not None
