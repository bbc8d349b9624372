"""The words a speaker's noun phrase is made of: the ``Subject`` record and the word tests
shared by the subject parsers (what stops a phrase, what is an audience «لمجلس…», what is a
title word «وزير، المتحدث»…).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rag.arabic import normalize, prepositions, tokenize

from .cues import cue_form
from .document import Document, Token
from .lexicon import Lexicon

OPENING_MARKS = set("«“„\"")
CLOSING_MARKS = set("»”\"")
STOP_PUNCT = set("،,:;؛.!?؟()")
_MARKS_AND_TATWEEL = re.compile("[\u064B-\u065F\u0670\u0640]")
_ALI = ("علي", "وعلي")  # as written, with ي: على (with ى) is the preposition
_IMAM = ("إمام", "وإمام", "فإمام")  # as written, with إ: أمام (with أ) is the preposition
_PREPOSITIONS = prepositions()
_POSSESSIVES = ("ته", "تها", "تهم", "ها", "هم", "هما", "كم", "نا")  # as written: ة is no pronoun


@dataclass(frozen=True)
class Subject:
    """A subject as written, before coref says which speaker it is."""

    how: str  # mention | group | anaphor | statement | counterpart | unknown
    start: int
    end: int
    surface: str
    mention: Any = None  # rag.speakers.Mention when how == "mention"
    members: tuple = ()  # mentions named together: الزعيمان شي وبوتين، أوباما وكيري
    noun: Any = None  # the lexicon's GroupNoun or Anaphor
    nisba: tuple[str, ...] = ()  # adjectives after a description or نظيره: (صيني,)
    headed: bool = False  # an unknown phrase that starts with a speaker noun (مصدر، وزير…)
    name: str | None = None  # for an unknown phrase: the name to give the speaker
    agreement: str = "m"  # for a pronoun (سموه m, سموها f)

    @property
    def words(self) -> frozenset[str]:
        """The words of the name (or the whole phrase), as ``rag.arabic.tokenize`` gives them."""
        return frozenset(tokenize(self.name or self.surface))


def lookup(table, token: Token):
    """A group noun or description by the word, with or without its و/ف (والجانبان)."""
    return table.get(token.norm) if token.norm in table else table.get(token.bare)


def phrase_end(doc: Document, j: int, phrases) -> int | None:
    """Index of the token after the first of ``phrases`` (normalised word tuples) that starts at
    token ``j``, else None."""
    for phrase in phrases:
        if tuple(t.norm for t in doc.tokens[j:j + len(phrase)]) == phrase:
            return j + len(phrase)
    return None


def text_between(doc: Document, a: int, b: int) -> str:
    """The text from ``a`` to ``b`` (empty when ``b`` is not after ``a``)."""
    return doc.text[a:b] if a < b else ""


def first_name_ali(doc: Document, lexicon: Lexicon) -> list[int]:
    """Indexes of the tokens «علي» that are the first name Ali, not the preposition على that
    normalisation folds into the same form: written with ي (the text as the article writes it), and
    followed at once by a name-like word — not a pronoun, complementiser, preposition, time word,
    ب/ل/ك phrase, verbal noun or one of ``preposition_objects`` («علي الرغم»، «علي ضرورة»: outlets
    that write ى as ي everywhere)."""
    found = []
    for i, token in enumerate(doc.tokens[:-1]):
        if token.bare != "علي" or _MARKS_AND_TATWEEL.sub("", doc.text[token.start:token.end]) not in _ALI:
            continue
        nxt = doc.tokens[i + 1]
        if text_between(doc, token.end, nxt.start).strip() or not _name_like(doc, lexicon, i + 1):
            continue
        found.append(i)
    return found


def imam_words(doc: Document) -> list[int]:
    """Indexes of the tokens «إمام» (imam, a title: «أكد إمام وخطيب المسجد الحرام…») that
    normalisation folds into «امام» like the preposition أمام (in front of): told apart by the
    hamza below the alif, as written."""
    return [i for i, token in enumerate(doc.tokens)
            if token.bare == "امام" and _MARKS_AND_TATWEEL.sub("", doc.text[token.start:token.end]) in _IMAM]


def _name_like(doc: Document, lexicon: Lexicon, j: int) -> bool:
    token = doc.tokens[j]
    norm = token.norm
    stem = norm[2:] if norm.startswith("ال") and len(norm) > 3 else norm
    if norm in lexicon.name_particles or doc.mention_at(token) is not None:
        return True  # «علي بن خميس»، «علي خامنئي»
    if possessive(doc, token):
        return False  # «علي أسرته»: a noun with its pronoun is the preposition's object
    return not (norm.isdigit() or not_a_subject(lexicon, token) or never_speaker(lexicon, token)
                or norm in _PREPOSITIONS or norm in lexicon.relatives or norm in lexicon.time_words
                or norm in lexicon.preposition_objects or stem in lexicon.preposition_objects
                or norm.startswith(("بال", "لل", "كال")) or any(p.match(stem) for p in lexicon.clitic_masdars))


def possessive(doc: Document, token: Token) -> bool:
    """A noun with a possessive pronoun as written («أسرته»، «إجراءاتها»): ة is no pronoun."""
    written = _MARKS_AND_TATWEEL.sub("", doc.text[token.start:token.end])
    return len(written) > 4 and written.endswith(_POSSESSIVES)


_THING_POSSESSIVES = ("تهم", "تها", "هما", "ته", "ها", "هم", "كم")  # longest first; not «نا»: ديانا، المهنا


def possessed_thing(doc: Document, lexicon: Lexicon, token: Token) -> bool:
    """A noun with a possessive pronoun as written that names no person: after a verb, the verb's
    object or an adverb («كتب كلماتها الشاعر…»، «قال وقتها:»، «تزيد ولولتهم»), never a speaker.
    «زوجته»، «رئيسها»، «منتقدوها» name one (reporting.yaml ``possessed_persons``); a definite
    word takes no pronoun (المهنا، البنا are names)."""
    if not possessive(doc, token) or token.norm.startswith("ال"):
        return False
    written = _MARKS_AND_TATWEEL.sub("", doc.text[token.start:token.end])
    ending = next((e for e in _THING_POSSESSIVES if written.endswith(e)), None)
    if ending is None:
        return False
    stem = normalize(written[:-len(ending)])
    stems = {stem, stem[1:] if stem[:1] in "وف" and len(stem) > 2 else stem}
    return not any(s in lexicon.possessed_persons or s + "ه" in lexicon.possessed_persons for s in stems)


def not_a_subject(lexicon: Lexicon, token: Token) -> bool:
    """A number, a verb of saying, a preposition, a particle, «قوله»: words no subject starts with."""
    if token.name:
        return False  # «علي» (Ali), not على
    words = (token.norm, token.bare)
    return token.norm.isdigit() or cue_form(lexicon, token) is not None or any(
        w in lexicon.adverbial_heads or w in lexicon.complementisers or w in lexicon.object_pronouns
        or w in lexicon.conduit_heads or w in lexicon.subject_lead or w in lexicon.saying_nouns for w in words)


def addressee(lexicon: Lexicon, token: Token) -> bool:
    """لمجلس، للصحفيين، لـ"الوطن": the audience of the statement."""
    if not token.norm.startswith("ل"):
        return False
    rest = token.norm[1:]
    return token.norm.startswith("لل") or len(rest) < 2 or rest in lexicon.speaker_heads or rest in lexicon.media


def never_speaker(lexicon: Lexicon, token: Token) -> bool:
    """A word no speaker's phrase starts with (reporting.yaml ``not_speakers``): a preposition
    with its pronoun (لنا، عنه), a demonstrative (بهذا الصدد), «أول» (من أمس), or ب/ل/ك on an
    office, a title or a name particle (بشرطة، لصحة، لإدارة، لابن)."""
    if token.name:
        return False
    if token.norm in lexicon.not_speaker_words or token.bare in lexicon.not_speaker_words or prayer(lexicon, token):
        return True
    return clitic_noun(lexicon, token)


def clitic_noun(lexicon: Lexicon, token: Token) -> bool:
    """ب/ل/ك attached to an office, a title or a name particle: «بشرطة»، «لصحة»، «لابن»; or
    making a prepositional phrase (reporting.yaml ``not_speakers``): on a manner noun «بصراحة»،
    «بقوله»، a verbal noun «بتخصيص»، «بإعادة»، the definite article «بالعمل», a place «بجدة»."""
    norm = token.bare if token.bare != token.norm and token.bare[:1] in lexicon.not_speaker_clitics else token.norm
    if norm[:1] not in lexicon.not_speaker_clitics or len(norm) < 3:
        return False
    rest = norm[1:]
    if any(rest in words for words in (lexicon.office_nouns, lexicon.speaker_heads, lexicon.named_in_marks,
                                        lexicon.name_particles, lexicon.feminine_heads, lexicon.masculine_heads)):
        return True
    return prepositional(lexicon, norm)


def prepositional(lexicon: Lexicon, norm: str) -> bool:
    """A word that is ب/ك/ل and what it governs, never a speaker: «بصراحة»، «بقوله»، «بتخصيص»،
    «لتقديرات»، «بجدة» (for ب with the article, «بالعمل», see ``definite_clitic``)."""
    if norm[:1] not in lexicon.not_speaker_clitics or len(norm) < 3:
        return False
    rest = norm[1:]
    stem = next((rest[:-len(p)] for p in ("هما", "هم", "ها", "ه") if rest.endswith(p) and rest[:-len(p)] in lexicon.clitic_stems), rest)
    return stem in lexicon.clitic_stems or rest in lexicon.clitic_places and norm[0] == "ب" \
        or any(p.match(rest) for p in lexicon.clitic_masdars)


def definite_clitic(doc: Document, lexicon: Lexicon, i: int) -> bool:
    """ب with the definite article opening a phrase that goes on («ونوه بالعمل الأمني…»، «قال بالحرف
    الواحد:»، «وهددت بالاعتصام خارج…»): a prepositional phrase, no speaker. A word alone before what
    was said («ولفت بالحصا إلى أن…») may be a Gulf family name, and is left to the name rules."""
    token = doc.tokens[i]
    norm = token.bare if token.bare.startswith("بال") else token.norm
    if not norm.startswith("بال") or len(norm) < 6 or doc.mention_at(token) is not None or i + 1 >= len(doc.tokens):
        return False
    nxt = doc.tokens[i + 1]
    gap = text_between(doc, token.end, nxt.start)
    return not (gap.strip() or nxt.norm in lexicon.complementisers or nxt.norm in lexicon.adverbial_heads)


def is_head(lexicon: Lexicon, token: Token) -> bool:
    """A word that names a speaker's role (وزير، مصدر، المتحدث…), also definite (المدير) or
    feminine (أمينة، مديرة)."""
    heads = lexicon.speaker_heads
    norm = token.norm[2:] if token.norm.startswith("ال") else token.norm
    return token.norm in heads or token.bare in heads or token.bare in lexicon.honorific_titles \
        or norm in heads or norm.endswith("ه") and norm[:-1] in heads


def is_adjective(token: Token) -> bool:
    """A definite nisba adjective: الصيني، الروسية، البحريني."""
    return token.norm.startswith("ال") and token.norm.endswith(("ي", "يه")) and token.norm not in ("الي", "التي", "الذي")


def word_gap(doc: Document, prev: Token, token: Token) -> str:
    """The text between two words, without the period of an abbreviation («د. موفق»)."""
    gap = text_between(doc, prev.end, token.start)
    if gap[:1] == "." and prev.end - prev.start == 1:
        gap = gap[1:]
    return gap


def breaks_phrase(doc: Document, lexicon: Lexicon, k: int) -> bool:
    """Punctuation, a quotation mark or a relative pronoun: nothing after belongs to the phrase."""
    token, prev = doc.tokens[k], doc.tokens[k - 1]
    gap = word_gap(doc, prev, token)
    return any(c in STOP_PUNCT or c in OPENING_MARKS or c in CLOSING_MARKS for c in gap) \
        or token.norm in lexicon.relatives


def stops_phrase(doc: Document, lexicon: Lexicon, k: int) -> bool:
    """``breaks_phrase``, or a word no speaker's name holds (a preposition, a verb, an audience,
    the prayer after a name)."""
    token = doc.tokens[k]
    return breaks_phrase(doc, lexicon, k) or not_a_subject(lexicon, token) or addressee(lexicon, token) \
        or prayer(lexicon, token)


def prayer(lexicon: Lexicon, token: Token) -> bool:
    """The prayer written after a name, «رحمه الله»، «يرحمه الله»، «حفظه الله» (reporting.yaml
    not_speakers.prayers): it ends the name and is never a speaker."""
    return token.norm in lexicon.prayers or token.bare in lexicon.prayers


def continues_phrase(doc: Document, lexicon: Lexicon, k: int) -> bool:
    """Whether token ``k`` still belongs to the noun phrase before it: a definite word, an
    adjective, a title or a name (مصادر رسمية، المتحدث باسم الخارجية، نائب سفير تركيا), not a
    new object (مصادر رسمية مقتل…)."""
    token, prev = doc.tokens[k], doc.tokens[k - 1]
    if prev.norm in lexicon.name_particles:
        return True  # «آل شرمه»، «أبو كلل»: the word after a name particle is the name
    head = doc.tokens[k - 2] if k >= 2 and not prev.norm.endswith("ه") else prev  # «قوة المهام المشتركة»
    feminine_participle = token.norm.startswith("الم") and token.norm.endswith("ه") and head.norm.endswith("ه")
    if prev.norm.startswith("ال") and token.norm.startswith("ال") and not is_adjective(token) \
            and token.norm not in lexicon.definite_adjectives and not is_head(lexicon, token) \
            and not feminine_participle and doc.mention_at(token) is None:
        return False  # «الوزيرة المجتمع الدولي»: a definite noun after a definite one is a new phrase
    if prev.norm.startswith("ال") and not token.norm.startswith("ال") and not is_head(lexicon, token) \
            and "باسم" not in (token.norm, prev.norm) and doc.mention_at(token) is None:
        return False  # «المسؤول إمكانية…»: an indefinite word is no adjective of a definite noun
    if token.norm.startswith("ال") or token.norm.endswith(("ي", "يه", "يون", "يين")) \
            or "باسم" in (token.norm, prev.norm) or is_head(lexicon, token) or doc.mention_at(token) is not None:
        return True
    nxt = doc.tokens[k + 1] if k + 1 < len(doc.tokens) else None
    return nxt is not None and nxt.norm.startswith("ال") and not text_between(doc, token.end, nxt.start).strip()
