"""Match names across scripts: «ظريف» ↔ Zarif, «دي ميستورا» ↔ de Mistura, «جون كيري» ↔ John Kerry.

Both names are reduced to a *sound key*, one string of sound classes per word (``K`` for
k/q/c/ق/ك, ``X`` for sh/ch/x/ش/تش, ``V`` for any vowel…): Arabic letter by letter, Latin
spellings through their digraphs (English, French, pinyin). Arabic writes no short vowels,
so vowels and the semi-vowels w/y cost little to insert; close sounds (g/j/q, t/d, s/z,
f/v/p…) cost little to swap. ``names_match`` turns the weighted edit distance into a 0..1
similarity; ``arabic_to_latin`` is a separate, readable romanisation for display.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from rag.arabic import DIACRITICS as _DIACRITICS
from rag.arabic import has_arabic

_AR_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "'", "غ": "gh",
    "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ء": "'", "ئ": "'",
    "ؤ": "'", "پ": "p", "چ": "ch", "ڤ": "v", "گ": "g", "ژ": "zh", "ک": "k",
}
_AR_VOWELS = {"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ى": "a", "ة": "a", "ٱ": "a"}
_AR_VOWEL_LETTERS = set(_AR_VOWELS) | {"و", "ي"}
# تش spells the ch of Chinese and European names; نغ at a word's end is -ng (وانغ = Wang).
_ARABIC_DIGRAPHS = re.compile(r"تش|نغ$")
_ARABIC_DIGRAPH_LETTER = {"تش": "چ", "نغ": "نگ"}

# Latin spellings → sound classes. Longest spellings first.
_LATIN_CLASSES = [
    ("tch", "X"), ("sch", "X"), ("sh", "X"), ("ch", "X"), ("zh", "X"), ("kh", "C"), ("gh", "G"),
    ("th", "T"), ("dh", "D"), ("ph", "F"), ("ck", "K"), ("qu", "K"), ("dj", "J"), ("ts", "S"),
    ("x", "X"), ("q", "K"), ("k", "K"), ("g", "G"), ("j", "J"), ("c", "K"), ("b", "B"), ("p", "B"),
    ("f", "F"), ("v", "F"), ("t", "T"), ("d", "D"), ("s", "S"), ("z", "Z"), ("h", "H"), ("l", "L"),
    ("m", "M"), ("n", "N"), ("r", "R"), ("w", "W"), ("y", "Y"),
    ("a", "V"), ("e", "V"), ("i", "V"), ("o", "V"), ("u", "V"), ("'", "V"),
]
_AR_CLASS_OVERRIDES = {"ث": "T", "ذ": "D", "ظ": "Z", "خ": "C", "غ": "G", "ش": "X", "چ": "X"}
_LATIN_CLASS_RE = re.compile("|".join(re.escape(s) for s, _ in _LATIN_CLASSES))
_LATIN_CLASS = dict(_LATIN_CLASSES)
_AR_CLASS = {
    **{ar: _LATIN_CLASS[lat[0]] for ar, lat in _AR_CONSONANTS.items()},
    **{ar: "V" for ar in _AR_VOWELS},
    **_AR_CLASS_OVERRIDES,
}
_LATIN_RESPELLINGS = [
    (re.compile(r"q(?=i)"), "ch"),  # pinyin: Qin, Keqiang = تشين، كه تشيانغ
    (re.compile(r"c(?=[eiy])"), "s"),  # soft c: Rice, Francois
    (re.compile(r"(?<=[^aeiouy])e$"), ""),  # silent final e: George, Hollande, Mike
]
_ARTICLE = re.compile(r"^(?:a|e)[lstdrnzh]{1,2}-")  # al-, el-, as-, ash-, ad-… (sun letters)
_FUSED_ARTICLE = re.compile(r"\b(?:El|Al)(?=[A-Z])")  # ElBaradei, AlJubeir
_ABD = re.compile(r"^abd[aeiou]l")  # Abdel/Abdul/Abdullah: "abd" + the fused article

_BROAD = {"G": "K", "J": "K", "C": "K", "D": "T", "Z": "S", "X": "S", "B": "F"}

# Costs: inserting a vowel is almost free (Arabic does not write short vowels).
_GAP_COST = {"V": 0.3, " ": 0.3, "W": 0.4, "Y": 0.4, "H": 0.6}
_NEAR = {
    frozenset(p): cost
    for cost, pairs in {
        0.3: ["VW", "VY", "KG", "GJ", "TD", "SZ", "SX", "FB", "KC", "CH", "XJ"],
        0.5: ["TS", "DZ", "XC", "KX", "GC", "VH", "DS", "TZ", "WF", "WB", "KJ"],
    }.items()
    for p in pairs
}


def arabic_to_latin(name_ar: str) -> str:
    """A rough readable romanisation: «عادل الجبير» → "'Adl al-Jbir", «وانغ يي» → "Wang Yi"."""
    words = [_romanise_word(w) for w in _DIACRITICS.sub("", name_ar).split()]
    return " ".join(_capitalise(w) for w in words if w)


def _capitalise(word: str) -> str:
    if word.startswith("al-"):
        return "al-" + word[3:].capitalize()
    return word[:1].upper() + word[1:]


def _romanise_word(word: str) -> str:
    prefix = ""
    if _has_article(word):
        prefix, word = "al-", word[2:]
    word = _ARABIC_DIGRAPHS.sub(lambda m: _ARABIC_DIGRAPH_LETTER[m.group()], word)
    out = []
    for i, char in enumerate(word):
        if char in "وي":
            prev, nxt = word[i - 1] if i else "", word[i + 1] if i + 1 < len(word) else ""
            out.append(_semi_vowel(char, prev, nxt))
        else:
            out.append(_AR_VOWELS.get(char) or _AR_CONSONANTS.get(char, char if char.isascii() else ""))
    return prefix + "".join(out)


def _has_article(word: str) -> bool:
    return word.startswith("ال") and len(word) > 3 and word != "الله"


def _semi_vowel(char: str, prev: str, nxt: str) -> str:
    """و/ي as a consonant (w/y) at the start or before a vowel, else as a long vowel (u/i)."""
    consonant = not prev or nxt in _AR_VOWEL_LETTERS or prev in "اآى"
    if char == "و":
        return "w" if consonant else "u"
    return "y" if consonant else "i"


@lru_cache(maxsize=1 << 17)  # topic matching keys every word of a speaker's quotes: a vocabulary
def sound_key(name: str) -> tuple[str, ...]:
    """One sound-class string per word of ``name`` (Arabic or Latin), articles removed."""
    if has_arabic(name):
        words = [_arabic_classes(w) for w in _DIACRITICS.sub("", name).split()]
    else:
        latin = _FUSED_ARTICLE.sub("", _strip_accents(name))
        words = [_latin_classes(w) for w in re.split(r"[\s_]+", latin.lower())]
    return tuple(re.sub(r"(.)\1+", r"\1", w) for w in words if w)


def _arabic_classes(word: str) -> str:
    """Sound classes of one Arabic word, letter by letter (the article dropped)."""
    if _has_article(word):
        word = word[2:]
    word = _ARABIC_DIGRAPHS.sub(lambda m: _ARABIC_DIGRAPH_LETTER[m.group()], word)
    classes = []
    for i, char in enumerate(word):
        if char in "وي":
            prev, nxt = word[i - 1] if i else "", word[i + 1] if i + 1 < len(word) else ""
            classes.append(_LATIN_CLASS[_semi_vowel(char, prev, nxt)])
        else:
            classes.append(_AR_CLASS.get(char, ""))
    return "".join(classes)


def _latin_classes(word: str) -> str:
    """Sound classes of one Latin-script word (English, French, pinyin… spellings)."""
    word = word.replace("’", "'")
    if word in {"al", "el"}:
        return ""
    word = _ABD.sub("abd-", _ARTICLE.sub("", word))
    for pattern, replacement in _LATIN_RESPELLINGS:
        word = pattern.sub(replacement, word)
    classes = [_LATIN_CLASS[m.group()] for m in _LATIN_CLASS_RE.finditer(word)]
    if classes and classes[-1] == "Y":  # final y is a vowel: Kerry, Sergey
        classes[-1] = "V"
    return "".join(classes)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _gap(c: str) -> float:
    return _GAP_COST.get(c, 1.0)


def _weighted_length(key: str) -> float:
    """A joined key's length as the edit distance weighs it (vowels and spaces count less)."""
    return sum(map(_gap, key))


