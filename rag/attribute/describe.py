"""English for speakers outside the registry: a gloss of a description built from the lexicon
(``rag/resources/descriptions.yaml`` and the registry's country adjectives), and romanisation for
proper names only.

«مصادر أمنية» → "security sources"; «المتحدث باسم وزارة الداخلية المصرية» → "spokesman for the
Egyptian Interior Ministry"; «رئيس غرفة تجارة جدة» → "head of the Jeddah Chamber of Commerce".
Arabic noun phrases put the head first and its adjectives and complements after it; English puts
the adjectives first and the complement after «of» (after «for» for باسم).
"""
from __future__ import annotations

import re

from dataclasses import replace
from functools import lru_cache

from rag.arabic import normalize
from rag.knowledge import load
from rag.transliterate import arabic_to_latin

from .lexicon import default_lexicon

_MAX_PHRASE_WORDS = 6


@lru_cache(maxsize=1)
def _tables() -> tuple[dict, dict, dict, dict]:
    raw = load("descriptions")
    phrases = {tuple(_key(w) for w in k.split()): v for k, v in raw["phrases"].items()}
    words = {_key(k): v for k, v in raw["words"].items()}
    places = {tuple(_key(w) for w in k.split()): v for k, v in raw["places"].items()}
    adjectives: dict[str, str] = {}
    registry = load("speakers")
    for country in (registry.get("countries") or {}).values():
        english = (country.get("en_adj") or [None])[0]
        if english:
            for form in (country.get("ar_m") or []) + (country.get("ar_f") or []):
                adjectives[_key(form)] = english.upper() if len(english) <= 3 else english[:1].upper() + english[1:]
        for name in country.get("ar_name") or []:
            places.setdefault(tuple(_key(w) for w in name.split()), country.get("name_en"))
    return phrases, words, places, adjectives


def _key(word: str) -> str:
    """A word without its article: المتحدث and متحدث are looked up alike."""
    norm = normalize(word)
    return norm[2:] if norm.startswith("ال") and len(norm) > 3 else norm


def gloss(description_ar: str) -> str | None:
    """English for an Arabic description, or None when its head word is not in the lexicon
    (then it is a name, romanised by ``english_name``)."""
    words = [w for w in description_ar.replace("«", " ").replace("»", " ").split() if normalize(w)]
    if not words:
        return None
    keys = [_key(w) for w in words]
    if keys[0].startswith("و") and keys[0][1:] in _tables()[1]:
        keys[0] = keys[0][1:]
    english = _noun_phrase(words, keys)
    return english or None


def _noun_phrase(words: list[str], keys: list[str]) -> str:
    phrases, table, places, adjectives = _tables()
    if not keys:
        return ""
    place, n = _longest(places, keys)
    if place is not None and n == len(keys):
        return place
    head, n = _longest(phrases, keys)
    if head is None:
        if keys[0] not in table:
            return ""
        head, n = table[keys[0]], 1
    if "{}" in head:  # a quantifier: «أحد الشهود» → "one of the witnesses", «عدد من المواطنين»
        inner = _noun_phrase(words[n:], keys[n:]) if n < len(keys) else ""
        return head.format(inner) if inner else ""
    adjs: list[str] = []
    while n < len(keys) and (_country_adjective(adjectives, keys[n]) or (keys[n] in table and _adjective(words[n]))):
        adjs.append(_country_adjective(adjectives, keys[n]) or table[keys[n]])
        n += 1
    noun = " ".join(adjs[::-1] + [head])
    if n >= len(keys):
        return noun
    if keys[n] in (normalize("باسم"), normalize("في"), normalize("لدى")):
        rest = _complement(words[n + 1:], keys[n + 1:]).lstrip("\0")
        word = {normalize("باسم"): "for", normalize("في"): "at", normalize("لدى"): "to"}[keys[n]]
        return f"{noun} {word} {rest}" if rest else noun
    if keys[n].startswith("ل") and len(keys[n]) > 2:  # «المدير الطبي للعيادات…»
        keys = keys[:n] + [_key(keys[n][1:])] + keys[n + 1:]
    rest = _complement(words[n:], keys[n:])
    if not rest:
        return noun
    if rest.startswith("\0"):  # a place: «غرفة تجارة جدة» → "Jeddah Chamber of Commerce"
        return f"{rest[1:]} {noun}"
    return f"{noun} of {rest}"


