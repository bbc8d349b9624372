"""Who a cue's subject is, as written: the noun phrase after the verb (قال لافروف), before it
(والجانبان يؤكدان، لكن طهران تقول، وكان بيسكوف … قد صرح، وسبق للرئاسة الروسية أن أكدت),
or none at all.

A subject is a registry mention (two joined by و make a group: «أوباما ووزير خارجيته
جون كيري»), a group noun (الوزيران), a description pointing back (الوزير، الخارجية), the
statement just quoted (البيان), a relative title (نظيره الصيني) or, failing those, an
unknown noun phrase (مصدر مسؤول). A title phrase followed by a name takes the name
(«كبير المفاوضين الإيرانيين في الملف النووي عباس عراقجي»). Words with the preposition ل
(«وقال لمجلس العلاقات الخارجية…»، «للصحفيين») are the audience, not the subject; the subject
may follow them («وأوضح لـ«عكاظ» المشرف العام…»).
Resolving a subject to a speaker is coref's job.
"""
from __future__ import annotations

import re
from dataclasses import replace

from rag.arabic import tokenize

from .cues import Cue
from .document import Document, Token
from .lexicon import Lexicon
from .marks import QuotePair
from .names import MARKED_NAME_WORDS, accusative, appositive_name, described_until_said, unknown_phrase
from .phrase import (OPENING_MARKS, STOP_PUNCT, Subject, addressee, definite_clitic, is_adjective, is_head, lookup,
                     never_speaker, not_a_subject, phrase_end, possessed_thing, prayer, text_between)

_MAX_ADJECTIVES = 2


def subject_after(doc: Document, lexicon: Lexicon, cue: Cue, limit: int) -> Subject | None:
    """The subject right after the cue (VS order), possibly a name in marks (“لافروف”)."""
    i = cue.index + 1
    if i >= len(doc.tokens) or doc.tokens[i].start >= limit:
        return None
    gap = text_between(doc, cue.token.end, doc.tokens[i].start)
    if any(c in STOP_PUNCT for c in gap):
        return None
    if any(c in OPENING_MARKS for c in gap):
        return _name_in_marks(doc, lexicon, i, limit, cue)
    subject = noun_phrase(doc, lexicon, i, limit)
    if subject is None:
        subject = _after_aside(doc, lexicon, i, limit)
    subject = coordinated(doc, lexicon, subject, limit) if subject is not None and subject.how == "mention" else subject
    return _with_prayer(doc, lexicon, subject, limit) if subject is not None else None


def _after_aside(doc: Document, lexicon: Lexicon, i: int, limit: int) -> Subject | None:
    """The subject after the narrator's words between a verb and it: the audience («وأوضح
    لـ«عكاظ» المشرف العام…»، «قال للصحفيين وزير…»), «من جهته»، «بدوره», then time words. Any
    noun phrase but a pronoun; a bare one is checked like every subject (with nothing said after
    it, it is what was said)."""
    j = _aside_end(doc, lexicon, i, limit)
    if j is None:
        return None
    while j < len(doc.tokens) and doc.tokens[j].start < limit and doc.tokens[j].norm in lexicon.time_words:
        j += 1
    if j >= len(doc.tokens) or doc.tokens[j].start >= limit \
            or any(c in STOP_PUNCT for c in text_between(doc, doc.tokens[j - 1].end, doc.tokens[j].start)):
        return None
    first = doc.tokens[j]
    if accusative(doc, first) or first.norm in lexicon.clause_openers or first.norm in lexicon.subordinators:
        return None  # «قال لـ«الشرق الأوسط» معلقًا، إن…»، «وقال ل"…" عندما نرى…»: no subject, it came before
    subject = noun_phrase(doc, lexicon, j, limit)
    return None if subject is None or subject.how == "pronoun" else subject


