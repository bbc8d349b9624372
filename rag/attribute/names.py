"""Speakers outside the registry, as written: a noun phrase up to where it must stop, the
name in apposition to a title («بن رودس نائب مستشار الأمن القومي»), or the registry name
inside it («المتحدث باسم التحالف العميد أحمد عسيري» is Asiri).
"""
from __future__ import annotations

from rag.arabic import QUOTE_PREFIX_LETTERS, accusative_tanwin, prepositions, stopwords

from .cues import cue_form
from .document import Document, Token
from .lexicon import Lexicon
from .marks import QuotePair
from .phrase import (CLOSING_MARKS, OPENING_MARKS, STOP_PUNCT, Subject, addressee, breaks_phrase, continues_phrase, is_adjective,
                     is_head, never_speaker, not_a_subject, phrase_end, possessive, prayer, stops_phrase, text_between,
                     word_gap)

_MAX_NP_WORDS = 8
MARKED_NAME_WORDS = 4  # a name in marks has at most this many words: a longer text in marks is what was said
_NAME_LOOKAHEAD = 6  # words after a title phrase in which its name may still come
_TITLE_WORDS = 12  # words of an office's complement between its head and the name («وكيل الوزارة للتعليم الدكتور…»)
_NAME_WORDS = 7  # «عبد الرحمن بن عبد الله العبد الجبار»
_FREE_NAME_WORDS = 2
_OFFICE_WORDS = 3
_PREPOSITIONS = prepositions()  # rag/resources/stopwords.yaml
_STOPWORDS = stopwords("ar")
_DESCRIPTION_WORDS = 15  # «الباحثة المشاركة في الدراسة وعالمة الأعصاب في جامعة ميشيغان بكلية الطب:»
_SETTING_WORDS = 6  # «في تصريحات أذيعت اليوم الأحد إن»: the setting's words before what was said
_TITLE_PREPOSITIONS = ("في", "الي", "لدي")  # inside an office: «مبعوث الأمم المتحدة إلى الشرق الأوسط»


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
        if k <= last and k > first:
            continue  # inside a namesake's name
        if k > first and breaks_phrase(doc, lexicon, k):
            break
        named = _named_person(doc, token)
        if k > first and (named is not None or token.norm in lexicon.namesake_titles) and _namesake(doc, lexicon, k):
            # «مركز الملك سلمان»، «جامعة الملك سعود»: the person's name is the body's, all of it
            run = name_run(doc, lexicon, k + 1, limit) if named is None else []
            last = max(k, doc.token_index(named.end) - 1 if named is not None else (run or [k])[-1])
            continue
        if named is not None and k > i:
            return Subject("mention", doc.tokens[i].start, named.end, named.surface, mention=named)
        if k > first and _conjoined_part(doc, lexicon, i, k, limit):
            last = k  # «وزارة التجارة والصناعة»
            continue
        if k > first and (stops_phrase(doc, lexicon, k) or not continues_phrase(doc, lexicon, k)
                          or token.bare in lexicon.honorifics and not is_adjective(token)):
            break  # «… المهندس محمد بن عبدالرحمن»: after an honorific comes the name («المتحدث الإعلامي» goes on)
        last = k
    headed = title is not None or is_head(lexicon, doc.tokens[i]) and not _compound_next(doc, lexicon, doc.tokens[i])
    if title is None and not headed and _starts_name(doc, lexicon, doc.tokens[i]):
        run = name_run(doc, lexicon, i, limit)  # «وأوضح علي بن محمد الغامدي، المشرف العام…»: the whole name
        while run and is_head(lexicon, doc.tokens[run[-1]]):
            run.pop()  # «علي آل حطاب الناشط الحقوقي»: the title after the name is none of it
        nxt = run[-1] + 1 if run else i
        titled = nxt < len(doc.tokens) and doc.tokens[nxt].start < limit and is_head(lexicon, doc.tokens[nxt]) \
            and not word_gap(doc, doc.tokens[nxt - 1], doc.tokens[nxt]).strip()
        described = len(run) >= 2 and nxt < len(doc.tokens) and doc.tokens[nxt].start < limit \
            and doc.tokens[nxt].norm in lexicon.described_by and not any(doc.tokens[k].norm in _STOPWORDS for k in run)
        # «ودعا أجاثون رواسا وهو سياسي معارض بارز إلى…» (not «استغرق ميترا بعض الوقت وهو يفكر»)
        if described or len(run) >= 3 and lexicon.name_particles & {doc.tokens[k].norm for k in run} \
                and (titled or _said_next(doc, lexicon, nxt, limit)):  # the name is complete: not «محمد عبد الوهاب» الشيباني
            start, end = doc.tokens[i].start, doc.tokens[run[-1]].end
            name = doc.text[start:end]
            if described:  # the description after «وهو» goes with the name, up to what was said
                set_off = _set_off_end(doc, lexicon, nxt, limit)  # «رامي الدالاتي، وهو عضو … في …، العفو…»
                end = set_off or doc.tokens[_description_end(doc, lexicon, nxt + 1, limit) - 1].end
            return Subject("unknown", start, end, doc.text[start:end], headed=described, name=name)
    if doc.tokens[i].bare in lexicon.honorifics and title is None:
        run = name_run(doc, lexicon, i + 1, limit)  # «الدكتور فهد إبراهيم الشهابي أمين عام الملتقى»
        if not run and _family_alone(doc, lexicon, i + 1, limit):
            run = [i + 1]  # «وأوضح المهندس البنيان أن…»: a family name alone after the honorific
        if run:
            end = _apposition_end(doc, lexicon, run[-1] + 1, limit) or doc.tokens[run[-1]].end
            start = doc.tokens[i].start
            name = doc.text[doc.tokens[run[0]].start:doc.tokens[run[-1]].end]
            return Subject("unknown", start, end, doc.text[start:end], headed=True, name=name)
    start, end = doc.tokens[i].start, doc.tokens[last].end
    honorific_next = last + 1 < len(doc.tokens) and doc.tokens[last + 1].start < limit \
        and doc.tokens[last + 1].bare in lexicon.honorifics and not breaks_phrase(doc, lexicon, last + 1)
    later = _name_after(doc, lexicon, last + 1, limit) if title is None and not honorific_next else None
    if later is not None:
        return Subject("mention", start, later.end, later.surface, mention=later)
    headed = headed or honorific_next  # «والد الشبان اللواء صالح بن أحمد قحطان»
    name = doc.text[start:doc.tokens[title - 1].end] if title is not None else None
    trailing = _trailing_name(doc, lexicon, last + 1, limit) if headed and title is None else None
    plural = doc.tokens[i].norm in lexicon.plural_heads or doc.tokens[i].bare in lexicon.plural_heads
    if trailing is None and headed and title is None and not plural:  # «شهود عيان في … أربيل»: no name
        trailing = appositive_name(doc, lexicon, last + 1, limit) or _name_further(doc, lexicon, last + 1, limit)
    if trailing is not None:  # «عضو مؤتمر الرياض … الدكتورة ياسمين الفاطمي»
        name, end = doc.text[trailing[0]:trailing[1]], trailing[1]
    elif headed and title is None:
        end = _office_end(doc, lexicon, last + 1, limit) or end  # «رئيس غرفة تجارة جدة إن…»
    return Subject("unknown", start, end, doc.text[start:end], headed=headed, name=name)


