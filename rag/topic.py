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
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .arabic import NUMBER, TOPIC_WORD, forms, has_arabic, normalize, stopwords, without_nisba
from .columns import RowPlan
from .knowledge import load, resource_path
from .speakers import SpeakerRegistry
from .transliterate import sounds_alike

SOUND_MIN = 0.85  # names_match similarity at which two spellings are one name (Aden ↔ عدن, كونغرس ↔ كونجرس)
_ARTICLE = re.compile(r"^(?:وال|ال)(?=\w{3,})")  # the article, on words matched by sound
SOUND_MIN_LETTERS = 5  # Arabic words shorter than this are too easily confused by sound (مصر ↔ نصر)

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


def _words(text: str) -> list[str]:
    """The words of ``text`` as every matcher here reads them: normalised, then split."""
    return TOPIC_WORD.findall(normalize(text))


def stems(text: str) -> list[Forms]:
    return [forms(w) for w in _words(text)]


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    data = load("glossary")
    return {
        # a phrase of no words would cover every text
        "terms": {normalize(k): (tuple(p for p in (tuple(stems(v)) for v in vs) if p), vs[0]) for k, vs in data["terms"].items()},
        "learned": _learned_glossary(),
        "stop_en": stopwords("en"),
        "stop_ar": stopwords("ar"),
    }


def _learned_glossary() -> dict[str, tuple[tuple[Phrase, ...], str]]:
    """English word → its Arabic words as found by the embedding model
    (``resources/glossary_learned.tsv``, built by ``scripts/build_learned_glossary.py``);
    consulted only for single words the hand glossary and the registry do not know."""
    path = resource_path("glossary_learned.tsv")
    learned = {}
    if not path.exists():
        return learned
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        english, _, arabic = line.partition("\t")
        words = arabic.split()
        if not english or not words:
            raise ValueError(f"{path.name} line {number}: expected 'english<TAB>arabic words', got {line!r}")
        learned[english] = (tuple((forms(normalize(w)),) for w in words), words[0])
    return learned


# A speaker's quotes are matched against every question about them; an entry is ~8 KB, so
# the cache is kept to a few speakers' worth (32 MB) — beyond that the FormIndex narrows the matching.
@lru_cache(maxsize=1 << 12)
def _matchable(text: str) -> tuple[tuple[Forms, ...], tuple[str, ...]]:
    """A text's word forms, and its words with only the article removed (names are matched
    by sound on those)."""
    words = _words(text)
    return tuple(forms(w) for w in words), tuple(_ARTICLE.sub("", w) for w in words)


def parse_topic(text: str, registry: SpeakerRegistry, *, learned: bool = True) -> Topic:
    """The terms and numbers of a topic, in English or Arabic. ``learned``: English words the
    hand glossary lacks are translated through the learned glossary (a topic's words); without
    it they stay untranslated (the exact words of "who said <words>" are matched by hand terms only)."""
    lexicon = _lexicon()
    numbers = frozenset(NUMBER.findall(normalize(text)))
    words = [w.removesuffix("'s") for w in _words(text) if not NUMBER.fullmatch(w)]
    if has_arabic(text):
        terms = [
            Term(w, ((forms(w),),), w if len(w) >= SOUND_MIN_LETTERS else None, w)
            for w in words if w not in lexicon["stop_ar"] and not (forms(w) & lexicon["stop_ar"] and len(w) <= 3)
        ]
        return Topic(text, tuple(_unique(terms)), numbers)
    names = {w.lower() for w in re.findall(r"\b[A-Z][\w'-]+", text)}
    terms, untranslated = _translate(words, registry, lexicon, names, learned)
    return Topic(text, tuple(_unique(terms)), numbers, tuple(untranslated))


def parse_description(text: str, registry: SpeakerRegistry) -> Topic:
    """The terms of a speaker's description as asked («المستشار القانوني لنادي الأهلي», "the
    transport ministry's spokesman"). English words are translated through the descriptions
    lexicon read backwards (``arabic_for_english``: offices, bodies, places, countries), not the
    topic glossaries — a description is made of offices, not subjects; a capitalised word it
    lacks is a name, matched by sound; any other word left over is ``untranslated``."""
    if has_arabic(text):
        return parse_topic(text, registry)
    from .attribute.describe import arabic_for_english

    table = arabic_for_english()
    stop = _lexicon()["stop_en"]
    names = {w.lower().removesuffix("'s") for w in re.findall(r"\b[A-Z][\w'-]+", text)}
    words = [w.lower().removesuffix("'s") for w in _words(text) if not NUMBER.fullmatch(w)]

    def office(phrase: str) -> Term | None:
        arabic = table.get(phrase) or (table.get(phrase[:-1]) if phrase.endswith("s") else None)
        return Term(phrase, tuple(tuple(stems(a)) for a in arabic), keywords=arabic[0]) if arabic else None

    def name(word: str) -> Term | None:
        return Term(word, (), word.removeprefix("al-")) if word in names else None

    # stopwords stay in the phrases ("chamber of commerce") and are never reported untranslated
    terms, untranslated = _longest_first(words, 4, office, name, skip=stop)
    return Topic(text, tuple(_unique(terms)), frozenset(), tuple(untranslated))