def _sub(a: str, b: str) -> float:
    return 0.0 if a == b else _NEAR.get(frozenset((a, b)), 1.0)


@lru_cache(maxsize=65536)
def key_similarity(a: str, b: str, minimum: float = 0.0) -> float:
    """1 − weighted edit distance / weighted length of the longer key (0.0 if below ``minimum``)."""
    len_a, len_b = _weighted_length(a), _weighted_length(b)
    longest = max(len_a, len_b)
    if not longest or 1.0 - abs(len_a - len_b) / longest < minimum:
        return 0.0  # the length difference alone costs too much
    allowed = (1.0 - minimum) * longest  # any path through a row costs at least its minimum
    prev = [0.0]
    for c in b:
        prev.append(prev[-1] + _gap(c))
    for ca in a:
        row = [prev[0] + _gap(ca)]
        for j, cb in enumerate(b):
            row.append(min(prev[j] + _sub(ca, cb), prev[j + 1] + _gap(ca), row[j] + _gap(cb)))
        if min(row) > allowed:
            return 0.0
        prev = row
    score = max(0.0, 1.0 - prev[-1] / longest)
    return score if score >= minimum else 0.0


@lru_cache(maxsize=8192)
def _consonants(key: tuple[str, ...]) -> frozenset[str]:
    """The broad consonant sounds of a key (k/g/j/q together, t/d, s/z/sh, f/b/p)."""
    return frozenset(_BROAD.get(c, c) for c in "".join(key) if _gap(c) == 1.0)