def _description_end(doc: Document, lexicon: Lexicon, k: int, limit: int) -> int:
    """Index of the token after a description that runs from token ``k`` up to what was said
    (a complementiser, a preposition, punctuation, a quotation, another verb): «… وهو سياسي
    معارض بارز إلى…»، «… وهو متحدث باسم القوات الجوية «سلاح الجو…»» — a name in marks after
    a prefix letter stays in it («التابع لـ«الجيش السوري الحر»»)."""
    j = k
    while j < min(k + _MAX_NP_WORDS, len(doc.tokens)) and doc.tokens[j].start < limit and not (
            j > k and any(c in STOP_PUNCT for c in word_gap(doc, doc.tokens[j - 1], doc.tokens[j]))
            or j > k and _quotation_opens(doc, j)
            or doc.tokens[j].norm in lexicon.complementisers or doc.tokens[j].norm in lexicon.adverbial_heads
            or cue_form(lexicon, doc.tokens[j]) is not None):
        j += 1
    return max(j, k)


def _quotation_opens(doc: Document, j: int) -> bool:
    """A quotation mark opens before token ``j``, not attached to a prefix letter (لـ«…»، بـ"…")."""
    prev = doc.tokens[j - 1]
    return any(c in OPENING_MARKS for c in word_gap(doc, prev, doc.tokens[j])) \
        and not (len(prev.norm) == 1 and prev.norm in QUOTE_PREFIX_LETTERS)


