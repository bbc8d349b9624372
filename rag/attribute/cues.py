"""Reporting cues and conduit phrases in a sentence.

A cue is a reporting verb or participle (قال، وأضاف، يؤكدان، مشيراً…) that can start a
statement. A verb is no cue inside quotation marks, in a relative clause (التي أعلنت),
under negation (لم يقل), as a subjunctive (من المتوقع أن يتعهد…) or in a conduit phrase
(وفق ما نقلت…); «ويذكر أن…» is the narrator, not a speaker.

A conduit phrase names where a statement was relayed: «وفق ما نقلت وكالة ريا نوفوستي»،
«بحسب وكالة…»، «وفق "رويترز"». It is recorded as ``via`` and never becomes the speaker,
except that a statement noun in it («وفق بيان الخارجية الروسية») can make its author the
speaker of an otherwise unattributed quotation.
"""
from __future__ import annotations

from dataclasses import dataclass

from rag.arabic import PHRASE_END as _PHRASE_END
from rag.arabic import tokenize

from .document import Document, Sentence, Token
from .lexicon import CueForm, Lexicon

_CLAUSE_PUNCT = set("،,;؛:\n")
_CLOSING_MARKS = set("»”\"")
_MAX_CONDUIT_WORDS = 10


@dataclass(frozen=True)
class Cue:
    index: int  # token index
    token: Token
    form: CueForm
    surface: str  # as written: وأضاف، مشيراً
    relative: bool = False  # in a relative clause: a statement only with its own subject

    @property
    def participle(self) -> bool:
        """مشيراً، محذرة: it speaks for its clause's subject and has none of its own."""
        return self.form.tense == "participle"


@dataclass(frozen=True)
class Conduit:
    start: int  # where the phrase begins (its head word)
    end: int
    via: str  # the conduit as written, marks and punctuation trimmed
    mentions: tuple  # registry mentions inside the phrase
    statement: bool  # the phrase names a statement (بيان، تصريح…)


def cue_form(lexicon: Lexicon, token: Token) -> CueForm | None:
    """The reporting verb form ``token`` is, with or without its و/ف, or None."""
    return lexicon.cues.get(token.norm) or lexicon.cues.get(token.bare)


def find_cues(doc: Document, lexicon: Lexicon, sentence: Sentence) -> list[Cue]:
    """Candidate cues of ``sentence`` in order (see the module docstring for what is left out)."""
    cues = []
    for i in doc.token_range(sentence.start, sentence.end):
        token = doc.tokens[i]
        form = cue_form(lexicon, token)
        if form is None or doc.marks.inside(token.start) or token.norm in lexicon.described_by:
            continue  # «ومقره واشنطن»: the seat of the body just named, no participle «مقرة»
        if _blocked(doc, lexicon, i, form, sentence):
            continue
        if form.verb.clause_initial and form.tense != "participle" \
                and not opens_clause(doc, lexicon, i, sentence, after_quote=False):
            continue
        nxt = doc.tokens[i + 1] if i + 1 < len(doc.tokens) else None
        if form.tense == "participle" and nxt is not None and nxt.start < sentence.end \
                and not _punct_between(doc, token, nxt) and (cue_form(lexicon, nxt) or _Form()).tense == "present":
            continue  # «منتقدين يقولون إنها…»: critics (a noun) who say, the subject of the verb after it
        if token.bare in lexicon.time_words and not opens_clause(doc, lexicon, i, sentence, after_quote=False):
            continue  # «مكانه مجددا في التشكيلة»: again, not «، مجددا التأكيد على…» (renewing)
        prev = doc.tokens[i - 1] if i > 0 else None
        relative = prev is not None and prev.norm in lexicon.relatives and not _punct_between(doc, prev, token)
        cues.append(Cue(i, token, form, doc.text[token.start:token.end], relative))
    return cues


class _Form:
    tense = None


def _blocked(doc: Document, lexicon: Lexicon, i: int, form: CueForm, sentence: Sentence) -> bool:
    token = doc.tokens[i]
    prev = doc.tokens[i - 1] if i > 0 and doc.tokens[i - 1].start >= sentence.start else None
    if prev is not None and not _punct_between(doc, prev, token):
        if lexicon.blockers & {prev.norm, prev.bare} or lexicon.conduit_heads & {prev.norm, prev.bare}:
            return True
        if form.tense == "present" and prev.norm in lexicon.subjunctive:
            return True
    nxt = doc.tokens[i + 1] if i + 1 < len(doc.tokens) else None
    if token.bare in lexicon.impersonal_to and nxt is not None and nxt.norm[:1] == "ل" \
            and nxt.norm in lexicon.not_speaker_words:
        return True  # «تبين لنا في المستشفى أن…»: it became clear to us
    return token.bare in lexicon.impersonal and nxt is not None and nxt.norm in lexicon.complementisers


def _punct_between(doc: Document, a: Token, b: Token) -> bool:
    return any(c in _CLAUSE_PUNCT for c in doc.text[a.end:b.start])


