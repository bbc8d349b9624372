"""Read ``speakers.yaml`` into plain lookup tables (see the file's header for its format).

Role titles are written once as templates («وزير الخارجية {m}») and filled with each
country's adjectives and names, only for the titles someone in the registry holds.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rag.errors import LoadError
from rag.knowledge import Speakers, load_file
from rag.phrases import phrase_key
from rag.types import Speaker

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_ABD_APART = re.compile(r"(?<!\w)عبد ال(?=\w)")
_ABD_JOINED = re.compile(r"(?<!\w)عبدال(?=\w)")
_FILLERS = {"m": "ar_m", "f": "ar_f", "name": "ar_name", "adj": "en_adj", "en": "en_name"}


@dataclass(frozen=True)
class Tenure:
    """``speaker_id`` held ``title_id`` from ``start`` to ``end`` (None: still in office)."""

    title_id: str
    speaker_id: str
    start: dt.date
    end: dt.date | None

    def covers(self, date: dt.date) -> bool:
        return self.start <= date and (self.end is None or date <= self.end)


@dataclass
class RegistryData:
    """Everything the registry needs, as dictionaries keyed by speaker or title id."""

    speakers: dict[str, Speaker] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)  # every full and short name
    full_names: dict[str, list[str]] = field(default_factory=dict)  # canonical names and variants only
    weak_names: dict[str, list[str]] = field(default_factory=dict)
    title_forms: dict[str, list[str]] = field(default_factory=dict)
    title_labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # (whose, what)
    tenures: dict[str, list[Tenure]] = field(default_factory=dict)
    conduits: set[str] = field(default_factory=set)
    country_by_adjective: dict[tuple[str, ...], str] = field(default_factory=dict)
    unnamed_heads: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)  # words allowed between a title and a name
    subordinates: set[str] = field(default_factory=set)  # words that make a title someone else's (نائب)


def load_registry_data(path: Path) -> RegistryData:
    """Parse a registry file; raises ``LoadError`` when it is missing or malformed."""
    try:
        return _build(load_file(path, Speakers))
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise LoadError(str(path), f"bad speaker registry: {exc!r}") from exc


def _build(raw: dict[str, Any]) -> RegistryData:
    data = RegistryData(
        unnamed_heads={w for h in raw.get("unnamed_heads", []) for w in phrase_key(h)},
        honorifics={w for h in raw.get("honorifics", []) for w in phrase_key(h)},
        subordinates={w for h in raw.get("subordinates", []) for w in phrase_key(h)},
    )
    countries = raw.get("countries", {})
    for cid, country in countries.items():
        _add_country(data, cid, country)
    for sid, entry in raw.get("speakers", {}).items():
        _add_tenures(data, sid, entry.get("titles", []))
    _add_titles(data, raw.get("roles", {}), countries, raw.get("titles", {}))
    for sid, entry in raw.get("speakers", {}).items():
        _add_speaker(data, sid, entry)
    return data


def _add_country(data: RegistryData, cid: str, country: dict[str, Any]) -> None:
    kind = country.get("kind", "country")
    data.speakers[cid] = Speaker(id=cid, name_en=country["name_en"], name_ar=country["name_ar"], kind=kind)
    data.full_names[cid] = [country["name_en"], country["name_ar"], *country.get("ar_name", []), *country.get("en_name", [])]
    data.names[cid] = data.full_names[cid] + [*country.get("metonyms_ar", []), *country.get("metonyms_en", [])]
    for adjective in country.get("ar_m", []) + country.get("ar_f", []) + country.get("en_adj", []):
        data.country_by_adjective[phrase_key(adjective)] = cid


def _add_tenures(data: RegistryData, sid: str, titles: list[list[Any]]) -> None:
    for title_id, start, end in titles:
        data.tenures.setdefault(title_id, []).append(Tenure(title_id, sid, _date(start), _date(end)))


def _add_titles(data: RegistryData, roles: dict, countries: dict, explicit: dict) -> None:
    """Forms of every held or listed title: the role's templates filled in, plus explicit forms."""
    for tid in {**dict.fromkeys(data.tenures), **dict.fromkeys(explicit)}:
        country_id, _, role_id = tid.partition(".")
        role, country = roles.get(role_id), countries.get(country_id)
        extra = explicit.get(tid, {})
        forms = list(extra.get("ar", [])) + list(extra.get("en", []))
        if role and country:
            forms += [form for t in role.get("ar", []) + role.get("en", []) for form in _fill(t, country)]
            possessive = country.get("possessive", country["name_en"] + "'s")
            data.title_labels[tid] = (possessive, extra.get("label", role["label"]))
        elif "label" in extra:
            data.title_labels[tid] = ("", extra["label"])
        if not forms or tid not in data.title_labels:
            raise ValueError(f"title {tid!r} is neither '<country>.<role>' of listed ones nor in 'titles' with a label")
        data.title_forms[tid] = forms


def _fill(template: str, country: dict[str, Any]) -> list[str]:
    """Every form of ``template`` with its placeholders replaced by the country's words."""
    slots = _PLACEHOLDER.findall(template)
    choices = [country.get(_FILLERS[slot], []) for slot in slots]
    forms = []
    for combo in itertools.product(*choices):
        values = iter(combo)
        forms.append(_PLACEHOLDER.sub(lambda _: next(values), template))
    return forms


def _add_speaker(data: RegistryData, sid: str, entry: dict[str, Any]) -> None:
    if sid in data.speakers:
        raise ValueError(f"duplicate speaker id {sid!r}")
    data.speakers[sid] = Speaker(
        id=sid,
        name_en=entry["name_en"],
        name_ar=entry["name_ar"],
        kind=entry.get("kind", "person"),
        description=entry.get("description") or _describe(data, sid),
    )
    full = [entry["name_en"], entry["name_ar"], *entry.get("variants_ar", []), *entry.get("variants_en", [])]
    short = [*entry.get("short_ar", []), *entry.get("short_en", [])]
    data.full_names[sid] = _with_spacing_variants(full)
    data.names[sid] = _with_spacing_variants(full + short)
    data.weak_names[sid] = _with_spacing_variants([*entry.get("weak_ar", []), *entry.get("weak_en", [])])
    if entry.get("conduit"):
        data.conduits.add(sid)


def _with_spacing_variants(names: list[str]) -> list[str]:
    """The names as given and with «عبد ال…» written joined or apart (عبد العزيز / عبدالعزيز)."""
    spelled = (v for n in names for v in (n, _ABD_APART.sub("عبدال", n), _ABD_JOINED.sub("عبد ال", n)))
    return list(dict.fromkeys(spelled))


def _describe(data: RegistryData, sid: str) -> str | None:
    """"China's foreign minister" from the speaker's latest title ("former" once it ended)."""
    mine = [t for ts in data.tenures.values() for t in ts if t.speaker_id == sid]
    if not mine:
        return None
    latest = max(mine, key=lambda t: t.start)
    whose, what = data.title_labels[latest.title_id]
    if latest.end is None:
        return " ".join(filter(None, [whose, what]))
    if whose.endswith("'s"):
        return f"{whose} former {what}"  # Russia's former prime minister
    return " ".join(filter(None, ["former", whose, what]))  # former US secretary of state


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