def _aside_end(doc: Document, lexicon: Lexicon, i: int, limit: int) -> int | None:
    """Index of the token after an audience or an aside phrase starting at token ``i``, else None."""
    token = doc.tokens[i]
    rest = token.norm[1:] if token.norm.startswith("ل") else None
    if rest is not None and (rest == "" or rest in lexicon.media) and i + 1 < len(doc.tokens):
        pair = doc.marks.enclosing(doc.tokens[i + 1].start)  # لـ«عكاظ»، لصحيفة «الحياة»
        if pair is None or pair.open < token.end or pair.close >= limit \
                or text_between(doc, token.end, pair.open).strip(" ـ"):
            return None
        return doc.token_index(pair.close + 1)
    end = phrase_end(doc, i, (*lexicon.audiences, *lexicon.aside_phrases))
    return end if end is not None and doc.tokens[end - 1].start < limit else None


def _with_prayer(doc: Document, lexicon: Lexicon, subject: Subject, limit: int) -> Subject:
    """«ذكر الإمام ابن قتيبة الدينوري يرحمه الله في كتابه أن…»، «أكد -حفظه الله- على…»: the
    prayer after the speaker's name goes with the name, not with what was said."""
    k = doc.token_index(subject.end)
    if k + 1 >= len(doc.tokens) or doc.tokens[k + 1].start >= limit or not prayer(lexicon, doc.tokens[k]) \
            or doc.tokens[k + 1].norm != "الله" or text_between(doc, subject.end, doc.tokens[k].start).strip(" -–(") \
            or text_between(doc, doc.tokens[k].end, doc.tokens[k + 1].start).strip():
        return subject
    end = doc.tokens[k + 1].end
    dash = _CLOSING_DASH.match(doc.text, end, limit)  # «-حفظه الله-»
    return replace(subject, end=dash.end() if dash else end)


_CLOSING_DASH = re.compile(r"\s*[-–)]")


def _name_in_marks(doc: Document, lexicon: Lexicon, i: int, limit: int, cue: Cue) -> Subject | None:
    """«وأكد “لافروف” على…»: a name alone in marks is the subject; so is a short name in marks
    followed by a colon or by what was said («وقالت «موبايلي» إنها…»); a quotation is not."""
    pair = doc.marks.enclosing(doc.tokens[i].start)
    subject = noun_phrase(doc, lexicon, i, limit)
    if pair is not None and cue.form.verb.relay and pair.close < limit \
            and len(doc.token_range(*pair.inner)) <= MARKED_NAME_WORDS:
        after = doc.next_token(pair.close + 1, limit)  # «ونقلت “السومرية” عن شهود…»: an outlet in marks
        if after is not None and after.norm == cue.form.verb.relay:
            return Subject("unknown", pair.open, pair.close + 1, doc.text[pair.open + 1:pair.close], headed=True)
    if pair is not None and pair.close < limit and doc.text[pair.close + 1:pair.close + 3].lstrip()[:1] == ":" \
            and len(doc.token_range(*pair.inner)) <= MARKED_NAME_WORDS \
            and not never_speaker(lexicon, doc.tokens[i]) and not not_a_subject(lexicon, doc.tokens[i]):
        # «وقال "بسام": …»، «وأضاف "الزهراني": …»: a name in marks before the colon is the speaker
        if subject is not None and subject.how == "mention" and not text_between(doc, subject.end, pair.close).strip():
            return replace(subject, end=pair.close + 1)
        name = doc.text[pair.open + 1:pair.close].strip()
        return Subject("unknown", pair.open, pair.close + 1, name, headed=True, name=name)
    if pair is not None and pair.close < limit and len(doc.token_range(*pair.inner)) <= MARKED_NAME_WORDS \
            and not never_speaker(lexicon, doc.tokens[i]) and not not_a_subject(lexicon, doc.tokens[i]) \
            and (subject is None or subject.how != "mention"):
        after = doc.next_token(pair.close + 1, limit)  # «وقالت «موبايلي» إنها…»، «وأوضحت “الغذاء والدواء” أن…»
        if after is not None and after.norm in lexicon.complementisers \
                and not text_between(doc, pair.close + 1, after.start).strip():
            name = doc.text[pair.open + 1:pair.close].strip()
            return Subject("unknown", pair.open, pair.close + 1, name, headed=True, name=name)
    described = _marked_and_described(doc, lexicon, pair, limit) if pair is not None and pair.close < limit else None
    if described is not None:  # «وقالت “جيمو بورجيجين” الباحثة المشاركة في الدراسة: ”…”»
        return described
    if pair is None or subject is None or subject.how != "mention":
        return None
    if text_between(doc, pair.open + 1, subject.start).strip() or text_between(doc, subject.end, pair.close).strip():
        return None
    return replace(subject, end=pair.close + 1)


