"""Arabic as Qawl reads it, in one place: normalisation, words, clitics and affixes, sentence
ends, stopwords and prepositions. Every other module imports these instead of keeping its own.

Normalisation is for *matching only*: text shown to users is never normalised. ``normalize``
folds the spelling variation that does not change a word (diacritics, tatweel,
alef/ya/ta-marbuta/hamza-seat forms, invisible characters, presentation forms, case);
``normalize_with_offsets`` also returns, for every normalised character, the index of the
original character it came from, so a match found in normalised text maps back to exact
original offsets.

The word lists (stopwords, prepositions) are data in ``rag/resources/stopwords.yaml``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# -- normalisation ---------------------------------------------------------------------------

_DROP = set(
    [chr(c) for c in range(0x064B, 0x0660)]  # harakat, shadda, sukun, madda/hamza marks
    + ["\u0670", "\u0640"]  # superscript alef, tatweel
    + [chr(c) for c in range(0x06D6, 0x06EE)]  # Quranic annotation marks
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad"]  # zero-width, marks
    + [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]  # bidi controls
)
_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ئ": "ي", "ی": "ي", "ة": "ه", "ؤ": "و", "ک": "ك",
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u3000": " ",
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _DROP:
        return ""
    if char in _FOLD:
        return _FOLD[char]
    if char.isascii():
        return char.lower()
    # Compatibility forms: Arabic presentation forms, full-width Latin, ligatures such as ﻻ.
    folded = unicodedata.normalize("NFKC", char)
    return "".join(_FOLD.get(c, c) for c in folded if c not in _DROP).lower()


_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")


def without_invisible(text: str) -> str:
    """``text`` without zero-width and bidi control characters, which some sites write inside
    names: for names shown and compared, never for quotes (those stay exact substrings)."""
    return _INVISIBLE.sub("", text)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise ``text``; ``offsets[i]`` is the original index of normalised character ``i``.

    ``offsets`` has one extra final entry, ``len(text)``, so a normalised span
    ``[s, e)`` maps back to ``[offsets[s], offsets[e - 1] + 1)``.
    """
    out: list[str] = []
    offsets: list[int] = []
    for i, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        offsets.extend([i] * len(folded))
    offsets.append(len(text))
    return "".join(out), offsets


class _FoldTable(dict):
    """``_fold_char`` as a ``str.translate`` table, filled in as characters are met: normalising
    every chunk of a large index at start-up is then five times faster than a character loop."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def normalize(text: str) -> str:
    """Normalise ``text`` for matching (see the module docstring)."""
    return text.translate(_FOLD_TABLE)


_COMPOUND_NAME = re.compile(r"\b(عبد|ابو) ")


def name_key(text: str) -> str:
    """``text`` normalised for comparing names: «عبد الله» and «عبدالله» (as often written
    apart as together) become one word."""
    return " ".join(_COMPOUND_NAME.sub(r"\1", normalize(text)).split())


def has_arabic(text: str) -> bool:
    """True when ``text`` contains at least one Arabic letter."""
    return any("\u0621" <= c <= "\u064a" or "\u0671" <= c <= "\u06d3" for c in text)


_NISBA_ENDINGS = ("اوي", "وي", "يون", "يين", "يه", "ي")  # normalised: الهلالي، النصراوي، السعوديين


def without_nisba(word: str) -> str:
    """A normalised word without its nisba (relative adjective) ending, when three letters or more
    are left: «هلالي» → «هلال», «نصراوي» → «نصر»; else the word as it is. For matching a name against
    the adjective made of it («المدرب الهلالي» is Al-Hilal's coach)."""
    for ending in _NISBA_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def accusative_tanwin(word: str) -> bool:
    """Whether a word as written ends in the accusative tanwin (معلقًا، وفقاً، مؤكداً): an adverb
    or a circumstantial participle, never a verb's subject nor a name."""
    return word.rstrip("\u0640").endswith(("\u064b\u0627", "\u0627\u064b", "\u064b"))


# -- words -------------------------------------------------------------------------------------

WORD = re.compile(r"\w+")  # letters and digits: search tokens, phrase keys
# As written: letters and digits with their diacritics and tatweel (أكّد is one word, not أك + د).
WORD_AS_WRITTEN = re.compile(r"[\w\u064B-\u065F\u0670\u0640]+")
TOPIC_WORD = re.compile(r"[\w'-]+")  # with apostrophes and hyphens: Xi's, al-Assad
ARABIC_WORD = re.compile(r"[\u0621-\u065f\u0670-\u06d3]+")  # Arabic letters only, with diacritics and tatweel
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel

# -- clitics and affixes -------------------------------------------------------------------------

CONJUNCTIONS = ("و", "ف")  # a leading conjunction: وأضاف → أضاف
# Conjunctions and prepositions a word may carry before it, alone or together (وب، فل…).
PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})
# Attached article and prepositions a search token drops: والصين, بالصين, الصين → صين.
DEFINITE_PREFIX = re.compile(r"^(?:وال|فال|بال|كال|لل|ال)(?=\w{2,})")
# Letters (and tatweel) that attach to a quotation opening after them: بـ"الرغبة"، لـ"العربي".
QUOTE_PREFIX_LETTERS = frozenset("بلكوفـ")