def _share_consonants(query: tuple[str, ...], name: tuple[str, ...]) -> bool:
    """A cheap pre-check before the edit distance: most of the query's consonants occur in the name."""
    mine = _consonants(query)
    return not mine or len(mine & _consonants(name)) * 2 >= len(mine)


@lru_cache(maxsize=1 << 16)  # topic matching compares one name with every word of many quotes
def names_match(a: str, b: str) -> float:
    """Similarity 0..1 of two names in any scripts; a surname alone matches the full name."""
    return max(name_similarity(a, b), name_similarity(b, a))


@lru_cache(maxsize=1 << 17)  # a topic's name against every word of a speaker's quotes, again each question
def sounds_alike(a: str, b: str, minimum: float) -> bool:
    """Whether ``names_match(a, b) >= minimum``, several times faster: the edit distance stops as
    soon as it cannot reach ``minimum`` (topic matching asks this of thousands of words)."""
    cutoff = minimum - 5e-5  # name_similarity rounds to 4 places: 0.79996 is 0.8
    return max(name_similarity(a, b, cutoff), name_similarity(b, a, cutoff)) >= minimum


def name_similarity(query: str, name: str, minimum: float = 0.0) -> float:
    """How well ``query`` names ``name``: whole names compared, or ``query`` as its last words.

    Directional: "Kerry" → «جون كيري» scores high, but "Condoleezza Rice" → "Rice" does not.
    Scores below ``minimum`` may come back as 0.0 (a shortcut for ranking many names).
    """
    kq, kn = sound_key(query), sound_key(name)
    if not kq or not kn or (minimum > 0 and not _share_consonants(kq, kn)):
        return 0.0
    score = key_similarity(" ".join(kq), " ".join(kn), minimum)
    if len(kq) < len(kn):  # "Kerry" vs «جون كيري»: compare with the last words
        score = max(score, 0.95 * key_similarity(" ".join(kq), " ".join(kn[-len(kq):]), minimum / 0.95))
    return round(score, 4)


_ALPHABET = " ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # what a joined sound key is made of
_CODE = {c: i for i, c in enumerate(_ALPHABET)}
_GAP_OF = np.array([_gap(c) for c in _ALPHABET])
_SUB_OF = np.array([[_sub(a, b) for b in _ALPHABET] for a in _ALPHABET])
_ROWS_AT_ONCE = 4096  # names compared together, of about the same length (less padding)