def _translate(
    words: list[str], registry: SpeakerRegistry, lexicon: dict, names: set[str], use_learned: bool = True,
) -> tuple[list[Term], list[str]]:
    """Greedy longest match of glossary entries and registry names over English words;
    capitalised words left over (``names``) are matched by sound: Aden ↔ عدن."""
    def known(phrase: str) -> Term | None:
        alternatives, keywords = lexicon["terms"].get(phrase) or _name_alternatives(phrase, registry)
        return Term(phrase, alternatives, keywords=keywords) if alternatives else None

    def alone(word: str) -> Term | None:
        learned = _learned(word, lexicon) if use_learned and word not in lexicon["stop_en"] else None
        if learned:
            return Term(word, learned[0], word if word in names else None, learned[1])
        return Term(word, (), word) if word in names else None

    return _longest_first(words, 5, known, alone, skip=lexicon["stop_en"])


def _longest_first(
    words: list[str], longest: int, phrase_term: Callable[[str], Term | None],
    word_term: Callable[[str], Term | None], *, skip: frozenset[str],
) -> tuple[list[Term], list[str]]:
    """Terms of ``words`` read left to right: at each word the longest run of up to ``longest``
    words ``phrase_term`` knows, else ``word_term`` of the word alone; words neither knows are
    returned as untranslated, but for those in ``skip`` (stopwords)."""
    terms, untranslated, i = [], [], 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            term = phrase_term(" ".join(words[i:i + n]))
            if term is not None:
                terms.append(term)
                i += n
                break
        else:
            term = word_term(words[i])
            if term is not None:
                terms.append(term)
            elif words[i] not in skip:
                untranslated.append(words[i])
            i += 1
    return terms, untranslated


def arabic_keywords(text: str, registry: SpeakerRegistry) -> str | None:
    """Arabic words to search for an English query (its glossary terms, registry names and
    numbers: "Putin trade volume with China 200 billion" → «بوتين … الصين … 200 …»); None for
    an Arabic query (it is its own keyword query) or one with nothing to search for."""
    if has_arabic(text):
        return None
    topic = parse_topic(text, registry)
    words = [t.keywords for t in topic.terms if has_arabic(t.keywords)]
    words += sorted(topic.numbers)
    return " ".join(words) if words else None


def _learned(word: str, lexicon: dict) -> tuple[tuple[Phrase, ...], str] | None:
    """A word's learned translation, trying its singular too ("negotiations" → "negotiation")."""
    word = word.lower()
    for form in (word, word[:-1] if word.endswith("s") else None, word[:-2] if word.endswith("es") else None):
        if form and form in lexicon["learned"]:
            return lexicon["learned"][form]
    return None


def _name_alternatives(phrase: str, registry: SpeakerRegistry) -> tuple[tuple[Phrase, ...], str]:
    """A registry name (country, person, institution) in English → its Arabic name's words."""
    mentions = registry.find_mentions(phrase)
    if len(mentions) != 1 or mentions[0].surface.lower() != phrase:
        return (), ""
    name_ar = mentions[0].speaker.name_ar
    return tuple({tuple(stems(name_ar)), tuple(stems(name_ar.split()[-1]))}), name_ar


def _unique(terms: list[Term]) -> list[Term]:
    return list({(t.alternatives, t.sound): t for t in terms}.values())


def covered(term: Term, text: tuple[tuple[Forms, ...], tuple[str, ...]], present: frozenset[str] | None = None) -> bool:
    """Whether any alternative phrase of ``term`` occurs, word by word, in ``text`` (see
    ``_matchable``), or one of its words sounds like the term's name. ``present``, every form
    of the text's words, lets a phrase with a word the text lacks be passed over at once."""
    text_stems, words = text
    for phrase in term.alternatives:
        if present is not None and any(word.isdisjoint(present) for word in phrase):
            continue
        n = len(phrase)
        if any(all(_same(a, b) for a, b in zip(phrase, text_stems[i:i + n])) for i in range(len(text_stems) - n + 1)):
            return True
    # by sound only when the words did not meet: comparing sounds costs far more. A name also
    # sounds in the adjective made of it: "Al-Hilal" in «المدرب الهلالي»
    return bool(term.sound) and any(sounds_alike(term.sound, w, SOUND_MIN)
                                    or (bare := without_nisba(w)) != w and sounds_alike(term.sound, bare, SOUND_MIN)
                                    for w in words if len(w) >= 3)