def _marked_and_described(doc: Document, lexicon: Lexicon, pair: QuotePair, limit: int) -> Subject | None:
    """A short name in marks, then who the person is, up to a colon or a quotation: «وقالت “جيمو
    بورجيجين” الباحثة المشاركة في الدراسة وعالمة الأعصاب…: ”…”». The name is the speaker, the
    words after it describe them; not a title in marks followed by what was said."""
    inner = doc.token_range(*pair.inner)
    if not inner or len(inner) > MARKED_NAME_WORDS or never_speaker(lexicon, doc.tokens[inner[0]]) \
            or not_a_subject(lexicon, doc.tokens[inner[0]]) or doc.tokens[inner[0]].norm.startswith("ال"):
        return None  # «“الخلافة الاسلامية”»: a definite noun in marks is a thing, no one's name
    k = doc.token_index(pair.close + 1)
    if k >= len(doc.tokens) or doc.tokens[k].start >= limit \
            or text_between(doc, pair.close + 1, doc.tokens[k].start).strip() \
            or not (is_head(lexicon, doc.tokens[k]) or doc.tokens[k].norm in lexicon.described_by):
        return None
    end = described_until_said(doc, lexicon, k, limit)
    if end is None:
        return None
    name = doc.text[pair.open + 1:pair.close].strip()
    return Subject("unknown", pair.open, end, doc.text[pair.open:end], headed=True, name=name)


def noun_phrase(doc: Document, lexicon: Lexicon, i: int, limit: int, *, clitic: bool = False) -> Subject | None:
    """The speaker-like noun phrase starting at token ``i`` (see the module docstring)."""
    token = doc.tokens[i]
    if not token.norm:
        return None  # a tatweel «ـ» alone is no word
    mention = doc.mention_at(token)
    if mention is not None and (mention.start == token.start or clitic):
        return Subject("mention", mention.start, mention.end, mention.surface, mention=mention)
    if token.norm in lexicon.honorific_pronouns or token.bare in lexicon.honorific_pronouns:
        agreement = "f" if token.norm.endswith("ها") else "m"  # سموها
        return Subject("pronoun", token.start, token.end, doc.text[token.start:token.end], agreement=agreement)
    if addressee(lexicon, token) or not_a_subject(lexicon, token) or never_speaker(lexicon, token) \
            or definite_clitic(doc, lexicon, i) or accusative(doc, token) or possessed_thing(doc, lexicon, token):
        return None  # «تبين لنا…»، «وتقول بهذا الصدد…»: no subject, not a speaker named «لنا»; nor
        # an accusative as written («وشدد أخيرًا على…»، «أكدت تزامناً مع…»): the subject is nominative
    if token.norm in lexicon.counterparts or token.bare in lexicon.counterparts:
        return _counterpart(doc, i, limit)
    group = lookup(lexicon.groups, token)
    if group is not None:
        return _group(doc, i, limit, group)
    quantified = _quantified(doc, lexicon, i, limit) or _dual(doc, lexicon, i, limit)
    if quantified is not None:
        return quantified
    described = _description(doc, lexicon, i, limit)
    return described if described is not None else unknown_phrase(doc, lexicon, i, limit)


