"""What was said: the span of a statement once its cue is known.

The content opens at the first of (in the verb's order of preference):
- a complementiser outside quotation marks (أن، إن، بأن، أنه…) — indirect speech;
- a colon («وقال: …»);
- a quotation mark («وتابع "…"») — when neither of the above comes first, so a name in
  marks on the way («في مقالة لوكالة «شينخوا» الصينية، أنه…») is not taken for a quote;
- for verbs that take one, the object («أكد … أهمية التعاون…»، «أبدى تطلعه إلى…»).

It ends at the end of the sentence, or earlier where the next statement's clause begins
(«…، مشيراً إلى…»، «…، فيما أكد…») or a conduit phrase is appended («…، وفق "رويترز"»).

Spans (documented choice for mixed speech):
- direct: the words inside the marks — also when the content opens with a quotation that
  closes before the sentence ends («أنّ "…" في التعاون الروسي الصيني») or when only the
  closing mark is there («أنه خلال الزيارة… والعالمية»»: from the complementiser to it);
- indirect: the content after the complementiser (or the object), up to the end;
- mixed: an indirect clause holding a quoted part of two words or more («أن العلاقات
  "تدخل عصرا جديدا"»، «تتميز بـ"الرغبة المشتركة…"») keeps the whole clause, so the quoted
  words stay with the subject they are said of. A single scare-quoted word («"الضغوط"
  الغربية») or a quoted name («“وانغ” الذي…») leaves the clause indirect.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.arabic import tokenize

from .cues import Conduit, Cue, cue_form
from .document import Document
from .lexicon import Lexicon
from .marks import QuotePair
from .names import accusative, marked_name
from .phrase import CLOSING_MARKS, clitic_noun, is_head

_MAX_OPENING_WORDS = 24  # a complementiser further than this from the cue belongs elsewhere
_MIN_OBJECT_WORDS = 3
_THAT_LOOKAHEAD = 5  # words of a definite phrase between the cue's subject and a complementiser
_SENTENCE_MARKS = ".:;؛!?؟()«»“”\""  # between two words: the phrase before a complementiser is over
_TITLE_WORDS = 12  # words of a title's rest before «، أن» («عام فرع هيئة السياحة والتراث الوطني بمنطقة الرياض»)
_TITLE_PREPOSITIONS = ("في", "لدي", "الي")  # inside an office: «… في الرئاسة العامة للأرصاد»
_MAX_SUBJECT_WORDS = 30  # words between a verb without object and the quotation it reports
_DIRECT_MIN_WORDS = 4  # a quotation opening the content is the statement if this long…
_DIRECT_MAX_TAIL = 3  # …or if at most this many words follow it
_MAX_SETTINGS = 3  # settings in a row between a cue and its content («، خلال مؤتمر…، عقب…، على أن»)
_MAX_SETTING_WORDS = 20
_URL = re.compile(r"(https?://|www\.)|\.(com|org|net|sa|gov)(\.[a-z]{2})?(/|$)", re.I)
# Trimmed off both ends of a span, with every whitespace character (NEL, U+2028…): clause
# punctuation, and invisible marks (bidi controls, zero-width characters, BOM) a reader never sees.
_TRIM = ".,،:;؛-–—\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


@dataclass(frozen=True)
class Content:
    start: int
    end: int
    kind: str  # direct | indirect | mixed


@dataclass(frozen=True)
class _Opening:
    how: str  # that | colon | quote | object
    pos: int
    pair: QuotePair | None = None


def find_content(doc: Document, lexicon: Lexicon, cue: Cue, after: int, window_end: int,
                 conduits: list[Conduit], *, firm_subject: bool = False) -> Content | None:
    """The content of ``cue`` whose subject ends at ``after``; nothing past ``window_end``."""
    content = _content(doc, lexicon, cue, after, window_end, conduits, firm_subject)
    return None if content is None or not_said(doc, lexicon, content) else content


def not_said(doc: Document, lexicon: Lexicon, content: Content) -> bool:
    """A quotation too short to be a statement — a name, a title or a slogan in marks («إيران
    إير»، «ليل الخطاطين») — or a web address."""
    text = doc.text[content.start:content.end]
    if _URL.search(text) and len(text.split()) == 1:
        return True
    if content.kind != "direct" or _words(doc, content.start, content.end) >= lexicon.min_quote_words:
        return False
    after = doc.text[content.end:content.end + 40].lstrip("".join(CLOSING_MARKS) + " \t")
    return bool(after) and after[0].isalpha()  # «مدير «إيران إير» وقال…»; «أنها "ستدفع الثمن".» is said


def _content(doc: Document, lexicon: Lexicon, cue: Cue, after: int, window_end: int,
             conduits: list[Conduit], firm_subject: bool) -> Content | None:
    opening = find_opening(doc, lexicon, cue, after, window_end, firm_subject=firm_subject)
    if opening is None:
        return None
    if opening.how == "quote":
        return _quoted(doc, opening, window_end)
    start = opening.pos
    if opening.how == "object":
        start = _skip_time_words(doc, lexicon, _past_setting(doc, lexicon, cue, start, window_end), window_end)
        that = _that_after_prep(doc, lexicon, cue, start, window_end) \
            or _that_after_adverb(doc, lexicon, cue, start, window_end)
        if that is not None:  # «وشدد …، خلال مؤتمر صحفي…، على أن الحوار…»
            return classify(doc, that, _statement_end(doc, lexicon, cue, that, window_end, conduits))
    if opening.how == "object" and not _object_allowed(doc, lexicon, cue, start, window_end):
        return None
    end = _statement_end(doc, lexicon, cue, start, window_end, conduits)
    content = classify(doc, start, end)
    if content is not None and opening.how == "object" and _words(doc, content.start, content.end) < _MIN_OBJECT_WORDS:
        return None
    if content is not None and opening.how == "colon" and content.kind == "indirect":
        return Content(content.start, content.end, "direct")  # «وأردف: هناك…» is his words
    return content


def _past_setting(doc: Document, lexicon: Lexicon, cue: Cue, start: int, end: int) -> int:
    """Past the setting the narrator puts between the cue and what was said: «أكدت الرئاسة
    السودانية، في بيان، مشاركة…»، «دعا هرتزوغ، في حديث للإذاعة العامة، اليمين…» — phrases
    that open with an adverbial word (not the verb's own preposition) and close with a comma."""
    first_start = start
    for _ in range(_MAX_SETTINGS + 1):
        k = doc.token_index(start)
        if k >= len(doc.tokens) or doc.tokens[k].start >= end:
            return start
        first = doc.tokens[k]
        if first.norm == cue.form.verb.prep or not (first.norm in lexicon.setting_heads
                                                      or first.bare in lexicon.setting_heads):
            return start if start == first_start or first.norm == cue.form.verb.prep or not _adverbial(lexicon, first) \
                else first_start
        comma = None
        for j in range(k + 1, min(k + _MAX_SETTING_WORDS + 1, len(doc.tokens))):
            token = doc.tokens[j]
            if token.start >= end or token.norm in lexicon.complementisers or doc.marks.inside(token.start):
                break
            if "،" in doc.text[doc.tokens[j - 1].end:token.start] or "," in doc.text[doc.tokens[j - 1].end:token.start]:
                comma = token.start
                break
        if comma is None:  # «ودعا خلال لقائه … ولد الشيخ، في الرياض إلى…»: the object was in the setting
            return start if start == first_start else first_start
        start = comma
    return start


def _adverbial(lexicon: Lexicon, token) -> bool:
    return token.norm in lexicon.adverbial_heads or token.bare in lexicon.adverbial_heads


def _that_after_prep(doc: Document, lexicon: Lexicon, cue: Cue, start: int, end: int) -> int | None:
    """Where the content opens when an object starts with the verb's preposition and a
    complementiser («على أن…»): after the complementiser."""
    k = doc.token_index(start)
    if k + 1 >= len(doc.tokens) or doc.tokens[k + 1].start >= end or cue.form.verb.prep is None:
        return None
    if doc.tokens[k].norm == cue.form.verb.prep and doc.tokens[k + 1].norm in lexicon.complementisers:
        return doc.tokens[k + 1].end
    return None


def _that_after_adverb(doc: Document, lexicon: Lexicon, cue: Cue, start: int, end: int) -> int | None:
    """Where the content opens after an adverb in the accusative as written, the narrator's
    («وشدد أخيرًا على أن…»، «أكدت تزامناً مع الغارات…، أنها…»): after the complementiser that
    comes next, or after a comma; else None (an accusative object, «أعلن خفضًا…», is said)."""
    k = doc.token_index(start)
    if k + 1 >= len(doc.tokens) or not accusative(doc, doc.tokens[k]):
        return None
    nxt = doc.tokens[k + 1]
    if nxt.start >= end:
        return None
    if nxt.norm in lexicon.complementisers:
        return nxt.end
    that = _that_after_prep(doc, lexicon, cue, nxt.start, end)
    if that is not None:
        return that
    for j in range(k + 2, min(k + _MAX_SETTING_WORDS + 1, len(doc.tokens))):
        token = doc.tokens[j]
        if token.start >= end or doc.marks.inside(token.start):
            return None
        if any(c in "،," for c in doc.text[doc.tokens[j - 1].end:token.start]):
            return token.end if token.norm in lexicon.complementisers else None
    return None


def _object_allowed(doc: Document, lexicon: Lexicon, cue: Cue, start: int, end: int) -> bool:
    """«عبر عن…» needs its preposition; «وكان عراقجي يشير الى القرار…» (was referring to)
    narrates, it does not report; a participle reports an object only opening a clause
    («…، داعيا المجتمع الدولي إلى…», not «نتائج متوقعة…»)."""
    verb = cue.form.verb
    if verb.needs_prep:
        token = doc.next_token(start, end)
        return token is not None and token.norm == verb.prep
    if cue.participle:
        return _opens_clause(doc, cue)
    if cue.form.tense == "present" and verb.opinion:
        return False  # «وتعتبر الشركة أحد…» (is considered): a view held, no statement of an object
    if cue.form.tense == "present":
        first = doc.tokens[doc.token_index(doc.sentence_start(cue.token.start))]
        return first.bare not in ("كان", "كانت")
    return True


def _opens_clause(doc: Document, cue: Cue) -> bool:
    """The cue follows punctuation, a line start or a closing quotation mark."""
    before = doc.text[max(0, cue.token.start - 4):cue.token.start]
    stripped = before.rstrip()
    return not stripped or stripped[-1] in "،,.:;؛\n»”\")(" or cue.index == 0


def find_opening(doc: Document, lexicon: Lexicon, cue: Cue, after: int, window_end: int, *,
                 firm_subject: bool = False) -> _Opening | None:
    """Where the content opens (see the module docstring); None when the cue has no content.
    After a ``firm_subject`` (a name, a title, none at all), a verb that takes an object and is
    followed by a noun has that noun as its content, and a later أن is inside it."""
    allowed = cue.form.verb.content
    quotes_allowed = "quote" in allowed and _no_object_first(doc, lexicon, cue, after, window_end)
    statements_only = "quote" in allowed and "object" not in allowed and not quotes_allowed
    # «قال إيريك هامرن مدرب السويد “…”»: a verb without an object reports a quotation past the
    # words of its subject, when the quotation is a statement of its own
    prev_end, prev_norm, quote = after, None, None
    for count, k in enumerate(doc.token_range(after, window_end)):
        token = doc.tokens[k]
        gap_colon = _colon_in(doc, prev_end, token.start)
        if gap_colon is not None and "colon" in allowed:  # «قال: إن…» is indirect, opening after the إن
            if token.norm in lexicon.complementisers:
                return _Opening("that", token.end)
            return _Opening("colon", gap_colon + 1)
        if quote is None and quotes_allowed:
            quote = _quote_opening(doc, lexicon, prev_end, token.start, (after, window_end))
        if count == 0 and firm_subject and "object" in allowed and not doc.marks.inside(token.start) \
                and token.norm not in lexicon.complementisers and _object_word(lexicon, token, cue.form.verb.prep) \
                and (not cue.participle or _opens_clause(doc, cue)) \
                and (cue.form.verb.object_first or not (_before_that(doc, lexicon, k, window_end, cue.form.verb.prep)
                                                         or _title_before_that(doc, lexicon, k, window_end))):
            return _Opening("object", after)  # «استبعد … إمكانية أن يقبل…»: the أن is inside the object
        if not doc.marks.inside(token.start) and "that" in allowed and count < _MAX_OPENING_WORDS \
                and token.norm in lexicon.complementisers \
                and (prev_norm == cue.form.verb.prep or prev_norm not in lexicon.not_complementiser_after):
            return _Opening("that", token.end)
        prev_end, prev_norm = token.end, token.norm
    if quote is None and quotes_allowed:
        quote = _quote_opening(doc, lexicon, prev_end, window_end, (after, window_end))
    if quote is None and statements_only:
        pairs = [p for p in _quotations(doc, lexicon, after, window_end, (after, window_end))[:1]
                 if len(doc.token_range(*p.inner)) >= _DIRECT_MIN_WORDS and _opens_after_words(doc, after, p.open)]
        quote = _Opening("quote", pairs[0].open, pairs[0]) if pairs else None
    if quote is not None:
        return quote
    return _Opening("object", after) if "object" in allowed else None


def _before_that(doc: Document, lexicon: Lexicon, k: int, window_end: int, prep: str | None) -> bool:
    """Whether the words from token ``k`` are a short definite phrase (a family name, the rest of
    a title, an addressee) that a complementiser follows: «وأوضح المهندس البنيان أن…»،
    «وأوضح عبد الرحمن بن عبد الله العبد الجبار، أن…»، «سائلا الله العلي القدير أن…». Such a
    phrase is no object holding the أن — what was said opens after the complementiser (or the
    verb's preposition and it: «…، إلى أن»). An
    indefinite noun that governs a clause («إمكانية أن»، «ضرورة أن») is the object, and so is
    what a verb of ``object_first`` describes («واصفا المشهد بأنه…»: the scene is what he described)."""
    first = doc.tokens[k]
    stem = first.norm[2:] if first.norm.startswith("ال") else first.norm
    if not first.norm.startswith("ال") or stem in lexicon.preposition_objects or first.norm in lexicon.time_words:
        return False
    for j, token, gap in _words_after(doc, k, _THAT_LOOKAHEAD, window_end):
        if token.norm in lexicon.complementisers:
            return doc.tokens[j - 1].norm not in lexicon.not_complementiser_after or doc.tokens[j - 1].norm == prep
        if prep is not None and token.norm == prep and j + 1 < len(doc.tokens) \
                and doc.tokens[j + 1].norm in lexicon.complementisers:
            continue  # «…، إلى أن»: the verb's preposition before its complementiser
        if "،" in gap or "," in gap or token.norm in lexicon.relatives or token.norm in lexicon.cues \
                or token.bare in lexicon.cues or token.norm in lexicon.adverbial_heads:
            return False
    return False


def _words_after(doc: Document, k: int, most: int, window_end: int):
    """(index, token, text before it) of up to ``most`` words after token ``k``, stopping at the
    window's end, inside a quotation, or after sentence punctuation or a mark."""
    for j in range(k + 1, min(k + 1 + most, len(doc.tokens))):
        token = doc.tokens[j]
        gap = doc.text[doc.tokens[j - 1].end:token.start]
        if token.start >= window_end or doc.marks.inside(token.start) or any(c in _SENTENCE_MARKS for c in gap):
            return
        yield j, token, gap


def _title_before_that(doc: Document, lexicon: Lexicon, k: int, window_end: int) -> bool:
    """Whether the words from token ``k`` are the rest of the speaker's title, closed by a comma
    and a complementiser: «وأوضح مدير عام فرع هيئة السياحة والتراث الوطني بمنطقة الرياض، أن…»
    (the office goes on after «مدير»), «وأوضح طاهر صميلي المشرف العام على المستشفى، أنه…» (a title
    in apposition), «… أستاذ الجغرافيا بجامعة القصيم، أن…». The first word is a title, an office
    or a body with ب/ل, or continues the office word the subject ended with; no verb, relative,
    quotation or other punctuation comes before the comma."""
    first, prev = doc.tokens[k], doc.tokens[k - 1] if k else None
    office = prev is not None and (prev.norm in lexicon.office_nouns or is_head(lexicon, prev)) \
        and not first.norm.startswith(("و", "ب", "ل")) and first.norm not in lexicon.time_words
    if not (is_head(lexicon, first) or office or clitic_noun(lexicon, first)) or first.norm in lexicon.complementisers:
        return False
    for _, token, gap in _words_after(doc, k, _TITLE_WORDS, window_end):
        if token.norm in lexicon.complementisers:
            return "،" in gap or "," in gap
        if "،" in gap or "," in gap or token.norm in lexicon.relatives or cue_form(lexicon, token) is not None \
                or token.norm in lexicon.adverbial_heads and token.norm not in _TITLE_PREPOSITIONS:
            return False
    return False


def _object_word(lexicon: Lexicon, token, prep: str | None = None) -> bool:
    """A word that opens an object, not an adverbial, an audience or a time word; after a verb
    of «إلى» (دعا), «لـ» stands for it («داعيا للالتحاق…») unless an audience follows it."""
    words = (token.norm, token.bare)
    rest = token.norm[2:] if token.norm.startswith("لل") else token.norm[1:]
    to = prep == "الي" and token.norm.startswith("ل") and rest not in lexicon.speaker_heads \
        and not set(tokenize(rest)) & lexicon.media
    return not (token.norm.startswith("ل") and not to or token.norm.isdigit() or token.norm in lexicon.relatives or any(
        w in lexicon.adverbial_heads or w in lexicon.conduit_heads or w in lexicon.object_pronouns
        or w in lexicon.saying_nouns for w in words))


def _opens_after_words(doc: Document, start: int, pos: int) -> bool:
    """Only words (no sentence punctuation, no other quotation) lie between ``start`` and ``pos``."""
    return len(doc.token_range(start, pos)) <= _MAX_SUBJECT_WORDS and not any(c in ".!?؟:;؛" for c in doc.text[start:pos])


def _no_object_first(doc: Document, lexicon: Lexicon, cue: Cue, after: int, window_end: int) -> bool:
    """A quotation is the content only if no other word comes first but adverbials:
    «أكد الزعيم الروسي رغبته …، وأشاد … "الضغوط" الغربية» and «وأعلن قيام "الخلافة"» quote
    nothing; «وقال الكرملين في بيان عقب المحادثات "…"» does."""
    token = doc.next_token(after, window_end)
    if token is None or doc.marks.top_in(after, token.start) or doc.marks.first_unmatched_open(after, token.start):
        return True
    words = (token.norm, token.bare)
    return token.norm.startswith("ل") or any(  # «وتابع قوله "…"»: the saying noun before the quotation
        w in lexicon.adverbial_heads or w in lexicon.conduit_heads or w in lexicon.saying_nouns for w in words)


def _colon_in(doc: Document, start: int, end: int) -> int | None:
    pos = doc.text.find(":", start, end)
    return pos if pos >= 0 and not doc.marks.inside(pos) else None


def _quote_opening(doc: Document, lexicon: Lexicon, start: int, end: int,
                   aside: tuple[int, int] | None = None) -> _Opening | None:
    """A top-level quotation (or an opening mark never closed) that opens in ``[start, end)``;
    with ``aside``, past the names in marks of the words between the subject and what was said
    (see ``_quotations``)."""
    pairs = _quotations(doc, lexicon, start, end, aside)
    if pairs:
        return _Opening("quote", pairs[0].open, pairs[0])
    lone = doc.marks.first_unmatched_open(start, end)
    return _Opening("quote", lone) if lone is not None and not doc.marks.inside(lone) else None


def _quotations(doc: Document, lexicon: Lexicon, start: int, end: int,
                aside: tuple[int, int] | None) -> list[QuotePair]:
    """Top-level quotations opening in ``[start, end)``. With ``aside`` (the span from the
    subject's end to the window's end), past the short names in marks that the narrator's words
    after the subject hold when a quotation follows them: «في اتصال هاتفي مع وكالة "رويترز" …
    "قوات الاحتلال…"»، «من حزب "الجمهوريون" عبر صحيفة … "أقول…"» — an outlet's or a party's
    name after its noun is no quotation (a noun of the subject itself, «رئيس تحرير صحيفة
    "الأخبار"», is not skipped: its name is the subject's)."""
    if aside is None:
        return doc.marks.top_in(start, end)
    pairs = doc.marks.top_in(start, max(end, aside[1]))
    n = 0
    while n < len(pairs) - 1 and marked_name(doc, lexicon, pairs[n], aside[0]):
        n += 1
    return [p for p in pairs[n:] if p.open < end]


def _quoted(doc: Document, opening: _Opening, window_end: int) -> Content | None:
    if opening.pair is not None:
        start, end = opening.pair.inner
    else:
        start, end = opening.pos + 1, window_end
    return _trimmed(doc, start, end, "direct")


def _skip_time_words(doc: Document, lexicon: Lexicon, pos: int, end: int) -> int:
    for k in doc.token_range(pos, end):
        token = doc.tokens[k]
        if token.norm not in lexicon.time_words and token.norm not in lexicon.object_pronouns:
            return token.start
    return pos


def _statement_end(doc: Document, lexicon: Lexicon, cue: Cue, start: int, window_end: int,
                   conduits: list[Conduit]) -> int:
    """Before an appended conduit phrase; and after «بينما تقول الصين إن…»، the main clause
    («…، فقد تعرضت لانتقادات») is the narrator's again."""
    end = window_end
    for conduit in conduits:
        if start < conduit.start < end and not doc.marks.inside(conduit.start):
            end = conduit.start
            break
    for k in doc.token_range(start, end):  # «…، مشيدا بها كخطوة أولى»: the narrator again
        token = doc.tokens[k]
        if k and (token.norm in lexicon.content_enders or token.bare in lexicon.content_enders) \
                and "،" in doc.text[doc.tokens[k - 1].end:token.start] and not doc.marks.inside(token.start):
            end = doc.tokens[k - 1].end
            break
    if _subordinate(doc, lexicon, cue):
        for k in doc.token_range(start, end):
            token = doc.tokens[k]
            comma = "،" in doc.text[doc.tokens[k - 1].end:token.start]
            if comma and token.norm[:1] == "ف" and token.norm != token.bare \
                    and not doc.marks.inside(token.start):
                return doc.tokens[k - 1].end
    return end


def _subordinate(doc: Document, lexicon: Lexicon, cue: Cue) -> bool:
    first = max(0, cue.index - 3)
    return any(doc.tokens[k].bare in lexicon.subordinators for k in range(first, cue.index))


def classify(doc: Document, start: int, end: int) -> Content | None:
    """Direct, mixed or indirect content in ``[start, end)`` (see the module docstring)."""
    trimmed = _trimmed(doc, start, end, "indirect")
    if trimmed is None:
        return None
    start, end = trimmed.start, trimmed.end
    pair = doc.marks.enclosing(start)
    if pair is not None and pair.close in (end - 1, end):  # «قالت: ”إن الضربات… الرقة”»: the quotation after إن
        return _trimmed(doc, start, pair.close, "direct")
    pairs = doc.marks.top_in(start, end)
    if pairs and pairs[0].open == start and _opens_statement(doc, pairs[0], end):
        return _trimmed(doc, *pairs[0].inner, "direct")
    lone_open = doc.marks.first_unmatched_open(start, end)
    if lone_open == start:
        return _trimmed(doc, start + 1, end, "direct")
    lone_close = doc.marks.first_unmatched_close(start, end)
    if lone_close is not None and not any(p.open < lone_close for p in pairs):
        return _trimmed(doc, start, lone_close, "direct")
    quoted = any(_words(doc, *p.inner) >= 2 for p in pairs if p.close < end)
    return Content(start, end, "mixed" if quoted else "indirect")


def _opens_statement(doc: Document, pair: QuotePair, end: int) -> bool:
    if pair.close >= end - 1:
        return True
    return _words(doc, *pair.inner) >= _DIRECT_MIN_WORDS or _words(doc, pair.close + 1, end) <= _DIRECT_MAX_TAIL


def _words(doc: Document, start: int, end: int) -> int:
    return len(doc.token_range(start, end))


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` narrowed past whitespace, clause punctuation and invisible marks at both ends."""
    while start < end and (text[start].isspace() or text[start] in _TRIM):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _TRIM):
        end -= 1
    return start, end


def _trimmed(doc: Document, start: int, end: int, kind: str) -> Content | None:
    start, end = trim(doc.text, start, end)
    if start >= end or not doc.token_range(start, end):
        return None
    return Content(start, end, kind)