def _set_off_end(doc: Document, lexicon: Lexicon, k: int, limit: int) -> int | None:
    """The end of a description set off by commas, opened by the clause word at token ``k``: «سامي
    كريم، وهو قيادي في حزب «الأمة»، القرار…» — up to the closing comma (prepositions and names in
    marks included), when it comes within a few words and no complementiser, verb or other
    punctuation comes first; else None."""
    if k == 0 or not any(c in "،," for c in word_gap(doc, doc.tokens[k - 1], doc.tokens[k])):
        return None
    for j in range(k + 1, min(k + _DESCRIPTION_WORDS + 1, len(doc.tokens))):
        token, gap = doc.tokens[j], word_gap(doc, doc.tokens[j - 1], doc.tokens[j])
        form = cue_form(lexicon, token)  # «قيادي تابع لـ…» (affiliated): a clause-initial verb only opening a clause
        if token.start >= limit or token.norm in lexicon.complementisers \
                or form is not None and not form.verb.clause_initial:
            return None
        if any(c in "،," for c in gap) and not doc.marks.inside(token.start):
            return doc.tokens[j - 1].end + len(gap) - len(gap.lstrip("".join(CLOSING_MARKS)))
        pair = doc.marks.enclosing(token.start)
        if any(c in STOP_PUNCT for c in gap) or _quotation_opens(doc, j) and (
                pair is None or len(doc.token_range(*pair.inner)) > MARKED_NAME_WORDS):
            return None  # a name in marks is part of it («حزب «الأمة الديمقراطي»»), a quotation is not
    return None


def described_until_said(doc: Document, lexicon: Lexicon, k: int, limit: int) -> int | None:
    """The end of a description from token ``k`` that runs up to what was said, when a colon or an
    opening quotation mark closes it within a few words («الباحثة المشاركة في الدراسة وعالمة
    الأعصاب في جامعة ميشيغان بكلية الطب: ”…”»); None when a complementiser, a verb, other
    punctuation or the limit comes first (then the words are no description of the speaker)."""
    for j in range(k + 1, min(k + _DESCRIPTION_WORDS + 1, len(doc.tokens))):
        token = doc.tokens[j]
        gap = word_gap(doc, doc.tokens[j - 1], token)
        if token.start >= limit:
            return None
        if ":" in gap or any(c in OPENING_MARKS for c in gap):
            return doc.tokens[j - 1].end
        if any(c in STOP_PUNCT or c in CLOSING_MARKS for c in gap) or token.norm in lexicon.complementisers \
                or token.norm in lexicon.relatives or cue_form(lexicon, token) is not None:
            return None
    return None


def _conjoined_part(doc: Document, lexicon: Lexicon, i: int, k: int, limit: int) -> bool:
    """Token ``k`` is a definite word joined by و inside the name of an office or a body headed by
    token ``i`` («وزارة التجارة والصناعة»، «وزارة الاقتصاد والتخطيط»، «مدير العلاقات العامة
    والإعلام»): what was said, or the verb's object, follows it (with its adjectives) at once —
    else the و joins another phrase («… وزارة الخارجية والسفير الأمريكي…»)."""
    token = doc.tokens[k]
    if not (token.norm.startswith("وال") and token.bare.startswith("ال")) or doc.mention_at(token) is not None \
            or word_gap(doc, doc.tokens[k - 1], token).strip() or is_head(lexicon, token) \
            or not (is_head(lexicon, doc.tokens[i]) or _institution(lexicon, doc.tokens[i])):
        return False
    j = k + 1
    while j < len(doc.tokens) and doc.tokens[j].start < limit and is_adjective(doc.tokens[j]) \
            and not word_gap(doc, doc.tokens[j - 1], doc.tokens[j]).strip():
        j += 1
    return _said_next(doc, lexicon, j, limit) or no_name(doc, lexicon, doc.tokens[j])


def marked_name(doc: Document, lexicon: Lexicon, pair: QuotePair, after: int = 0) -> bool:
    """``pair`` holds a short name right after a noun of ``named_in_marks`` that comes at or after
    ``after`` (وكالة "يونهاب"، حزب "الجمهوريون"، صحيفة “نيويورك تايمز”): a name, no quotation."""
    inner = doc.token_range(*pair.inner)
    k = inner[0] if inner else 0
    if not inner or len(inner) > MARKED_NAME_WORDS or k == 0 or doc.text[doc.tokens[k - 1].end:pair.open].strip():
        return False
    noun = doc.tokens[k - 1]
    return noun.start >= after and (noun.norm in lexicon.named_in_marks or noun.bare in lexicon.named_in_marks)