def _same(a: Forms, b: Forms) -> bool:
    return bool(a & b)


def terms_covered(topic: Topic, text: str) -> list[bool]:
    """For each of the topic's terms, whether ``text`` covers it."""
    return list(_hits(topic.terms, text))


# An answer matches a speaker's statements when it ranks them, again when it judges them (and
# the sentences around them when none is on the topic), and a follow-up on the same topic
# matches them once more: each (terms, text) is worked out once. An entry is its text and a
# few flags, so the cache holds a much-quoted speaker's statements for several topics (~10 MB).
@lru_cache(maxsize=1 << 13)
def _hits(terms: tuple[Term, ...], text: str) -> tuple[bool, ...]:
    matchable = _matchable(text)
    present = frozenset().union(*matchable[0])
    return tuple(covered(t, matchable, present) for t in terms)


def described_near(
    topic: Topic, text: str, name: str, near: int, least: int | None = None, needed: Iterable[int] = (0,),
) -> bool:
    """Whether ``text`` holds the terms of ``topic`` within ``near`` words on one side of ``name``
    — all of them, or ``least`` of them including the terms ``needed``: how an article describes a
    speaker it names, before the name or after it («المستشار القانوني لنادي الأهلي خالد أبو راشد»)."""
    least = len(topic.terms) if least is None else least
    text_stems, words = _matchable(text)
    name_stems = _matchable(name)[0]
    n = len(name_stems)
    for i in range(len(text_stems) - n + 1 if n else 0):
        if all(_same(a, b) for a, b in zip(name_stems, text_stems[i:i + n])):
            for lo, hi in ((max(0, i - near), i), (i + n, i + n + near)):
                hits = [covered(t, (text_stems[lo:hi], words[lo:hi])) for t in topic.terms]
                if sum(hits) >= least and all(hits[j] for j in needed):
                    return True
    return False


def only_topic_words(topic: Topic, text: str) -> bool:
    """Whether every word of ``text`` is one of ``topic``'s words: «وزارة الداخلية» within «المتحدث
    باسم وزارة الداخلية»."""
    stems_of_topic = [word for term in topic.terms for phrase in term.alternatives for word in phrase]
    return all(any(_same(w, t) for t in stems_of_topic) for w in _matchable(text)[0])


def numbers_missing(topic: Topic, text: str) -> bool:
    """Whether one of the topic's numbers is not in ``text`` (140 billion does not answer 300 billion)."""
    return bool(topic.numbers) and bool(topic.numbers - set(NUMBER.findall(normalize(text))))


def coverage(topic: Topic, text: str, weights: dict[str, float] | None = None) -> float:
    """Weighted share of the topic's terms a text covers (0 when one of its numbers is missing).
    ``weights`` (by term label, see ``weighted_coverages``) make rare terms count more."""
    return _share(topic, text, _hits(topic.terms, text), weights or {})


def weighted_coverages(topic: Topic, texts: list[str], among: int | None = None) -> tuple[list[float], dict[str, float]]:
    """The ``coverage`` of each of ``texts``, terms weighted by their inverse document frequency
    among them: «الصين» among a Chinese minister's quotes says little about the topic. Returns
    the coverages and the weights (by term label). ``among``: how many texts there are in all,
    when ``texts`` are only those that may cover a term (see ``FormIndex``). Fewer than five
    texts say nothing reliable: equal weights. Each term is matched against each text once."""
    matched = [_hits(topic.terms, text) for text in texts]
    weights = _weights(topic, matched, among)
    return [_share(topic, text, row, weights) for text, row in zip(texts, matched)], weights


def _weights(topic: Topic, matched: list[tuple[bool, ...]], among: int | None) -> dict[str, float]:
    among = len(matched) if among is None else among
    if among < 5:
        return {}
    return {t.label: math.log((among + 1) / (1 + sum(row[j] for row in matched))) + 0.05 for j, t in enumerate(topic.terms)}


def _share(topic: Topic, text: str, matched: tuple[bool, ...], weights: dict[str, float]) -> float:
    """The weighted share of the terms ``matched`` says ``text`` covers; 0 when one of the topic's numbers is missing."""
    if not topic.terms or numbers_missing(topic, text):
        return 0.0
    total = sum(weights.get(t.label, 1.0) for t in topic.terms)
    return sum(weights.get(t.label, 1.0) for t, hit in zip(topic.terms, matched) if hit) / total