def _quantified(doc: Document, lexicon: Lexicon, i: int, limit: int) -> Subject | None:
    """«أحد الشهود»، «عدد من المواطنين»، «بعض الخبراء»، «وسائل إعلام محلية»: a quantifier (or a
    head like وسائل) with the noun phrase it governs, من between when partitive, is one speaker —
    not the quantifier alone. «كل من X وY» is X and Y; «عدد منهم» is the phrase as written."""
    token = doc.tokens[i]
    partitive = token.norm in lexicon.partitive_quantifiers or token.bare in lexicon.partitive_quantifiers
    if not partitive and token.norm not in lexicon.quantifiers and token.bare not in lexicon.quantifiers:
        return None
    if i > 0 and doc.tokens[i - 1].norm in _NEGATIONS:
        return None  # «لا أحد يعطي…»: nobody
    j = i + 1
    if partitive and j < len(doc.tokens) and doc.tokens[j].norm in _SIZE_ADJECTIVES:
        j += 1  # «عدد كبير من المواطنين»
    if j >= len(doc.tokens) or doc.tokens[j].start >= limit or text_between(doc, doc.tokens[j - 1].end, doc.tokens[j].start).strip():
        return None
    if partitive and not doc.tokens[j].norm.startswith("من"):
        return None  # «عدد المتهمين»: the number of them, no speaker
    if token.bare in lexicon.media:  # «وسائل إعلام محلية»، not «وسائل أربع»
        stem = doc.tokens[j].norm[2:] if doc.tokens[j].norm.startswith("ال") else doc.tokens[j].norm
        if stem not in lexicon.media and not stem.startswith("اعلام"):
            return None
    start = token.start
    if doc.tokens[j].norm.startswith("من") and doc.tokens[j].norm[2:] in ("", "هم", "هن", "ها", "هما"):
        if doc.tokens[j].norm != "من":  # «وبين عدد منهم أن…»
            return Subject("unknown", start, doc.tokens[j].end, doc.text[start:doc.tokens[j].end], headed=True)
        j += 1
        if j >= len(doc.tokens) or doc.tokens[j].start >= limit or text_between(doc, doc.tokens[j - 1].end, doc.tokens[j].start).strip():
            return None
    inner = noun_phrase(doc, lexicon, j, limit)
    if inner is None or inner.how in ("pronoun", "statement", "counterpart"):
        return None
    if token.bare == "كل" and j == i + 2:  # «كل من X وY»: X and Y
        return _each_of(doc, lexicon, inner, limit)
    # headed as the noun is: «أحد الشهود» is firm, «أقرت عدة ضوابط» may be the verb's object; «أحد
    # عناصره»، «إحدى قريباتها» (one of his, of hers) is someone
    noun = doc.tokens[j]
    own = token.bare in _ONE_OF and noun.norm.endswith(("ه", "ها", "هم")) and not noun.norm.endswith("يه") \
        and doc.text[noun.end - 1:noun.end] != "ة"
    headed = inner.how != "unknown" or inner.headed or own
    if inner.how == "unknown" and inner.name:  # «احد اعضاء الفريق علي السويعي»: the member by his name
        return Subject("unknown", start, inner.end, doc.text[start:inner.end], headed=True, name=inner.name)
    return Subject("unknown", start, inner.end, doc.text[start:inner.end], headed=headed)