def _name_in_marks(doc: Document, lexicon: Lexicon, i: int, limit: int) -> Subject | None:
    """«صحيفة “نيويورك تايمز”»، «شركة «إيني» الإيطالية»: a noun of ``named_in_marks`` and the
    short name in marks right after it (``marked_name``, with its nisba adjectives) are one speaker."""
    pair = doc.marks.enclosing(doc.tokens[i + 1].start) if i + 1 < len(doc.tokens) else None
    if pair is None or pair.close >= limit or not marked_name(doc, lexicon, pair) \
            or doc.token_range(*pair.inner)[0] != i + 1:
        return None
    words = [doc.tokens[k] for k in doc.token_range(*pair.inner)]
    if words[0].norm in lexicon.complementisers:
        return None  # a quotation, not a name
    head = doc.tokens[i]
    end = pair.close + 1
    for k in range(i + 1 + len(words), min(i + 3 + len(words), len(doc.tokens))):  # الإيطالية، الأميركية
        token = doc.tokens[k]
        if token.start >= limit or not is_adjective(token) or not_a_subject(lexicon, token) \
                or token.norm in lexicon.relatives or text_between(doc, end, token.start).strip():  # إلى، الذي
            break
        end = token.end
    mention = doc.mention_at(words[0])
    # «حركة «حماس»» is Hamas; «صحيفة «واشنطن بوست»» is not Washington
    if mention is not None and (mention.start, mention.end) == (words[0].start, words[-1].end):
        return Subject("mention", head.start, end, mention.surface, mention=mention)
    return Subject("unknown", head.start, end, doc.text[head.start:end], headed=True)


def _title_after_name(doc: Document, lexicon: Lexicon, i: int, limit: int) -> int | None:
    """Index of a title word right after a short name (بن رودس نائب…), or None."""
    if is_head(lexicon, doc.tokens[i]) or doc.tokens[i].norm.startswith("ال"):
        return None
    run = name_run(doc, lexicon, i, limit) if _starts_name(doc, lexicon, doc.tokens[i]) else []
    if len(run) > 3 or len(run) >= 2 and lexicon.name_particles & {doc.tokens[k].norm for k in run}:
        k = run[-1] + 1  # «عبدالله بن عبدالملك المرشد مدير عام…»
        gap = word_gap(doc, doc.tokens[k - 1], doc.tokens[k]) if k < len(doc.tokens) else ""
        return k if k < len(doc.tokens) and doc.tokens[k].start < limit and is_head(lexicon, doc.tokens[k]) \
            and not gap.strip() else None
    for k in range(i + 1, min(i + 4, len(doc.tokens))):
        token = doc.tokens[k]
        if token.start >= limit or stops_phrase(doc, lexicon, k) or token.norm in lexicon.described_by:
            return None  # «سامر خليل وهو ناشط…»: the description after «وهو» is no title of the name
        if is_head(lexicon, token) and token.bare not in lexicon.honorifics:
            return k
    return None


def _trailing_name(doc: Document, lexicon: Lexicon, k: int, limit: int) -> tuple[int, int] | None:
    """A name after a title phrase: after an honorific (الدكتورة ياسمين الفاطمي), its next two
    words; else 2–3 words, the first without ال, up to where the phrase must stop."""
    honorific = k < len(doc.tokens) and doc.tokens[k].start < limit and doc.tokens[k].bare in lexicon.honorifics
    if honorific:  # «الدكتورة ياسمين الفاطمي»، «المهندس محمد بن عبدالرحمن المخرج»
        run = name_run(doc, lexicon, k + 1, limit)
        return (doc.tokens[run[0]].start, doc.tokens[run[-1]].end) if run else None
    words = []
    for j in range(k, min(k + (2 if honorific else 4), len(doc.tokens))):
        if doc.tokens[j].start >= limit or stops_phrase(doc, lexicon, j) or addressee(lexicon, doc.tokens[j]):
            break
        words.append(j)
    if not (1 if honorific else 2) <= len(words) <= 3 or doc.tokens[words[0]].norm.startswith("ال"):
        return None  # one bare word is no name («مسؤولون أميركيون تقريرا لصحيفة…»)
    nxt = words[-1] + 1
    construct = words[0] > 0 and doc.tokens[words[0] - 1].norm in lexicon.office_nouns  # «غرفة تجارة جدة»
    if construct or not honorific and not (_starts_name(doc, lexicon, doc.tokens[words[0]])
                                            and _said_next(doc, lexicon, nxt, limit)):
        return None  # the phrase goes on (بفتح تحقيق مستقل في…): not a name but what was said
    return doc.tokens[words[0]].start, doc.tokens[words[-1]].end


