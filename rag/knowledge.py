"""The one loader of ``rag/resources/``: each YAML file read once and checked against its shape.

A shape is a dataclass whose fields are the file's top-level keys, typed; a field with a
default may be left out. A file that does not have its shape raises ``ResourceError`` naming
the file and the key (``reporting.yaml: verbs[3].content: expected a list, got str``), at
first use rather than as a ``KeyError`` deep inside attribution. What the loader returns is
the file's data as read: the modules that use it build their own lookups from it. A key added
to a file is added to its shape here; until then the file is refused, naming the key.
"""
from __future__ import annotations

import types
import typing
from dataclasses import MISSING, dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import ResourceError

WordList = list[str]


@dataclass(frozen=True)
class Stopwords:
    en: WordList
    ar: WordList
    prepositions: WordList  # a name does not start right after one


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, WordList]  # an English term → its Arabic renderings


@dataclass(frozen=True)
class Descriptions:
    """English for Arabic descriptions of speakers outside the registry (``rag/attribute/describe.py``)."""

    phrases: dict[str, str]
    words: dict[str, str]
    places: dict[str, str]
    # English words of asked descriptions the glosses above do not give ("chief" → رئيس، مدير، قائد)
    asked_en: dict[str, WordList] = field(default_factory=dict)


@dataclass(frozen=True)
class Answers:
    en: dict[str, str]
    ar: dict[str, str]


@dataclass(frozen=True)
class Boilerplate:
    drop_lines: WordList  # patterns of whole lines that are not the article
    remove: WordList  # patterns removed from inside lines
    repeated_headline_window: int


@dataclass(frozen=True)
class Dates:
    months: dict[int, WordList]
    header_lines: int
    max_line_chars: int
    min_year: int
    max_year: int


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: WordList = field(default_factory=list)
    ids: WordList = field(default_factory=list)
    question_aliases: WordList = field(default_factory=list)


@dataclass(frozen=True)
class Outlets:
    outlets: list[Outlet]
    credit_lines: WordList


@dataclass(frozen=True)
class Intents:
    intent: str
    patterns: WordList
    elliptic: bool = False  # the wordings state a topic only: a follow-up takes the previous intent


@dataclass(frozen=True)
class Questions:
    intents: list[Intents]
    speaker_separators: WordList
    filters: dict[str, WordList]
    roles: dict[str, str | WordList]


@dataclass(frozen=True)
class LLM:
    translation_labels: WordList
    injection: dict[str, WordList]


@dataclass(frozen=True)
class ReportingVerb:
    past: str | WordList
    content: WordList
    present: str | WordList | None = None
    participle: str | WordList | None = None
    prep: str | None = None
    relay: str | None = None
    clause_initial: bool = False
    needs_prep: bool = False
    object_first: bool = False
    opinion: bool = False
    other_keys = bool  # further flags of a verb (passive_alone…) are true or false


@dataclass(frozen=True)
class GroupNoun:
    forms: WordList
    roles: WordList
    words: WordList
    kinds: WordList


@dataclass(frozen=True)
class Anaphor:
    forms: WordList
    match: WordList
    kinds: WordList


@dataclass(frozen=True)
class Reporting:
    """The reporting lexicon. Besides these keys, every key is a word list (``blockers``,
    ``complementisers``, ``time_words``…): a new list needs no change here."""

    verbs: list[ReportingVerb]
    relay_phrases: WordList
    conduits: dict[str, WordList]
    groups: list[GroupNoun]
    anaphors: list[Anaphor]
    gender: dict[str, WordList] = field(default_factory=dict)
    not_speakers: dict[str, WordList] = field(default_factory=dict)
    min_quote_words: int = 0
    confidence: dict[str, float] = field(default_factory=dict)
    other_keys = WordList


@dataclass(frozen=True)
class SpeechAct:
    past: str | WordList
    present: str | WordList | None = None
    participle: str | WordList | None = None


@dataclass(frozen=True)
class Audit:
    verbs: list[SpeechAct]
    reporting_verbs: list[ReportingVerb] = field(default_factory=list)  # reporting.yaml's verbs before issue 12
    other_keys = WordList


