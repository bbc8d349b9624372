"""Is a quote about the topic asked? Keyword evidence, across languages.

A topic becomes a list of ``Term``s, each a set of alternative Arabic phrases (stems):
an Arabic topic gives its own content words; an English topic is translated through the
glossary (``resources/glossary.yaml``) and the speaker registry's names. A quote covers a
term when one of its alternatives occurs in it. Numbers must match exactly (a quote saying
140 billion does not answer "300 billion"). The embedding similarity, weak on one-word
cross-language topics, is only a fallback (see ``rag.answer``).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .normalize import normalize
from .speakers import SpeakerRegistry
from .transliterate import names_match

RESOURCES = Path(__file__).parent / "resources"
_WORD = re.compile(r"[\w'-]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
SOUND_MIN = 0.85  # names_match similarity at which two spellings are one name (Aden ↔ عدن, كونغرس ↔ كونجرس)
SOUND_MIN_LETTERS = 5  # Arabic words shorter than this are too easily confused by sound (مصر ↔ نصر)
_SUFFIX = re.compile(r"(?:يات|ات|ون|ين|ان|يه|ي|ه|ها|هم|هما|كم|نا)$")

Forms = frozenset[str]  # the ways one word may be written with clitics and endings removed
Phrase = tuple[Forms, ...]


@dataclass(frozen=True)
class Term:
    """One thing the topic is about; covered when any alternative phrase occurs."""

    label: str
    alternatives: tuple[Phrase, ...]
    sound: str | None = None  # a name-like word also matched by sound, across scripts (Aden ↔ عدن)
    keywords: str = ""  # Arabic words to search for this term (an English term's translation)


@dataclass(frozen=True)
class Topic:
    text: str
    terms: tuple[Term, ...]
    numbers: frozenset[str]
    untranslated: tuple[str, ...] = ()  # English content words with no Arabic equivalent known


@lru_cache(maxsize=1 << 17)  # a vocabulary, met again in every question's quotes
def forms(token: str) -> Forms:
    """A normalised word and its light stems: proclitics (و ف; ب ل ك before longer words;
    the article), a present-tense prefix and common endings removed. Two words are one when
    their forms meet (اللقاء/لقاء, التجارية/تجارة, الإيراني/إيران), and no single form has to
    be right: Arabic light stemming is ambiguous (بوتين is not ب + وتين)."""
    out = {token}
    for bare in {token, *_strip(token, r"^[وف](?=\w{2,})")}:
        for base in {bare, *_strip(bare, r"^(?:ال|لل|بال|كال)(?=\w{2,})"), *_strip(bare, r"^[بلك](?=\w{4,})")}:
            out.add(base)
            out.update(_strip(base, r"^ي(?=\w{3,})"))  # present tense: يدعم → دعم
            for root in _strip(base, _SUFFIX.pattern + r"(?<=\w{3}\w)"):
                # A ta marbuta is written ت before an ending: مكالمتنا → مكالمت → مكالمه.
                out.update([root, root[:-1] + "ه"] if root.endswith("ت") else [root])
    return frozenset(f for f in out if len(f) >= 2)


def _strip(word: str, pattern: str) -> list[str]:
    stripped = re.sub(pattern, "", word)
    return [stripped] if stripped != word else []


def stems(text: str) -> list[Forms]:
    return [forms(w) for w in _WORD.findall(normalize(text))]


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    data = yaml.safe_load((RESOURCES / "glossary.yaml").read_text(encoding="utf-8"))
    stop = yaml.safe_load((RESOURCES / "stopwords.yaml").read_text(encoding="utf-8"))
    return {
        "terms": {normalize(k): (tuple(tuple(stems(v)) for v in vs), vs[0]) for k, vs in data["terms"].items()},
        "stop_en": frozenset(stop["en"]),
        "stop_ar": frozenset(normalize(w) for w in stop["ar"]),
    }


@lru_cache(maxsize=1 << 15)  # a speaker's quotes are matched against every question about them
def _matchable(text: str) -> tuple[tuple[Forms, ...], tuple[str, ...]]:
    """A text's word forms, and its words with only the article removed (names are matched
    by sound on those)."""
    words = _WORD.findall(normalize(text))
    return tuple(forms(w) for w in words), tuple(re.sub(r"^(?:وال|ال)(?=\w{3,})", "", w) for w in words)


def parse_topic(text: str, registry: SpeakerRegistry) -> Topic:
    """The terms and numbers of a topic, in English or Arabic."""
    lexicon = _lexicon()
    numbers = frozenset(_NUMBER.findall(normalize(text)))
    words = [w.removesuffix("'s") for w in _WORD.findall(normalize(text)) if not _NUMBER.fullmatch(w)]
    if any("\u0600" <= c <= "\u06ff" for c in text):
        terms = [
            Term(w, ((forms(w),),), w if len(w) >= SOUND_MIN_LETTERS else None, w)
            for w in words if w not in lexicon["stop_ar"] and not (forms(w) & lexicon["stop_ar"] and len(w) <= 3)
        ]
        return Topic(text, tuple(_unique(terms)), numbers)
    names = {w.lower() for w in re.findall(r"\b[A-Z][\w'-]+", text)}
    terms, untranslated = _translate(words, registry, lexicon, names)
    return Topic(text, tuple(_unique(terms)), numbers, tuple(untranslated))


def _translate(
    words: list[str], registry: SpeakerRegistry, lexicon: dict, names: set[str]
) -> tuple[list[Term], list[str]]:
    """Greedy longest match of glossary entries and registry names over English words;
    capitalised words left over (``names``) are matched by sound: Aden ↔ عدن."""
    terms, untranslated, i = [], [], 0
    while i < len(words):
        for n in range(min(5, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n])
            alternatives, keywords = lexicon["terms"].get(phrase) or _name_alternatives(phrase, registry)
            if alternatives:
                terms.append(Term(phrase, alternatives, keywords=keywords))
                i += n
                break
        else:
            if words[i] in names:
                terms.append(Term(words[i], (), words[i]))
            elif words[i] not in lexicon["stop_en"]:
                untranslated.append(words[i])
            i += 1
    return terms, untranslated


def _name_alternatives(phrase: str, registry: SpeakerRegistry) -> tuple[tuple[Phrase, ...], str]:
    """A registry name (country, person, institution) in English → its Arabic name's words."""
    mentions = registry.find_mentions(phrase)
    if len(mentions) != 1 or mentions[0].surface.lower() != phrase:
        return (), ""
    name_ar = mentions[0].speaker.name_ar
    return tuple({tuple(stems(name_ar)), tuple(stems(name_ar.split()[-1]))}), name_ar