def appositive_name(doc: Document, lexicon: Lexicon, k: int, limit: int) -> tuple[int, int] | None:
    """A name set off by commas right after an office phrase: «المتحدث الرسمي باسم هيئة قناة
    السويس، طارق حسنين، إن…»، «المتحدث الرسمي للحكومة، السفير حسام القاويش، أنه…». An honorific
    and a name, or a name of two words or more, then a comma or what was said. Not a time («، أمس
    الجمعة،»), a setting («، في تصريحات،») or an accusative («، وفقاً لتقارير،»)."""
    k = _comma_within_office(doc, lexicon, k, limit)
    if k is None:
        return None
    honorific = doc.tokens[k].bare in lexicon.honorifics
    run = name_run(doc, lexicon, k + 1 if honorific else k, limit)
    if len(run) < (1 if honorific else 2) or any(
            doc.tokens[n].norm in lexicon.time_words or accusative(doc, doc.tokens[n]) for n in run):
        return None
    nxt = run[-1] + 1
    if nxt < len(doc.tokens) and doc.tokens[nxt].start < limit \
            and not any(c in "،," for c in word_gap(doc, doc.tokens[nxt - 1], doc.tokens[nxt])) \
            and not _said_next(doc, lexicon, nxt, limit):
        return None
    return doc.tokens[run[0]].start, doc.tokens[run[-1]].end


def _comma_within_office(doc: Document, lexicon: Lexicon, k: int, limit: int) -> int | None:
    """Index of the first word after a comma that ends an office phrase at token ``k`` or a few
    words of its complement later («المتحدث الرسمي للحكومة، …»، «عضو المجلس السياسي لجماعة
    الحوثي، …»); None if something else comes first (a preposition, what was said, a verb)."""
    for j in range(k, min(k + _OFFICE_WORDS + 1, len(doc.tokens))):
        token = doc.tokens[j]
        if token.start >= limit:
            return None
        gap = word_gap(doc, doc.tokens[j - 1], token)
        if gap.strip() in ("،", ","):
            return j
        if _stops_name_search(doc, lexicon, j) or token.norm in lexicon.adverbial_heads or accusative(doc, token):
            return None
    return None


def accusative(doc: Document, token: Token) -> bool:
    """Token ``token`` ends in the accusative tanwin as written (see ``rag.arabic.accusative_tanwin``)."""
    return accusative_tanwin(doc.text[token.start:token.end])


def _setting_next(doc: Document, lexicon: Lexicon, run: list[int], limit: int) -> bool:
    """After the name ``run`` comes the setting of what was said, then what was said: a preposition
    before a statement noun («بيجن زنغنه في تصريحات أذيعت اليوم إن…»، «في حديث لـ…») or an aside
    («راجح بادي من جانبه أن…»), and a complementiser a few words on with no other verb before it.
    The run holds no stopword («كارني هذه المخاوف بعد تصريحات…» is a name and an object)."""
    j = run[-1] + 1
    if j + 1 >= len(doc.tokens) or doc.tokens[j + 1].start >= limit \
            or any(doc.tokens[n].norm in _STOPWORDS for n in run):
        return False
    token, nxt = doc.tokens[j], doc.tokens[j + 1]
    setting = token.norm in lexicon.adverbial_heads and any(
        w in lexicon.statement_nouns for w in (nxt.norm, nxt.bare, nxt.norm.removeprefix("ال")))
    if not setting and phrase_end(doc, j, lexicon.aside_phrases) is None:
        return False
    for n in range(j + 2, min(j + 2 + _SETTING_WORDS, len(doc.tokens))):
        if doc.tokens[n].start >= limit or cue_form(lexicon, doc.tokens[n]) is not None:
            return False
        if doc.tokens[n].norm in lexicon.complementisers:
            return True
    return False