def _each_of(doc: Document, lexicon: Lexicon, inner: Subject, limit: int) -> Subject:
    """«أعلنت كل من البحرين وسلطنة عمان»: the named joined by و are a group; «قال كل من أبو
    طارق الطوخي وعيد المطيري…، إن…»: the names as written, up to what was said."""
    if inner.how == "mention":
        members, end = [inner.mention], inner.end
        k = doc.token_index(end)
        while k < len(doc.tokens) and doc.tokens[k].start < limit and doc.tokens[k].norm.startswith("و") \
                and not text_between(doc, end, doc.tokens[k].start).strip():
            mention = doc.mention_at(doc.tokens[k])
            if mention is None or mention.start - doc.tokens[k].start > 1:
                break
            members.append(mention)
            end = mention.end
            k = doc.token_index(end)
        if len(members) < 2:
            return coordinated(doc, lexicon, inner, limit)
        return Subject("group", inner.start, end, doc.text[inner.start:end], members=tuple(members))
    end = inner.end
    for k in range(doc.token_index(inner.end), min(doc.token_index(inner.end) + _DUAL_WORDS, len(doc.tokens))):
        nxt = doc.tokens[k]
        if nxt.start >= limit or text_between(doc, doc.tokens[k - 1].end, nxt.start).strip() \
                or not_a_subject(lexicon, nxt) or addressee(lexicon, nxt):
            break
        end = nxt.end
    return Subject("unknown", inner.start, end, doc.text[inner.start:end], headed=inner.headed, name=doc.text[inner.start:end])


_DUAL_WORDS = 12
_NEGATIONS = frozenset(("لا", "لم", "لن", "ما"))
_ONE_OF = frozenset(("احد", "احدي"))
_SIZE_ADJECTIVES = frozenset(("كبير", "قليل", "محدود", "كبيرا", "قليلا"))


def _dual(doc: Document, lexicon: Lexicon, i: int, limit: int) -> Subject | None:
    """«وقالت محطتا (سي إن إن تورك) و(إن تي في) التلفزيونيتان إن…»، «وذكرت صحيفتا…»: a dual
    head (an outlet's or a speaker's noun + تا) and the two names after it, up to what was said."""
    token = doc.tokens[i]
    stem = token.bare[:-2] + "ه" if token.bare.endswith("تا") else ""
    if not stem or not (stem in lexicon.named_in_marks or stem in lexicon.speaker_heads or lookup(lexicon.anaphors, Token(
            token.start, token.end, stem, stem)) is not None):
        return None
    for k in range(i + 1, min(i + 1 + _DUAL_WORDS, len(doc.tokens))):
        nxt = doc.tokens[k]
        gap = text_between(doc, doc.tokens[k - 1].end, nxt.start)
        before = text_between(doc, token.end, nxt.start)
        if before.count("(") > before.count(")") or doc.marks.inside(nxt.start):
            continue  # «(سي إن إن تورك)»: إن inside a name
        if nxt.start >= limit or any(c in "،,.:;؛" for c in gap) or not_a_subject(lexicon, nxt) \
                and nxt.norm not in lexicon.complementisers:
            return None
        if nxt.norm in lexicon.complementisers:
            if k == i + 1 or gap.strip(" )"):
                return None  # «و»ان تي في»»: a name in broken marks, not what was said
            end = doc.tokens[k - 1].end
            end += len(text_between(doc, end, nxt.start)) - len(text_between(doc, end, nxt.start).lstrip(")»”\""))
            return Subject("unknown", token.start, end, doc.text[token.start:end], headed=True)
    return None


def _description(doc: Document, lexicon: Lexicon, i: int, limit: int) -> Subject | None:
    """الوزير البحريني، الخارجية، البيان — only when the phrase stops there (not «الناطق باسم…»)."""
    token = doc.tokens[i]
    if token.norm in lexicon.statement_subjects or token.bare in lexicon.statement_subjects:
        return Subject("statement", token.start, token.end, doc.text[token.start:token.end])
    anaphor = lookup(lexicon.anaphors, token)
    if anaphor is None:
        return None
    end = _adjectives_end(doc, i, limit)
    if not _phrase_ends(doc, lexicon, end, limit) or appositive_name(doc, lexicon, doc.token_index(end), limit):
        return None  # «المتحدث الرسمي للحكومة، السفير حسام القاويش، أنه…»: a name of its own, not the one before
    return Subject("anaphor", token.start, end, doc.text[token.start:end], noun=anaphor,
                   nisba=tuple(tokenize(doc.text[token.end:end])))


