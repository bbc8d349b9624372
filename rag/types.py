"""The plain data passed between Qawl's stages.

load → ``Article`` → clean → ``CleanText`` → chunk → ``Chunk`` / attribute → ``Quote``
→ index → search → ``Passage`` → answer → ``Answer`` with ``Citation``s.

Every offset (``start``/``end``) points into ``Article.text``, the text exactly as
ingested (a ``.txt`` file decoded, or a JSON article's ``content`` field), so that
``article.text[start:end] == passage.text`` holds everywhere.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from enum import Enum, StrEnum
from typing import Any

from .errors import SettingError


class Choice(StrEnum):
    """A fixed set of strings: members compare equal to their values, so stored indexes and
    JSON hold the same strings as before; ``parse`` refuses anything else by listing them."""

    @classmethod
    def parse(cls, value: str, what: str | None = None):
        """``value`` as a member; a ``SettingError`` naming ``what`` and the valid values otherwise."""
        try:
            return cls(value)
        except ValueError:
            valid = ", ".join(member.value for member in cls)
            raise SettingError(f"{what or cls.__name__} must be one of {valid}, not {value!r}.") from None


class QuoteKind(Choice):
    """How a statement is reported: in the speaker's words (in quotation marks or after a
    colon), paraphrased, or a paraphrase holding quoted words."""

    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"


class Intent(Choice):
    """What a question asks for (``rag/resources/questions.yaml`` maps wordings to these)."""

    WHAT_SAID = "what_said"  # What did X say about T?
    WHO_SAID = "who_said"  # Who said «…»?
    DID_SAY = "did_say"  # Did X say that …?
    DID_MENTION = "did_mention"  # Did X mention T?
    WHO_SPOKE = "who_spoke"  # Who spoke about T?
    COMPARE = "compare"  # What did X and Y say about T?


@dataclass(frozen=True)
class Article:
    """One news article as ingested."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    date: dt.date | None = None
    url: str | None = None
    path: str | None = None
    author: str | None = None

    @property
    def location(self) -> str | None:
        """Where a reader finds the article: its URL, else its file path."""
        return self.url or self.path


@dataclass(frozen=True)
class CleanText:
    """Article text with boilerplate removed, and the way back to original offsets.

    ``offsets[i]`` is the index in the original text of ``text[i]``;
    ``offsets[len(text)]`` is one past the last kept character.
    """

    text: str
    offsets: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the cleaned text to the original text."""
        if start >= end:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage of an article: ``article.text[start:end] == text``."""

    article_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Passage:
    """A search hit: a chunk with its article's metadata and a relevance score."""

    article_id: str
    title: str | None
    source: str | None
    date: dt.date | None
    url: str | None
    path: str | None
    start: int
    end: int
    text: str
    score: float

    @property
    def location(self) -> str | None:
        return self.url or self.path

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class Speaker:
    """Who said something: a person, an institution, a country, a group of them, or unnamed."""

    id: str
    name_en: str
    name_ar: str
    kind: str = "person"  # person | institution | country | group | unnamed
    members: tuple[Speaker, ...] = ()
    description: str | None = None  # e.g. "China's foreign minister"

    @property
    def ids(self) -> tuple[str, ...]:
        """This speaker's id and, for a group, every member's id."""
        return (self.id, *(m.id for m in self.members))


@dataclass(frozen=True)
class Quote:
    """An attributed statement: ``article.text[start:end] == text``."""

    speaker: Speaker
    text: str
    start: int
    end: int
    kind: QuoteKind
    cue: str  # the reporting verb or phrase as written: قال، وأضاف، مشيراً، بحسب…
    confidence: float
    via: str | None = None  # a conduit such as a news agency, never the speaker
    nested_in: Speaker | None = None  # who reported these words, when A reports B
    headline: bool = False
    cue_start: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "kind", QuoteKind.parse(self.kind, "Quote.kind"))


@dataclass(frozen=True)
class Citation:
    """One quote cited in an answer, with everything needed to check it."""

    speaker: str
    speaker_ar: str
    quote: str
    kind: QuoteKind
    article_id: str
    title: str | None
    source: str | None
    date: dt.date | None
    url: str | None
    start: int
    end: int
    passage: str
    score: float
    also_in: tuple[str, ...] = ()  # article ids of other outlets reporting the same words
    speaker_id: str = ""
    speaker_ids: tuple[str, ...] = ()  # the speaker's id and, for a group, its members' ids

    def __post_init__(self):
        object.__setattr__(self, "kind", QuoteKind.parse(self.kind, "Citation.kind"))

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass
class Answer:
    """What ``ask`` returns: readable text citing ``[1]``, ``[2]``… and the citations themselves."""

    question: str
    found: bool
    text: str
    citations: list[Citation] = field(default_factory=list)
    parsed: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


class _Report:
    """A report of a writing run: ``failed`` lists what could not be processed."""

    failed: list[tuple[str, str]]

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass
class IngestReport(_Report):
    """What an ingest did, file by file."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (location, id of the kept article)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # empty records: (path, reason)
    chunks: int = 0
    quotes: int = 0
    seen: int = 0  # items read so far, good or bad: what progress bars count


@dataclass
class ReattributeReport(_Report):
    """What re-attributing the indexed articles did (``Qawl.reattribute``): their statements
    extracted again by the current rules, compared with the stored ones."""

    articles: int = 0  # articles read so far: what progress bars count
    unchanged: int = 0  # statements exactly as stored
    changed: int = 0  # stored under the same id, now with another text, speaker, span or cue
    added: int = 0
    removed: int = 0
    embedded: int = 0  # texts the model embedded: wordings none of the article's stored statements had
    failed: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason): its statements kept as stored


def _jsonable(value: Any) -> Any:
    """Dates to ISO strings and tuples to lists, recursively, so ``json.dumps`` just works."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