def _name_further(doc: Document, lexicon: Lexicon, k: int, limit: int) -> tuple[int, int] | None:
    """The name that ends an office's phrase after its complement: «وكيل الوزارة للتعليم الدكتور
    عبدالرحمن البراك»، «المخرج المسرحي عيد بن سعيد الغامدي أن…». After an honorific the name
    is its next words (see ``name_run``); without one, a name-like run only where what was said
    begins right after it (a complementiser, punctuation, a quotation, an audience «لـ"سبق"»)."""
    for j in range(k, min(k + _TITLE_WORDS, len(doc.tokens))):
        token = doc.tokens[j]
        if token.start >= limit or _stops_name_search(doc, lexicon, j) or (
                token.norm in lexicon.adverbial_heads and token.norm not in lexicon.time_words
                and token.norm not in _TITLE_PREPOSITIONS and not _particle_next(doc, lexicon, j)):
            return None  # «… خلال لقائه السفير محمد علي»: the name of someone else
        if token.norm in lexicon.speaker_ends and not (j + 1 < len(doc.tokens) and doc.tokens[j + 1].bare in lexicon.honorifics):
            return None  # «هيئة الطيران المدني الإيطالية أمس بوقف ترخيص…»: the verb's time, then its object
        if token.bare in lexicon.honorifics:
            run = name_run(doc, lexicon, j + 1, limit)
            if run:
                return doc.tokens[run[0]].start, doc.tokens[run[-1]].end
            continue  # «الناطق الإعلامي بشرطة منطقة مكة المكرمة العقيد…»: an adjective, the name comes later
        prev = doc.tokens[j - 1]
        # «غرفة تجارة جدة»: the office's complement, no name; «حصرت اللجنة … أسباب تعثر المشاريع»: the
        # complement of a word no name starts with (the verb's object)
        construct = prev.norm in lexicon.office_nouns or no_name(doc, lexicon, prev)
        if (_starts_name(doc, lexicon, token) or _particle_next(doc, lexicon, j)) and prev.norm not in _TITLE_PREPOSITIONS \
                and not construct:
            run = name_run(doc, lexicon, j, limit)
            nxt = run[-1] + 1 if run else j
            after = doc.tokens[nxt] if nxt < len(doc.tokens) and doc.tokens[nxt].start < limit else None
            titled = after is not None and is_head(lexicon, after) and not _honorific(lexicon, after) \
                and not _institution(lexicon, after)  # «… عملية إعادة تنظيم»: an institution's noun is no title
            # «… تركي السلطان من أهمية…»: after a full name (its family name with ال) a preposition
            # begins what was said or its setting
            family = doc.tokens[run[-1]].norm.startswith("ال") if run else False
            preposition = after is not None and family and not after.name \
                and (after.norm in _PREPOSITIONS or after.norm in lexicon.adverbial_heads) \
                and sum(1 for n in range(len(run)) if _free_word(doc, lexicon, run, n)) <= 1  # not «توجيه أصابع الاتهام إلى»
            setting = after is not None and len(run) >= 2 and _setting_next(doc, lexicon, run, limit)  # «… بيجن زنغنه في تصريحات»
            if len(run) >= 2 and (_said_next(doc, lexicon, nxt, limit) or titled or preposition or setting):
                return doc.tokens[run[0]].start, doc.tokens[run[-1]].end
            if len(run) >= 2 and family and after is not None and after.norm in _PREPOSITIONS and not after.name:
                return None  # «وزير الداخلية الليبي توجيه أصابع الاتهام إلى…»: the object, no name in it
    return None


def _office_end(doc: Document, lexicon: Lexicon, k: int, limit: int) -> int | None:
    """The end of an office's complement that runs up to what was said: a few words, none of
    which stops a phrase, right before a complementiser, punctuation or a quotation — only
    after an indefinite head (a construct: «رئيس غرفة…», not «المسؤول إمكانية…»)."""
    if k == 0 or doc.tokens[k - 1].norm.startswith("ال") or doc.tokens[k - 1].norm.endswith(("ي", "يه", "يون", "يين")):
        return None  # after a definite head or an adjective, the phrase is complete
    for j in range(k, min(k + _OFFICE_WORDS, len(doc.tokens))):
        if doc.tokens[j].start >= limit or stops_phrase(doc, lexicon, j) or doc.tokens[j].bare in lexicon.honorifics:
            return None
        if _said_next(doc, lexicon, j + 1, limit) and not addressee(lexicon, doc.tokens[j]):
            return doc.tokens[j].end
    return None


def _family_alone(doc: Document, lexicon: Lexicon, k: int, limit: int) -> bool:
    """Token ``k`` is a family name with ال (البنيان) that what was said follows at once."""
    if k >= len(doc.tokens) or doc.tokens[k].start >= limit or breaks_phrase(doc, lexicon, k):
        return False
    token = doc.tokens[k]
    return token.norm.startswith("ال") and not is_head(lexicon, token) and not is_adjective(token) \
        and not_a_subject(lexicon, token) is False and _said_next(doc, lexicon, k + 1, limit) \
        and doc.mention_at(token) is None


