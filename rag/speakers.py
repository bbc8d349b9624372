"""The speaker registry: one identity per person or institution across spellings and languages.

Knowledge is in ``rag/resources/speakers.yaml`` (see its header): names and spelling
variants in Arabic and English, titles with date ranges, institutions and countries.
This module reads it and answers four questions:

- ``find_mentions(text, date=…)``: which registry speakers a text names, with exact spans;
- ``lookup(name, date=…)``: which speaker a user means ("Sergey Lavrov", «وزير الخارجية الصيني»);
- ``resolve_title(title_id, date)``: who held a title on a date;
- ``match_name(name, candidates)``: transliteration-aware matching for non-registry speakers.

Choices (tested in tests/test_speakers.py):

- A title resolves to its holder on ``date``; with no date, to the current holder (the
  tenure still open in the data, else the latest one to end). On a hand-over day the
  incoming holder wins. A title several people hold at once (a ministry's spokespeople)
  resolves to no one: it yields no mention unless a name follows it.
- A title directly followed by a name (only spaces, commas or honorifics such as الأمير
  between), or a name directly followed by a title, is ONE mention of the person spanning
  both, with ``by_title=False``: «وزير الخارجية الروسي، سيرغي لافروف» is a single Lavrov
  mention. The name decides who it is; the merge happens when that person ever held the
  title (or the title resolves to them).
- Weak names (bare وانغ، هادي، الأسد) count only when exactly one speaker sharing them is
  also named in full (or by title) in the same text.
- Mentions start after attached proclitics (والكرملين → الكرملين; للرئاسة → لرئاسة), see
  ``rag.phrases``; one-word look-alikes that only match once normalised (شئ, ترأس) are not
  mentions.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from rag.phrases import Hit, PhraseIndex, phrase_key
from rag.speaker_data import RegistryData, Tenure, load_registry_data
from rag.arabic import normalize, without_invisible
from rag.knowledge import resource_path
from rag.transliterate import NameIndex, arabic_to_latin, name_similarity
from rag.types import Speaker

DEFAULT_PATH = resource_path("speakers.yaml")
_APPOSITION_PUNCT = re.compile(r"[\w\s,،]*")
_FUZZY_MIN = 0.85  # lookup's transliteration fallback: minimum similarity…
_FUZZY_MARGIN = 0.05  # …and lead over the next speaker, else no guess
_MATCH_MIN = 0.6  # match_name: candidates below this are not returned
_KNOWN_MIN = 0.8  # match_known: a name resembling an index speaker's this closely names them


class RowsOfForms(Protocol):
    """Word form → rows (a dict of sets, or the catalogue's saved ``rag.topic.FormIndex``)."""

    def get(self, form: str, default=()) -> Iterable[int]: ...


class KnownSpeakers:
    """The speakers an index quotes, with their names looked up exactly: a question naming one
    of 16,000 speakers finds it at once, where matching the name against each of them by sound
    takes a third of a second."""

    def __init__(self, speakers: Iterable[Speaker], quotes: dict[str, int] | None = None):
        self.speakers = list(speakers)
        self.quotes = quotes or {}  # speaker id → how many statements the index holds of them
        self.hidden: frozenset[str] = frozenset()  # ids a question never names (see ``hide``)
        self.resembling: dict[str, Speaker | None] = {}  # name → the speaker it resembles (``match_known``)
        self._names: tuple[NameIndex, list[Speaker]] | None = None
        self.words: RowsOfForms | None = None  # word form → speakers whose Arabic name holds it (rag.question)
        self.last_words: dict[str, list[int]] | None = None  # last word of a name → speakers (rag.question)
        self._by_name: dict[str, Speaker] = {}
        for speaker in self.speakers:
            for name in (speaker.name_en, speaker.name_ar):
                self._by_name.setdefault(_name_key(name), speaker)

    def named(self, name: str) -> Speaker | None:
        speaker = self._by_name.get(_name_key(name))
        return None if speaker is None or speaker.id in self.hidden else speaker

    def hide(self, ids: Iterable[str]) -> None:
        """Never let a question name these speakers (nouns an attribution took for names): they
        stay in ``speakers`` (a conversation restores its speakers by id) and in the name index,
        which is shared and saved with the index; every lookup passes them over."""
        self.hidden = frozenset(ids)
        self.resembling.clear()
        self.words = self.last_words = None

    def name_index(self, forms: Callable[[Speaker], Iterable[str]]) -> tuple[NameIndex, list[Speaker]]:
        """Every ``forms(speaker)`` of every speaker in one ``NameIndex``, with the speaker of each
        (built on the first question naming someone the index does not know, then kept)."""
        if self._names is None:
            owners = [(form, speaker) for speaker in self.speakers for form in forms(speaker)]
            self._names = NameIndex([form for form, _ in owners]), [speaker for _, speaker in owners]
        return self._names


def _name_key(name: str) -> str:
    return " ".join(normalize(name).casefold().split())


@dataclass(frozen=True)
class Mention:
    """A registry speaker named in a text: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    speaker: Speaker
    by_title: bool


@dataclass(frozen=True)
class _Name:
    speaker_id: str
    weak: bool = False


@dataclass(frozen=True)
class _Title:
    title_id: str


@dataclass(frozen=True)
class _Found:
    """A hit being turned into a mention: its speaker (None if unresolved) and title, if any."""

    start: int
    end: int
    speaker: Speaker | None
    title_id: str | None


def _merge(first: _Found, second: _Found) -> _Found:
    """One mention of the named person spanning a title and its name."""
    name = second if first.title_id else first
    return _Found(first.start, second.end, name.speaker, None)


class SpeakerRegistry:
    """Speakers, their names and titles; see the module docstring for the matching rules."""

    def __init__(self, data: RegistryData) -> None:
        self._data = data
        self._phrases = PhraseIndex()
        for sid, names in data.names.items():
            for name in names:
                self._phrases.add(name, _Name(sid))
        for sid, names in data.weak_names.items():
            for name in names:
                self._phrases.add(name, _Name(sid, weak=True))
        for tid, forms in data.title_forms.items():
            for form in forms:
                self._phrases.add(form, _Title(tid))
        self._tenures_of: dict[str, tuple[Tenure, ...]] = {}
        for tenure in sorted((t for ts in data.tenures.values() for t in ts), key=lambda t: t.start):
            self._tenures_of[tenure.speaker_id] = (*self._tenures_of.get(tenure.speaker_id, ()), tenure)

    @classmethod
    def default(cls) -> SpeakerRegistry:
        """The registry of ``rag/resources/speakers.yaml``, loaded once per process."""
        return _default_registry()

    @classmethod
    def from_file(cls, path: str | Path) -> SpeakerRegistry:
        """A registry read from a YAML file in the format of ``speakers.yaml``."""
        return cls(load_registry_data(Path(path)))

    def get(self, speaker_id: str) -> Speaker | None:
        """The speaker with this id, or None."""
        return self._data.speakers.get(speaker_id)

    def all(self) -> list[Speaker]:
        """Every registry speaker, in file order."""
        return list(self._data.speakers.values())

    def is_conduit(self, speaker: Speaker) -> bool:
        """True for news agencies and outlets, which relay statements rather than make them."""
        return speaker.id in self._data.conduits

    def tenures(self, speaker_id: str) -> tuple[Tenure, ...]:
        """The titles a speaker held, with dates."""
        return self._tenures_of.get(speaker_id, ())

    def holders(self, title_id: str) -> list[tuple[Speaker, Tenure]]:
        """Everyone who held ``title_id``, with the dates, earliest first."""
        tenures = sorted(self._data.tenures.get(title_id, ()), key=lambda t: t.start)
        return [(self.get(t.speaker_id), t) for t in tenures if self.get(t.speaker_id) is not None]

    def names_a_country(self, text: str) -> bool:
        """Whether ``text`` names a country or uses its adjective («الإيراني», "Tunisian")."""
        if any(m.speaker.kind == "country" for m in self.find_mentions(text)):
            return True
        adjectives = self._data.country_by_adjective
        return any(phrase_key(word) in adjectives for word in text.split())

    def titles_in(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, title_id)`` of every title phrase in ``text``, whoever holds it."""
        return [
            (h.start, h.end, h.targets[0].title_id)
            for h in self._phrases.scan(text)
            if isinstance(h.targets[0], _Title) and not self._subordinate(text, h.start)
        ]

    def _subordinate(self, text: str, start: int) -> bool:
        """Whether the word before ``start`` makes the title another office («نائب وزير…»)."""
        before = phrase_key(text[max(0, start - 20):start])
        return bool(before) and before[-1] in self._data.subordinates

    def title_forms(self, title_id: str) -> list[str]:
        """Every surface form (Arabic and English) of a title, as written in the data."""
        return list(self._data.title_forms.get(title_id, ()))

    def ambiguous_names(self) -> dict[str, list[str]]:
        """Names (normalised) that name several speakers or titles, outside weak names: data errors."""
        clashes = {}
        for key in self._phrases.keys():
            targets = self._phrases.targets_of(key)
            if len(targets) > 1 and not all(isinstance(t, _Name) and t.weak for t in targets):
                clashes[" ".join(key)] = [getattr(t, "speaker_id", None) or t.title_id for t in targets]
        return clashes

    # --- titles -------------------------------------------------------------------------

    def resolve_title(self, title_id: str, date: dt.date | None) -> Speaker | None:
        """Who held ``title_id`` on ``date`` (no date: the current holder), or None.

        None also when several people hold it at once (a ministry's spokespeople):
        the title alone does not say which one spoke.
        """
        tenures = self._data.tenures.get(title_id, ())
        if date is None:
            holders = [t for t in tenures if t.end is None]
            if not holders:
                holders = [max(tenures, key=lambda t: t.end, default=None)] if tenures else []
        else:
            holders = [t for t in tenures if t.covers(date)]
            if len(holders) > 1:  # a hand-over day: the incoming holder
                holders = [t for t in holders if t.end != date] or holders
        ids = {t.speaker_id for t in holders}
        return self.get(ids.pop()) if len(ids) == 1 else None

    def title_of(self, speaker: Speaker, date: dt.date | None) -> str | None:
        """The id of a title ``speaker`` held on ``date`` (no date: the latest), or None."""
        mine = [t for t in self.tenures(speaker.id) if date is None or t.covers(date)]
        return max(mine, key=lambda t: t.start).title_id if mine else None

    def country_of(self, nisba: str) -> Speaker | None:
        """The country a nisba adjective names (السودانية, "Sudanese"), or None."""
        country = self._data.country_by_adjective.get(phrase_key(nisba))
        return self.get(country) if country else None

    def counterpart(self, of: Speaker, nisba: str, date: dt.date | None) -> Speaker | None:
        """Who «نظيره الصيني» is: the holder of ``of``'s title in the country of ``nisba``.

        ``nisba`` is the country adjective as written (الصيني، الأمريكية, "Chinese").
        """
        title = self.title_of(of, date)
        country = self._data.country_by_adjective.get(phrase_key(nisba))
        if title is None or country is None or "." not in title:
            return None
        return self.resolve_title(f"{country}.{title.split('.', 1)[1]}", date)

    # --- finding speakers in text ---------------------------------------------------------

    def find_mentions(self, text: str, *, date: dt.date | None = None) -> list[Mention]:
        """Every registry name or title in ``text``, sorted by start, non-overlapping."""
        hits = self._phrases.scan(text)
        named = self._fully_named(hits, date)
        found: list[_Found] = []
        for hit in hits:
            item = self._found(text, hit, date, named)
            if found and self._same_person_adjacent(text, found[-1], item):
                item = _merge(found.pop(), item)
            found.append(item)
        return [Mention(f.start, f.end, text[f.start:f.end], f.speaker, f.title_id is not None)
                for f in found if f.speaker is not None]

    def _fully_named(self, hits: list[Hit], date: dt.date | None) -> set[str]:
        """Ids of the speakers a text names by a full name or a title (not a weak name)."""
        named = {t.speaker_id for h in hits for t in h.targets if isinstance(t, _Name) and not t.weak}
        holders = (self.resolve_title(t.title_id, date) for h in hits for t in h.targets if isinstance(t, _Title))
        return named | {s.id for s in holders if s is not None}

    def _found(self, text: str, hit: Hit, date: dt.date | None, named: set[str]) -> _Found:
        """What a hit names: a title's holder on ``date``, or the one speaker a name fits."""
        target = hit.targets[0]
        if isinstance(target, _Title) and self._subordinate(text, hit.start):
            return _Found(hit.start, hit.end, None, None)
        if isinstance(target, _Title):
            return _Found(hit.start, hit.end, self.resolve_title(target.title_id, date), target.title_id)
        ids = {t.speaker_id for t in hit.targets}
        if any(t.weak for t in hit.targets):
            ids &= named  # a weak name needs its owner named in full elsewhere
        return _Found(hit.start, hit.end, self.get(ids.pop()) if len(ids) == 1 else None, None)

    def _same_person_adjacent(self, text: str, first: _Found, second: _Found) -> bool:
        """Title + name or name + title, side by side, naming one person."""
        if (first.title_id is None) == (second.title_id is None):
            return False
        if not self._is_apposition_gap(text[first.end:second.start]):
            return False
        title, name = (first, second) if first.title_id else (second, first)
        if name.speaker is None:
            return False
        held = {t.title_id for t in self.tenures(name.speaker.id)}
        return title.title_id in held or (title.speaker is not None and title.speaker.id == name.speaker.id)

    def _is_apposition_gap(self, gap: str) -> bool:
        """Only spaces, commas and honorifics (الأمير، الشيخ…) between a title and a name."""
        return _APPOSITION_PUNCT.fullmatch(gap) is not None and all(
            w in self._data.honorifics for w in phrase_key(gap)
        )

    # --- names from users and from attribution ----------------------------------------------

    def lookup(self, name: str, *, date: dt.date | None = None) -> Speaker | None:
        """The speaker a name, spelling variant or title (English or Arabic) refers to, or None.

        Tries, in order: the exact name or title; a title followed by a name ("Russian
        President Vladimir Putin"); transliteration (``match_name``) over the registry.
        """
        targets = self._phrases.get(name)
        if targets:
            return self._resolve_targets(targets, date)
        mentions = self.find_mentions(name, date=date)
        if len(mentions) == 1 and self._is_apposition_gap(name[:mentions[0].start] + " " + name[mentions[0].end:]):
            return mentions[0].speaker
        return self._fuzzy_lookup(name)

    def _resolve_targets(self, targets: tuple, date: dt.date | None) -> Speaker | None:
        if isinstance(targets[0], _Title):
            return self.resolve_title(targets[0].title_id, date)
        ids = {t.speaker_id for t in targets}
        return self.get(ids.pop()) if len(ids) == 1 else None

    def _fuzzy_lookup(self, name: str) -> Speaker | None:
        ranked = self.match_name(name, self.all(), minimum=_FUZZY_MIN - _FUZZY_MARGIN)
        if not ranked or ranked[0][1] < _FUZZY_MIN:
            return None
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < _FUZZY_MARGIN:
            return None
        return ranked[0][0]

    def match_name(
        self, name: str, candidates: Iterable[Speaker], *, minimum: float = _MATCH_MIN
    ) -> list[tuple[Speaker, float]]:
        """Candidates whose name (any script, any variant) resembles ``name``, best first.

        Scores are ``name_similarity`` values in 0..1 (``name`` may be a surname alone);
        candidates scoring below ``minimum`` are left out.
        Registry speakers are compared by their full names and variants (not short names,
        so "Condoleezza Rice" does not match Susan Rice through "Rice").
        """
        scored = []
        for speaker in candidates:
            score = max(name_similarity(name, form, minimum) for form in self._full_forms(speaker))
            if score >= minimum:
                scored.append((speaker, score))
        return sorted(scored, key=lambda pair: -pair[1])

    def match_known(self, name: str, known: KnownSpeakers) -> Speaker | None:
        """The index speaker (not in the registry) that ``name`` names: one of its names exactly,
        else the one whose name resembles it most (``match_name`` at 0.8), or None."""
        exact = known.named(name)
        if exact is not None:
            return exact
        # only a close resemblance counts; the 16,000 speakers' names are compared all at once
        # (``NameIndex``: tens of milliseconds), and the answer is kept
        if name not in known.resembling:
            index, owners = self.known_names(known)
            similar = [(i, score) for i, score in index.similar(name, _KNOWN_MIN) if owners[i].id not in known.hidden]
            best = max(similar, key=lambda pair: pair[1], default=None)  # the first of equals, as in match_name
            known.resembling[name] = owners[best[0]] if best else None
        return known.resembling[name]

    def known_names(self, known: KnownSpeakers) -> tuple[NameIndex, list[Speaker]]:
        """The names ``match_known`` compares a name with (built once per ``known``: about a
        second for 16,000 speakers), with the speaker of each."""
        return known.name_index(self._full_forms)

    def _full_forms(self, speaker: Speaker) -> tuple[str, ...]:
        return self._data.full_names.get(speaker.id) or (speaker.name_en, speaker.name_ar)

    def unknown(self, name_ar: str) -> Speaker:
        """A speaker for a name not in the registry (kind "unnamed" for مصدر، مسؤول…)."""
        name_ar = without_invisible(name_ar).strip()
        words = phrase_key(name_ar)
        heads = self._data.unnamed_heads
        kind = "unnamed" if words and (words[0] in heads or words[0].removeprefix("ال") in heads) else "person"
        return Speaker(id="ar:" + "-".join(words), name_en=arabic_to_latin(name_ar), name_ar=name_ar, kind=kind)

    def group(self, members: Sequence[Speaker], name_ar: str) -> Speaker:
        """A group speaker (الوزيران، الجانبان) made of ``members`` (groups among them are flattened)."""
        people = [p for m in members for p in (m.members if m.kind == "group" else (m,))]
        unique = sorted({m.id: m for m in people}.values(), key=lambda m: m.id)
        return Speaker(
            id="group:" + "+".join(m.id for m in unique),
            name_en=" and ".join(m.name_en for m in unique),
            name_ar=name_ar,
            kind="group",
            members=tuple(unique),
        )


@lru_cache(maxsize=1)
def _default_registry() -> SpeakerRegistry:
    return SpeakerRegistry.from_file(DEFAULT_PATH)


