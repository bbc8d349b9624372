"""From a subject as written to a speaker, tracking who the discourse is about.

The discourse keeps its *topic*: the speaker of the last statement (or the subject of the
last narrative sentence such as «ووصل لافروف إلى الصين»). A subject-less cue (وأضاف،
وتابع، وقال خلال اللقاء) is the topic speaking — not the last name mentioned: after
«وأضاف … بعد محادثات مع نظيره الصيني وانغ يي أن…» the speaker is still Lavrov.

Every name seen is remembered with the words written around it, so that descriptions
resolve backwards (الخارجية → the foreign ministry named last; الوزير البحريني → the
Bahraini minister), group nouns find their two members (الوزيران → the two ministers last
named), and «نظيره الصيني» is the Chinese holder of the topic speaker's title.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rag.arabic import normalize, tokenize
from rag.types import Speaker

from .describe import unknown_speaker
from .phrase import Subject

_RECENT = 40  # how far back descriptions and groups look, in remembered names
_SAME_TITLE_WORDS = 3


@dataclass(frozen=True)
class Seen:
    pos: int
    speaker: Speaker
    words: frozenset[str]  # the surface's words, as tokenize gives them


class Discourse:
    """Who has been named and who is speaking, read left to right through one article."""

    def __init__(self, registry, named: list[tuple[int, Speaker, str]], date: dt.date | None,
                 lexicon=None) -> None:
        """``named``: every registry mention as (start, speaker, the mention with the words
        in apposition after it — «الشيخ راشد … وزير الداخلية البحريني»)."""
        self.registry = registry
        self.date = date
        self.lexicon = lexicon
        self._topics: list[Speaker] = []  # who spoke or was the subject, most recent last
        self._pending = sorted(named, key=lambda n: n[0])
        self._next = 0
        self.seen: list[Seen] = []

    def advance(self, pos: int) -> None:
        """Remember every registry mention that starts before ``pos``."""
        while self._next < len(self._pending) and self._pending[self._next][0] < pos:
            self.remember(*self._pending[self._next])
            self._next += 1

    def remember(self, pos: int, speaker: Speaker, surface: str) -> None:
        """Record a resolved speaker (group, description, unknown) at ``pos``."""
        self.seen.append(Seen(pos, speaker, frozenset(tokenize(surface))))

    @property
    def topic(self) -> Speaker | None:
        """Who spoke (or was written about) last."""
        return self._topics[-1] if self._topics else None

    def set_topic(self, speaker: Speaker | None, *, narrative: bool = False) -> None:
        """``speaker`` spoke (or, ``narrative``, is what a sentence is about: never a country,
        «وتقدّم موسكو وبكين نفسيهما…» does not make Russia the next speaker)."""
        if speaker is not None and not (narrative and speaker.kind == "country"):
            self._topics.append(speaker)
            del self._topics[:-_RECENT]

    def topic_for(self, agreement: str) -> Speaker | None:
        """The topic a subject-less verb refers to: the last one that agrees with it (see
        ``agrees``) — never a masculine speaker for وأضافت, a feminine one for وأضاف."""
        for speaker in reversed(self._topics):
            if self.agrees(speaker, agreement):
                return speaker
        for speaker in reversed(self._topics):  # none agrees in full: one that does not contradict
            if not self.contradicts(speaker, agreement) and not self._plural_for_singular(speaker, agreement):
                return speaker
        return None

    def _plural_for_singular(self, speaker: Speaker, agreement: str) -> bool:
        """A masculine singular verb with no subject (وأضاف، وأفاد) never continues a plural
        speaker from an earlier sentence: that would be وأضافوا. (In the same sentence a participle
        may agree with the subject as written, «نوه المصدر …، مشدداً», see ``contradicts``.)"""
        return agreement == "m" and speaker_gender(speaker, self.lexicon) == "pl"

    def contradicts(self, speaker: Speaker, agreement: str) -> bool:
        """A masculine verb for a feminine speaker, a country or a group; a feminine verb for a
        masculine speaker; a dual verb for one that is no group."""
        gender = speaker_gender(speaker, self.lexicon)
        if agreement == "m":
            return gender == "f" or speaker.kind in ("country", "group")
        if agreement == "f":
            return gender == "m"
        if agreement == "dual":
            return speaker.kind != "group"
        # a plural verb (قالوا، معتبرين) is never one person of the registry
        return speaker.kind == "person" and not speaker.id.startswith("ar:")

    def agrees(self, speaker: Speaker, agreement: str) -> bool:
        """Whether a verb of ``agreement`` (m | f | dual | pl) can have ``speaker`` as subject:
        a masculine verb (وأضاف) is never a country, a group or a feminine speaker; a feminine
        one (وأضافت) never a masculine one; a dual (وأضافا) a group; a plural (وأضافوا) a group
        or a plural (مسؤولون)."""
        gender = speaker_gender(speaker, self.lexicon)
        if agreement == "m":
            return speaker.kind not in ("country", "group") and gender in ("m", None)
        if agreement == "f":
            return gender in ("f", None) or gender == "pl" and speaker.kind == "unnamed"
        if agreement == "dual":
            return speaker.kind == "group"
        return speaker.kind == "group" or gender == "pl"

    # --- resolution ---------------------------------------------------------------------

    def resolve(self, subject: Subject, pos: int) -> tuple[Speaker | None, str]:
        """The speaker a written subject refers to, and how it was found; a speaker found
        otherwise than by a registry name is remembered with the words of the subject."""
        speaker, how = self._resolve(subject, pos)
        if speaker is not None and how not in ("name", "title", "topic"):
            self.remember(pos, speaker, subject.surface)
        return speaker, how

    def _resolve(self, subject: Subject, pos: int) -> tuple[Speaker | None, str]:
        self.advance(pos)
        if subject.how == "mention":
            return subject.mention.speaker, "title" if subject.mention.by_title else "name"
        if subject.how == "group":
            return self._group(subject), "group"
        if subject.how == "statement":  # «وقال البيان»: the author of the statement just quoted
            return self.topic, "anaphor"
        if subject.how == "pronoun":  # «وقال سموه»: the person spoken of
            return self.topic_for(subject.agreement), "topic"
        if subject.how == "anaphor":
            found = self._anaphor(subject)
            country = self._government(subject) if found is None else None
            return (country, "name") if country is not None else (found, "anaphor")
        if subject.how == "counterpart":
            return self._counterpart(subject), "counterpart"
        known = self.named_before(subject, pos)
        if known is not None:  # «وقال رودس» after «بن رودس نائب مستشار…»
            return known, "unknown"
        country = self._government(subject)
        if country is not None:  # «وقالت الحكومة السودانية»: Sudan
            return country, "name"
        return unknown_speaker(self.registry, subject.surface, subject.name), "unknown"

    def _government(self, subject: Subject) -> Speaker | None:
        words = subject.surface.split()
        if self.lexicon is None or len(words) != 2 or normalize(words[0]).removeprefix("و") not in self.lexicon.government_heads:
            return None
        return self.registry.country_of(words[1])

    def named_before(self, subject: Subject, pos: int) -> Speaker | None:
        """A person named earlier in full, now by part of the name: «رودس» after «بن رودس
        نائب مستشار…», «عسيري» after «العميد ركن أحمد عسيري»."""
        self.advance(pos)
        words = subject.words
        for seen in reversed(self.seen[-_RECENT:]):
            if seen.speaker.kind in ("person", "unnamed") and words and _same_description(words, seen.words):
                return seen.speaker
        return None

    def _group(self, subject: Subject) -> Speaker | None:
        if subject.members:
            return self.registry.group([m.speaker for m in subject.members], subject.surface)
        members: list[Speaker] = []
        for seen in reversed(self.seen[-_RECENT:]):
            if self._fits_group(seen, subject.noun) and all(m.id != seen.speaker.id for m in members):
                members.append(seen.speaker)
                if len(members) == 2:
                    return self.registry.group(members, subject.surface)
        return None

    def _fits_group(self, seen: Seen, noun) -> bool:
        speaker = seen.speaker
        if speaker.kind not in noun.kinds:
            return False
        if not noun.roles and not noun.words:
            return True
        title = self.registry.title_of(speaker, self.date)
        role = title.split(".", 1)[-1] if title else None
        return role in noun.roles or bool(seen.words & noun.words)

    def _anaphor(self, subject: Subject) -> Speaker | None:
        noun, nisba = subject.noun, {_stem(w) for w in subject.nisba}
        for seen in reversed(self.seen[-_RECENT:]):
            outside = seen.speaker.id.startswith("ar:")  # no kind known: «وزارة العدل الأميركية»
            stems = {_stem(w) for w in seen.words}  # «المبعوث الأممي» after «مبعوث الأمم المتحدة»
            if (outside or seen.speaker.kind in noun.kinds) and seen.words & noun.match and nisba <= stems:
                return seen.speaker
        return None

    def _counterpart(self, subject: Subject) -> Speaker | None:
        if self.topic is None or not subject.nisba:
            return None
        return self.registry.counterpart(self.topic, subject.surface.split()[-1], self.date)


def _same_description(words: frozenset[str], earlier: frozenset[str]) -> bool:
    """Part of an earlier name (رودس ⊂ بن رودس), or most of an earlier title phrase
    («عضو مؤتمر الرياض الخاص بإنقاذ اليمن…» after «عضو مؤتمر الرياض لإنقاذ اليمن…»); a nisba
    matches its noun («المبعوث الأممي» after «مبعوث الأمم المتحدة»)."""
    shared = len(words & earlier)
    if words <= earlier or shared >= _SAME_TITLE_WORDS and 2 * shared >= len(words):
        return True
    stems = {_stem(w) for w in earlier}
    return len(words) >= 2 and all(_stem(w) in stems for w in words)


def _stem(word: str) -> str:
    """A word without a nisba or plural ending: امم and اممي alike."""
    for ending in ("يون", "يين", "يه", "ي"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def speaker_gender(speaker: Speaker, lexicon) -> str | None:
    """m | f | pl, or None when unknown (a name outside the registry)."""
    if speaker.kind == "group":
        return "pl"
    if speaker.kind == "country":
        return "f"
    if lexicon is None:
        return None
    if speaker.kind == "person" and not speaker.id.startswith("ar:"):
        return "f" if speaker.id in lexicon.feminine_speakers else "m"
    words = normalize(speaker.name_ar).split()
    if not words:
        return None
    first = words[0]
    bare = first[2:] if first.startswith("ال") else first
    if first in lexicon.plural_heads or bare in lexicon.plural_heads:
        return "pl"
    if first in lexicon.feminine_heads or bare in lexicon.feminine_heads:
        return "f"
    if first in lexicon.masculine_heads or bare in lexicon.masculine_heads:
        return "m"
    if speaker.kind == "person" and speaker.id.startswith("ar:") and not first.startswith("ال"):
        return None  # a name the registry lacks: أسامة is a man
    return "f" if first.endswith("ه") else "m"