def _complement(words: list[str], keys: list[str]) -> str:
    """A complement in English with its article; a bare place is marked to go first."""
    places = _tables()[2]
    place, n = _longest(places, keys)
    if place is not None and n == len(keys):
        return "\0" + place if not place.startswith("the ") else place
    inner = _noun_phrase(words, keys)
    if inner:
        return inner if inner.startswith("the ") else "the " + inner
    return arabic_to_latin(" ".join(words)) if len(words) <= 3 else ""


def _country_adjective(adjectives: dict, key: str) -> str | None:
    """«المصرية»، «أميركيون»: a country's adjective, also in the plural."""
    for form in (key, key[:-2] if key.endswith(("ون", "ين")) else None, key + "ه"):
        if form and form in adjectives:
            return adjectives[form]
    return None


def _adjective(word: str) -> bool:
    norm = normalize(word)
    return norm.startswith("ال") and norm.endswith(("ي", "يه")) or norm.endswith(("يه", "ي"))


def _longest(table: dict, keys: list[str]) -> tuple[str | None, int]:
    for n in range(min(_MAX_PHRASE_WORDS, len(keys)), 0, -1):
        value = table.get(tuple(keys[:n]))
        if value is not None:
            return value, n
    return None, 0


def unknown_speaker(registry, surface: str, name: str | None = None):
    """A speaker outside the registry: a person by their name (the office they are given goes to
    the English description), a description as the article writes it (``surface``, head noun
    included); English from ``english_name``."""
    base = registry.unknown(name or surface)
    office = _office(surface, name) if name and name in surface else surface
    english, description = english_name(name or surface, office if name else None)
    name_ar = (name or surface).strip()  # a person by their name; a description as written, head noun included
    if name_ar[:1] in "\"«“" and name_ar[-1:] in "\"»”":  # “السومرية”: the name without its marks
        name_ar = name_ar[1:-1].strip()
    return replace(base, name_en=english, name_ar=name_ar or base.name_ar, description=description)


def _office(surface: str, name: str) -> str:
    """What the phrase says of the named person besides the name: «ناصر الحاسي وهو متحدث باسم
    القوات الجوية» → «متحدث باسم القوات الجوية» (the name's marks and the clause opener of
    reporting.yaml ``described_by`` left out)."""
    words = surface.replace(name, " ").split()
    words = [w.strip("\"«»“”") for w in words if w.strip("\"«»“”")]
    if words and normalize(words[0]) in default_lexicon().described_by:
        words = words[1:]
    return " ".join(words).strip(" ،,")


def english_name(name_ar: str, description_ar: str | None = None) -> tuple[str, str | None]:
    """(English name, English description) of a speaker outside the registry: a proper name is
    romanised and its description glossed; a description alone is its gloss (romanised only
    where the lexicon has nothing)."""
    described = gloss(description_ar) if description_ar else None
    if description_ar and name_ar and name_ar != description_ar:
        return arabic_to_latin(name_ar), described
    own = gloss(name_ar)
    return (own or arabic_to_latin(name_ar)), own


@lru_cache(maxsize=1)
def arabic_for_english() -> dict[str, tuple[str, ...]]:
    """The lexicon read the other way, for descriptions asked in English: "spokesman" →
    («متحدث»، «ناطق»), "chamber of commerce" → («غرفة تجارة»، «غرفة التجارة»), "Jeddah" → «جدة»,
    and each country's English name and adjective → its Arabic name and adjectives. Keys are
    lower case; quantifiers («أحد …») are left out."""
    raw = load("descriptions")
    out: dict[str, list[str]] = {}
    for arabic, english in [*raw["phrases"].items(), *raw["words"].items(), *raw["places"].items()]:
        if "{}" not in english:
            out.setdefault(english.lower(), []).append(arabic)
    for country in (load("speakers").get("countries") or {}).values():
        arabic = [*(country.get("ar_name") or []), *(country.get("ar_m") or []), *(country.get("ar_f") or [])]
        for english in [*(country.get("en_name") or []), *(country.get("en_adj") or [])]:
            out.setdefault(english.lower(), []).extend(arabic)
    for english, arabic in raw.get("asked_en", {}).items():
        out.setdefault(english.lower(), []).extend(arabic)
    for english, arabic in list(out.items()):  # "health ministry" is also asked as "ministry of health"
        head = _OF_ORDER.fullmatch(english)
        if head and head["noun"] != "prime":
            out.setdefault(f"{head['office']} of {head['noun']}", []).extend(arabic)
    return {english: tuple(dict.fromkeys(arabic)) for english, arabic in out.items()}


_OF_ORDER = re.compile(r"(?P<noun>[a-z]+) (?P<office>ministry|minister)")
