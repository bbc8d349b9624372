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

RESOURCES = Path(__file__).parent / "resources"
_WORD = re.compile(r"[\w'-]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_PREFIX = re.compile(r"^(?:وال|فال|بال|كال|لل|ال|و|ف|ب|ل)(?=\w{3,})")
_SUFFIX = re.compile(r"(?:يات|ات|ون|ين|ان|يه|ي|ه|ها|هم|هما|كم|نا)$")

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """One thing the topic is about; covered when any alternative phrase occurs."""

    label: str
    alternatives: tuple[Phrase, ...]


@dataclass(frozen=True)
class Topic:
    text: str
    terms: tuple[Term, ...]
    numbers: frozenset[str]
    untranslated: tuple[str, ...] = ()  # English content words with no Arabic equivalent known


def stem(token: str) -> str:
    """A light Arabic stem of a normalised token: proclitics and common suffixes removed."""
    token = _PREFIX.sub("", token)
    stripped = _SUFFIX.sub("", token)
    return stripped if len(stripped) >= 3 else token


def stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(normalize(text))]


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    data = yaml.safe_load((RESOURCES / "glossary.yaml").read_text(encoding="utf-8"))
    stop = yaml.safe_load((RESOURCES / "stopwords.yaml").read_text(encoding="utf-8"))
    return {
        "terms": {normalize(k): tuple(tuple(stems(v)) for v in vs) for k, vs in data["terms"].items()},
        "stop_en": frozenset(stop["en"]),
        "stop_ar": frozenset(stem(normalize(w)) for w in stop["ar"]),
    }


def parse_topic(text: str, registry: SpeakerRegistry) -> Topic:
    """The terms and numbers of a topic, in English or Arabic."""
    lexicon = _lexicon()
    numbers = frozenset(_NUMBER.findall(normalize(text)))
    words = [w for w in _WORD.findall(normalize(text)) if not _NUMBER.fullmatch(w)]
    if any("\u0600" <= c <= "\u06ff" for c in text):
        terms = [Term(w, ((stem(w),),)) for w in words if stem(w) not in lexicon["stop_ar"]]
        return Topic(text, tuple(_unique(terms)), numbers)
    terms, untranslated = _translate(words, registry, lexicon)
    return Topic(text, tuple(_unique(terms)), numbers, tuple(untranslated))


def _translate(words: list[str], registry: SpeakerRegistry, lexicon: dict) -> tuple[list[Term], list[str]]:
    """Greedy longest match of glossary entries and registry names over English words."""
    terms, untranslated, i = [], [], 0
    while i < len(words):
        for n in range(min(5, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n])
            alternatives = lexicon["terms"].get(phrase) or _name_alternatives(phrase, registry)
            if alternatives:
                terms.append(Term(phrase, alternatives))
                i += n
                break
        else:
            if words[i] not in lexicon["stop_en"]:
                untranslated.append(words[i])
            i += 1
    return terms, untranslated


def _name_alternatives(phrase: str, registry: SpeakerRegistry) -> tuple[Phrase, ...]:
    mentions = registry.find_mentions(phrase)
    if len(mentions) != 1 or mentions[0].surface.lower() != phrase:
        return ()
    speaker = mentions[0].speaker
    return tuple({tuple(stems(speaker.name_ar)), tuple(stems(speaker.name_ar.split()[-1]))})


def _unique(terms: list[Term]) -> list[Term]:
    return list({t.alternatives: t for t in terms}.values())


def covered(term: Term, text_stems: list[str]) -> bool:
    """Whether any alternative phrase of ``term`` occurs, word by word, in ``text_stems``."""
    for phrase in term.alternatives:
        n = len(phrase)
        if any(all(_same(a, b) for a, b in zip(phrase, text_stems[i:i + n])) for i in range(len(text_stems) - n + 1)):
            return True
    return False


def _same(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def coverage(topic: Topic, text: str, weights: dict[str, float] | None = None) -> float:
    """Weighted share of the topic's terms a text covers (0 when one of its numbers is missing).
    ``weights`` (by term label, see ``term_weights``) make rare terms count more."""
    if not topic.terms or topic.numbers - set(_NUMBER.findall(normalize(text))):
        return 0.0
    text_stems = stems(text)
    weight = weights or {}
    total = sum(weight.get(t.label, 1.0) for t in topic.terms)
    return sum(weight.get(t.label, 1.0) for t in topic.terms if covered(t, text_stems)) / total


def term_weights(topic: Topic, texts: list[str]) -> dict[str, float]:
    """Inverse document frequency of each term among ``texts`` (a speaker's quotes, or the
    hits of a search): «الصين» among a Chinese minister's quotes says little about the topic.
    Fewer than five texts say nothing reliable: equal weights."""
    if len(texts) < 5:
        return {}
    all_stems = [stems(t) for t in texts]
    return {
        t.label: math.log((len(texts) + 1) / (1 + sum(covered(t, s) for s in all_stems))) + 0.05
        for t in topic.terms
    }