class NameIndex:
    """Many names ready to be compared with one (the 16,000 speakers of an archive): the
    scores are exactly ``name_similarity``'s, but its tests (shared consonants, lengths) and
    its edit distance run on all the names together in numpy: 15-30 ms for a name of up to
    three words against SaudiNewsNet's 33,000 speaker names, where one by one takes 0.2-0.5 s."""

    def __init__(self, names: list[str]):
        self.names = names
        self._keys = [sound_key(name) for name in names]
        self._masks = np.array([_consonant_mask(_consonants(key)) for key in self._keys], dtype=np.uint32)
        self._words = np.array([len(key) for key in self._keys], dtype=np.int64)
        self._whole = _Keys([" ".join(key) for key in self._keys])
        self._last: dict[int, _Keys] = {}  # the names' last n words, by n
        for words in (1, 2, 3):  # most questions name someone in one to three words
            self._last_words(words)

    def similar(self, query: str, minimum: float) -> list[tuple[int, float]]:
        """``(position, score)`` of each name ``query`` names with ``name_similarity >= minimum``, in order."""
        key = sound_key(query)
        if not key or not self.names:
            return []
        candidates = self._words > 0
        if minimum > 0:  # name_similarity asks for shared consonants only when it has a minimum to reach
            mine = _consonant_mask(_consonants(key))
            candidates &= np.bitwise_count(self._masks & mine) * 2 >= mine.bit_count()
        joined = " ".join(key)
        score = self._whole.similarity(joined, minimum, candidates)
        longer = candidates & (self._words > len(key))  # "Kerry" against the last word of «جون كيري»
        if longer.any():
            score = np.maximum(score, 0.95 * self._last_words(len(key)).similarity(joined, minimum / 0.95, longer))
        near = np.flatnonzero(score >= minimum - 1e-4)  # name_similarity rounds to 4 places
        return [(int(i), rounded) for i in near if (rounded := round(float(score[i]), 4)) >= minimum]

    def _last_words(self, words: int) -> _Keys:
        if words not in self._last:
            self._last[words] = _Keys([" ".join(key[-words:]) for key in self._keys])
        return self._last[words]


class _Keys:
    """Joined sound keys as a matrix of ``_ALPHABET`` codes, for ``key_similarity`` of one key against many."""

    def __init__(self, keys: list[str]):
        self.sizes = np.array([len(key) for key in keys], dtype=np.int64)
        self.codes = np.zeros((len(keys), max(self.sizes, default=0)), dtype=np.int8)
        for i, key in enumerate(keys):
            self.codes[i, : len(key)] = [_CODE[c] for c in key]
        self.lengths = np.array([_weighted_length(key) for key in keys])

    def similarity(self, key: str, minimum: float, candidates) -> np.ndarray:
        """``key_similarity(key, k, minimum)`` for each key ``k`` among ``candidates``, else 0."""
        out = np.zeros(len(self.sizes))
        length = _weighted_length(key)
        longest = np.maximum(self.lengths, length)
        with np.errstate(divide="ignore", invalid="ignore"):
            candidates = candidates & (longest > 0) & (1.0 - np.abs(length - self.lengths) / longest >= minimum)
        rows = np.flatnonzero(candidates)
        rows = rows[np.argsort(self.sizes[rows], kind="stable")]
        for lo in range(0, len(rows), _ROWS_AT_ONCE):
            part = rows[lo : lo + _ROWS_AT_ONCE]
            allowed = (1.0 - minimum) * longest[part]
            distance = _edit_distances(key, self.codes[part, : self.sizes[part].max()], self.sizes[part], allowed)
            score = np.maximum(0.0, 1.0 - distance / longest[part])
            out[part] = np.where(score >= minimum, score, 0.0)
        return out


def _edit_distances(key: str, codes: np.ndarray, sizes: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """``key_similarity``'s weighted edit distance from ``key`` to each row of ``codes``: the
    same sums in the same order, and infinite where it gives up (a row of the table whose
    cheapest cell is over ``allowed``). A row's cells past its size never reach its result."""
    gaps = _GAP_OF[codes]
    within = np.arange(codes.shape[1] + 1) <= sizes[:, None]
    prev = np.zeros((len(codes), codes.shape[1] + 1))
    for j in range(codes.shape[1]):
        prev[:, j + 1] = prev[:, j] + gaps[:, j]
    given_up = np.zeros(len(codes), dtype=bool)
    for char in key:
        a = _CODE[char]
        gap, sub = _GAP_OF[a], _SUB_OF[a][codes]
        row = np.empty_like(prev)
        row[:, 0] = prev[:, 0] + gap
        for j in range(codes.shape[1]):
            row[:, j + 1] = np.minimum(np.minimum(prev[:, j] + sub[:, j], prev[:, j + 1] + gap), row[:, j] + gaps[:, j])
        given_up |= np.where(within, row, np.inf).min(axis=1) > allowed
        prev = row
    return np.where(given_up, np.inf, prev[np.arange(len(codes)), sizes])


def _consonant_mask(consonants: frozenset[str]) -> int:
    # sound classes are the letters A-Z (``_LATIN_CLASSES``, ``_AR_CLASS``): one bit each
    return sum(1 << (ord(c) - ord("A")) for c in consonants)