# Light stemming (``forms``): each a prefix or ending removed where enough of the word is left.
_CONJUNCTION_PREFIX = r"^[وف](?=\w{2,})"
_ARTICLE_PREFIX = r"^(?:ال|لل|بال|كال)(?=\w{2,})"
_PREPOSITION_PREFIX = r"^[بلك](?=\w{4,})"
_PRESENT_PREFIX = r"^ي(?=\w{3,})"  # present tense: يدعم → دعم
NOUN_ENDINGS = re.compile(r"(?:يات|ات|ون|ين|ان|يه|ي|ه|ها|هم|هما|كم|نا)$")  # plurals, nisba, attached pronouns

# Verb agreement: the endings of a regular stem by tense, and the subject each ending agrees with.
PAST_ENDINGS = ("", "ت", "ا", "تا", "وا")
PRESENT_ENDINGS = ("", "ان", "ون")
PARTICIPLE_ENDINGS = ("ا", "ة", "ين", "ون")
AGREEMENT_BY_ENDING = {"ت": "f", "تا": "dual", "ا": "dual", "وا": "pl", "ان": "dual", "ون": "pl", "ين": "pl", "ه": "f"}


def tokenize(text: str) -> list[str]:
    """Word tokens for keyword search (BM25): normalised, with the definite article stripped."""
    return [DEFINITE_PREFIX.sub("", t) for t in WORD.findall(normalize(text))]


@lru_cache(maxsize=1 << 17)  # a vocabulary, met again in every question's quotes
def forms(token: str) -> frozenset[str]:
    """A normalised word and its light stems: proclitics (و ف; ب ل ك before longer words;
    the article), a present-tense prefix and common endings removed. Two words are one when
    their forms meet (اللقاء/لقاء, التجارية/تجارة, الإيراني/إيران), and no single form has to
    be right: Arabic light stemming is ambiguous (بوتين is not ب + وتين)."""
    out = {token}
    for bare in {token, *_strip(token, _CONJUNCTION_PREFIX)}:
        for base in {bare, *_strip(bare, _ARTICLE_PREFIX), *_strip(bare, _PREPOSITION_PREFIX)}:
            out.add(base)
            out.update(_strip(base, _PRESENT_PREFIX))
            for root in _strip(base, NOUN_ENDINGS.pattern + r"(?<=\w{3}\w)"):
                # A ta marbuta is written ت before an ending: مكالمتنا → مكالمت → مكالمه.
                out.update([root, root[:-1] + "ه"] if root.endswith("ت") else [root])
    return frozenset(f for f in out if len(f) >= 2)


def _strip(word: str, pattern: str) -> list[str]:
    stripped = re.sub(pattern, "", word)
    return [stripped] if stripped != word else []


# -- sentence ends -----------------------------------------------------------------------------

SENTENCE_END = re.compile(r"[.!?؟…]+")  # a run of full stops, question and exclamation marks, ellipses
# Where a passage may break: such a run (or an Arabic semicolon) that is not an abbreviation's
# dot after another mark, with the quotation marks and brackets it closes, before a space.
SENTENCE_BREAK = re.compile(r"(?<![(.!?؟؛…])[.!?؟؛…]+[»”\"’)\]]*(?=\s|$)")
CLAUSE_BREAK = re.compile(r"[،,:;]+[»”\"’)\]]*(?=\s)")  # commas, colons, semicolons with their closing marks
# Where a requested text ends (a straight " or an opening mark may open it, so they do not end it).
TEXT_END = re.compile(r"[.!?؟\n»”]")
PHRASE_END = frozenset("،,.;؛:!?؟\n")  # punctuation that ends a phrase: a name or title does not run past it


# -- stopwords and prepositions ------------------------------------------------------------------

@lru_cache(maxsize=1)
def _word_lists() -> dict:
    from .knowledge import load

    return load("stopwords")


def stopwords(lang: str) -> frozenset[str]:
    """Words that carry no topic (question words, prepositions, articles): English as written,
    Arabic normalised."""
    words = _word_lists()[lang]
    return frozenset(words) if lang == "en" else frozenset(normalize(w) for w in words)


@lru_cache(maxsize=1)
def prepositions() -> frozenset[str]:
    """Arabic prepositions, normalised: a name does not start right after one (مع، عن، إلى…)."""
    return frozenset(normalize(w) for w in _word_lists()["prepositions"])