def _apposition_end(doc: Document, lexicon: Lexicon, k: int, limit: int) -> int | None:
    """The end of an office phrase in apposition after a name («… الشهابي أمين عام الملتقى»)."""
    if k >= len(doc.tokens) or doc.tokens[k].start >= limit or not is_head(lexicon, doc.tokens[k]) \
            or breaks_phrase(doc, lexicon, k):
        return None
    last = k
    for j in range(k + 1, min(k + _MAX_NP_WORDS, len(doc.tokens))):
        if doc.tokens[j].start >= limit or stops_phrase(doc, lexicon, j) or not continues_phrase(doc, lexicon, j):
            break
        last = j
    return doc.tokens[last].end


def _namesake(doc: Document, lexicon: Lexicon, j: int) -> bool:
    """The person named at token ``j`` gives its name to the place or body written right before
    it (reporting.yaml namesake_heads: «مركز الملك سلمان للإغاثة»، «لمركز الملك سلمان»، «جامع خادم
    الحرمين الشريفين»): a namesake, never the speaker of the phrase it is in."""
    if j == 0 or word_gap(doc, doc.tokens[j - 1], doc.tokens[j]).strip():
        return False
    prev = doc.tokens[j - 1]
    words = {prev.norm, prev.bare}
    if prev.norm[:1] in ("ل", "ب"):
        words.add(prev.norm[1:])
    return any(w in lexicon.namesake_heads for w in words)


def _institution(lexicon: Lexicon, token: Token) -> bool:
    norm = token.norm[2:] if token.norm.startswith("ال") else token.norm
    return any(w in words for w in (token.norm, norm) for words in (
        lexicon.office_nouns, lexicon.named_in_marks, lexicon.feminine_heads, lexicon.masculine_heads))


def _honorific(lexicon: Lexicon, token: Token) -> bool:
    return token.bare in lexicon.honorifics or token.bare in lexicon.honorific_titles


def _particle_next(doc: Document, lexicon: Lexicon, j: int) -> bool:
    """The word after token ``j`` is a name particle (بن، أبو…) with nothing between."""
    return j + 1 < len(doc.tokens) and doc.tokens[j + 1].norm in lexicon.name_particles \
        and not word_gap(doc, doc.tokens[j], doc.tokens[j + 1]).strip()


def _starts_name(doc: Document, lexicon: Lexicon, token: Token) -> bool:
    norm = token.norm
    if no_name(doc, lexicon, token):
        return False
    if _compound_next(doc, lexicon, token):
        return True  # «أمين الدين حامدي»: أمين is a name here, no secretary
    office = norm in lexicon.office_nouns or norm[:1] in ("ب", "ل", "و") and norm[1:] in lexicon.office_nouns \
        or never_speaker(lexicon, token)  # «الناطق الإعلامي بشرطة منطقة…»: the office, not a name
    joined = norm != token.bare or norm[:1] == "ل"  # «وحماية البيئة»، «لكرة القدم»: a conjunction or ل, no name
    return not (norm.startswith(("ال", "لل", "بال", "وال", "فال", "كال")) or is_head(lexicon, token) or office
                or joined or not_a_subject(lexicon, token) or norm in lexicon.named_in_marks or norm.isdigit())


def _compound_next(doc: Document, lexicon: Lexicon, token: Token) -> bool:
    """The word after ``token`` (nothing between) completes a compound first name (الدين)."""
    k = doc.token_index(token.start) + 1
    return k < len(doc.tokens) and doc.tokens[k].norm in lexicon.name_compounds \
        and not word_gap(doc, token, doc.tokens[k]).strip() and not token.norm.startswith("ال")


def no_name(doc: Document, lexicon: Lexicon, token: Token) -> bool:
    """A word no personal name starts with, though it may follow a title or a body: a verbal noun
    or quantity word of ``not_names`` that opens the verb's object («واعلنت الحركة تعيين نائبين…»)
    or a noun with a possessive pronoun as written («واصل الفريق تدريباته»، «أنهت الوزارة
    إجراءاتها»; ة is no pronoun, so «أسامة» is a name)."""
    if token.name:
        return False
    return token.norm in lexicon.not_names or token.bare in lexicon.not_names or possessive(doc, token)