def _phrase_ends(doc: Document, lexicon: Lexicon, end: int, limit: int) -> bool:
    k = doc.token_index(end)
    if k >= len(doc.tokens) or doc.tokens[k].start >= limit:
        return True
    gap = text_between(doc, end, doc.tokens[k].start)
    token = doc.tokens[k]
    office = token.norm[:1] == "ل" and token.norm[1:] in lexicon.office_nouns  # «المتحدث الرسمي لمديرية…»
    return any(c in STOP_PUNCT or c in OPENING_MARKS for c in gap) or not_a_subject(lexicon, token) \
        or addressee(lexicon, token) and not office


def _adjectives_end(doc: Document, i: int, limit: int) -> int:
    end = doc.tokens[i].end
    for k in range(i + 1, min(i + 1 + _MAX_ADJECTIVES, len(doc.tokens))):
        token = doc.tokens[k]
        if token.start >= limit or not is_adjective(token) or text_between(doc, end, token.start).strip():
            break
        end = token.end
    return end


def _counterpart(doc: Document, i: int, limit: int) -> Subject:
    """«نظيره الصيني» — or the name in apposition after it: «نظيره الصيني، وانغ يي»."""
    end = _adjectives_end(doc, i, limit)
    k = doc.token_index(end)
    if k < len(doc.tokens) and doc.tokens[k].start < limit \
            and not text_between(doc, end, doc.tokens[k].start).strip(" ,،"):
        mention = doc.mention_at(doc.tokens[k])
        if mention is not None and mention.start == doc.tokens[k].start:
            return Subject("mention", doc.tokens[i].start, mention.end, mention.surface, mention=mention)
    start = doc.tokens[i].start
    nisba = tuple(tokenize(doc.text[doc.tokens[i].end:end]))
    return Subject("counterpart", start, end, doc.text[start:end], nisba=nisba)


def _following_mentions(doc: Document, k: int, end: int, limit: int) -> tuple[list, int]:
    """Mentions joined right after ``end`` («شي وبوتين»): only a و may be attached."""
    members = []
    while k < len(doc.tokens) and doc.tokens[k].start < limit \
            and not text_between(doc, end, doc.tokens[k].start).strip():
        mention = doc.mention_at(doc.tokens[k])
        if mention is None or mention.start - doc.tokens[k].start > 1:
            break
        members.append(mention)
        end = mention.end
        k = doc.token_index(end)
    return members, end


def _group(doc: Document, i: int, limit: int, group) -> Subject:
    """A group noun and the members named right after it: «الزعيمان شي وبوتين»."""
    members, end = _following_mentions(doc, i + 1, doc.tokens[i].end, limit)
    if len(members) < 2:
        members, end = [], doc.tokens[i].end
    start = doc.tokens[i].start
    return Subject("group", start, end, doc.text[start:end], members=tuple(members), noun=group)


def coordinated(doc: Document, lexicon: Lexicon, subject: Subject, limit: int) -> Subject:
    """«الرئيس الأمريكي باراك أوباما ووزير خارجيته جون كيري»: two people, one statement."""
    k = doc.token_index(subject.end)
    if k >= len(doc.tokens) or not doc.tokens[k].norm.startswith("و") \
            or text_between(doc, subject.end, doc.tokens[k].start).strip():
        return subject
    for j in range(k, min(k + 4, len(doc.tokens))):
        token = doc.tokens[j]
        if token.start >= limit or (j > k and text_between(doc, doc.tokens[j - 1].end, token.start).strip()):
            break
        mention = doc.mention_at(token)
        if mention is not None and mention.speaker.kind == subject.mention.speaker.kind != "country" \
                and mention.speaker.id != subject.mention.speaker.id and mention.start - token.start <= 1:
            return Subject("group", subject.start, mention.end, doc.text[subject.start:mention.end],
                           members=(subject.mention, mention))
        if not_a_subject(lexicon, token):
            break
    return subject
