"""Read a question: who is asked about, on what topic, with which limits, in which language.

``parse_question`` is pure: it needs the speaker registry and, to recognise outlets, the
outlet names the index holds. Patterns live in ``rag/resources/questions.yaml``.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import QuestionError
from .normalize import has_arabic, normalize
from .speakers import SpeakerRegistry
from .types import Speaker, _jsonable

RESOURCES = Path(__file__).parent / "resources"
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class ParsedQuestion:
    """What a question asks. ``speakers`` are resolved; ``unresolved`` are names we could not place."""

    question: str
    lang: str  # "ar" | "en"
    intent: str  # what_said | who_said | did_mention | who_spoke | compare
    speakers: tuple[Speaker, ...] = ()
    unresolved: tuple[str, ...] = ()
    topic: str | None = None
    source: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    by_title: tuple[str, ...] = field(default=())  # ids of speakers named by a title only

    def to_dict(self) -> dict:
        return _jsonable({
            "lang": self.lang,
            "intent": self.intent,
            "speakers": [{"id": s.id, "name_en": s.name_en, "name_ar": s.name_ar} for s in self.speakers],
            "unresolved": list(self.unresolved),
            "topic": self.topic,
            "source": self.source,
            "date_from": self.date_from,
            "date_to": self.date_to,
        })


@lru_cache(maxsize=1)
def _rules() -> dict:
    data = yaml.safe_load((RESOURCES / "questions.yaml").read_text(encoding="utf-8"))
    data["compiled"] = [
        (entry["intent"], [re.compile(p) for p in entry["patterns"]]) for entry in data["intents"]
    ]
    data["separator"] = re.compile("|".join(data["speaker_separators"]))
    data["filter_res"] = {k: [re.compile(p) for p in v] for k, v in data["filters"].items()}
    return data


def parse_question(
    question: str,
    *,
    registry: SpeakerRegistry,
    sources: Iterable[str] = (),
    known_speakers: Iterable[Speaker] = (),
) -> ParsedQuestion:
    """Parse ``question`` (English or Arabic). ``known_speakers`` lets non-registry speakers
    found in the index be recognised by their names; ``sources`` are the index's outlets."""
    question = check_question(question)
    lang = "ar" if has_arabic(question) else "en"
    text = _strip_punctuation(normalize(question))
    text, limits = _take_filters(text, list(sources))
    intent, slots = _match_intent(text)
    if intent in ("who_said", "who_spoke"):
        speakers, unresolved = [], []
    else:
        speakers, unresolved = _resolve(slots.get("x"), text, registry, list(known_speakers))
    if intent == "what_said" and len(speakers) > 1:
        intent = "compare"
    topic = slots.get("topic") or slots.get("content")
    return ParsedQuestion(
        question=question,
        lang=lang,
        intent=intent,
        speakers=tuple(speakers),
        unresolved=tuple(unresolved),
        topic=topic.strip() if topic else None,
        **limits,
    )


def check_question(question: object) -> str:
    """The question stripped, or a ``QuestionError`` saying what is wrong with it."""
    if not isinstance(question, str) or not question.strip():
        raise QuestionError("The question is empty: ask, for example, “What did Wang Yi say about Ukraine?”")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"The question is longer than {MAX_QUESTION_CHARS:,} characters: shorten it.")
    return question.strip()


def _strip_punctuation(text: str) -> str:
    text = re.sub(r"[?؟!.«»\"“”]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _take_filters(text: str, sources: list[str]) -> tuple[str, dict]:
    """Remove year and outlet limits from the question text and return them as filters."""
    rules = _rules()["filter_res"]
    limits: dict = {}
    for kind in ("since", "before", "year"):
        for pattern in rules[kind]:
            match = pattern.search(text)
            if match and not limits.get("date_from") and not limits.get("date_to"):
                year = int(match["year"])
                if kind in ("year", "since"):
                    limits["date_from"] = dt.date(year, 1, 1)
                if kind in ("year", "before"):
                    limits["date_to"] = dt.date(year, 12, 31) if kind == "year" else dt.date(year - 1, 12, 31)
                text = (text[: match.start()] + " " + text[match.end():]).strip()
    for pattern in rules["source"]:
        match = pattern.search(text)
        outlet = match and _known_outlet(match["source"], sources)
        if outlet:
            limits["source"] = outlet
            text = text[: match.start()].strip()
    return re.sub(r"\s+", " ", text), limits


def _outlet_key(name: str) -> str:
    return re.sub(r"[^\w]|_", "", normalize(name))


def _known_outlet(mention: str, sources: list[str]) -> str | None:
    """The index outlet a mention names («العربي», "Al-Araby"), via outlets.yaml aliases."""
    key = _outlet_key(mention)
    by_key = {_outlet_key(s): s for s in sources}
    if key in by_key:
        return by_key[key]
    for outlet in _outlets():
        if key in {_outlet_key(a) for a in outlet["aliases"]} | {_outlet_key(outlet["name"])}:
            return by_key.get(_outlet_key(outlet["name"]), outlet["name"])
    return None


@lru_cache(maxsize=1)
def _outlets() -> list[dict]:
    return yaml.safe_load((RESOURCES / "outlets.yaml").read_text(encoding="utf-8"))["outlets"]


def _match_intent(text: str) -> tuple[str, dict]:
    for intent, patterns in _rules()["compiled"]:
        for pattern in patterns:
            match = pattern.match(text)
            if match:
                return intent, {k: v for k, v in match.groupdict().items() if v}
    return "what_said", {}


def _resolve(
    x: str | None, text: str, registry: SpeakerRegistry, known: list[Speaker]
) -> tuple[list[Speaker], list[str]]:
    """The speakers a question asks about. Registry names, variants and titles are found
    wherever they stand (in the speaker slot ``x`` when a pattern gave one, else anywhere in
    the question); names the registry does not know are split off ``x`` («X وY», "X and Y")
    and matched against the index's own speakers, transliteration-aware."""
    mentions = [m.speaker for m in registry.find_mentions(x or text)]
    if mentions or not x:
        return list({s.id: s for s in mentions}.values()), []
    speakers: list[Speaker] = []
    unresolved: list[str] = []
    for name in _split_speakers(x):
        speaker = registry.lookup(name) or match_known_speaker(name, registry, known)
        if speaker is None:
            unresolved.append(name)
        else:
            speakers.append(speaker)
    return list({s.id: s for s in speakers}.values()), unresolved


def _split_speakers(x: str) -> list[str]:
    parts = [p.strip() for p in _rules()["separator"].split(x) if p and p.strip()]
    return parts or [x]


def match_known_speaker(name: str, registry: SpeakerRegistry, known: list[Speaker]) -> Speaker | None:
    """The index speaker (not in the registry) whose name resembles ``name`` closely, or None."""
    ranked = registry.match_name(name, known)
    return ranked[0][0] if ranked and ranked[0][1] >= 0.8 else None


def with_speaker(parsed: ParsedQuestion, name: str, registry: SpeakerRegistry, known: list[Speaker]) -> ParsedQuestion:
    """``parsed`` with its speakers replaced by the one ``name`` refers to (a UI or API filter)."""
    speaker = registry.lookup(name) or match_known_speaker(name, registry, known)
    if speaker is None:
        return replace(parsed, speakers=(), unresolved=(name,), intent="what_said")
    intent = parsed.intent if parsed.intent in ("what_said", "did_mention") else "what_said"
    return replace(parsed, speakers=(speaker,), unresolved=(), intent=intent)