def _forms_of(texts: Iterable[str], ids: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Every text's distinct form ids, one text after another, and where each text's end
    (new forms get the next ids of ``ids``)."""
    known: dict[str, tuple[int, ...]] = {}  # word → its forms' ids: each word's forms made once
    forms_of = array("i")
    ends = [0]
    for text in texts:
        found: set[int] = set()
        for word in _words(text):
            if word not in known:
                known[word] = tuple(ids.setdefault(f, len(ids)) for f in forms(word))
            found.update(known[word])
        forms_of.extend(found)
        ends.append(len(forms_of))
    return np.frombuffer(forms_of, dtype=np.intc) if forms_of else np.zeros(0, np.intc), np.array(ends, dtype=np.int64)


class FormIndex:
    """Which texts hold a word form: postings from each form of each word to the rows of the
    texts it occurs in, so that a topic is looked up among a speaker's thousands of quotes
    instead of matched against every one of them.

    ``rows_for`` is a necessary condition of ``covered`` for a term's phrases (every word of a
    phrase must meet a word of the text); sound-alike names are not indexed, so a caller that
    also wants those matches adds the texts nearest in meaning."""

    def __init__(self, texts: Iterable[str]):
        ids: dict[str, int] = {}  # form → id
        forms_of, ends = _forms_of(texts, ids)
        self._ids = ids
        self._postings(forms_of, ends, len(ids))

    def _postings(self, forms_of: np.ndarray, ends: np.ndarray, n_forms: int) -> None:
        from scipy.sparse import csr_matrix

        # texts × forms, turned into forms × texts by scipy: a fraction of the memory an argsort
        # of 17 million postings takes (SaudiNewsNet's 88,000 quotes)
        by_text = csr_matrix((np.ones(len(forms_of), dtype=bool), forms_of, ends), shape=(len(ends) - 1, n_forms))
        by_form = by_text.tocsc()
        del by_text, forms_of
        self._rows = by_form.indices  # the rows holding form f: _rows[_start[f]:_start[f + 1]]
        self._start = by_form.indptr

    def updated(self, plan: RowPlan, new: Iterable[str]) -> FormIndex:
        """The index of the texts laid out again by ``plan`` (``rag.columns``): the kept texts'
        postings reused, only the ``new`` texts read: the index built from the merged texts."""
        from scipy.sparse import csr_matrix

        ids = {form: i for i, form in enumerate(self._ids)} if not isinstance(self._ids, dict) else dict(self._ids)
        old = csr_matrix((np.ones(len(self._rows), dtype=bool), self._rows, self._start),
                         shape=(len(self._start) - 1, plan.old_size)).tocsc()  # a column per old text
        added, added_ends = _forms_of(new, ids)
        forms_of, ends = array("i"), [0]
        for o, n in zip(plan.old.tolist(), plan.new.tolist()):
            if o >= 0:
                forms_of.extend(old.indices[old.indptr[o]:old.indptr[o + 1]].tolist())
            else:
                forms_of.extend(added[added_ends[n]:added_ends[n + 1]].tolist())
            ends.append(len(forms_of))
        merged = np.frombuffer(forms_of, dtype=np.intc) if forms_of else np.zeros(0, np.intc)
        used = np.bincount(merged, minlength=len(ids)) > 0  # forms only the texts that left held are gone
        renumbered = np.cumsum(used) - 1
        index = FormIndex.__new__(FormIndex)
        index._ids = {form: int(renumbered[i]) for form, i in ids.items() if used[i]}
        index._postings(renumbered[merged].astype(np.intc), np.array(ends, dtype=np.int64), len(index._ids))
        return index

    def rows_for(self, term: Term) -> np.ndarray:
        """Rows of the texts where one of ``term``'s phrases may occur (each of its words does)."""
        found = [self._rows_with_all(phrase) for phrase in term.alternatives]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, np.int32)

    def _rows_with_all(self, phrase: Phrase) -> np.ndarray:
        rows = None
        for word in phrase:
            hits = np.unique(np.concatenate([self._with_form(f) for f in word] or [np.zeros(0, np.int32)]))
            rows = hits if rows is None else np.intersect1d(rows, hits, assume_unique=True)
        return rows if rows is not None else np.zeros(0, np.int32)

    def get(self, form: str, default=()) -> list[int]:
        """The rows of the texts holding ``form`` (``default`` when none does), as a dict of sets would give them."""
        rows = self._with_form(form)
        return rows.tolist() if len(rows) else default

    def _with_form(self, form: str) -> np.ndarray:
        i = self._ids.get(form)
        return self._rows[self._start[i]:self._start[i + 1]] if i is not None else np.zeros(0, np.int32)