@dataclass(frozen=True)
class Speakers:
    speakers: dict[str, dict[str, Any]] = field(default_factory=dict)
    countries: dict[str, dict[str, Any]] = field(default_factory=dict)
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    titles: dict[str, dict[str, Any]] = field(default_factory=dict)
    honorifics: WordList = field(default_factory=list)
    subordinates: WordList = field(default_factory=list)
    unnamed_heads: WordList = field(default_factory=list)


SHAPES: dict[str, type] = {
    "answers": Answers, "audit": Audit, "boilerplate": Boilerplate, "dates": Dates, "descriptions": Descriptions,
    "glossary": Glossary,
    "llm": LLM, "outlets": Outlets, "questions": Questions, "reporting": Reporting, "speakers": Speakers,
    "stopwords": Stopwords,
}


def resource_path(name: str) -> Path:
    """A file of ``rag/resources/`` (``speakers.yaml``, ``prompts/answer_v1.txt``…), wherever the package is installed."""
    return Path(str(resources.files(__package__).joinpath("resources", name)))


def load(name: str) -> Any:
    """``rag/resources/<name>.yaml``, checked against ``SHAPES[name]`` (its readers keep what they build from it)."""
    return load_file(resource_path(f"{name}.yaml"), SHAPES[name])


def load_file(path: str | Path, shape: type) -> Any:
    """A YAML file checked against ``shape``; ``ResourceError`` names the file and the key when it does not fit."""
    path = Path(path)
    try:
        # libyaml's parser where PyYAML has it: the same data, a fifth of the time (1.0 → 0.2 s of every start)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as error:
        raise ResourceError(f"{path.name}: cannot be read: {error}") from error
    check(data, shape, path.name)
    return data


def check(value: Any, expected: Any, where: str) -> None:
    """Raise ``ResourceError`` at ``where`` (file and key) when ``value`` is not of type ``expected``."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if expected is Any:
        return
    if isinstance(expected, type) and hasattr(expected, "__dataclass_fields__"):
        _check_fields(value, expected, where)
    elif origin in (typing.Union, types.UnionType):
        if not any(_fits(value, option) for option in args):
            raise ResourceError(f"{where}: expected {_name(expected)}, got {_name(type(value))}")
    elif origin is list:
        _expect(value, list, where)
        for i, item in enumerate(value):
            check(item, args[0], f"{where}[{i}]")
    elif origin is dict:
        _expect(value, dict, where)
        for key, item in value.items():
            check(key, args[0], f"{where}: key {key!r}")
            check(item, args[1], f"{where}.{key}")
    elif expected is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ResourceError(f"{where}: expected a number, got {_name(type(value))}")
    elif expected is type(None):
        _expect(value, type(None), where)
    else:
        _expect(value, expected, where)


def _check_fields(value: Any, shape: type, where: str) -> None:
    _expect(value, dict, where)
    hints = typing.get_type_hints(shape)
    declared = {f.name: f for f in fields(shape)}
    for name, f in declared.items():
        if name in value:
            check(value[name], hints[name], f"{where}: {name}" if ":" not in where else f"{where}.{name}")
        elif f.default is MISSING and f.default_factory is MISSING:
            raise ResourceError(f"{where}: missing key {name!r}")
    other = getattr(shape, "other_keys", None)
    for name in value.keys() - declared.keys():
        if other is None:
            raise ResourceError(f"{where}: unknown key {name!r} (known: {', '.join(declared)})")
        check(value[name], other, f"{where}: {name}")


def _fits(value: Any, expected: Any) -> bool:
    try:
        check(value, expected, "")
    except ResourceError:
        return False
    return True


def _expect(value: Any, kind: type, where: str) -> None:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ResourceError(f"{where}: expected {_name(kind)}, got {_name(type(value))}")


def _name(kind: Any) -> str:
    names = {list: "a list", dict: "a mapping", str: "a string", int: "an integer", bool: "true or false",
             float: "a number", type(None): "nothing"}
    if kind in names:
        return names[kind]
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return " or ".join(_name(k) for k in typing.get_args(kind))
    if typing.get_origin(kind) is list:
        return f"a list of {_name(typing.get_args(kind)[0]).removeprefix('a ').removeprefix('an ')}s"
    return getattr(kind, "__name__", str(kind))