def name_run(doc: Document, lexicon: Lexicon, j: int, limit: int) -> list[int]:
    """Token indexes of a personal name from ``j``: a first name, particles with their word
    (بن مبروك، عبد الله، آل الشيخ), up to two more names and one family name with ال."""
    run: list[int] = []
    while j < len(doc.tokens) and len(run) < _NAME_WORDS:
        token = doc.tokens[j]
        after_particle = bool(run) and doc.tokens[run[-1]].norm in lexicon.name_particles
        if token.start >= limit or (run and _stops_name_search(doc, lexicon, j) and not (
                after_particle and not word_gap(doc, doc.tokens[j - 1], token).strip())):
            break  # «أبو طالب»: after a particle even a verb's form is a name
        if not after_particle and not _particle_next(doc, lexicon, j) and (
                addressee(lexicon, token) or token.norm in _PREPOSITIONS and not token.name
                or not_a_subject(lexicon, token) or token.bare in lexicon.honorifics or prayer(lexicon, token)):
            break  # «علي بن خميس»: علي (Ali) is no preposition before بن; «… الدينوري يرحمه الله»
        after_particle = bool(run) and doc.tokens[run[-1]].norm in lexicon.name_particles
        family = token.norm.startswith("ال") and token.norm not in lexicon.name_particles \
            and not (run and token.norm in lexicon.name_compounds)  # «أمين الدين حامدي»: الدين ends no name
        if not run and (family or not _starts_name(doc, lexicon, token)):
            break  # «المتحدث الإعلامي بالإدارة العامة…»: no name starts with بال
        if run and token.norm[:1] == "و" and token.norm != token.bare and not after_particle:
            break  # «أربيل ودهوك»: a second name joined by و is another one
        free = not family and not after_particle and token.norm not in lexicon.name_particles \
            and token.norm not in lexicon.name_compounds
        if free and sum(1 for n, k in enumerate(run) if _free_word(doc, lexicon, run, n)) >= _FREE_NAME_WORDS:
            break  # «صالح بن أحمد قحطان بتجربة…»: a first name and one more, besides بن and the family
        if is_head(lexicon, token) and not family and not after_particle and not _compound_next(doc, lexicon, token):
            break
        run.append(j)
        j += 1
        if token.norm in lexicon.name_particles:
            continue
        nxt = doc.tokens[j].norm if j < len(doc.tokens) else ""
        if family and nxt not in lexicon.name_particles and token.norm[2:] not in lexicon.name_particles \
                and not (nxt.startswith("ال") and nxt[2:] in lexicon.name_particles):
            break  # «العبد الجبار»، «عبد الله العبد الجبار»: ال on a particle, the family name goes on
    while run and doc.tokens[run[-1]].norm in lexicon.name_particles:
        run.pop()
    return run


def _free_word(doc: Document, lexicon: Lexicon, run: list[int], n: int) -> bool:
    """Run word ``n`` is neither a particle, nor the word after one, nor a family name with ال."""
    norm = doc.tokens[run[n]].norm
    after_particle = n > 0 and doc.tokens[run[n - 1]].norm in lexicon.name_particles
    return not (norm in lexicon.name_particles or after_particle or norm.startswith("ال"))


def _said_next(doc: Document, lexicon: Lexicon, j: int, limit: int) -> bool:
    """What was said (or its audience, or a time word) begins at token ``j``."""
    if j >= len(doc.tokens) or doc.tokens[j].start >= limit:
        return True
    token = doc.tokens[j]
    gap = text_between(doc, doc.tokens[j - 1].end, token.start)
    return any(c in STOP_PUNCT or c in OPENING_MARKS or c in CLOSING_MARKS for c in gap) \
        or token.norm in lexicon.complementisers \
        or addressee(lexicon, token) or token.norm in lexicon.time_words


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
        named = _named_person(doc, token) if not _namesake(doc, lexicon, j) else None
        if named is not None:
            prev = doc.tokens[j - 1]
            return None if (prev.norm in _PREPOSITIONS or prev.bare in _PREPOSITIONS) and not prev.name else named
    return None


def _stops_name_search(doc: Document, lexicon: Lexicon, j: int) -> bool:
    token = doc.tokens[j]
    gap = word_gap(doc, doc.tokens[j - 1], token)
    return any(c in STOP_PUNCT or c in OPENING_MARKS or c in CLOSING_MARKS for c in gap) \
        or token.norm in lexicon.complementisers \
        or token.norm in lexicon.relatives or cue_form(lexicon, token) is not None