def clause_initial(doc: Document, lexicon: Lexicon, i: int, sentence: Sentence) -> bool:
    """Whether cue token ``i`` can start a statement after another one in its sentence: it
    opens a clause (see ``opens_clause``), is a participle (مشيراً), or is a verb with a
    conjunction that reports a clause of its own («… وأضاف أنه “لا صلة”…» — but not
    «… الذي استولى على… وأعلن قيام…»)."""
    if opens_clause(doc, lexicon, i, sentence):
        return True
    token = doc.tokens[i]
    form = cue_form(lexicon, token)
    if form is None:
        return False
    if form.tense == "participle":
        return True
    nxt = doc.tokens[i + 1] if i + 1 < len(doc.tokens) else None
    return conjoined(lexicon, token) and nxt is not None and (
        nxt.norm in lexicon.complementisers or any(c in ":«“\"" for c in doc.text[token.end:nxt.start]))


def opens_clause(doc: Document, lexicon: Lexicon, i: int, sentence: Sentence, *, after_quote: bool = True) -> bool:
    """Whether token ``i`` starts its sentence or a clause: after punctuation, a closing
    quotation mark (unless not ``after_quote``), or a clause opener (حيث، فيما، كما، ثم…)."""
    if i == 0 or doc.tokens[i - 1].end <= sentence.start:
        return True
    prev, token = doc.tokens[i - 1], doc.tokens[i]
    gap = doc.text[prev.end:token.start]
    if any(c in _CLAUSE_PUNCT or after_quote and c in _CLOSING_MARKS for c in gap):
        return True
    return prev.norm in lexicon.clause_openers or prev.bare in lexicon.clause_openers


def conjoined(lexicon: Lexicon, token: Token) -> bool:
    """A cue written with و/ف in front (وأضاف) that is not part of the verb (وصف)."""
    return token.norm not in lexicon.cues and token.bare in lexicon.cues


def clause_start(doc: Document, lexicon: Lexicon, i: int) -> int:
    """Where the clause of cue token ``i`` begins: its opener word, or the cue itself."""
    token = doc.tokens[i]
    if i > 0:
        prev = doc.tokens[i - 1]
        if not _punct_between(doc, prev, token) and (prev.norm in lexicon.clause_openers
                                                      or prev.bare in lexicon.clause_openers):
            return prev.start
    return token.start


def find_conduits(doc: Document, lexicon: Lexicon, sentence: Sentence) -> list[Conduit]:
    """Conduit phrases of ``sentence``, left to right."""
    found = []
    for i in doc.token_range(sentence.start, sentence.end):
        token = doc.tokens[i]
        if token.norm in lexicon.conduit_heads or token.bare in lexicon.conduit_heads:
            conduit = _conduit_at(doc, lexicon, i, sentence)
            if conduit is not None:
                found.append(conduit)
    return found


def _conduit_at(doc: Document, lexicon: Lexicon, i: int, sentence: Sentence) -> Conduit | None:
    j, relayed = i + 1, False
    fillers = lexicon.conduit_particles | lexicon.relay_verbs
    while j < len(doc.tokens) and doc.tokens[j].start < sentence.end and doc.tokens[j].norm in fillers:
        relayed = relayed or doc.tokens[j].norm in lexicon.relay_verbs
        j += 1
    if j >= len(doc.tokens) or doc.tokens[j].start >= sentence.end:
        return None
    end = _phrase_end(doc, lexicon, j, sentence)
    name = doc.text[doc.tokens[j].start:end]
    words = set(tokenize(name))
    quoted = doc.marks.enclosing(doc.tokens[j].start) is not None
    mentions = tuple(doc.mentions_in(doc.tokens[i].start, end))
    if not (relayed or quoted or mentions or words & lexicon.media):
        return None  # «وفق الخطة»: according to a plan, not a source
    statement = bool(words & lexicon.statement_nouns)
    return Conduit(doc.tokens[i].start, end, name.strip(" \"«»“”'"), mentions, statement)


def _phrase_end(doc: Document, lexicon: Lexicon, j: int, sentence: Sentence) -> int:
    """End of the conduit's name: the next clause punctuation outside marks, at most a few words."""
    last = j
    for k in range(j, min(j + _MAX_CONDUIT_WORDS, len(doc.tokens))):
        token = doc.tokens[k]
        if token.start >= sentence.end or (k > j and token.norm in lexicon.conduit_particles):
            break  # «…وكالة (إسنا) عن الرئيس»: the conduit ends where its source begins
        gap_start = doc.tokens[k - 1].end
        if k > j and (any(c in _PHRASE_END and not doc.marks.inside(gap_start + n)
                          for n, c in enumerate(doc.text[gap_start:token.start]))
                      or doc.marks.top_in(gap_start, token.start)):
            break  # punctuation, or a quotation opening: «وفق ما نقلت وكالة … "…"»
        last = k
    end = doc.tokens[last].end
    pair = doc.marks.enclosing(doc.tokens[last].start)
    return pair.close + 1 if pair is not None and pair.close < sentence.end else end