def _unique(terms: list[Term]) -> list[Term]:
    return list({(t.alternatives, t.sound): t for t in terms}.values())


def covered(term: Term, text: tuple[tuple[Forms, ...], tuple[str, ...]]) -> bool:
    """Whether any alternative phrase of ``term`` occurs, word by word, in ``text`` (see
    ``_matchable``), or one of its words sounds like the term's name."""
    text_stems, words = text
    if term.sound and any(names_match(term.sound, w) >= SOUND_MIN for w in words if len(w) >= 3):
        return True
    for phrase in term.alternatives:
        n = len(phrase)
        if any(all(_same(a, b) for a, b in zip(phrase, text_stems[i:i + n])) for i in range(len(text_stems) - n + 1)):
            return True
    return False


def _same(a: Forms, b: Forms) -> bool:
    return bool(a & b)


def coverage(topic: Topic, text: str, weights: dict[str, float] | None = None) -> float:
    """Weighted share of the topic's terms a text covers (0 when one of its numbers is missing).
    ``weights`` (by term label, see ``term_weights``) make rare terms count more."""
    if not topic.terms or topic.numbers - set(_NUMBER.findall(normalize(text))):
        return 0.0
    matchable = _matchable(text)
    weight = weights or {}
    total = sum(weight.get(t.label, 1.0) for t in topic.terms)
    return sum(weight.get(t.label, 1.0) for t in topic.terms if covered(t, matchable)) / total


def term_weights(topic: Topic, texts: list[str]) -> dict[str, float]:
    """Inverse document frequency of each term among ``texts`` (a speaker's quotes, or the
    hits of a search): «الصين» among a Chinese minister's quotes says little about the topic.
    Fewer than five texts say nothing reliable: equal weights."""
    if len(texts) < 5:
        return {}
    all_stems = [_matchable(t) for t in texts]
    return {
        t.label: math.log((len(texts) + 1) / (1 + sum(covered(t, s) for s in all_stems))) + 0.05
        for t in topic.terms
    }
