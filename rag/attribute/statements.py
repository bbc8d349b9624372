"""Statements opened by reporting cues, one sentence at a time.

Cues are read left to right. The first cue of a sentence may sit anywhere; once a statement
is open, a later cue starts a new one only at a clause boundary («…، مشيراً إلى»،
«…، حيث اتفق الوزيران»، «…، فيما أكد نظيره»): a verb inside reported content
(«إن موسكو وبكين اتفقتا على…») is part of what was said, not a new attribution.

The speaker is the explicit subject (after or before the verb), else — for a participle —
the subject of its clause, else the discourse topic (see coref).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from rag.arabic import normalize, tokenize
from rag.types import Speaker

from .describe import unknown_speaker
from .content import classify, find_content, find_opening
from .coref import Discourse
from .cues import Conduit, Cue, clause_initial, clause_start, conjoined, find_conduits, find_cues, opens_clause
from .document import Document, Sentence
from .lexicon import Lexicon
from .names import marked_name
from .preverbal import sentence_subject, subject_before
from .phrase import CLOSING_MARKS, OPENING_MARKS, is_head, phrase_end
from .subjects import Subject, noun_phrase, subject_after

_NESTED_SUBJECT_WORDS = 6  # words of an inner subject before its verb
_RELAY_LOOKAHEAD = 5  # an outlet's name in marks and عن: «صحيفة “وول ستريت جورنال” عن»
_IN_A_NAME = {" ", *CLOSING_MARKS, *OPENING_MARKS}  # what may lie between the words of a marked name


@dataclass
class Draft:
    """A statement before it becomes a ``Quote``: ``how`` says how the speaker was found."""

    speaker: Speaker
    how: str  # name | title | group | anaphor | counterpart | unknown | clause | topic | source | …
    start: int
    end: int
    kind: str
    cue: str
    cue_start: int | None
    via: str | None = None
    nested_in: Speaker | None = None
    headline: bool = False
    inner: bool = False  # a statement inside another one's content (nested speech)


@dataclass
class Context:
    doc: Document
    lexicon: Lexicon
    registry: object  # rag.speakers.SpeakerRegistry
    discourse: Discourse


def cue_statements(ctx: Context, sentence: Sentence) -> list[Draft]:
    """Every statement a reporting cue opens in ``sentence``, with conduits attached."""
    doc, lexicon = ctx.doc, ctx.lexicon
    cues = find_cues(doc, lexicon, sentence)
    if not cues:
        return []
    conduits = find_conduits(doc, lexicon, sentence)
    drafts: list[Draft] = []
    for n, cue in enumerate(cues):
        if drafts and (not _opens_statement(ctx, cue, sentence) or cue.token.start < drafts[-1].end):
            continue
        draft = _statement(ctx, cue, sentence, _window_end(ctx, cues, n, sentence), conduits, drafts)
        if draft is not None:
            drafts.append(draft)
            if not _cited(ctx, draft.speaker):  # «قال تعالى: (…)» — the one quoting the verse goes on
                ctx.discourse.set_topic(draft.speaker)
    _attach_conduits(drafts, conduits)
    for before, draft in zip(drafts, drafts[1:]):  # «نقلت الصحيفة عن X قوله…، مشيرا إلى…»: still relayed
        if draft.via is None and before.via is not None and draft.speaker == before.speaker:
            draft.via = before.via
    return drafts + _nested(ctx, sentence, cues, drafts)


def _cited(ctx: Context, speaker: Speaker) -> bool:
    words = tokenize(speaker.name_ar or "")
    return bool(words) and normalize(words[0]) in ctx.lexicon.cited_speakers


def _nested(ctx: Context, sentence: Sentence, cues: list[Cue], drafts: list[Draft]) -> list[Draft]:
    """«وقال المسؤول إن الوزير أبلغه أن…»: a cue inside what was said, with its own subject
    right before it (a name, a title, a description), is a statement of that subject
    ``nested_in`` the outer one — as is «… أن المملكة أكدت على أن…»."""
    doc, lexicon = ctx.doc, ctx.lexicon
    found: list[Draft] = []
    for outer in drafts:
        if outer.kind == "direct" or outer.nested_in is not None:
            continue
        for n, cue in enumerate(cues):
            if not outer.start <= cue.token.start < outer.end or cue.participle or cue.relative \
                    or cue.form.verb.opinion:
                continue
            plural = _plural_right_before(ctx, cue)  # «… منتقدين يقولون إنها…»: critics who say
            if cue.form.tense != "past" and plural is None:
                continue  # a reported speech event: «أبلغه»، «أكدت»، «اعترف», not «تعتبر»
            first = doc.token_index(outer.start) if plural is None else cue.index - 1
            if not 0 < cue.index - first <= _NESTED_SUBJECT_WORDS:
                continue  # the inner subject opens what was said: «إن الوزير أبلغه أن…»
            subject = plural or noun_phrase(doc, lexicon, first, cue.token.start, clitic=True)
            if subject is None or doc.token_index(subject.end) != cue.index \
                    or not (subject.how in ("mention", "anaphor", "group") or subject.how == "unknown" and subject.headed):
                continue
            content = find_content(doc, lexicon, cue, cue.token.end, min(outer.end, _window_end(ctx, cues, n, sentence)),
                                   [], firm_subject=True)
            if content is None or content.start < cue.token.end:
                continue
            speaker, how = ctx.discourse.resolve(subject, cue.token.start)
            if speaker is None:
                speaker, how = unknown_speaker(ctx.registry, subject.surface, subject.name), "unknown"
            if speaker.id == outer.speaker.id:
                continue
            found.append(Draft(speaker, how, content.start, content.end, content.kind, cue.surface, cue.token.start,
                               nested_in=outer.speaker, inner=True))
            break
    return found


def _plural_right_before(ctx: Context, cue: Cue) -> Subject | None:
    """A plural speaker noun right before a plural present cue: «منتقدين يقولون إنها…»."""
    doc, lexicon = ctx.doc, ctx.lexicon
    if cue.form.tense != "present" or cue.form.agreement != "pl" or cue.index == 0:
        return None
    prev = doc.tokens[cue.index - 1]
    if doc.text[prev.end:cue.token.start].strip() or not (prev.norm in lexicon.plural_heads or prev.bare in lexicon.plural_heads):
        return None
    return Subject("unknown", prev.start, prev.end, doc.text[prev.start:prev.end], headed=True)


def _opens_statement(ctx: Context, cue: Cue, sentence: Sentence) -> bool:
    """Whether a later cue of the sentence starts a statement of its own: it opens a clause (see
    ``clause_initial``), or it is a verb joined by و/ف whose own subject follows it (a name, a
    description, a group, a headed phrase) and then what was said: «… ويرتفع عدد القتلى وقالت
    الوزارة إن…»، «… وأشار العيسى إلى أنه…»."""
    doc, lexicon = ctx.doc, ctx.lexicon
    if clause_initial(doc, lexicon, cue.index, sentence):
        return True
    return conjoined(lexicon, cue.token) and not cue.participle and _own_subject_then_said(ctx, cue, sentence)


def _own_subject_then_said(ctx: Context, cue: Cue, sentence: Sentence) -> bool:
    """«وقالت الوزارة إن…»، «وأشار العيسى إلى أنه…»: a subject right after the verb, then a
    complementiser (or the verb's preposition and one) or a colon. Not for a verb whose first
    noun is its object (object_first: «ووصف حزب العمال بأنه…» — the party is described)."""
    doc, lexicon = ctx.doc, ctx.lexicon
    if cue.form.verb.object_first:
        return False
    subject = subject_after(doc, lexicon, cue, sentence.end)
    if subject is None or not (subject.how in ("mention", "anaphor", "group", "statement")
                               or subject.how == "unknown" and subject.headed):
        return False
    k = doc.token_index(subject.end)
    if k >= len(doc.tokens) or doc.tokens[k].start >= sentence.end:
        return False
    nxt = doc.tokens[k]
    if ":" in doc.text[subject.end:nxt.start] or nxt.norm in lexicon.complementisers:
        return True
    prep = cue.form.verb.prep
    return prep is not None and nxt.norm == prep and k + 1 < len(doc.tokens) \
        and doc.tokens[k + 1].norm in lexicon.complementisers


def _window_end(ctx: Context, cues: list[Cue], n: int, sentence: Sentence) -> int:
    """Where the next clause with a cue of its own begins, else the sentence end."""
    for later in cues[n + 1:]:
        if _opens_statement(ctx, later, sentence):
            return clause_start(ctx.doc, ctx.lexicon, later.index)
    return sentence.end


def _statement(ctx: Context, cue: Cue, sentence: Sentence, window_end: int,
               conduits: list[Conduit], drafts: list[Draft]) -> Draft | None:
    doc, lexicon = ctx.doc, ctx.lexicon
    subject = None if cue.participle or _relayed_by_pronoun(ctx, cue) or _coordinated_verb(ctx, cue, sentence) \
        else subject_after(doc, lexicon, cue, window_end)
    reporter = None
    if subject is not None and cue.form.verb.relay:
        subject, reporter = _relayed(ctx, cue, subject, window_end)
    if subject is not None and subject.how == "unknown" and not subject.headed:
        subject = _known_first_word(ctx, subject, cue)
    if subject is not None and _object_before_title(ctx, cue, subject):
        subject = None  # «وأدان اغتيال النائب العام…»: the killing of the prosecutor is what he condemned
    if subject is not None and subject.how == "unknown" and not subject.headed \
            and not ctx.discourse.named_before(subject, cue.token.start):
        opening = find_opening(doc, lexicon, cue, _source_aside(ctx, subject.end, conduits, window_end)[0], window_end)
        if opening is None or opening.how == "object" or opening.how == "quote" and not _speaks_quote(ctx, cue, opening):
            subject = None  # «وأكد أهمية التعاون»: the phrase is what was said, not who said it
    if subject is not None and subject.how == "unknown" and _thing(ctx, subject):
        return None  # «كشفت الفحوصات أن…»: the tests showed it, nobody said it
    if subject is not None and subject.how == "unknown" and not subject.headed and _relative_after(ctx, subject) \
            and not ctx.doc.text[subject.start:subject.end].startswith("ال") and len(subject.surface.split()) > 1 \
            and ctx.discourse.named_before(subject, cue.token.start) is None:
        subject = None  # «وبينت عاقبة السوء التي…»: the antecedent of a relative clause is what was shown
    if cue.relative and (subject is None or subject.how == "unknown" and not subject.headed):
        return None  # «التي أعلنت الأسبوع الماضي…»: the relative's antecedent, not a statement
    if subject is None and cue.form.verb.passive_alone and cue.form.tense == "present" \
            and subject_before(doc, lexicon, cue, sentence) is None:
        return None  # «وتعتبر القاعدة موقعا استراتيجيا»، «ويتوقع أن يمثل…»: the passive, the narrator's
    after, via = _source_aside(ctx, subject.end if subject is not None else cue.token.end, conduits, window_end)
    firm = subject is None or subject.how != "unknown" or subject.headed
    content = find_content(doc, lexicon, cue, after, window_end, conduits, firm_subject=firm)
    if content is None and subject is not None:
        content = _as_said(ctx, cue, subject, sentence)
    if content is None:
        return None
    speaker, how = _speaker(ctx, cue, subject, sentence, drafts)
    if speaker is None:
        return None
    draft = Draft(speaker, how, content.start, content.end, content.kind, cue.surface, cue.token.start, via=via)
    if reporter is not None:
        _set_reporter(ctx, draft, reporter)
    return draft


def _source_aside(ctx: Context, pos: int, conduits: list[Conduit], window_end: int) -> tuple[int, str | None]:
    """A source aside that follows the speaker (or the verb) at once and is followed at once by a
    quotation or a colon: «وقال وون بحسب وكالة "يونهاب" "…"»، «وأضاف بحسب وكالة الأنباء
    الألمانية: «…»». Returns where what was said is looked for (past the aside, with the
    outlet's short name in marks) and the aside as the statement's ``via`` — never its speaker.
    Else ``(pos, None)``: a complementiser after an aside is found past it as it is («وأضاف
    البيان، بحسب الوكالة، أن…»)."""
    doc = ctx.doc
    conduit = next((c for c in conduits if c.start >= pos), None)
    if conduit is None or conduit.end >= window_end or doc.text[pos:conduit.start].strip(" ،,"):
        return pos, None
    end = _marked_outlet_end(ctx, conduit, window_end)
    nxt = doc.next_token(end, window_end)
    if nxt is None or not (":" in doc.text[end:nxt.start] or doc.marks.top_in(end, nxt.start)
                           or doc.marks.first_unmatched_open(end, nxt.start) is not None):
        return pos, None
    return end, " ".join(f"{conduit.via} {doc.text[conduit.end:end]}".translate(_NO_MARKS).split())


_NO_MARKS = str.maketrans({c: " " for c in "\"«»“”"})


def _marked_outlet_end(ctx: Context, conduit: Conduit, window_end: int) -> int:
    """Past the outlet's short name in marks right after a conduit that ends with the noun taking
    it (بحسب وكالة "يونهاب"); else the conduit's end."""
    doc = ctx.doc
    nxt = doc.next_token(conduit.end, window_end)
    pair = doc.marks.enclosing(nxt.start) if nxt is not None else None
    if pair is None or pair.open < conduit.end or pair.close >= window_end \
            or not marked_name(doc, ctx.lexicon, pair, conduit.start):
        return conduit.end
    return pair.close + 1


def _as_said(ctx: Context, cue: Cue, subject: Subject, sentence: Sentence):
    """«…، كما قال المرصد السوري.»: a cue after «، كما» whose subject ends the sentence says
    what comes before it."""
    doc = ctx.doc
    if cue.index == 0 or cue.form.tense != "past" or doc.tokens[cue.index - 1].norm != "كما":
        return None
    kama = doc.tokens[cue.index - 1]
    comma = max(doc.text.rfind("،", sentence.start, kama.start), doc.text.rfind(",", sentence.start, kama.start))
    if comma < 0 or doc.text[comma + 1:kama.start].strip() or doc.text[subject.end:sentence.end].strip(" .،,)\n"):
        return None
    content = classify(doc, sentence.start, comma)
    return content if content is not None and len(doc.token_range(content.start, content.end)) >= 4 else None


def _thing(ctx: Context, subject: Subject) -> bool:
    token = ctx.doc.tokens[ctx.doc.token_index(subject.start)]
    return token.norm in ctx.lexicon.not_speaker_things or token.bare in ctx.lexicon.not_speaker_things


def _relative_after(ctx: Context, subject: Subject) -> bool:
    k = ctx.doc.token_index(subject.end)
    return k < len(ctx.doc.tokens) and ctx.doc.tokens[k].norm in ctx.lexicon.relatives \
        and not ctx.doc.text[subject.end:ctx.doc.tokens[k].start].strip()


def _speaks_quote(ctx: Context, cue: Cue, opening) -> bool:
    """«وقال هودجسون "…"»: before a quotation, a phrase is its speaker when the verb takes no
    object, or when the quotation is a statement of its own (four words or more)."""
    if "object" not in cue.form.verb.content:
        return True
    pair = opening.pair
    return pair is not None and len(ctx.doc.token_range(*pair.inner)) >= 4


def _object_before_title(ctx: Context, cue: Cue, subject: Subject) -> bool:
    """A verb that takes an object, then one word before a title («اغتيال النائب العام»): the
    word is the object, not a name in apposition to the title, unless it was named before."""
    doc = ctx.doc
    if "object" not in cue.form.verb.content or subject.how != "unknown" or not subject.name:
        return False
    first = doc.tokens[doc.token_index(subject.start)]
    if is_head(ctx.lexicon, first) or len(subject.name.split()) != 1:
        return False
    word = replace(subject, end=first.end, surface=subject.name, name=None)
    return ctx.discourse.named_before(word, cue.token.start) is None


def _known_first_word(ctx: Context, subject: Subject, cue: Cue) -> Subject:
    """«ودعا ملادينوف المجتمع الدولي إلى…»: a phrase whose first word is a person named before
    is that person, and the rest is what was said."""
    doc = ctx.doc
    k = doc.token_index(subject.start)
    first = doc.tokens[k]
    if first.end >= subject.end:
        return subject
    word = replace(subject, end=first.end, surface=doc.text[first.start:first.end], name=None)
    return word if ctx.discourse.named_before(word, cue.token.start) is not None else subject


def _relayed(ctx: Context, cue: Cue, subject: Subject, window_end: int) -> tuple[Subject | None, Subject | None]:
    """«نقلت الوكالة عن الوزير قوله…»: the speaker follows عن, the subject only relays — also
    when the outlet's name in marks or a time word comes between («نقلت صحيفة “نيويورك تايمز”
    أمس عن لافروف»), or «على لسان» stands for عن."""
    doc, lexicon = ctx.doc, ctx.lexicon
    k = doc.token_index(subject.end)
    marked = k < len(doc.tokens) and any(c in OPENING_MARKS for c in doc.text[subject.end:doc.tokens[k].start])
    outlet_end = subject.end  # the outlet with its name in marks, without the time words
    for j in range(k, min(k + _RELAY_LOOKAHEAD, len(doc.tokens) - 1)):
        token = doc.tokens[j]
        if token.start >= window_end or (j > k and not set(doc.text[doc.tokens[j - 1].end:token.start]) <= _IN_A_NAME):
            break
        pronoun = _relay_pronoun(doc, token, cue.form.verb.relay)
        if pronoun is not None:  # «ونقل التلفزيون عنه قوله…»: relayed from the one spoken of
            return pronoun, replace(subject, end=outlet_end, surface=doc.text[subject.start:outlet_end])
        after = _relay_end(lexicon, doc, j, cue.form.verb.relay)
        if after is not None and after < len(doc.tokens) and doc.tokens[after].start < window_end:
            speaker = noun_phrase(doc, lexicon, after, window_end)
            if speaker is None:
                break
            return speaker, replace(subject, end=outlet_end, surface=doc.text[subject.start:outlet_end])
        if token.norm not in lexicon.time_words:
            if not marked:
                break  # only a name in marks, or a time word, lies between the outlet and عن
            gap = doc.text[token.end:doc.tokens[j + 1].start]
            outlet_end = token.end + len(gap) - len(gap.lstrip("".join(CLOSING_MARKS)))
    return subject, None


_PRONOUN_AGREEMENT = {"ه": "m", "ها": "f", "هما": "dual", "هم": "pl", "هن": "pl"}


def _relay_suffix(token, relay: str | None) -> str | None:
    """What is attached to the verb's relay word in ``token`` («عنه» → «ه»), else None."""
    if relay is None or not token.norm.startswith(relay) or token.norm == relay:
        return None
    return token.norm[len(relay):]


def _relay_pronoun(doc: Document, token, relay: str) -> Subject | None:
    """«عنه»، «عنها»: the relay with a pronoun, as the subject of what was relayed (the topic that
    agrees with the pronoun), else None."""
    agreement = _PRONOUN_AGREEMENT.get(_relay_suffix(token, relay) or "")
    if agreement is None:
        return None
    return Subject("pronoun", token.start, token.end, doc.text[token.start:token.end], agreement=agreement)


def _relay_end(lexicon: Lexicon, doc: Document, j: int, relay: str) -> int | None:
    """The token after a relay at token ``j``: the verb's own word (عن) or a phrase standing for
    it (على لسان), else None."""
    return phrase_end(doc, j, ((relay,), *lexicon.relay_phrases))


def _coordinated_verb(ctx: Context, cue: Cue, sentence: Sentence) -> bool:
    """«رحب البيت الأبيض … ووصف حزب العمال بأنه…»: a verb joined by و inside a clause shares
    the clause's subject, and the noun after it is its object — unless that noun is a name
    followed at once by what was said («… وأكد كيري أن…»)."""
    doc, lexicon = ctx.doc, ctx.lexicon
    verb = cue.form.verb
    if not conjoined(lexicon, cue.token) or opens_clause(doc, lexicon, cue.index, sentence) \
            or not (verb.object_first or "object" in verb.content):
        return False  # «… وترى بعض الدول العربية إنه…»: without an object, the noun is the subject
    if _own_subject_then_said(ctx, cue, sentence):
        return False  # «… وأكدت الوزارة أن…»: the noun is its subject, what was said follows it
    nxt = doc.next_token(cue.token.end, sentence.end)
    mention = doc.mention_at(nxt) if nxt is not None else None
    if mention is None or cue.form.verb.object_first:
        return True
    after = doc.next_token(mention.end, sentence.end)
    if after is None:
        return True
    return not (after.norm in lexicon.complementisers or ":" in doc.text[mention.end:after.start])


def _relayed_by_pronoun(ctx: Context, cue: Cue) -> bool:
    """«ونقل عنه قوله إن…»: relayed from «him», the speaker is the topic."""
    nxt = ctx.doc.tokens[cue.index + 1] if cue.index + 1 < len(ctx.doc.tokens) else None
    return nxt is not None and _relay_suffix(nxt, cue.form.verb.relay) is not None


def _set_reporter(ctx: Context, draft: Draft, reporter: Subject) -> None:
    speaker, _ = ctx.discourse.resolve(reporter, reporter.start)
    first = tokenize(reporter.surface)[:1]
    outlet = reporter.how != "mention" and bool(set(first) & ctx.lexicon.media)  # الوكالة، صحيفة «…»، “السومرية”
    marked = ctx.doc.text[reporter.start:reporter.start + 1] in OPENING_MARKS  # «ونقلت “السومرية” عن…»
    if speaker is not None and reporter.how == "mention" and ctx.registry.is_conduit(speaker) or outlet or marked:
        draft.via = reporter.surface.strip(" \"«»“”'") if marked else reporter.surface
    else:
        draft.nested_in = speaker


def _speaker(ctx: Context, cue: Cue, subject: Subject | None, sentence: Sentence,
             drafts: list[Draft]) -> tuple[Speaker | None, str]:
    discourse = ctx.discourse
    if subject is not None:
        speaker, how = discourse.resolve(subject, cue.token.start)
        if speaker is None and subject.how == "pronoun":
            return None, "topic"  # «وقال سموه» with nobody spoken of yet
        return (speaker, how) if speaker is not None else (unknown_speaker(ctx.registry, subject.surface, subject.name), "unknown")
    if cue.participle:
        return _clause_speaker(ctx, cue, sentence, drafts)
    before = subject_before(ctx.doc, ctx.lexicon, cue, sentence)
    if before is not None and not any(d.start <= before.start < d.end for d in drafts):
        # A name inside what was said is not who says more: «قال لافروف إن موسكو وبكين
        # اتفقتا…، كما أشار إلى أنه…» — Lavrov pointed out, not Moscow.
        speaker, how = discourse.resolve(before, cue.token.start)
        if speaker is None and before.how == "anaphor":  # «وكان السفير صرح…» with no ambassador named
            return unknown_speaker(ctx.registry, before.surface, before.name), "unknown"
        return speaker, how
    author = _statement_author(ctx, sentence.start, cue.token.start)
    if author is not None:
        return author, "name"
    return _clause_speaker(ctx, cue, sentence, drafts)


def _statement_author(ctx: Context, start: int, end: int) -> Speaker | None:
    """«وفي تصريح سابق لوزير الخارجية الأميركي جون كيري قال إنه…»: the statement's author."""
    doc = ctx.doc
    for k in doc.token_range(start, end):
        if doc.tokens[k].norm in ctx.lexicon.statement_nouns or doc.tokens[k].bare in ctx.lexicon.statement_nouns:
            for j in range(k + 1, min(k + 3, doc.token_index(end))):  # «في تصريح (سابق) لـ…»
                mention = doc.mention_at(doc.tokens[j]) if doc.tokens[j].norm.startswith("ل") else None
                if mention is not None and mention.speaker.kind == "person":
                    return mention.speaker
    return None


def _clause_speaker(ctx: Context, cue: Cue, sentence: Sentence, drafts: list[Draft]) -> tuple[Speaker | None, str]:
    """A participle (مشيراً، محذرة) or a subject-less verb later in a sentence («وأشاد بوتين…،
    وقال إن…») speaks for the sentence's subject; else the topic, by the verb's agreement."""
    agreement = cue.form.agreement
    if drafts and not ctx.discourse.contradicts(drafts[-1].speaker, agreement):
        return drafts[-1].speaker, "clause"
    if cue.participle:  # «وتابع المالكي قائلا، إن…»: the subject of the verb before it in the sentence
        for earlier in reversed([c for c in find_cues(ctx.doc, ctx.lexicon, sentence) if c.index < cue.index]):
            if earlier.participle or earlier.relative:
                continue
            subject = subject_after(ctx.doc, ctx.lexicon, earlier, cue.token.start)
            if subject is not None:
                speaker, _ = ctx.discourse.resolve(subject, earlier.token.start)
                speaker = speaker or unknown_speaker(ctx.registry, subject.surface, subject.name)
                if not ctx.discourse.contradicts(speaker, agreement):
                    return speaker, "clause"
            break
    subject = sentence_subject(ctx.doc, ctx.lexicon, sentence, for_clause=True)
    if subject is not None and subject.end <= cue.token.start \
            and (agreement == "dual") == (subject.how == "group"):
        speaker, _ = ctx.discourse.resolve(subject, cue.token.start)
        if speaker is None and subject.how == "anaphor":  # «وتحدث الوزير…، قائلاً:» with no minister named
            speaker = unknown_speaker(ctx.registry, subject.surface, subject.name)
        if speaker is not None and not ctx.discourse.contradicts(speaker, agreement):
            return speaker, "clause"  # «ورحبت السفيرة بالقرار، مضيفة أن…»
    return ctx.discourse.topic_for(agreement), "topic"


def _attach_conduits(drafts: list[Draft], conduits: list[Conduit]) -> None:
    """A conduit phrase in the sentence, outside a statement, is where that statement came from."""
    for draft in drafts:
        if draft.via is not None:
            continue
        after = [c for c in conduits if c.start >= draft.end]
        before = [c for c in conduits if c.end <= draft.start]
        chosen = after[0] if after else (before[-1] if before else None)
        if chosen is not None:
            draft.via = chosen.via
